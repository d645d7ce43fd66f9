// Serves custom resources while their CRD exists: registers them on create/update (then marks the
// CRD NamesAccepted and Established), and on deletion removes every custom resource first, as
// kube-apiserver's apiextensions controllers do.
import type { KObject, ResourceDef } from '../../api/resource.js';
import { logError } from '../../machinery/log.js';
import { StatusError } from '../../machinery/status.js';
import type { Watcher } from '../../store/types.js';
import type { Admission } from '../admission/types.js';
import { now, type Registry, type RequestContext } from '../registry.js';
import { decode, storagePrefix } from '../storage-codec.js';
import { crdResources, type CRD } from './resources.js';

export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

const SYSTEM: RequestContext = { user: { name: 'system:apiserver', groups: ['system:masters'] }, dryRun: false, fieldManager: 'kube-apiserver', warnings: [] };

/** New CRDs get the cleanup finalizer, so their custom resources go before they do. */
export const crdFinalizer: Admission = {
  name: 'CRDCleanupFinalizer',
  async admit(op, def, obj) {
    if (op !== 'CREATE' || def.group !== 'apiextensions.k8s.io' || def.plural !== 'customresourcedefinitions') return;
    const f = new Set(obj.metadata.finalizers ?? []);
    f.add(CLEANUP_FINALIZER);
    obj.metadata.finalizers = [...f];
  },
};

export class CRDController {
  private watcher?: Watcher;
  private crdDef: ResourceDef;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly registry: Registry) {
    const d = registry.resources.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    if (!d) throw new Error('customresourcedefinitions are not served');
    this.crdDef = d;
  }

  /** Registers every stored CRD, then follows changes. Resolves once the stored ones are served. */
  async start(): Promise<void> {
    const list = await this.registry.list(this.crdDef, '');
    for (const crd of list.items) await this.sync(crd as CRD);
    this.watcher = this.registry.store.watch(storagePrefix(this.crdDef), { afterRevision: Number(list.resourceVersion) }, {
      onEvents: (events) => {
        for (const ev of events) {
          const crd = decode(this.crdDef, ev.type === 'DELETE' ? ev.prevKv! : ev.kv) as CRD;
          this.enqueue(() => (ev.type === 'DELETE' ? this.unregister(crd) : this.sync(crd)));
        }
      },
      onError: (err) => {
        logError('crd-controller', 'watch ended; restarting', { error: err.message });
        setTimeout(() => void this.start().catch(() => undefined), 1000).unref();
      },
    });
  }

  stop(): void {
    this.watcher?.cancel();
  }

  private enqueue(fn: () => Promise<void>): void {
    this.queue = this.queue.then(fn).catch((err) => logError('crd-controller', 'sync failed', { error: String(err) }));
  }

  private unregister(crd: CRD): Promise<void> {
    const { group, names } = crd.spec;
    this.registry.resources.remove((r) => r.group === group && r.plural === names.plural);
    return Promise.resolve();
  }

  private async sync(crd: CRD): Promise<void> {
    const { group, names } = crd.spec;
    if (crd.metadata.deletionTimestamp) return this.cleanup(crd);
    const { resources, schemas } = crdResources(crd, this.registry.resources.definitions);
    this.registry.resources.remove((r) => r.group === group && r.plural === names.plural && !resources.some((n) => n.version === r.version));
    this.registry.resources.put(resources, schemas);
    const status = (crd.status ?? {}) as { conditions?: Array<{ type: string; status: string }> };
    const established = status.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    if (established) return;
    await this.registry.mutate(this.crdDef, '', crd.metadata.name!, SYSTEM, 'status', (cur) => {
      const t = now();
      cur.status = {
        ...(cur.status as object),
        acceptedNames: { ...(cur as CRD).spec.names, singular: names.singular || names.kind.toLowerCase(), listKind: names.listKind || `${names.kind}List` },
        storedVersions: (cur as CRD).spec.versions.filter((v) => v.storage).map((v) => v.name),
        conditions: [
          { type: 'NamesAccepted', status: 'True', lastTransitionTime: t, reason: 'NoConflicts', message: 'no conflicts found' },
          { type: 'Established', status: 'True', lastTransitionTime: t, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
        ],
      };
      return cur;
    }).catch((err) => {
      if (!(err instanceof StatusError && err.code === 404)) throw err;
    });
  }

  /** Deletes every custom resource of a deleting CRD, then lets the CRD go. */
  private async cleanup(crd: CRD): Promise<void> {
    if (!crd.metadata.finalizers?.includes(CLEANUP_FINALIZER)) return;
    const def = this.registry.resources.all().find((r) => r.group === crd.spec.group && r.plural === crd.spec.names.plural);
    if (def) {
      const { items } = await this.registry.list(def, '');
      for (const item of items) {
        await this.registry.delete(def, item.metadata.namespace ?? '', item.metadata.name!, {}, SYSTEM).catch((err) => {
          if (!(err instanceof StatusError && err.code === 404)) throw err;
        });
      }
      if ((await this.registry.list(def, '', { limit: 1 })).items.length) {
        // Some still have finalizers: try again shortly.
        setTimeout(() => this.enqueue(() => this.sync(crd)), 1000).unref();
        return;
      }
    }
    this.registry.resources.remove((r) => r.group === crd.spec.group && r.plural === crd.spec.names.plural);
    await this.registry.mutate(this.crdDef, '', crd.metadata.name!, SYSTEM, 'finalize', (cur: KObject) => {
      cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
      return cur;
    }).catch((err) => {
      if (!(err instanceof StatusError && err.code === 404)) throw err;
    });
  }
}
