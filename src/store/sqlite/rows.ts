// Row shapes of the kv table and their mapping to the Store contract's KeyValue.
import type { KeyValue, WatchEvent } from '../types.js';

/** A kv row as the read statements select it. */
export interface KvRow {
  id: number;
  name: string;
  deleted: number;
  create_revision: number;
  version: number;
  lease: number;
  value: string;
}

/** A kv row joined with the row it replaced (p_* are null for a create). */
export interface EventRow extends KvRow {
  p_id: number | null;
  p_create_revision: number | null;
  p_version: number | null;
  p_lease: number | null;
  p_value: string | null;
}

/** id, name, create_revision, version, lease, value: the list statement's raw row. */
export type RawKv = [number, string, number, number, number, string];

export function rawToKv(r: RawKv): KeyValue {
  return { key: r[1], value: r[5], createRevision: r[2], modRevision: r[0], version: r[3], lease: r[4] };
}

export function rowToKv(r: KvRow): KeyValue {
  return {
    key: r.name,
    value: r.value,
    createRevision: r.create_revision,
    modRevision: r.id,
    version: r.version,
    lease: r.lease,
  };
}

/** The key as a DELETE event reports it: gone as of `revision`. */
export function tombstoneKv(key: string, revision: number): KeyValue {
  return { key, value: '', createRevision: 0, modRevision: revision, version: 0, lease: 0 };
}

export function rowToEvent(r: EventRow): WatchEvent {
  const prevKv: KeyValue | null = r.p_id === null ? null : {
    key: r.name,
    value: r.p_value!,
    createRevision: r.p_create_revision!,
    modRevision: r.p_id,
    version: r.p_version!,
    lease: r.p_lease!,
  };
  if (r.deleted) return { type: 'DELETE', kv: tombstoneKv(r.name, r.id), prevKv };
  return { type: 'PUT', kv: rowToKv(r), prevKv };
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code-point order
 * (which is UTF-8 byte order, the order SQLite's BINARY collation compares TEXT in). Prefix
 * ranges become `name >= prefix AND name < end`, which the (name, id) index serves directly.
 */
export function prefixEnd(prefix: string): string {
  const cps = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (cps.length) {
    const last = cps.pop()!;
    if (last >= 0x10ffff) continue; // cannot grow: carry into the previous character
    const next = last + 1 === 0xd800 ? 0xe000 : last + 1; // skip the surrogate block
    return String.fromCodePoint(...cps, next);
  }
  // Only a prefix made entirely of U+10FFFF gets here, and checkPrefix admits none: every prefix
  // starts with '/'.
  throw new RangeError(`no upper bound for prefix ${JSON.stringify(prefix)}`);
}
