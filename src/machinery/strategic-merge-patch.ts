// Strategic merge patch (`application/strategic-merge-patch+json`), Kubernetes' own patch format:
// a JSON merge patch whose lists merge by key where the schema says so (containers by name,
// finalizers as a set) and whose directives ($patch, $retainKeys, $setElementOrder/...,
// $deleteFromPrimitiveList/...) delete, replace, prune and order. The patch metadata comes from the
// schema's x-kubernetes-patch-strategy and x-kubernetes-patch-merge-key; where there is no schema,
// maps merge and lists replace, as in a JSON merge patch.
//
// Behaviour follows Kubernetes' strategicpatch package, including its ordering rules (items new to
// a merging list go before the server's own items unless $setElementOrder says otherwise) and the
// three-way patch `kubectl apply` computes.
import { StatusError } from './status.js';
import { resolveSchema, type Definitions, type Schema } from './schema.js';

type Obj = Record<string, unknown>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

export const SMP_ERRORS = {
  badJSONDoc: 'invalid JSON document',
  noListOfLists: 'lists of lists are not supported',
  badPrimitiveList: 'invalid patch format of primitive list',
  badRetainKeys: 'invalid patch format of retainKeys',
  badSetElementOrder: 'invalid patch format of setElementOrder list',
  retainKeysMismatch: "patch content doesn't match retainKeys list",
} as const;

// ---- errors ------------------------------------------------------------------------------------

/** Errors Kubernetes maps to 400, and (our choice) those it leaves as a reason-less 500. */
const bad = (message: string) => new StatusError(400, 'BadRequest', message);
/** Errors Kubernetes maps to a 422 with the message as the cause. */
const unprocessable = (message: string) =>
  new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', { causes: [{ message }] });

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets a field as JSON means it: "__proto__" becomes an ordinary key, never the object's prototype. */
function setField(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}
const has = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Go's %v, which Kubernetes uses in these messages. */
function goFmt(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFmt).join(' ')}]`;
  if (isObj(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goFmt(v[k])}`).join(' ')}]`;
  return String(v);
}

function goType(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  if (isObj(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

const errBadArgType = (expected: 'map' | 'slice', actual: unknown) =>
  bad(`expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goType(actual)}`);
const errNoMergeKey = (m: Obj, k: string) => bad(`map: ${goFmt(m)} does not contain declared merge key: ${k}`);
const errBadPatchType = (t: unknown, m: Obj) => bad(`unknown patch type: ${goFmt(t)} in map: ${goFmt(m)}`);

// ---- patch metadata from the schema ------------------------------------------------------------

interface FieldMeta {
  /** The field's schema (for a list: its items' schema), resolved; undefined when unknown. */
  sub: PatchMeta;
  strategies: string[];
  mergeKey: string;
}

/** Where the patch is in the schema: answers "how does this field merge?". */
class PatchMeta {
  constructor(readonly schema: Schema | undefined, readonly defs: Definitions, readonly name = '') {}

  private field(key: string): { raw?: Schema; resolved?: Schema } {
    const s = this.schema;
    if (!s) return {};
    const raw = s.properties?.[key] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    return raw ? { raw, resolved: resolveSchema(raw, this.defs) } : {};
  }

  private meta(raw: Schema | undefined, resolved: Schema | undefined, sub: Schema | undefined, key: string): FieldMeta {
    const strategy = raw?.['x-kubernetes-patch-strategy'] ?? resolved?.['x-kubernetes-patch-strategy'] ?? '';
    return {
      sub: new PatchMeta(sub, this.defs, key),
      strategies: strategy.split(',').map((x) => x.trim()).filter(Boolean),
      mergeKey: raw?.['x-kubernetes-patch-merge-key'] ?? resolved?.['x-kubernetes-patch-merge-key'] ?? '',
    };
  }

  /** A map-valued field. */
  struct(key: string): FieldMeta {
    const { raw, resolved } = this.field(key);
    return this.meta(raw, resolved, resolved, key);
  }

  /** A list-valued field; `sub` describes its items. */
  slice(key: string): FieldMeta {
    const { raw, resolved } = this.field(key);
    return this.meta(raw, resolved, resolved?.items ? resolveSchema(resolved.items, this.defs) : undefined, key);
  }
}

function retainKeysAndStrategy(strategies: string[]): { retainKeys: boolean; strategy: string } {
  switch (strategies.length) {
    case 0: return { retainKeys: false, strategy: '' };
    case 1: return strategies[0] === 'retainKeys' ? { retainKeys: true, strategy: '' } : { retainKeys: false, strategy: strategies[0] };
    case 2:
      if (strategies[0] === 'retainKeys') return { retainKeys: true, strategy: strategies[1] };
      if (strategies[1] === 'retainKeys') return { retainKeys: true, strategy: strategies[0] };
  }
  throw bad(`unexpected patch strategy: ${goFmt(strategies)}`);
}

// ---- shared helpers ----------------------------------------------------------------------------

type Kind = 'null' | 'object' | 'array' | 'string' | 'number' | 'boolean';
const kindOf = (v: unknown): Kind => (v === null || v === undefined ? 'null' : Array.isArray(v) ? 'array' : isObj(v) ? 'object' : (typeof v as Kind));

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => has(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The one element kind of the given lists; lists of lists and mixed lists are errors. */
function sliceElementType(...lists: unknown[][]): Kind | undefined {
  let prev: Kind | undefined;
  for (const l of lists) {
    for (const v of l) {
      const k = kindOf(v);
      if (prev === undefined) {
        if (k === 'array') throw unprocessable(SMP_ERRORS.noListOfLists);
        prev = k;
      } else if (prev !== k) {
        throw bad(`list element types are not identical: ${goFmt(lists)}`);
      }
    }
  }
  return prev;
}

const isDirectiveKey = (k: string) =>
  k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(`${SET_ELEMENT_ORDER}/`) || k.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`);

interface MergeOptions {
  /** Applying to an object (server side): parallel lists act, nulls of new content are dropped. */
  mergeParallelList: boolean;
  ignoreUnmatchedNulls: boolean;
}
const SERVER: MergeOptions = { mergeParallelList: true, ignoreUnmatchedNulls: true };
const MERGING_PATCHES: MergeOptions = { mergeParallelList: false, ignoreUnmatchedNulls: false };

/**
 * Patch content taken as it is (nothing to merge with): maps carrying $patch are dropped. When
 * applying to an object, nulls and directive keys are dropped too, so none of them is stored.
 */
function strip(v: unknown, opts: MergeOptions): { keep: boolean; value?: unknown } {
  if (isObj(v)) {
    if (has(v, DIRECTIVE)) return { keep: false };
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      if (opts.ignoreUnmatchedNulls && (x === null || isDirectiveKey(k))) continue;
      const r = strip(x, opts);
      if (r.keep) setField(out, k, r.value);
    }
    return { keep: true, value: out };
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) {
      const r = strip(e, opts);
      if (r.keep) out.push(r.value);
    }
    return { keep: true, value: out };
  }
  return { keep: true, value: v };
}

/** Content Kubernetes takes verbatim; when applying we still keep directives and nulls out of the object. */
const verbatim = <T>(v: T, opts: MergeOptions): T => (opts.ignoreUnmatchedNulls ? (strip(v, opts).value as T) : v);

function put(target: Obj, k: string, v: unknown, opts: MergeOptions): void {
  const r = strip(v, opts);
  if (r.keep) setField(target, k, r.value);
  else delete target[k];
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw bad(SMP_ERRORS.badPrimitiveList);
    throw bad(SMP_ERRORS.badSetElementOrder);
  }
  return s.slice(slash + 1);
}

function mergeKeyValue(item: unknown, mergeKey: string): unknown {
  return isObj(item) ? item[mergeKey] : undefined;
}

/** Position of val in list, comparing merge key values for maps and values for scalars. */
function indexIn(list: unknown[], val: unknown, mergeKey: string, kind: Kind | undefined): number {
  if (kind === 'object') {
    const want = mergeKeyValue(val, mergeKey);
    return list.findIndex((x) => mergeKeyValue(x, mergeKey) === want);
  }
  return list.indexOf(val);
}

function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (!isObj(x)) throw bad(`value for key ${i} is not a map`);
    if (has(x, mergeKey) && x[mergeKey] === value) return i;
  }
  return -1;
}

function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const l of lists) {
    for (const item of l) {
      if (!isObj(item)) throw errBadArgType('map', item);
      if (!has(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

function extractToDeleteItems(l: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const del: unknown[] = [];
  for (const v of l) {
    if (!isObj(v)) throw errBadArgType('map', v);
    (v[DIRECTIVE] === 'delete' ? del : keep).push(v);
  }
  return [keep, del];
}

/** Sorts toSort by its items' positions in order (stable; items not in order keep their place). */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: Kind | undefined): unknown[] {
  let items = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'object') {
    validateMergeKeyInLists(mergeKey, toSort, order);
    [items, toDelete] = extractToDeleteItems(toSort);
  }
  const sorted = items
    .map((v, i) => ({ v, i, at: indexIn(order, v, mergeKey, kind) }))
    .sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : a.i - b.i))
    .map((x) => x.v);
  return [...sorted, ...toDelete];
}

/**
 * Interleaves server-only items (left) into the patch's items (right), keeping each side's order;
 * a server item goes first only when it came before the patch item in the live list.
 */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: Kind | undefined): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: Kind | undefined): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

function partition(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  if (!mergeKey) {
    const set = new Set(by);
    for (const v of list) (set.has(v) ? inPatch : serverOnly).push(v);
    return [inPatch, serverOnly];
  }
  for (const v of list) {
    if (!isObj(v)) throw errBadArgType('map', v);
    if (!has(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (findByKey(by, mergeKey, v[mergeKey]) >= 0 ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

function dedupeScalars(l: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of l) if (!out.includes(v)) out.push(v);
  return out;
}

/** Scalars in Kubernetes' order: by their printed form. */
const sortScalars = (l: unknown[]) => [...l].sort((a, b) => (goFmt(a) < goFmt(b) ? -1 : goFmt(a) > goFmt(b) ? 1 : 0));

// ---- applying a patch --------------------------------------------------------------------------

function mergeMap(original: Obj | undefined, patch: Obj, meta: PatchMeta, opts: MergeOptions): Obj {
  if (has(patch, DIRECTIVE)) {
    const d = patch[DIRECTIVE];
    if (d === 'replace') {
      const rest = { ...patch };
      delete rest[DIRECTIVE];
      return verbatim(rest, opts);
    }
    if (d === 'delete') return {};
    throw errBadPatchType(d, patch);
  }
  const orig = original ?? {};
  applyRetainKeys(orig, patch, opts);
  mergePatchIntoOriginal(orig, patch, meta, opts);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let k = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      if (!opts.mergeParallelList) {
        setField(orig, rawKey, patchV);
        continue;
      }
      k = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete orig[k];
      if (opts.ignoreUnmatchedNulls) continue;
    }
    if (!has(orig, k)) {
      if (!isDeleteList) put(orig, k, patchV, opts);
      continue;
    }
    const cur = orig[k];
    if (kindOf(cur) !== kindOf(patchV)) {
      if (!isDeleteList) put(orig, k, patchV, opts);
      continue;
    }
    if (isObj(cur)) {
      const f = meta.struct(k);
      const { strategy } = retainKeysAndStrategy(f.strategies);
      setField(orig, k, strategy === 'replace' ? verbatim(patchV, opts) : mergeMap(cur, patchV as Obj, f.sub, opts));
    } else if (Array.isArray(cur)) {
      const f = meta.slice(k);
      const { strategy } = retainKeysAndStrategy(f.strategies);
      setField(orig, k, mergeSliceHandler(cur, patchV as unknown[], f.sub, strategy, f.mergeKey, isDeleteList, opts));
    } else {
      put(orig, k, patchV, opts);
    }
  }
  return orig;
}

/** $retainKeys: fields of the live map not listed are cleared (e.g. switching a union's member). */
function applyRetainKeys(original: Obj, patch: Obj, opts: MergeOptions): void {
  if (!has(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!opts.mergeParallelList) {
    if (has(original, RETAIN_KEYS)) {
      if (!deepEqual(original[RETAIN_KEYS], retain)) {
        throw bad(`${goFmt(original[RETAIN_KEYS])} and ${goFmt(retain)} are not deep equal: this may happen when calculating the 3-way diff patch`);
      }
    } else {
      original[RETAIN_KEYS] = retain;
    }
    return;
  }
  if (!Array.isArray(retain)) throw bad(SMP_ERRORS.badRetainKeys);
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw bad(SMP_ERRORS.badRetainKeys);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** The patch list's items (deletions aside) must appear in the same relative order in $setElementOrder. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let pi = 0;
  let si = 0;
  while (pi < items.length && si < order.length) {
    if (isObj(items[pi]) && has(items[pi] as Obj, DIRECTIVE)) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(items[pi], order[si], mergeKey)) pi++;
    si++;
  }
  if (pi < items.length && si >= order.length) {
    throw bad(`The order in patch list:\n${goFmt(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFmt(order)}\n`);
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isObj(left)) throw errBadArgType('map', left);
  if (!isObj(right)) throw errBadArgType('map', right);
  if (!has(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!has(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** $setElementOrder/<list>: merges that list and orders it: $setElementOrder, then the patch, then the live order. */
function mergePatchIntoOriginal(original: Obj, patch: Obj, meta: PatchMeta, opts: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    if (!opts.mergeParallelList) {
      if (has(original, key)) {
        if (!deepEqual(original[key], order)) throw bad(SMP_ERRORS.badSetElementOrder);
      } else {
        setField(original, key, order);
      }
    }
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType('slice', order);
    const listKey = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = has(original, listKey) && original[listKey] !== null;
    const foundPatch = has(patch, listKey);
    const originalList = foundOriginal ? original[listKey] : undefined;
    const patchList = foundPatch ? patch[listKey] : undefined;
    if (foundOriginal && !Array.isArray(originalList)) throw errBadArgType('slice', originalList);
    if (foundPatch && !Array.isArray(patchList)) throw errBadArgType('slice', patchList);
    const f = meta.slice(listKey);
    const { strategy } = retainKeysAndStrategy(f.strategies);
    validatePatchWithSetOrderList((patchList as unknown[] | undefined) ?? [], order, f.mergeKey);

    let merged: unknown[];
    const view: LiveView = {};
    if (foundOriginal && !foundPatch) merged = originalList as unknown[];
    else if (!foundOriginal && foundPatch) merged = strip(patchList, opts).value as unknown[];
    else if (foundOriginal && foundPatch) {
      merged = mergeSliceHandler(originalList as unknown[], patchList as unknown[], f.sub, strategy, f.mergeKey, false, opts, view);
    } else continue;

    const kind = sliceElementType((originalList as unknown[] | undefined) ?? [], (patchList as unknown[] | undefined) ?? []);
    // Lists of maps without a merge key cannot be ordered by key; they stay as merged.
    if (kind !== undefined && !(kind === 'object' && !f.mergeKey)) {
      const [inOrder, serverOnly] = partition(merged, order, f.mergeKey);
      merged = normalizeElementOrder(inOrder, serverOnly, order, view.list ?? (originalList as unknown[] | undefined) ?? [], f.mergeKey, kind);
    }
    setField(original, listKey, merged);
    delete patch[listKey];
  }
}

/**
 * The live list as Kubernetes still sees it after merging into it. Its merge edits the list in
 * place: deletions shift items left and the first additions land in the freed slots, and the
 * $setElementOrder step then orders server-only items against that edited list. Reproducing it
 * keeps our item order identical to a real API server's.
 */
interface LiveView {
  list?: unknown[];
}

function mergeSliceHandler(original: unknown, patch: unknown, meta: PatchMeta, strategy: string, mergeKey: string, isDeleteList: boolean, opts: MergeOptions, view?: LiveView): unknown[] {
  if (!Array.isArray(original)) throw errBadArgType('slice', original);
  if (!Array.isArray(patch)) throw errBadArgType('slice', patch);
  if (strategy === 'merge' || isDeleteList) return mergeSlice(original, patch, meta, mergeKey, opts, isDeleteList, view);
  return verbatim(patch, opts);
}

function mergeSlice(original: unknown[], patch: unknown[], meta: PatchMeta, mergeKey: string, opts: MergeOptions, isDeleteList: boolean, view?: LiveView): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementType(original, patch);
  if (kind !== 'object') {
    if (opts.mergeParallelList && isDeleteList) {
      const gone = new Set(patch);
      return original.filter((v) => !gone.has(v));
    }
    const merged = dedupeScalars([...original, ...patch]);
    const [inPatch, serverOnly] = partition(merged, patch, '');
    return normalizeElementOrder(inPatch, serverOnly, patch, original, '', kind);
  }
  if (!mergeKey) throw bad(`cannot merge lists without merge key for ${meta.name}`);

  // `live` is the list's storage, edited in place; its first `n` items are the list.
  const live = [...original];
  let n = live.length;
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const item = v as Obj;
    if (!has(item, DIRECTIVE)) {
      plain.push(item);
      continue;
    }
    switch (item[DIRECTIVE]) {
      case 'delete': {
        // `$patch: delete` removes every entry with that key.
        if (!has(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
        for (let i = findByKey(live.slice(0, n), mergeKey, item[mergeKey]); i >= 0; i = findByKey(live.slice(0, n), mergeKey, item[mergeKey])) {
          live.copyWithin(i, i + 1, n);
          n--;
        }
        break;
      }
      case 'replace':
        // The other items become the whole list.
        replace = true;
        break;
      case 'merge':
        throw bad('merging lists cannot yet be specified in the patch');
      default:
        throw errBadPatchType(item[DIRECTIVE], item);
    }
  }
  let orig: unknown[];
  let pat: unknown[];
  let merged: unknown[];
  if (replace) {
    orig = verbatim(plain, opts);
    pat = [];
    merged = [...orig];
  } else {
    orig = live.slice(0, n);
    pat = plain;
    merged = [...orig];
    for (const v of pat) {
      const item = v as Obj;
      if (!has(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      const i = findByKey(merged, mergeKey, item[mergeKey]);
      if (i >= 0) {
        merged[i] = mergeMap(merged[i] as Obj, item, meta, opts);
      } else {
        const added = verbatim(item, opts);
        if (merged.length < live.length) live[merged.length] = added;
        merged.push(added);
      }
    }
  }
  if (view) view.list = live;
  const [inPatch, serverOnly] = partition(merged, pat, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, pat, orig, mergeKey, kind);
}

// ---- computing a patch -------------------------------------------------------------------------

interface DiffOptions {
  setElementOrder?: boolean;
  ignoreChangesAndAdditions?: boolean;
  ignoreDeletions?: boolean;
  buildRetainKeysDirective?: boolean;
}

function diffMaps(original: Obj, modified: Obj, meta: PatchMeta, o: DiffOptions): Obj {
  const patch: Obj = {};
  const retainKeys: string[] = [];
  for (const [key, mv] of Object.entries(modified)) {
    if (o.buildRetainKeysDirective && mv !== null) retainKeys.push(key);
    if (!has(original, key)) {
      if (!o.ignoreChangesAndAdditions) setField(patch, key, mv);
      continue;
    }
    const ov = original[key];
    if (key === DIRECTIVE) {
      if (typeof ov !== 'string' || typeof mv !== 'string') throw bad(`invalid value for special key: ${DIRECTIVE}`);
      if (ov !== mv) patch[DIRECTIVE] = mv;
      continue;
    }
    if (kindOf(ov) !== kindOf(mv)) {
      if (!o.ignoreChangesAndAdditions) setField(patch, key, mv);
      continue;
    }
    if (isObj(ov)) diffMapField(key, ov, mv as Obj, patch, meta, o);
    else if (Array.isArray(ov)) diffSliceField(key, ov, mv as unknown[], patch, meta, o);
    else if (!o.ignoreChangesAndAdditions && !deepEqual(ov, mv)) setField(patch, key, mv);
  }
  if (!o.ignoreDeletions) for (const key of Object.keys(original)) if (!has(modified, key)) setField(patch, key, null);
  const extraInOriginal = Object.entries(original).some(([k, v]) => v !== null && !has(modified, k));
  if (retainKeys.length > 0 && (Object.keys(patch).length > 0 || extraInOriginal)) patch[RETAIN_KEYS] = sortScalars(retainKeys);
  return patch;
}

function diffMapField(key: string, ov: Obj, mv: Obj, patch: Obj, meta: PatchMeta, o: DiffOptions): void {
  const f = meta.struct(key);
  const { retainKeys, strategy } = retainKeysAndStrategy(f.strategies);
  if (strategy === 'replace') {
    if (!o.ignoreChangesAndAdditions) setField(patch, key, mv);
    return;
  }
  const d = diffMaps(ov, mv, f.sub, { ...o, buildRetainKeysDirective: retainKeys });
  if (Object.keys(d).length > 0) setField(patch, key, d);
}

function diffSliceField(key: string, ov: unknown[], mv: unknown[], patch: Obj, meta: PatchMeta, o: DiffOptions): void {
  const f = meta.slice(key);
  const { retainKeys, strategy } = retainKeysAndStrategy(f.strategies);
  if (strategy !== 'merge') {
    if (!o.ignoreChangesAndAdditions && !deepEqual(ov, mv)) setField(patch, key, mv);
    return;
  }
  const [add, del, order] = diffLists(ov, mv, f.sub, f.mergeKey, { ...o, buildRetainKeysDirective: retainKeys });
  if (add.length > 0) setField(patch, key, add);
  if (del.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST}/${key}`] = del;
  if (order.length > 0) patch[`${SET_ELEMENT_ORDER}/${key}`] = order;
}

function diffLists(original: unknown[], modified: unknown[], meta: PatchMeta, mergeKey: string, o: DiffOptions): [unknown[], unknown[], unknown[]] {
  if (original.length === 0) {
    if (modified.length === 0 || o.ignoreChangesAndAdditions) return [[], [], []];
    return [modified, [], []];
  }
  const kind = sliceElementType(original, modified);
  let order: unknown[] = [];
  if (kind === 'object') {
    const [changes, deletions] = diffListsOfMaps(original, modified, meta, mergeKey, o);
    const patchList = [...normalizeSliceOrder(changes, modified, mergeKey, kind), ...deletions];
    const orderSame = original.length === modified.length && original.every((v, i) => mergeKeyValueEqual(v, modified[i], mergeKey));
    if (o.setElementOrder && ((!o.ignoreChangesAndAdditions && (patchList.length > 0 || !orderSame)) || (!o.ignoreDeletions && patchList.length > 0))) {
      order = modified.map((v) => ({ [mergeKey]: (v as Obj)[mergeKey] }));
    }
    return [patchList, [], order];
  }
  const [adds, deletions, sortedOriginal] = diffListsOfScalars(original, modified, o);
  const patchList = normalizeSliceOrder(adds, modified, mergeKey, kind);
  // Kubernetes compares the sorted original here, so an unsorted unchanged list still gets an order.
  if (o.setElementOrder && ((!o.ignoreDeletions && deletions.length > 0) || (!o.ignoreChangesAndAdditions && !deepEqual(sortedOriginal, modified)))) {
    order = modified;
  }
  return [patchList, deletions, order];
}

function diffListsOfScalars(original: unknown[], modified: unknown[], o: DiffOptions): [unknown[], unknown[], unknown[]] {
  const a = sortScalars(original);
  const b = sortScalars(modified);
  const adds: unknown[] = [];
  const dels: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const aIn = i < a.length;
    const bIn = j < b.length;
    const as = aIn ? goFmt(a[i]) : '';
    const bs = bIn ? goFmt(b[j]) : '';
    if (aIn && bIn && as === bs) {
      i++;
      j++;
    } else if (!aIn || (bIn && as > bs)) {
      if (!o.ignoreChangesAndAdditions) adds.push(b[j]);
      j++;
    } else {
      if (!o.ignoreDeletions) dels.push(a[i]);
      i++;
    }
  }
  return [adds, dedupeScalars(dels), a];
}

function sortByMergeKey(l: unknown[], mergeKey: string): Obj[] {
  return l.map((v) => {
    if (!isObj(v)) throw errBadArgType('map', v);
    if (!has(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    return v;
  }).sort((x, y) => {
    const a = goFmt(x[mergeKey]);
    const b = goFmt(y[mergeKey]);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function diffListsOfMaps(original: unknown[], modified: unknown[], meta: PatchMeta, mergeKey: string, o: DiffOptions): [unknown[], unknown[]] {
  const a = sortByMergeKey(original, mergeKey);
  const b = sortByMergeKey(modified, mergeKey);
  const patch: unknown[] = [];
  const dels: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const aIn = i < a.length;
    const bIn = j < b.length;
    const as = aIn ? goFmt(a[i][mergeKey]) : '';
    const bs = bIn ? goFmt(b[j][mergeKey]) : '';
    if (aIn && bIn && as === bs) {
      const d = diffMaps(a[i], b[j], meta, o);
      if (Object.keys(d).length > 0) {
        setField(d, mergeKey, b[j][mergeKey]);
        patch.push(d);
      }
      i++;
      j++;
    } else if (!aIn || (bIn && as > bs)) {
      if (!o.ignoreChangesAndAdditions) patch.push(b[j]);
      j++;
    } else {
      if (!o.ignoreDeletions) dels.push({ [mergeKey]: a[i][mergeKey], [DIRECTIVE]: 'delete' });
      i++;
    }
  }
  return [patch, dels];
}

// ---- conflicts between a patch and changes made since ------------------------------------------

function fieldsConflict(left: unknown, right: unknown, meta: PatchMeta, strategy: string, mergeKey: string): boolean {
  if (isObj(left)) {
    if (!isObj(right)) return true;
    const l = has(left, DIRECTIVE);
    const r = has(right, DIRECTIVE);
    if ((l || r) && (l !== r || left[DIRECTIVE] !== right[DIRECTIVE])) return true;
    if (strategy === 'replace') return false;
    for (const [key, lv] of Object.entries(left)) {
      if (key === DIRECTIVE || key === RETAIN_KEYS || !has(right, key)) continue;
      let f: FieldMeta | undefined;
      if (Array.isArray(lv)) f = meta.slice(key);
      else if (isObj(lv)) f = meta.struct(key);
      const s = f ? retainKeysAndStrategy(f.strategies).strategy : '';
      if (fieldsConflict(lv, right[key], f?.sub ?? new PatchMeta(undefined, meta.defs), s, f?.mergeKey ?? '')) return true;
    }
    return false;
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right)) return true;
    if (left.length === 0 && right.length === 0) return false;
    const kind = sliceElementType(left, right);
    if (strategy === 'merge') {
      if (kind !== 'object') return false;
      const byKey = (l: unknown[]) => new Map(l.map((v) => {
        if (!isObj(v)) throw bad(`invalid element type in merging list:${goFmt(l)}`);
        if (!has(v, mergeKey)) throw bad(`cannot find merge key \`${mergeKey}\` in merging list element:${goFmt(v)}`);
        return [goFmt(v[mergeKey]), v] as const;
      }));
      const lm = byKey(left);
      const rm = byKey(right);
      for (const [k, lv] of lm) if (rm.has(k) && fieldsConflict(lv, rm.get(k), meta, '', '')) return true;
      return false;
    }
    if (left.length !== right.length) return true;
    const l = kind === 'object' ? left : sortScalars(dedupeScalars(left));
    const r = kind === 'object' ? right : sortScalars(dedupeScalars(right));
    if (l.length !== r.length) return true;
    return l.some((v, i) => fieldsConflict(v, r[i], meta, '', ''));
  }
  return !deepEqual(left, right);
}

// ---- public API --------------------------------------------------------------------------------

function asObject(v: unknown): Obj {
  if (v === null || v === undefined) return {};
  if (!isObj(v)) throw bad(SMP_ERRORS.badJSONDoc);
  return structuredClone(v);
}

/**
 * Applies a strategic merge patch to a copy of doc (doc is not changed). schema is the object's
 * schema (e.g. defs.get('io.k8s.api.core.v1.Pod')); defs resolves its $refs. Throws StatusError:
 * 400 for malformed patches and bad directives, 422 for lists of lists.
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, schema: Schema | undefined, defs: Definitions): unknown {
  if (!isObj(patch)) throw bad(`json: cannot unmarshal ${Array.isArray(patch) ? 'array' : patch === null ? 'null' : typeof patch} into Go value of type map[string]interface {}`);
  const original = isObj(doc) ? structuredClone(doc) : {};
  return mergeMap(original, structuredClone(patch), new PatchMeta(resolveSchema(schema, defs), defs), SERVER);
}

/** The strategic merge patch that turns original into modified (`{}` when they are equal). */
export function createTwoWayStrategicMergePatch(original: unknown, modified: unknown, schema: Schema | undefined, defs: Definitions): Obj {
  const meta = new PatchMeta(resolveSchema(schema, defs), defs);
  return diffMaps(asObject(original), asObject(modified), meta, { setElementOrder: true });
}

export interface ThreeWayOptions {
  /** false: throw 409 when the patch would undo changes made to current since original (default true, like kubectl apply). */
  overwrite?: boolean;
}

/**
 * What `kubectl apply` sends: the changes from current (live) to modified (the new configuration),
 * plus the deletions of fields that original (the last applied configuration) had and modified
 * dropped. Fields set by others and never in the applied configuration are left alone.
 */
export function createThreeWayStrategicMergePatch(
  original: unknown, modified: unknown, current: unknown, schema: Schema | undefined, defs: Definitions, opts: ThreeWayOptions = {},
): Obj {
  const meta = new PatchMeta(resolveSchema(schema, defs), defs);
  const o = asObject(original);
  const m = asObject(modified);
  const c = asObject(current);
  const delta = diffMaps(c, m, meta, { ignoreDeletions: true, setElementOrder: true });
  const deletions = diffMaps(o, m, meta, { setElementOrder: true, ignoreChangesAndAdditions: true });
  const patch = mergeMap(deletions, delta, meta, MERGING_PATCHES);
  if (opts.overwrite === false) {
    const changed = diffMaps(o, c, meta, {});
    if (fieldsConflict(patch, changed, meta, '', '')) {
      throw new StatusError(409, 'Conflict', `patch:\n${JSON.stringify(patch, null, 2)}\nconflicts with changes made from original to current:\n${JSON.stringify(changed, null, 2)}\n`);
    }
  }
  return patch;
}
