// Managed fields for writes other than apply (create, update, JSON/merge/strategic patches): the
// writer takes ownership of every field it added or changed, whoever owned it before; fields it
// removed are owned by no one.
import type { Definitions, Schema } from '../schema.js';
import { compare, excludeFromComparison } from './compare.js';
import type { FieldSet } from './fieldset.js';
import {
  capUpdateManagers, decodeOrEmpty, encodeManagedFields, isResetManagedFields, managerId,
  type ManagedFieldsEntry, type Managers,
} from './managers.js';
import { comparableView, resetFieldSet, STRIPPED, type ManagedObject } from './object.js';
import { rootRef, type TypeRef } from './types.js';

export interface UpdateOptions {
  /** The request's fieldManager (or the client's user agent, as Kubernetes defaults it). */
  manager: string;
  /** The group/version the request was made in: `apps/v1`, `v1`. */
  apiVersion: string;
  /** RFC 3339 time of the write. */
  time: string;
  /** `status`, `scale`... when the write came through a subresource. */
  subresource?: string;
  /** Dotted paths of fields the endpoint resets (see resetFieldSet), e.g. ['status'] for the main resource. */
  resetFields?: string[];
}

/**
 * The managedFields for `updated`, replacing `live` (null on create). Pass `updated` as the
 * client sent it: managedFields it carries replace the live ones (`[]` or `[{}]` clears them);
 * absent, the live ones carry over. Returns [] when the object is not tracked (an existing object
 * without managed fields is tracked again from its next apply, as in Kubernetes).
 */
export function recordUpdate(
  live: ManagedObject | null, updated: ManagedObject, opts: UpdateOptions, schema: Schema, defs: Definitions,
): ManagedFieldsEntry[] {
  let managers: Managers;
  if (opts.subresource) {
    // A subresource cannot rewrite managed fields.
    managers = decodeOrEmpty(live?.metadata?.managedFields, true);
  } else {
    const requested = updated.metadata?.managedFields;
    if (isResetManagedFields(requested)) managers = new Map();
    else {
      managers = decodeOrEmpty(requested);
      if (managers.size === 0) managers = decodeOrEmpty(live?.metadata?.managedFields, true);
    }
  }
  const isCreate = !live || !live.metadata?.uid;
  if (managers.size === 0 && !isCreate) return [];
  // Fields the endpoint resets are left out before comparing, not only after: a status write
  // need not walk the spec, nor a spec write the status.
  const view = (o: ManagedObject) => comparableView(o, opts.resetFields);
  trackUpdate(managers, live ? view(live) : {}, view(updated), opts, rootRef(schema), defs);
  capUpdateManagers(managers);
  return encodeManagedFields(managers);
}

/** Moves ownership of what changed between two objects to the Update manager described by opts. */
export function trackUpdate(
  managers: Managers, liveObj: unknown, newObj: unknown,
  opts: Omit<UpdateOptions, 'resetFields'> & { resetFields?: string[] }, ref: TypeRef, defs: Definitions,
): void {
  const ignored = resetFieldSet(opts.resetFields);
  const cmp = excludeFromComparison(compare(liveObj, newObj, ref, defs), ignored);
  const changed = cmp.modified.union(cmp.added);
  takeAway(managers, changed, cmp.removed, undefined);
  const mine = changed.difference(STRIPPED);
  if (mine.isEmpty()) return;
  const id = managerId(opts.manager, 'Update', opts.apiVersion, opts.subresource);
  const prev = managers.get(id);
  managers.set(id, {
    manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, subresource: opts.subresource || undefined,
    time: opts.time, set: prev ? mine.union(prev.set) : mine,
  });
}

/** Every manager but `except` loses the changed and removed fields; managers left with nothing are dropped. */
export function takeAway(managers: Managers, changed: FieldSet, removed: FieldSet, except: string | undefined): void {
  for (const [id, m] of [...managers]) {
    if (id === except) continue;
    // Most writes touch fields of one or two managers; the others keep their sets (and encodings).
    if (!m.set.intersects(changed) && !m.set.intersects(removed)) continue;
    const rest = m.set.difference(changed).difference(removed);
    if (rest.isEmpty()) managers.delete(id);
    else managers.set(id, { ...m, set: rest });
  }
}
