// Group commit: writes submitted in the same event-loop turn are applied together, so a burst of
// concurrent writers shares one transaction and one fsync instead of paying one each. The fsync
// runs off the loop (`durable`); batches applied meanwhile queue behind it and are settled in order.

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: Error };

/**
 * Applies a batch inside one durable transaction and returns one outcome per op, in order. An
 * outcome may be a failure (a lost compare-and-swap) without affecting the others; throwing fails
 * the whole batch (nothing of it was committed).
 */
export type ApplyBatch<Op, R> = (ops: Op[]) => Applied<R>;

export interface Applied<R> {
  outcomes: Outcome<R>[];
  /** Runs once the batch is durable, before its writers hear of it (publishes its events). */
  onDurable(): void;
}

export interface GroupCommitOptions {
  /** Most writes in one transaction; bounds how long a commit holds the loop (default 1000). */
  maxBatch?: number;
  /** Resolves once every batch applied so far is on disk. */
  durable?: () => Promise<void>;
}

interface Pending<Op, R> {
  op: Op;
  resolve(value: R): void;
  reject(err: Error): void;
}

export class GroupCommit<Op, R> {
  private queue: Pending<Op, R>[] = [];
  private scheduled = false;

  /**
   * `maxBatch` bounds how long one transaction holds the event loop; writes past it go into the
   * next batch, in submission order.
   */
  private readonly maxBatch: number;
  private readonly durable: () => Promise<void>;
  /** Settles when the last batch applied has been settled; close() waits for it. */
  private settled: Promise<void> = Promise.resolve();

  constructor(private readonly apply: ApplyBatch<Op, R>, opts: GroupCommitOptions = {}) {
    this.maxBatch = opts.maxBatch ?? 1000;
    this.durable = opts.durable ?? (() => Promise.resolve());
  }

  submit(op: Op): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate rather than a microtask: it runs after pending I/O callbacks, so requests
        // that arrived together (and writers woken by the previous batch) join one batch.
        setImmediate(() => this.flush());
      }
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once every batch applied so far has been settled (its writers told). */
  idle(): Promise<void> {
    return this.settled;
  }

  /** Applies queued writes: one batch, or with `drain` everything queued (store closing). */
  flush(drain = false): void {
    this.scheduled = false;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      let applied: Applied<R>;
      try {
        applied = this.apply(batch.map((p) => p.op));
      } catch (err) {
        for (const p of batch) p.reject(err as Error);
        continue;
      }
      // Batches wait for durability in the order they were applied, so their events stay in order.
      this.settled = this.durable().then(
        () => {
          applied.onDurable();
          batch.forEach((p, i) => {
            const o = applied.outcomes[i];
            if (o.ok) p.resolve(o.value);
            else p.reject(o.error);
          });
        },
        (err: Error) => {
          for (const p of batch) p.reject(err);
        },
      );
      // Let requests that arrived meanwhile join the next batch rather than hold the loop here.
      if (!drain && this.queue.length && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
        return;
      }
    }
  }
}
