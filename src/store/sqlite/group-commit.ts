// Group commit: writes submitted in the same event-loop turn are applied together, so a burst of
// concurrent writers shares one transaction and one fsync instead of paying one each.

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: Error };

/**
 * Applies a batch inside one durable transaction and returns one outcome per op, in order. An
 * outcome may be a failure (a lost compare-and-swap) without affecting the others; throwing fails
 * the whole batch (nothing of it was committed).
 */
export type ApplyBatch<Op, R> = (ops: Op[]) => Outcome<R>[];

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
  constructor(private readonly apply: ApplyBatch<Op, R>, private readonly maxBatch = 1000) {}

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

  /** Applies queued writes: one batch, or with `drain` everything queued (store closing). */
  flush(drain = false): void {
    this.scheduled = false;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      let outcomes: Outcome<R>[];
      try {
        outcomes = this.apply(batch.map((p) => p.op));
      } catch (err) {
        for (const p of batch) p.reject(err as Error);
        continue;
      }
      batch.forEach((p, i) => {
        const o = outcomes[i];
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
      // Let the acknowledged writers run (and maybe enqueue more) before the next batch.
      if (!drain && this.queue.length && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
        return;
      }
    }
  }
}
