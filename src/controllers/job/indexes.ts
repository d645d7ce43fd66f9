// Sets of completion indexes as sorted, non-touching intervals, the form of status.completedIndexes
// and status.failedIndexes ("1,3-5,7"): a job of a million completions keeps a short status.

export interface Interval {
  first: number;
  last: number;
}

/** Sorted, disjoint, non-adjacent intervals. */
export type Intervals = Interval[];

/**
 * Parses an interval list as the controller reads its own status: malformed pieces are skipped,
 * indexes at or beyond `completions` dropped, so a hand-edited status cannot wedge the job.
 */
export function parseIntervals(s: string | undefined, completions: number): Intervals {
  if (!s) return [];
  const out: Intervals = [];
  for (const piece of s.split(',')) {
    const [a, b, ...extra] = piece.split('-');
    if (extra.length > 0 || !/^\d+$/.test(a) || (b !== undefined && !/^\d+$/.test(b))) continue;
    const first = Number(a);
    if (first >= completions) break;
    const last = b === undefined ? first : Math.min(Number(b), completions - 1);
    if (last < first) continue;
    const prev = out[out.length - 1];
    if (prev && first <= prev.last + 1) prev.last = Math.max(prev.last, last);
    else out.push({ first, last });
  }
  return out;
}

/** "0-2,4"; two adjacent indexes are written "0,1", as Kubernetes does. */
export function formatIntervals(iv: Intervals): string {
  return iv.map(({ first, last }) => (last === first ? `${first}` : last === first + 1 ? `${first},${last}` : `${first}-${last}`)).join(',');
}

export function totalIndexes(iv: Intervals): number {
  let n = 0;
  for (const { first, last } of iv) n += last - first + 1;
  return n;
}

export function hasIndex(iv: Intervals, ix: number): boolean {
  let lo = 0;
  let hi = iv.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (iv[mid].last >= ix) hi = mid;
    else lo = mid + 1;
  }
  return hi < iv.length && iv[hi].first <= ix;
}

/** The union of two interval lists. */
export function mergeIntervals(a: Intervals, b: Intervals): Intervals {
  const out: Intervals = [];
  const push = (x: Interval) => {
    const prev = out[out.length - 1];
    if (!prev || x.first > prev.last + 1) out.push({ ...x });
    else if (x.last > prev.last) prev.last = x.last;
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) push(a[i].first < b[j].first ? a[i++] : b[j++]);
  while (i < a.length) push(a[i++]);
  while (j < b.length) push(b[j++]);
  return out;
}

/** `iv` plus single indexes given in any order. */
export function withIndexes(iv: Intervals, indexes: Iterable<number>): Intervals {
  const sorted = [...new Set(indexes)].sort((x, y) => x - y);
  return mergeIntervals(iv, sorted.map((ix) => ({ first: ix, last: ix })));
}

/** The first `count` indexes below `completions` that are not in `taken`. */
export function firstFreeIndexes(taken: Intervals, count: number, completions: number): number[] {
  const out: number[] = [];
  let candidate = 0;
  for (const { first, last } of taken) {
    for (; candidate < completions && out.length < count && candidate < first; candidate++) out.push(candidate);
    if (candidate < last + 1) candidate = last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}
