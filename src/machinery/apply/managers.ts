// metadata.managedFields read into field sets per manager and written back. A manager is
// identified as Kubernetes identifies it: by name, operation and subresource, and for Update also
// by apiVersion (an applier keeps one entry whatever version it applies with).
import { FieldSet } from './fieldset.js';
import { goQuote } from './path.js';

/** metav1.ManagedFieldsEntry. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

export interface ManagerState {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** Keyed by managerId. */
export type Managers = Map<string, ManagerState>;

/** Thrown for managedFields that cannot be read. */
export class ManagedFieldsError extends Error {
  override name = 'ManagedFieldsError';
}

/** The identity of a manager: its entry's JSON without fields, time, and (for appliers) apiVersion. */
export function managerId(manager: string, operation: 'Apply' | 'Update', apiVersion: string, subresource?: string): string {
  const o: Record<string, string> = {};
  if (manager) o.manager = manager;
  o.operation = operation;
  if (operation === 'Update' && apiVersion) o.apiVersion = apiVersion;
  if (subresource) o.subresource = subresource;
  return JSON.stringify(o);
}

export function idOf(s: Pick<ManagerState, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return managerId(s.manager, s.operation, s.apiVersion, s.subresource);
}

/**
 * The FieldsV1 a set was read from or last written as. Sets are not changed in place once they
 * belong to a manager, so a manager a write did not touch is written back as it was read.
 */
const encoded = new WeakMap<FieldSet, Record<string, unknown>>();

function fieldsV1Of(set: FieldSet): Record<string, unknown> {
  let doc = encoded.get(set);
  if (!doc) encoded.set(set, (doc = set.toFieldsV1()));
  return doc;
}

/**
 * `stored`: the entries come from a stored object, which this server encoded, so they may be
 * written back as they are; a client's entries are always re-encoded.
 */
export function decodeManagedFields(entries: unknown, stored = false): Managers {
  const out: Managers = new Map();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new ManagedFieldsError('managedFields must be a list');
  entries.forEach((e: unknown, i) => {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new ManagedFieldsError(`managed fields entry ${i} must be an object`);
    const entry = e as ManagedFieldsEntry;
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') throw new ManagedFieldsError('operation must be `Apply` or `Update`');
    if (typeof entry.apiVersion !== 'string' || entry.apiVersion === '') throw new ManagedFieldsError('apiVersion must not be empty');
    if (entry.fieldsType === undefined || (entry.fieldsType as string) === '') throw new ManagedFieldsError(`missing fieldsType in managed fields entry ${i}`);
    if (entry.fieldsType !== 'FieldsV1') throw new ManagedFieldsError(`invalid fieldsType ${goQuote(String(entry.fieldsType))} in managed fields entry ${i}`);
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(entry.fieldsV1);
    } catch (err) {
      throw new ManagedFieldsError(`error decoding set of managed fields entry ${i}: ${(err as Error).message}`);
    }
    if (stored && entry.fieldsV1 && typeof entry.fieldsV1 === 'object') encoded.set(set, entry.fieldsV1);
    const state: ManagerState = {
      manager: typeof entry.manager === 'string' ? entry.manager : '',
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      subresource: entry.subresource || undefined,
      time: entry.time,
      set,
    };
    const id = idOf(state);
    const prev = out.get(id);
    // Two entries for one manager can only come from a client writing managedFields; keep both's fields.
    if (prev) out.set(id, { ...state, set: prev.set.union(set), time: later(prev.time, state.time) });
    else out.set(id, state);
  });
  return out;
}

/** Like decodeManagedFields, but no managers at all when they cannot be read. */
export function decodeOrEmpty(entries: unknown, stored = false): Managers {
  try {
    return decodeManagedFields(entries, stored);
  } catch {
    return new Map();
  }
}

export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  for (const m of managers.values()) {
    const e: ManagedFieldsEntry = {};
    if (m.manager) e.manager = m.manager;
    e.operation = m.operation;
    e.apiVersion = m.apiVersion;
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = fieldsV1Of(m.set);
    if (m.subresource) e.subresource = m.subresource;
    out.push(e);
  }
  return out.sort(compareEntries);
}

/** Kubernetes' order: appliers first, then oldest first, then by manager, apiVersion, subresource. */
function compareEntries(p: ManagedFieldsEntry, q: ManagedFieldsEntry): number {
  const op = cmp(p.operation ?? '', q.operation ?? '');
  if (op) return op;
  const t = seconds(p.time) - seconds(q.time);
  if (t) return t;
  return cmp(p.manager ?? '', q.manager ?? '') || cmp(p.apiVersion ?? '', q.apiVersion ?? '') || cmp(p.subresource ?? '', q.subresource ?? '');
}

function seconds(t: string | undefined): number {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  return seconds(a) >= seconds(b) ? a ?? b : b;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A request's managedFields of `[]` or `[{}]` ask for the managed fields to be cleared. */
export function isResetManagedFields(mf: unknown): boolean {
  if (!Array.isArray(mf)) return false;
  if (mf.length === 0) return true;
  return mf.length === 1 && mf[0] !== null && typeof mf[0] === 'object' && Object.keys(mf[0] as object).length === 0;
}

/** A manager as conflicts name it: `"kubectl"`, `"kube-controller-manager" using apps/v1`, `"x" with subresource "status"`. */
export function printManager(m: Pick<ManagerState, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let s = goQuote(m.manager);
  if (m.subresource) s += ` with subresource ${goQuote(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

export const MAX_UPDATE_MANAGERS = 10;
const ANCIENT = 'ancient-changes';

/**
 * Keeps at most `max` Update entries: the oldest are folded, per apiVersion, into one
 * "ancient-changes" entry, so that objects written by many clients keep a bounded size.
 */
export function capUpdateManagers(managers: Managers, max = MAX_UPDATE_MANAGERS): void {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === 'Update').map(([id]) => id);
  if (updaters.length <= max) return;
  updaters.sort((a, b) => seconds(managers.get(a)!.time) - seconds(managers.get(b)!.time) || cmp(a, b));
  const firstOfVersion = new Map<string, string>();
  let count = updaters.length;
  for (let i = 0; i < updaters.length && count > max; i++) {
    const id = updaters[i];
    const m = managers.get(id);
    if (!m) continue;
    const bucketId = managerId(ANCIENT, 'Update', m.apiVersion);
    const first = firstOfVersion.get(m.apiVersion);
    if (id === bucketId) {
      // An earlier bucket is the natural place for this version's next-oldest entries.
      if (first === undefined) firstOfVersion.set(m.apiVersion, id);
      continue;
    }
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, id);
      continue;
    }
    if (!managers.has(bucketId)) {
      const f = managers.get(first)!;
      managers.delete(first);
      managers.set(bucketId, { ...f, manager: ANCIENT, operation: 'Update', subresource: undefined });
    }
    const bucket = managers.get(bucketId)!;
    managers.delete(id);
    managers.set(bucketId, { ...bucket, set: m.set.union(bucket.set), time: m.time });
    count--;
  }
}
