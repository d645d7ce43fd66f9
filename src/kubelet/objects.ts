// ConfigMaps and Secrets the node's pods refer to, each watched on its own (a fieldSelector on
// metadata.name) as the kubelet's watch-based object manager does: the node reads only what its
// pods use, env and volumes read the cached copy, and a change re-syncs the pods that use it so
// their volumes are updated.
import { Informer, isNotFound, type RestClient, type ResourceRef } from '../client/index.js';
import type { KObject } from '../api/resource.js';

interface Watched<T extends KObject> {
  informer: Informer<T>;
  users: Set<string>;
}

const SYNC_TIMEOUT_MS = 10_000;

export class ObjectCache<T extends KObject> {
  private readonly watched = new Map<string, Watched<T>>();
  private stopped = false;

  constructor(
    private readonly client: RestClient,
    private readonly resource: ResourceRef,
    /** Called with the pod UIDs using an object when it changes. */
    private readonly onChange: (podUIDs: string[]) => void,
  ) {}

  /**
   * The object as cached, or undefined when it does not exist; registers `podUID` as a user, so
   * that changes reach it. Falls back to a direct read when the watch has not synced in time.
   */
  async get(namespace: string, name: string, podUID: string): Promise<T | undefined> {
    const key = `${namespace}/${name}`;
    let w = this.watched.get(key);
    if (!w && !this.stopped) {
      const informer = new Informer<T>(this.client, this.resource, {
        namespace,
        fieldSelector: `metadata.name=${name}`,
        transform: (o) => {
          delete (o.metadata as { managedFields?: unknown }).managedFields;
          return o;
        },
      });
      w = { informer, users: new Set() };
      const entry = w;
      informer.addEventHandler({
        onAdd: (_o, initial) => { if (!initial) this.onChange([...entry.users]); },
        onUpdate: (old, obj) => { if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.onChange([...entry.users]); },
        onDelete: () => this.onChange([...entry.users]),
      });
      this.watched.set(key, w);
      informer.start();
    }
    if (!w) return this.direct(namespace, name);
    w.users.add(podUID);
    if (await w.informer.waitForSync(SYNC_TIMEOUT_MS)) return w.informer.lister.get(namespace, name);
    return this.direct(namespace, name);
  }

  private async direct(namespace: string, name: string): Promise<T | undefined> {
    try {
      return await this.client.get<T>(this.resource, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Forgets a pod; watches nobody uses any more are stopped. */
  release(podUID: string): void {
    for (const [key, w] of this.watched) {
      w.users.delete(podUID);
      if (w.users.size === 0) {
        this.watched.delete(key);
        void w.informer.stop();
      }
    }
  }

  get size(): number {
    return this.watched.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.watched.values()];
    this.watched.clear();
    await Promise.all(all.map((w) => w.informer.stop()));
  }
}
