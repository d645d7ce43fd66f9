// Exponential backoff with jitter, reset after a quiet spell, as client-go's
// ExponentialBackoffManager (reflector: 800 ms doubling to 30 s, reset after 2 min without failures).

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** A failure this long after the previous one starts again from initialMs. */
  resetAfterMs?: number;
  /** Up to this fraction of the delay is added at random, so clients do not retry in lockstep. */
  jitter?: number;
}

export class Backoff {
  private current: number;
  private lastFailure = -Infinity;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly resetAfterMs: number;
  private readonly jitter: number;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 800;
    this.maxMs = opts.maxMs ?? 30_000;
    this.resetAfterMs = opts.resetAfterMs ?? 120_000;
    this.jitter = opts.jitter ?? 1.0;
    this.current = this.initialMs;
  }

  /** The delay before the next attempt; each call doubles the following one. */
  next(): number {
    const now = performance.now();
    if (now - this.lastFailure > this.resetAfterMs) this.current = this.initialMs;
    this.lastFailure = now;
    const base = this.current;
    this.current = Math.min(this.maxMs, this.current * 2);
    return Math.min(this.maxMs, base + base * this.jitter * Math.random());
  }

  reset(): void {
    this.current = this.initialMs;
    this.lastFailure = -Infinity;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
