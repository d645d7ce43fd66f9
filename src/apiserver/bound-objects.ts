// The UIDs of the pods and service accounts that service account tokens are bound to, kept from
// the store (a list, then a watch from its revision). Authenticating a token happens on every
// request and does not wait for a read, yet a token whose pod or service account is gone, or was
// made again under the same name, must be refused, as kube-apiserver refuses it.
import { pods } from '../api/core/v1/pod.js';
import { serviceAccounts } from '../api/core/v1/serviceaccount.js';
import { logError } from '../machinery/log.js';
import type { KeyValue, Store, Watcher } from '../store/types.js';
import { storageKey, storagePrefix } from './storage-codec.js';

const DEFS = { Pod: pods, ServiceAccount: serviceAccounts };
export type BoundKind = keyof typeof DEFS;

const RETRY_MS = 1000;

export class BoundObjects {
  private readonly uids = new Map<string, string>();
  private readonly watchers = new Map<string, Watcher>();
  private stopped = false;

  private constructor(private readonly store: Store) {}

  /** Resolves once both kinds are listed, so that no token is judged against an empty table. */
  static async start(store: Store): Promise<BoundObjects> {
    const b = new BoundObjects(store);
    await Promise.all(Object.values(DEFS).map((def) => b.follow(storagePrefix(def))));
    return b;
  }

  /** The UID of the object now stored under this name, if any. */
  uid(kind: BoundKind, namespace: string, name: string): string | undefined {
    return this.uids.get(storageKey(DEFS[kind], namespace, name));
  }

  /**
   * An object just read from the store by the caller (a TokenRequest's pod): its token may be
   * used before the watch brings the object here.
   */
  saw(kind: BoundKind, namespace: string, name: string, uid: string): void {
    this.uids.set(storageKey(DEFS[kind], namespace, name), uid);
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.watchers.values()) w.cancel();
    this.watchers.clear();
  }

  private async follow(prefix: string): Promise<void> {
    const list = await this.store.list(prefix);
    const listed = new Set<string>();
    for (const kv of list.kvs) {
      listed.add(kv.key);
      this.put(kv);
    }
    for (const key of this.uids.keys()) if (key.startsWith(prefix) && !listed.has(key)) this.uids.delete(key);
    if (this.stopped) return;
    this.watchers.set(prefix, this.store.watch(prefix, { afterRevision: list.revision }, {
      onEvents: (events) => {
        for (const e of events) {
          if (e.type === 'DELETE') this.uids.delete(e.kv.key);
          // An update keeps the UID: only a create (no previous value) is read.
          else if (!e.prevKv || !this.uids.has(e.kv.key)) this.put(e.kv);
        }
      },
      // Compacted past, or the backend failed: list again and go on from there.
      onError: (err) => {
        this.watchers.delete(prefix);
        if (this.stopped) return;
        logError('apiserver', 'the watch behind bound service account tokens ended; listing again', { prefix, err: err.message });
        const again = () => void this.follow(prefix).catch(() => !this.stopped && setTimeout(again, RETRY_MS).unref());
        again();
      },
    }));
  }

  private put(kv: KeyValue): void {
    try {
      const uid = (JSON.parse(kv.value) as { metadata?: { uid?: string } }).metadata?.uid;
      if (uid) this.uids.set(kv.key, uid);
    } catch {
      // not an object we can read: no token can be bound to it
    }
  }
}
