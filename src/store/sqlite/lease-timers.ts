// Timers for persisted leases. Deadlines are wall-clock times stored with the lease, so a lease
// granted before a restart still expires on time (or at once, if its deadline passed while the
// store was down).

/** setTimeout cannot wait longer than 2^31-1 ms; longer waits are re-armed in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class LeaseTimers {
  private timers = new Map<number, NodeJS.Timeout>();

  constructor(private readonly onExpire: (id: number) => void) {}

  has(id: number): boolean {
    return this.timers.has(id);
  }

  /** Arms the lease's timer; `expiresAt` is in ms since the epoch. */
  arm(id: number, expiresAt: number): void {
    this.disarm(id);
    const delay = Math.max(0, expiresAt - Date.now());
    const timer = setTimeout(() => {
      if (expiresAt > Date.now()) return this.arm(id, expiresAt);
      this.onExpire(id);
    }, Math.min(delay, MAX_DELAY_MS));
    // A pending lease must not keep the process alive on its own.
    timer.unref();
    this.timers.set(id, timer);
  }

  /** Forgets the lease (it expired or the store is closing). */
  disarm(id: number): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
