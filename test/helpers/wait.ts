// Waiting for a cluster to converge: tests poll what a user would look at until it holds.

export interface WaitOptions {
  /** 20 s unless told. */
  timeoutMs?: number;
  /** 150 ms unless told. */
  intervalMs?: number;
  /** More to print on timeout, e.g. the server's output. */
  context?: () => string;
}

type NotYet = undefined | null | false;

/**
 * Calls `fn` until what it returns is done, and returns that. Done means: `until(value)` holds
 * when `until` is given (the last value is then shown on timeout, since it says how far things
 * got); otherwise anything but undefined, null or false. Errors thrown by `fn` count as "not yet"
 * and the last one is reported on timeout, with `context()` to explain what went wrong.
 */
export function waitFor<T, U extends T>(what: string, fn: () => Promise<T> | T, opts: WaitOptions & { until: (value: T) => value is U }): Promise<U>;
export function waitFor<T>(what: string, fn: () => Promise<T> | T, opts: WaitOptions & { until: (value: T) => boolean }): Promise<T>;
export function waitFor<T>(what: string, fn: () => Promise<T | NotYet> | T | NotYet, opts?: WaitOptions): Promise<T>;
export async function waitFor<T>(what: string, fn: () => Promise<T | NotYet> | T | NotYet, opts: WaitOptions & { until?: (value: T) => boolean } = {}): Promise<T> {
  const done = opts.until ?? ((v: unknown) => v !== undefined && v !== null && v !== false);
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let lastError: unknown;
  let lastValue: { value: unknown } | undefined;
  for (;;) {
    try {
      const v = await fn();
      if (done(v as T)) return v as T;
      if (opts.until) lastValue = { value: v };
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const ctx = opts.context?.();
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}${lastValue ? `; last: ${show(lastValue.value)}` : ''}${ctx ? `\n${ctx}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 150));
  }
}

function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 2000 ? `${s.slice(0, 2000)}…` : s;
}
