// Server-side apply (PATCH with application/apply-patch+yaml): merge a manager's configuration
// into the live object, remove what the manager applied last time but no longer does (unless
// someone else owns it too), and refuse to change values other managers own unless forced.
import type { Definitions, Schema } from '../schema.js';
import { errors } from '../status.js';
import { compare, excludeFromComparison } from './compare.js';
import { conflictError, conflictsOf } from './conflict.js';
import { ShapeError } from './elements.js';
import { ensureNamedFieldsAreMembers, toFieldSet } from './fieldset-of.js';
import { FieldSet } from './fieldset.js';
import { fieldsStillAsLastApplied, KUBECTL_MANAGER, syncLastApplied } from './last-applied.js';
import { decodeManagedFields, encodeManagedFields, managerId, type ManagedFieldsEntry, type ManagerState, type Managers } from './managers.js';
import { merge } from './merge.js';
import { resetFieldSet, STRIPPED, withoutManagedFields, type ManagedObject } from './object.js';
import { removeItems } from './remove.js';
import { isObject, rootRef, type TypeRef } from './types.js';
import { takeAway, trackUpdate } from './update.js';
import { clone, deepEqual } from './values.js';

export interface ApplyOptions {
  /** The fieldManager query parameter (required for apply; kubectl sends `kubectl`). */
  manager: string;
  /** force=true: take fields from other managers instead of failing with a conflict. */
  force: boolean;
  /** The group/version of the request: `apps/v1`, `v1`. */
  apiVersion: string;
  /** RFC 3339 time of the write. */
  time: string;
  subresource?: string;
  /** Dotted paths of fields the endpoint resets, e.g. ['status'] for the main resource. */
  resetFields?: string[];
}

/** Manager credited with an object's fields when it is first applied to without managed fields. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

/**
 * The object after applying `config` as `opts.manager`: live (null to create) merged with the
 * configuration, with metadata.managedFields updated. Throws a 409 StatusError listing the
 * conflicts, or a 400 for a configuration that does not fit the schema. The caller checks
 * apiVersion/kind, then defaults, validates and stores the result as for an update.
 */
export function apply<T extends ManagedObject>(
  live: T | null, config: T, opts: ApplyOptions, schema: Schema, defs: Definitions,
): T {
  const cfg = checkConfig(config);
  const ref = rootRef(schema);
  const ignored = resetFieldSet(opts.resetFields);
  let managers: Managers;
  try {
    managers = decodeManagedFields(live?.metadata?.managedFields, true);
  } catch (e) {
    throw errors.internal(`failed to decode managed fields: ${(e as Error).message}`);
  }
  const liveObj = live ? withoutManagedFields(live) : {};
  if (managers.size === 0) {
    // An object nobody tracked yet: whoever wrote it owns all of it, so applying over it conflicts.
    trackUpdate(managers, {}, liveObj, { ...opts, manager: BEFORE_FIRST_APPLY }, ref, defs);
  }

  let configSet: FieldSet;
  try {
    configSet = toFieldSet(cfg, ref, defs, { strict: true });
  } catch (e) {
    if (e instanceof ShapeError) throw errors.badRequest(`failed to create typed patch object (${describe(cfg)}): ${e.message}`);
    throw e;
  }
  const id = managerId(opts.manager, 'Apply', opts.apiVersion, opts.subresource);
  const previous = managers.get(id);
  managers.set(id, {
    manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, subresource: opts.subresource || undefined,
    time: previous?.time, set: ignored ? configSet.recursiveDifference(ignored) : configSet,
  });

  let merged = merge(liveObj, cfg, ref, defs) as Record<string, unknown>;
  merged = prune(merged, managers, id, previous?.set, ref, defs);

  const cmp = excludeFromComparison(compare(liveObj, merged, ref, defs), ignored);
  const changed = cmp.modified.union(cmp.added);
  let owners: Array<{ id: string; manager: ManagerState; fields: FieldSet }> = [];
  for (const [other, m] of managers) {
    if (other === id) continue;
    const fields = m.set.intersection(changed);
    if (!fields.isEmpty()) owners.push({ id: other, manager: m, fields });
  }
  if (owners.length > 0 && !opts.force) {
    const allowed = opts.manager === KUBECTL_MANAGER ? fieldsStillAsLastApplied(liveObj, opts.apiVersion, ref, defs) : undefined;
    if (allowed) owners = owners.map((o) => ({ ...o, fields: o.fields.difference(allowed) })).filter((o) => !o.fields.isEmpty());
    if (owners.length > 0) throw conflictError(conflictsOf(owners));
  }
  takeAway(managers, changed, cmp.removed, id);

  const objectChanged = !deepEqual(merged, liveObj);
  const mine = managers.get(id)!.set.difference(STRIPPED);
  if (mine.isEmpty()) managers.delete(id);
  else managers.set(id, { ...managers.get(id)!, set: mine, time: objectChanged ? opts.time : previous?.time });

  // merged is built from private copies of live and config, so it can be handed out as is.
  const result = merged;
  if (opts.manager === KUBECTL_MANAGER) syncLastApplied(result, cfg);
  setManagedFields(result, encodeManagedFields(managers));
  return result as T;
}

function checkConfig(config: unknown): Record<string, unknown> {
  if (!isObject(config)) throw errors.badRequest('error decoding YAML: an apply configuration must be an object');
  const meta = config.metadata;
  if (meta !== undefined && meta !== null && !isObject(meta)) throw errors.badRequest('error decoding YAML: metadata must be an object');
  if (isObject(meta) && meta.managedFields !== undefined && meta.managedFields !== null) {
    throw errors.badRequest('metadata.managedFields must be nil');
  }
  return clone(config);
}

/** `default/nginx; apps/v1, Kind=Deployment`, as Kubernetes names the object in these errors. */
function describe(cfg: Record<string, unknown>): string {
  const meta = isObject(cfg.metadata) ? cfg.metadata : {};
  const apiVersion = typeof cfg.apiVersion === 'string' ? cfg.apiVersion : '';
  const gv = apiVersion.includes('/') ? apiVersion : `/${apiVersion}`;
  return `${meta.namespace ?? ''}/${meta.name ?? ''}; ${gv}, Kind=${cfg.kind ?? ''}`;
}

/**
 * Drops from the merged object what this applier owned last time but no longer applies, unless
 * another manager (or this configuration) still owns it. Struct fields count as owned when
 * anything below them is, so a struct is removed only when nothing in it is owned any more.
 */
function prune(
  merged: Record<string, unknown>, managers: Managers, self: string, last: FieldSet | undefined, ref: TypeRef, defs: Definitions,
): Record<string, unknown> {
  if (!last || last.isEmpty()) return merged;
  // Nothing dropped from the configuration, nothing to prune: whatever was applied last time is
  // applied again, and so are all its ancestors (elements and map entries as members, struct
  // fields as owners of what is below them).
  if (last.difference(managers.get(self)!.set).isEmpty()) return merged;
  const named = (s: FieldSet) => ensureNamedFieldsAreMembers(s, ref, defs);
  const fieldsOf = (obj: unknown) => named(toFieldSet(obj, ref, defs, {}));
  const lastSet = named(last);
  let owned = new FieldSet();
  for (const m of managers.values()) owned = owned.union(m.set);
  const mergedSet = fieldsOf(merged);
  // 1. Without everything applied last time, 2. add back what anyone owns,
  // 3. and remove only what this applier did own.
  const withoutLast = removeItems(merged, lastSet, ref, defs);
  const ownedBack = removeItems(merged, mergedSet.difference(fieldsOf(withoutLast).union(named(owned))), ref, defs);
  const toRemove = mergedSet.difference(fieldsOf(ownedBack)).intersection(lastSet);
  return removeItems(merged, toRemove, ref, defs) as Record<string, unknown>;
}

function setManagedFields(obj: Record<string, unknown>, entries: ManagedFieldsEntry[]): void {
  const meta = isObject(obj.metadata) ? obj.metadata : (obj.metadata = {});
  if (entries.length > 0) meta.managedFields = entries;
  else delete meta.managedFields;
}
