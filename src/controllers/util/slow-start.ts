// controller.slowStartBatch: run `count` calls in batches of 1, 2, 4, ... so that a call that
// fails every time (quota, admission, a bad template) fails once, not a thousand times.

/** Kubernetes' SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/**
 * Calls in flight at once within a batch. A batch of hundreds fired at once would open as many
 * connections (each a TLS handshake on both ends, client-go multiplexes over HTTP/2 instead) only
 * for most of them to be closed again; a bounded pool keeps reusing keep-alive connections.
 */
export const MAX_IN_FLIGHT = 32;

/**
 * Calls `fn` `count` times, batch by batch, each batch concurrently (at most `maxInFlight` calls
 * at a time); stops after the first batch with a failure. Returns how many calls succeeded and
 * the first error.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>, maxInFlight = MAX_IN_FLIGHT): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let started = 0;
    let failed = 0;
    let firstError: unknown;
    const worker = async () => {
      while (started < batch) {
        started++;
        try {
          await fn();
        } catch (err) {
          if (failed++ === 0) firstError = err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(batch, Math.max(1, maxInFlight)) }, worker));
    successes += batch - failed;
    if (failed > 0) return { successes, error: firstError };
    remaining -= batch;
  }
  return { successes };
}

/** Runs `fn` on every item, at most `limit` at a time. */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(items.length, Math.max(1, limit)) }, worker));
}
