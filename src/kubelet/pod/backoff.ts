// Per-key exponential back-off as the kubelet keeps it (client-go's flowcontrol.Backoff): for
// crash-looping containers (10 s doubling to 5 min) and failing image pulls. An entry not bumped
// for twice the maximum starts over, so a container that ran fine for 10 minutes crashes back
// into the shortest delay.

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class BackOff {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly initialMs: number, readonly maxMs: number, private readonly now: () => number = Date.now) {}

  /** The current delay of `key`, 0 when it has none. */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Records a failure at `eventTime`: the delay starts at the initial one, else doubles. */
  next(key: string, eventTime = this.now()): void {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: eventTime });
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdate = eventTime;
  }

  /** Whether the delay that began at `eventTime` (e.g. a container's exit) is still running. */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) return false;
    return this.now() - eventTime < e.backoffMs;
  }

  /** Whether the delay since the last failure recorded for `key` is still running. */
  isInBackOffSinceUpdate(key: string): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(this.now(), e)) return false;
    return this.now() - e.lastUpdate < e.backoffMs;
  }

  /** Milliseconds left of the delay that began at `eventTime`; 0 when none. */
  remaining(key: string, eventTime: number): number {
    if (!this.isInBackOffSince(key, eventTime)) return 0;
    return Math.max(0, eventTime + this.get(key) - this.now());
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key starting with `prefix` (a pod that is gone). */
  resetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  /** Drops entries idle for more than twice the maximum. */
  gc(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (now - e.lastUpdate > 2 * this.maxMs) this.entries.delete(k);
  }

  private expired(eventTime: number, e: Entry): boolean {
    return eventTime - e.lastUpdate > 2 * this.maxMs;
  }
}

/** A Go time.Duration as Go prints it, for whole milliseconds: 0s, 523ms, 1.5s, 2m0s, 1h2m3.5s. */
export function goDuration(ms: number): string {
  ms = Math.trunc(ms);
  if (ms === 0) return '0s';
  const neg = ms < 0;
  if (neg) ms = -ms;
  let out: string;
  if (ms < 1000) out = `${ms}ms`;
  else {
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor((ms % 3_600_000) / 60_000);
    const sMs = ms % 60_000;
    const secs = (sMs / 1000).toFixed(3).replace(/\.?0+$/, '');
    out = h ? `${h}h${m}m${secs}s` : m ? `${m}m${secs}s` : `${secs}s`;
  }
  return neg ? '-' + out : out;
}
