// A counting semaphore: at most `limit` holders at a time, the rest wait in order. The scheduler
// binds through it, so a backlog of thousands of decisions becomes a steady stream of binding
// requests on a few reused connections rather than thousands of new ones at once.
export class Semaphore {
  private held = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held >= this.limit) await new Promise<void>((r) => this.waiters.push(r));
    else this.held++;
    try {
      return await fn();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.held--;
    }
  }
}
