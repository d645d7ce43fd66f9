// Kubernetes' ControllerExpectations (UID-tracking flavour): a controller that has just asked for
// N creations or deletions waits until its informer has seen them before it acts again, so a sync
// that runs before the cache catches up does not create or delete a second time. Expectations
// expire after five minutes, so a lost watch event cannot wedge a controller for good.

/** ExpectationsTimeout in Kubernetes. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Record_ {
  add: number;
  del: number;
  /** Keys of the objects whose deletion we wait to observe. */
  deleting: Set<string>;
  at: number;
}

export class Expectations {
  private readonly records = new Map<string, Record_>();

  constructor(private readonly now: () => number = Date.now, private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS) {}

  /** True when the controller may act: nothing pending, or the pending record has expired. */
  satisfied(controllerKey: string): boolean {
    const r = this.records.get(controllerKey);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.now() - r.at > this.timeoutMs;
  }

  /** Replaces the record: `n` creations are on their way. */
  expectCreations(controllerKey: string, n: number): void {
    this.records.set(controllerKey, { add: n, del: 0, deleting: new Set(), at: this.now() });
  }

  /** Replaces the record: the objects with these keys are being deleted. */
  expectDeletions(controllerKey: string, keys: string[]): void {
    const deleting = new Set(keys);
    this.records.set(controllerKey, { add: 0, del: deleting.size, deleting, at: this.now() });
  }

  creationObserved(controllerKey: string): void {
    const r = this.records.get(controllerKey);
    if (r) r.add--;
  }

  /** Counts a deletion once per object, however many times the informer reports it. */
  deletionObserved(controllerKey: string, key: string): void {
    const r = this.records.get(controllerKey);
    if (r && r.deleting.delete(key)) r.del--;
  }

  /** For creations that will never be observed (skipped or failed). */
  lowerCreations(controllerKey: string, n: number): void {
    const r = this.records.get(controllerKey);
    if (r) r.add -= n;
  }

  delete(controllerKey: string): void {
    this.records.delete(controllerKey);
  }

  /** What is still pending, for logs and tests. */
  pending(controllerKey: string): { add: number; del: number } | undefined {
    const r = this.records.get(controllerKey);
    return r && { add: r.add, del: r.del };
  }
}
