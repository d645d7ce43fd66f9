// NamespaceLifecycle: nothing is created in a namespace that does not exist or is being deleted,
// and the system namespaces cannot be deleted. Like kube-apiserver it answers from a cache of
// namespaces kept by a watch, and reads the store only for a namespace the cache has not seen
// (one created a moment ago).
import type { KObject } from '../../api/resource.js';
import { errors, StatusError } from '../../machinery/status.js';
import type { Watcher } from '../../store/types.js';
import type { Registry } from '../registry.js';
import { decode, storagePrefix } from '../storage-codec.js';
import type { Admission } from './types.js';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

class NamespaceCache {
  private terminating = new Map<string, boolean>();
  private watcher?: Watcher;

  constructor(private readonly registry: Registry) {}

  /** true: being deleted; false: active; undefined: no such namespace. */
  async lookup(name: string): Promise<boolean | undefined> {
    this.ensureWatching();
    const hit = this.terminating.get(name);
    if (hit !== undefined) return hit;
    const def = this.registry.resources.lookup('', 'v1', 'namespaces')!;
    try {
      const ns = await this.registry.get(def, '', name);
      // The watch was started before this read, so later changes will still reach the cache.
      if (!this.terminating.has(name)) this.terminating.set(name, !!ns.metadata.deletionTimestamp);
      return this.terminating.get(name);
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return undefined;
      throw err;
    }
  }

  private ensureWatching(): void {
    if (this.watcher) return;
    const def = this.registry.resources.lookup('', 'v1', 'namespaces')!;
    // Watching from now: namespaces created before are read on first use and then followed.
    this.watcher = this.registry.store.watch(storagePrefix(def), {}, {
      onEvents: (events) => {
        for (const ev of events) {
          if (ev.type === 'DELETE') {
            this.terminating.delete(ev.prevKv!.key.slice(storagePrefix(def).length));
            continue;
          }
          const ns: KObject = decode(def, ev.kv);
          this.terminating.set(ns.metadata.name!, !!ns.metadata.deletionTimestamp);
        }
      },
      onError: () => {
        // Forget everything and start over on the next lookup.
        this.terminating.clear();
        this.watcher = undefined;
      },
    });
  }
}

export function namespaceLifecycle(): Admission {
  const caches = new WeakMap<Registry, NamespaceCache>();
  return {
    name: 'NamespaceLifecycle',
    async admit(op, def, obj, _old, _ctx, registry) {
      if (def.plural === 'namespaces' && def.group === '') {
        if (op === 'DELETE' && IMMORTAL.has(obj.metadata.name!)) {
          throw errors.forbidden(`namespaces "${obj.metadata.name}" is forbidden: this namespace may not be deleted`);
        }
        return;
      }
      if (op !== 'CREATE' || !def.namespaced) return;
      if (!registry.resources.lookup('', 'v1', 'namespaces')) return;
      let cache = caches.get(registry);
      if (!cache) caches.set(registry, (cache = new NamespaceCache(registry)));
      const ns = obj.metadata.namespace!;
      const terminating = await cache.lookup(ns);
      if (terminating === undefined) throw errors.notFound({ group: '', plural: 'namespaces' }, ns);
      // Events may still be recorded while a namespace is torn down, as Kubernetes allows.
      if (terminating && def.kind !== 'Event') {
        throw errors.forbidden(`${def.plural} "${obj.metadata.name ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`);
      }
    },
  };
}
