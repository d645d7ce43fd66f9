// What every controller does between registering its handlers and starting its workers.
import type { WorkQueue } from '../../client/index.js';

/**
 * Ties the queues' shutdown to `signal`, so that the workers return when the controller manager
 * stops or loses leadership, then waits for the informers' caches to sync: a sync must never read
 * a partial cache. False when the workers must not start: stopped meanwhile, or a cache did not
 * sync.
 */
export async function readyToRun(
  signal: AbortSignal,
  parts: { queues: ReadonlyArray<WorkQueue<any>>; informers: ReadonlyArray<{ waitForSync(): Promise<boolean> }> },
): Promise<boolean> {
  const shutDown = () => {
    for (const q of parts.queues) q.shutDown();
  };
  if (signal.aborted) {
    shutDown();
    return false;
  }
  signal.addEventListener('abort', shutDown, { once: true });
  const synced = await Promise.all(parts.informers.map((i) => i.waitForSync()));
  return !signal.aborted && synced.every(Boolean);
}
