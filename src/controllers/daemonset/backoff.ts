// The backoff between deletions of failed daemon pods on one node (failedPodsBackoff: 1 s
// doubling to 15 min): a kubelet that keeps rejecting the pod must not make the controller spin.
export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60_000;

interface Entry {
  delayMs: number;
  lastMs: number;
}

export class FailedPodBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly initialMs = FAILED_POD_BACKOFF_INITIAL_MS, private readonly maxMs = FAILED_POD_BACKOFF_MAX_MS) {}

  /** Still waiting since the last failure of `key`. */
  inBackoff(key: string, now: number): boolean {
    const e = this.entries.get(key);
    return !!e && now - e.lastMs < e.delayMs;
  }

  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Records a failure: the delay doubles, or starts over after a long quiet spell. */
  next(key: string, now: number): void {
    const e = this.entries.get(key);
    if (!e || now - e.lastMs > 2 * this.maxMs) this.entries.set(key, { delayMs: this.initialMs, lastMs: now });
    else this.entries.set(key, { delayMs: Math.min(e.delayMs * 2, this.maxMs), lastMs: now });
  }

  /** Drops entries quiet for longer than twice the maximum delay. */
  gc(now: number): void {
    for (const [k, e] of this.entries) if (now - e.lastMs > 2 * this.maxMs) this.entries.delete(k);
  }
}
