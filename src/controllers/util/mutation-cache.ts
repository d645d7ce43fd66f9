// client-go's integer resource-version MutationCache: a controller remembers the objects it has
// just written, so a sync that runs before the informer has caught up reads its own writes
// rather than the stale cached copies (and does not repeat a create or a scale). Entries go
// once the informer holds the same or a newer version, or after a TTL.
import type { KObject } from '../../api/resource.js';

interface Entry<T> {
  obj: T;
  at: number;
}

const rvOf = (o: KObject): number => {
  const n = Number(o.metadata.resourceVersion);
  return Number.isFinite(n) ? n : -1;
};

export class MutationCache<T extends KObject> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly ttlMs = 60_000, private readonly now: () => number = Date.now) {}

  /** Records an object as the API server returned it after our write. */
  mutated(obj: T): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    const prev = this.entries.get(uid);
    if (prev && rvOf(prev.obj) >= rvOf(obj)) return;
    this.entries.set(uid, { obj, at: this.now() });
  }

  /** The object was deleted: nothing we wrote about it matters any more. */
  forget(uid: string | undefined): void {
    if (uid) this.entries.delete(uid);
  }

  /** The newer of the cached object and our last write of it. */
  newest(cached: T): T {
    const uid = cached.metadata.uid;
    if (!uid) return cached;
    const e = this.entries.get(uid);
    if (!e) return cached;
    if (rvOf(e.obj) > rvOf(cached) && this.now() - e.at < this.ttlMs) return e.obj;
    this.entries.delete(uid);
    return cached;
  }

  /**
   * `cached` with our newer writes substituted, plus the objects we created that the cache does
   * not hold yet and that `include` accepts.
   */
  overlay(cached: T[], include: (obj: T) => boolean): T[] {
    const out = cached.map((o) => this.newest(o));
    if (this.entries.size === 0) return out;
    const seen = new Set(cached.map((o) => o.metadata.uid));
    const now = this.now();
    for (const [uid, e] of this.entries) {
      if (seen.has(uid)) continue;
      if (now - e.at >= this.ttlMs) {
        this.entries.delete(uid);
        continue;
      }
      if (include(e.obj)) out.push(e.obj);
    }
    return out;
  }
}
