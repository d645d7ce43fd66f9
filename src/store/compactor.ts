// Periodic compaction, as kube-apiserver runs it against etcd (every 5 minutes by default): history
// older than a window is discarded so the store does not grow without bound. Watchers and paged
// lists that fall behind the window get CompactedError (410 Gone at the API) and re-list.
import { CompactedError, type Store } from './types.js';

export interface CompactorOptions {
  /** Time between compactions. */
  intervalMs: number;
  /** Revisions of history kept behind the current one. */
  keepRevisions: number;
  /** Told about a failed round (the next round tries again). Default: one log line on stderr. */
  onError?: (err: Error) => void;
  /** Told about each compaction done. */
  onCompact?: (revision: number) => void;
}

export interface Compactor {
  stop(): void;
}

export function startCompactor(store: Store, opts: CompactorOptions): Compactor {
  if (!(opts.intervalMs > 0)) throw new RangeError('compactor intervalMs must be positive');
  if (!Number.isSafeInteger(opts.keepRevisions) || opts.keepRevisions < 0) {
    throw new RangeError('compactor keepRevisions must be a non-negative integer');
  }
  const onError = opts.onError ?? ((err: Error) => {
    console.error(JSON.stringify({ component: 'compactor', msg: 'compaction failed', error: err.message }));
  });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const round = async (): Promise<void> => {
    const target = (await store.currentRevision()) - opts.keepRevisions;
    if (target <= (await store.compactedRevision())) return;
    try {
      await store.compact(target);
    } catch (err) {
      // Someone else compacted past the target meanwhile: the goal is met.
      if (err instanceof CompactedError) return;
      throw err;
    }
    opts.onCompact?.(target);
  };

  // Rounds never overlap: the next is scheduled only once this one has finished.
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      round().catch((err: Error) => {
        if (!stopped) onError(err);
      }).finally(schedule);
    }, opts.intervalMs);
    // Compaction is housekeeping; it must not keep a finished process alive.
    timer.unref();
  };
  schedule();

  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
