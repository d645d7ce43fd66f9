// The namespace controller: a namespace with a deletionTimestamp (phase Terminating, held by the
// "kubernetes" finalizer in spec.finalizers) has its content deleted; once nothing is left, the
// controller removes its finalizer through namespaces/<name>/finalize and the API server then
// removes the namespace. While content remains, the namespace's conditions say what and why,
// and the namespace is looked at again (every second or half the longest grace period, as
// Kubernetes' estimate/2 + 1 s).
import type { KObject } from '../../api/resource.js';
import { isConflict, isNotFound, resources, runWorkers, WorkQueue, type Informer, type RestClient } from '../../client/index.js';
import { log } from '../../machinery/log.js';
import { contentConditions, mergeConditions, type NamespaceCondition } from './conditions.js';
import { deleteAllContent } from './deleter.js';
import { readyToRun } from '../util/ready-to-run.js';

export const FINALIZER_KUBERNETES = 'kubernetes';

export interface Namespace extends KObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

export interface NamespaceControllerOptions {
  client: RestClient;
  namespaces: Informer<Namespace>;
  now?: () => number;
}

const wireTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class NamespaceController {
  readonly queue = new WorkQueue<string>({ name: 'namespace' });
  private readonly client: RestClient;
  private readonly namespaces: Informer<Namespace>;
  private readonly now: () => number;

  constructor(opts: NamespaceControllerOptions) {
    this.client = opts.client;
    this.namespaces = opts.namespaces;
    this.now = opts.now ?? Date.now;
    const enqueue = (ns: Namespace) => {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name!);
    };
    this.namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.namespaces] }))) return;
    await runWorkers(this.queue, workers, async (name) => {
      const retryAfterMs = await this.sync(name);
      if (retryAfterMs !== undefined) this.queue.addAfter(name, retryAfterMs);
    });
  }

  /** One pass; returns when to look again if content remains. */
  async sync(name: string): Promise<number | undefined> {
    const cached = this.namespaces.lister.get(undefined, name);
    if (!cached?.metadata.deletionTimestamp) return undefined;
    if (!(cached.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return undefined;

    const result = await deleteAllContent(this.client, name, this.now());
    const conditions = contentConditions(result);
    if (!(await this.writeConditions(name, conditions))) return undefined;
    if (result.deletionFailures.size || result.discoveryFailures.size) {
      const failing = [...result.deletionFailures.keys(), ...result.discoveryFailures.keys()];
      throw new Error(`namespace ${name}: content deletion incomplete (${failing.join(', ')})`);
    }
    if (result.remaining.size) return (Math.floor(Math.max(0, result.estimateSeconds) / 2) + 1) * 1000;
    await this.finalize(name);
    return undefined;
  }

  /** Writes the conditions when they changed; false when the namespace is gone. */
  private async writeConditions(name: string, conditions: NamespaceCondition[]): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      let ns: Namespace;
      try {
        ns = await this.client.get<Namespace>(resources.namespaces, undefined, name);
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
      const merged = mergeConditions(ns.status?.conditions, conditions, wireTime(this.now()));
      if (!merged && ns.status?.phase === 'Terminating') return true;
      try {
        await this.client.updateStatus<Namespace>(resources.namespaces, undefined, {
          ...ns, status: { ...ns.status, phase: 'Terminating', conditions: merged ?? ns.status?.conditions },
        });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        if (isConflict(err) && attempt < 3) continue;
        throw err;
      }
    }
  }

  /** PUT namespaces/<name>/finalize without our finalizer. */
  private async finalize(name: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let ns: Namespace;
      try {
        ns = await this.client.get<Namespace>(resources.namespaces, undefined, name);
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      const finalizers = ns.spec?.finalizers ?? [];
      if (!finalizers.includes(FINALIZER_KUBERNETES)) return;
      try {
        await this.client.request('PUT', `${this.client.path(resources.namespaces, undefined, name)}/finalize`, {
          ...ns, spec: { ...ns.spec, finalizers: finalizers.filter((f) => f !== FINALIZER_KUBERNETES) },
        });
        log('namespace-controller', 'namespace emptied and finalized', { namespace: name });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (isConflict(err) && attempt < 3) continue;
        throw err;
      }
    }
  }
}
