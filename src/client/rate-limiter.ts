// Rate limiters as client-go's workqueue and flowcontrol packages define them. Each answers "how
// long must this caller wait" rather than sleeping itself, so the work queue, the REST client and
// the event recorder can all share them.

/** Milliseconds since an arbitrary origin; injectable so tests can drive time by hand. */
export type Clock = () => number;
export const realClock: Clock = () => performance.now();

/**
 * A token bucket like golang.org/x/time/rate: `qps` tokens a second, at most `burst` saved up.
 * reserve() always takes a token and says how long to wait for it; tryAccept() takes one only
 * if it is there now.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(readonly qps: number, readonly burst: number, private readonly now: Clock = realClock) {
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
  }

  /** Takes a token, possibly borrowed from the future; returns the wait in ms before using it. */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  tryAccept(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** What a rate-limited work queue asks of its limiter. */
export interface RateLimiter<K> {
  /** The delay in ms before `key` may be processed again; counts a failure. */
  when(key: K): number;
  forget(key: K): void;
  numRequeues(key: K): number;
}

/** base·2^failures per key, capped at max: 5 ms, 10 ms, 20 ms ... 1000 s by default. */
export class ItemExponentialFailureRateLimiter<K> implements RateLimiter<K> {
  private failures = new Map<K, number>();

  constructor(readonly baseDelayMs = 5, readonly maxDelayMs = 1000_000) {}

  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity for large n; the cap covers it.
    const delay = this.baseDelayMs * Math.pow(2, n);
    return Number.isFinite(delay) ? Math.min(delay, this.maxDelayMs) : this.maxDelayMs;
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}

/** One token bucket for all keys: keeps a burst of failures from overwhelming the API server. */
export class BucketRateLimiter<K> implements RateLimiter<K> {
  readonly bucket: TokenBucket;

  constructor(qps = 10, burst = 100, clock: Clock = realClock) {
    this.bucket = new TokenBucket(qps, burst, clock);
  }

  when(_key: K): number {
    return this.bucket.reserve();
  }

  forget(_key: K): void {}

  numRequeues(_key: K): number {
    return 0;
  }
}

/** The longest delay any of its limiters asks for. */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private readonly limiters: RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }

  when(key: K): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(key));
    return max;
  }

  forget(key: K): void {
    for (const l of this.limiters) l.forget(key);
  }

  numRequeues(key: K): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(key));
    return max;
  }
}

/** client-go's DefaultControllerRateLimiter: per-key 5 ms → 1000 s backoff, overall 10 qps with burst 100. */
export function defaultControllerRateLimiter<K>(clock: Clock = realClock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(new ItemExponentialFailureRateLimiter<K>(5, 1000_000), new BucketRateLimiter<K>(10, 100, clock));
}
