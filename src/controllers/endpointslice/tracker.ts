// What the controller last wrote to each Service's slices, so that a sync can tell whether the
// slice informer has caught up with those writes (Kubernetes' EndpointSliceTracker, by
// resourceVersion here: k8ts' resourceVersions are the store's ordered revisions). An entry not
// confirmed within a while is dropped, so a lost watch event cannot stall a Service for good.
import type { KObject } from '../../api/resource.js';

export const TRACKER_EXPIRY_MS = 10_000;

interface Written {
  /** The resourceVersion written, or null for a deletion. */
  rv: string | null;
  at: number;
}

function olderThan(cached: string | undefined, written: string): boolean {
  if (cached === undefined) return true;
  const a = Number(cached);
  const b = Number(written);
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) return a < b;
  return cached !== written;
}

export class SliceTracker {
  private readonly byService = new Map<string, Map<string, Written>>();

  constructor(private readonly now: () => number = Date.now, private readonly expiryMs = TRACKER_EXPIRY_MS) {}

  written(service: string, slice: string, rv: string): void {
    this.entries(service).set(slice, { rv, at: this.now() });
  }

  deleted(service: string, slice: string): void {
    this.entries(service).set(slice, { rv: null, at: this.now() });
  }

  forget(service: string): void {
    this.byService.delete(service);
  }

  /** True when the cache reflects every write still tracked for `service`. */
  caughtUp(service: string, get: (name: string) => KObject | undefined): boolean {
    const entries = this.byService.get(service);
    if (!entries) return true;
    let behind = false;
    for (const [name, w] of entries) {
      if (this.now() - w.at > this.expiryMs) {
        entries.delete(name);
        continue;
      }
      const cached = get(name);
      const stale = w.rv === null ? cached !== undefined : !cached || olderThan(cached.metadata.resourceVersion, w.rv);
      if (stale) behind = true;
      else entries.delete(name);
    }
    if (entries.size === 0) this.byService.delete(service);
    return !behind;
  }

  private entries(service: string): Map<string, Written> {
    let m = this.byService.get(service);
    if (!m) this.byService.set(service, (m = new Map()));
    return m;
  }
}
