// Coalescing bursts of dependent-object events into fewer syncs, as Kubernetes' Job and
// EndpointSlice controllers do with their batch periods: a change seen long after the key's last
// sync is handled at once; changes arriving faster than one per `minIntervalMs` wait for the
// interval to pass and are then handled by one sync. A thousand pods turning Ready then cost a
// few ReplicaSet status writes rather than a thousand, while a lone event is not delayed.
import type { WorkQueue } from '../../client/index.js';

export class SyncThrottle {
  private readonly lastSync = new Map<string, number>();

  constructor(private readonly queue: WorkQueue<string>, private readonly minIntervalMs: number, private readonly now: () => number = () => performance.now()) {}

  /** Queues `key` now, or when `minIntervalMs` has passed since its last sync began. */
  enqueue(key: string): void {
    const last = this.lastSync.get(key);
    const wait = last === undefined ? 0 : last + this.minIntervalMs - this.now();
    if (wait > 0) this.queue.addAfter(key, wait);
    else this.queue.add(key);
  }

  /** Call when a sync of `key` begins. */
  syncing(key: string): void {
    this.lastSync.set(key, this.now());
  }

  forget(key: string): void {
    this.lastSync.delete(key);
  }
}
