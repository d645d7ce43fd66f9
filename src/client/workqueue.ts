// client-go's rate-limited work queue. Controllers enqueue keys (namespace/name) from informer
// events and process them with a sync function; the queue guarantees that
// - a key waiting in the queue is there once however often it is added (dedup),
// - a key being processed is never handed to a second worker; if it is added meanwhile it is
//   processed again once the first worker calls done(),
// - failures come back after a per-key exponential backoff, under an overall rate limit.
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';
import { logError } from '../machinery/log.js';

export interface WorkQueueOptions<K> {
  /** For logs. */
  name?: string;
  rateLimiter?: RateLimiter<K>;
}

interface Delayed<K> {
  key: K;
  at: number;
}

export class WorkQueue<K = string> {
  readonly name: string;
  private readonly limiter: RateLimiter<K>;
  // FIFO of keys ready to hand out; `head` avoids O(n) shifts.
  private queue: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly getters: Array<(key: K | undefined) => void> = [];
  private readonly drainers: Array<() => void> = [];
  private shuttingDown = false;
  // Delayed adds: the earliest ready time per key, and a min-heap of (key, time) with stale entries
  // skipped on pop, driving one timer.
  private readonly waiting = new Map<K, number>();
  private heap: Delayed<K>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.name = opts.name ?? 'workqueue';
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<K>();
  }

  /** Marks `key` as needing processing. */
  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.handOut();
  }

  /**
   * The next key to process, waiting for one if need be; undefined once the queue is shut down
   * and empty. The caller must call done(key) when finished with it.
   */
  get(): Promise<K | undefined> {
    if (this.length() > 0) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends the processing of `key`; if it was added again meanwhile it goes back in the queue. */
  done(key: K): void {
    if (!this.processing.delete(key)) return;
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.handOut();
    }
    if (this.processing.size === 0) for (const d of this.drainers.splice(0)) d();
  }

  /** Keys waiting to be handed out (not those being processed or delayed). */
  length(): number {
    return this.queue.length - this.head;
  }

  /** Adds `key` after `delayMs`; of several pending delayed adds of one key the earliest wins. */
  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (!(delayMs > 0)) {
      this.add(key);
      return;
    }
    const at = performance.now() + delayMs;
    const prev = this.waiting.get(key);
    if (prev !== undefined && prev <= at) return;
    this.waiting.set(key, at);
    this.heapPush({ key, at });
    this.arm();
  }

  /** Adds `key` after the rate limiter's delay for it: per-key backoff and the overall bucket. */
  addRateLimited(key: K): void {
    this.addAfter(key, this.limiter.when(key));
  }

  /** Clears `key`'s failure history, so its next failure starts the backoff afresh. */
  forget(key: K): void {
    this.limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.limiter.numRequeues(key);
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Refuses new keys and drops delayed ones. Workers still receive the keys already queued,
   * then get() answers undefined.
   */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.waiting.clear();
    this.heap = [];
    this.handOut();
  }

  /** Shuts down, then resolves once no key is being processed. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainers.push(resolve));
  }

  private take(): K {
    const key = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private handOut(): void {
    while (this.getters.length > 0 && this.length() > 0) this.getters.shift()!(this.take());
    if (this.shuttingDown && this.length() === 0) for (const g of this.getters.splice(0)) g(undefined);
  }

  // ---- delayed adds ----

  private arm(): void {
    const next = this.heap[0];
    if (!next || next.at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next.at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next.at - performance.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = performance.now();
    while (this.heap.length > 0 && this.heap[0].at <= now) {
      const { key, at } = this.heapPop()!;
      if (this.waiting.get(key) !== at) continue; // superseded by an earlier add
      this.waiting.delete(key);
      this.add(key);
    }
    this.arm();
  }

  private heapPush(e: Delayed<K>): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p].at <= h[i].at) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }

  private heapPop(): Delayed<K> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].at < h[m].at) m = l;
        if (r < h.length && h[r].at < h[m].at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}

export interface RunWorkersOptions<K> {
  /** After this many consecutive failures a key is dropped (forgotten) instead of requeued. Default: never. */
  maxRetries?: number;
  /** Called on every failed sync; the default logs it. */
  onError?: (key: K, err: unknown, retries: number) => void;
}

/**
 * Runs `n` workers that take keys from `queue` and call `sync(key)`: success forgets the key's
 * failures, an error requeues it with rate limiting. Resolves once the queue is shut down and the
 * workers have finished.
 */
export async function runWorkers<K>(queue: WorkQueue<K>, n: number, sync: (key: K) => Promise<void>, opts: RunWorkersOptions<K> = {}): Promise<void> {
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await sync(key);
        queue.forget(key);
      } catch (err) {
        const retries = queue.numRequeues(key);
        if (opts.onError) opts.onError(key, err, retries);
        else logError(queue.name, 'sync failed; requeuing', { key: String(key), retries, err: err instanceof Error ? err.message : String(err) });
        if (opts.maxRetries !== undefined && retries >= opts.maxRetries) queue.forget(key);
        else queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, worker));
}
