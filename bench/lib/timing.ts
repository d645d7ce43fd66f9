// Running a workload for a while, by a number of concurrent workers, and timing single steps.

export const now = (): number => performance.now();

export interface Throughput {
  ops: number;
  ms: number;
  perSecond: number;
}

/**
 * `workers` loops call `op(i)` (i counts every call across workers) until `ms` has passed; the
 * rate counts completed calls over the time until the last one finished.
 */
export async function runFor(ms: number, workers: number, op: (i: number) => Promise<unknown>): Promise<Throughput> {
  const start = now();
  const end = start + ms;
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (now() < end) {
      await op(next++);
      done++;
    }
  }));
  const elapsed = now() - start;
  return { ops: done, ms: elapsed, perSecond: (done / elapsed) * 1000 };
}

/** Runs `op(i)` for i in [0, count) with `workers` in flight at a time. */
export async function runCount(count: number, workers: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = now();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(workers, count) }, async () => {
    while (next < count) await op(next++);
  }));
  return now() - start;
}

/** Milliseconds one call of `fn` takes. */
export async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const start = now();
  await fn();
  return now() - start;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
