// JSON Patch (RFC 6902, `application/json-patch+json`) with RFC 6901 pointers, applied the way
// kube-apiserver applies it (evanphx/json-patch v4): the same leniencies (negative array indices,
// `replace` of a missing object key adds it) and the same error texts, returned as the same
// Statuses: a malformed patch document is 400, a patch that does not apply is 422.
import { StatusError } from './status.js';

export interface JsonPatchOperation {
  op: string;
  path?: string;
  from?: string;
  value?: unknown;
  [k: string]: unknown;
}

export const MAX_JSON_PATCH_OPERATIONS = 10000;
/** kube-apiserver's --json-patch-max-copy-bytes default: how much `copy` ops may grow a document. */
export const JSON_PATCH_MAX_COPY_BYTES = 3 * 1024 * 1024;

type Obj = Record<string, unknown>;
type Container = Obj | unknown[];

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets a field as JSON means it: "__proto__" becomes an ordinary key, never the object's prototype. */
function setField(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;
const has = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** A patch failure: the message is the one Kubernetes puts in the 422's cause. */
class PatchFailure extends Error {}

/** What kube-apiserver returns when a well-formed patch cannot be applied. */
function unprocessable(message: string): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', { causes: [{ message }] });
}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

export function decodePointerToken(t: string): string {
  return t.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

export function encodePointerToken(t: string): string {
  return t.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** strconv.Atoi, or an error text as Go words it. */
function atoi(s: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(s)) return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) return `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`;
  return n;
}

const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

/** The container holding the pointer's last token, and that token (undefined when the path does not lead anywhere). */
function findObject(doc: Container, path: string): [Container, string] | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur: Container = doc;
  for (const part of split.slice(1, -1)) {
    const next = get(cur, decodePointerToken(part));
    if (typeof next === 'string' || !isContainer(next.value)) return undefined;
    cur = next.value;
  }
  return [cur, decodePointerToken(split[split.length - 1])];
}

/** Resolves a possibly negative array index (v4 counts -1 from the end). */
function arrayIndex(len: number, key: string): number | string {
  const idx = atoi(key);
  if (typeof idx === 'string') return idx;
  if (idx < 0) {
    if (idx < -len) return `Unable to access invalid index: ${idx}: ${INVALID_INDEX}`;
    return idx + len;
  }
  return idx;
}

/** { value } (undefined for a missing object key or a JSON null), or an error text. */
function get(c: Container, key: string): { value: unknown } | string {
  if (!Array.isArray(c)) return { value: has(c, key) ? c[key] ?? undefined : undefined };
  const idx = arrayIndex(c.length, key);
  if (typeof idx === 'string') return idx;
  if (idx >= c.length) return `Unable to access invalid index: ${idx}: ${INVALID_INDEX}`;
  return { value: c[idx] ?? undefined };
}

function add(c: Container, key: string, value: unknown): string | undefined {
  if (!Array.isArray(c)) {
    setField(c, key, value);
    return undefined;
  }
  if (key === '-') {
    c.push(value);
    return undefined;
  }
  const raw = atoi(key);
  if (typeof raw === 'string') return `value was not a proper array index: '${key}': ${raw}`;
  let idx = raw;
  if (idx >= c.length + 1) return `Unable to access invalid index: ${idx}: ${INVALID_INDEX}`;
  if (idx < 0) {
    if (idx < -(c.length + 1)) return `Unable to access invalid index: ${idx}: ${INVALID_INDEX}`;
    idx += c.length + 1;
  }
  c.splice(idx, 0, value);
  return undefined;
}

function remove(c: Container, key: string): string | undefined {
  if (!Array.isArray(c)) {
    if (!has(c, key)) return `Unable to remove nonexistent key: ${key}: ${MISSING}`;
    delete c[key];
    return undefined;
  }
  const raw = atoi(key);
  if (typeof raw === 'string') return raw;
  if (raw >= c.length) return `Unable to access invalid index: ${raw}: ${INVALID_INDEX}`;
  const idx = arrayIndex(c.length, key);
  if (typeof idx === 'string') return idx;
  c.splice(idx, 1);
  return undefined;
}

function set(c: Container, key: string, value: unknown): string | undefined {
  if (!Array.isArray(c)) {
    setField(c, key, value);
    return undefined;
  }
  const idx = arrayIndex(c.length, key);
  if (typeof idx === 'string') return idx;
  c[idx] = value;
  return undefined;
}

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

/** A string field of an operation, or an error text like Go's decoder gives. */
function stringField(op: Obj, name: 'path' | 'from'): string | { error: string } {
  const v = op[name];
  if (v === undefined || v === null) {
    return { error: name === 'path' ? `operation missing path field: ${MISSING}` : `operation, missing from field: ${MISSING}` };
  }
  if (typeof v !== 'string') return { error: `json: cannot unmarshal ${jsonKind(v)} into Go value of type string` };
  return v;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

const fail = (m: string): never => {
  throw new PatchFailure(m);
};

/** Applies one operation to root (mutated); returns the new root (only `replace` of "" changes it). */
function applyOp(root: Container, op: Obj, copied: { bytes: number }): Container {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  const value = op.value === undefined ? null : clone(op.value);
  switch (kind) {
    case 'add': {
      const path = stringField(op, 'path');
      if (typeof path !== 'string') return fail(`add operation failed to decode path: ${MISSING}`);
      const found = findObject(root, path) ?? fail(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      const err = add(found[0], found[1], value);
      if (err) fail(`error in add for path: '${path}': ${err}`);
      return root;
    }
    case 'remove': {
      const path = stringField(op, 'path');
      if (typeof path !== 'string') return fail(`remove operation failed to decode path: ${MISSING}`);
      const found = findObject(root, path) ?? fail(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      const err = remove(found[0], found[1]);
      if (err) fail(`error in remove for path: '${path}': ${err}`);
      return root;
    }
    case 'replace': {
      const path = stringField(op, 'path');
      if (typeof path !== 'string') return fail(`replace operation failed to decode path: ${path.error}`);
      // The whole document: only an object or array replaces it; anything else is ignored, as in v4.
      if (path === '') return isContainer(value) ? value : root;
      const found = findObject(root, path) ?? fail(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
      const cur = get(found[0], found[1]);
      if (typeof cur === 'string') fail(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
      const err = set(found[0], found[1], value);
      if (err) fail(`error in remove for path: '${path}': ${err}`);
      return root;
    }
    case 'move': {
      const from = stringField(op, 'from');
      if (typeof from !== 'string') return fail(`move operation failed to decode from: ${from.error}`);
      const src = findObject(root, from) ?? fail(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      const got = get(src[0], src[1]);
      if (typeof got === 'string') fail(`error in move for path: '${src[1]}': ${got}`);
      const moved = (got as { value: unknown }).value;
      const rmErr = remove(src[0], src[1]);
      if (rmErr) fail(`error in move for path: '${src[1]}': ${rmErr}`);
      const path = stringField(op, 'path');
      if (typeof path !== 'string') return fail(`move operation failed to decode path: ${path.error}`);
      const dst = findObject(root, path) ?? fail(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      const err = add(dst[0], dst[1], moved === undefined ? null : moved);
      if (err) fail(`error in move for path: '${path}': ${err}`);
      return root;
    }
    case 'test': {
      const path = stringField(op, 'path');
      if (typeof path !== 'string') return fail(`test operation failed to decode path: ${path.error}`);
      if (path === '') {
        if (deepEqual(root, op.value)) return root;
        return fail(`testing value ${path} failed: test failed`);
      }
      const found = findObject(root, path) ?? fail(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
      const got = get(found[0], found[1]);
      if (typeof got === 'string') fail(`error in test for path: '${path}': ${got}`);
      const actual = (got as { value: unknown }).value;
      // A missing or null target passes only against an explicit null.
      if (actual === undefined) {
        if (op.value === null) return root;
        return fail(`testing value ${path} failed: test failed`);
      }
      if (op.value === undefined || !deepEqual(actual, op.value)) fail(`testing value ${path} failed: test failed`);
      return root;
    }
    case 'copy': {
      const from = stringField(op, 'from');
      if (typeof from !== 'string') return fail(`copy operation failed to decode from: ${from.error}`);
      const src = findObject(root, from) ?? fail(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      const got = get(src[0], src[1]);
      if (typeof got === 'string') fail(`error in copy for from: '${from}': ${got}`);
      const path = stringField(op, 'path');
      if (typeof path !== 'string') return fail(`copy operation failed to decode path: ${MISSING}`);
      const dst = findObject(root, path) ?? fail(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      const v = (got as { value: unknown }).value;
      const copy = v === undefined ? null : clone(v);
      copied.bytes += JSON.stringify(copy).length;
      if (copied.bytes > JSON_PATCH_MAX_COPY_BYTES) {
        fail(`Unable to complete the copy, the accumulated size increase of copy is ${copied.bytes}, exceeding the limit ${JSON_PATCH_MAX_COPY_BYTES}`);
      }
      const err = add(dst[0], dst[1], copy);
      if (err) fail(`error while adding value during copy: ${err}`);
      return root;
    }
    default:
      return fail(`Unexpected kind: ${kind}`);
  }
}

/** Checks the patch document's shape: a 400 as Kubernetes gives for what its decoder rejects. */
export function decodeJsonPatch(ops: unknown): JsonPatchOperation[] {
  if (!Array.isArray(ops)) throw new StatusError(400, 'BadRequest', `json: cannot unmarshal ${jsonKind(ops)} into Go value of type jsonpatch.Patch`);
  for (const op of ops) {
    if (op !== null && !isObj(op)) throw new StatusError(400, 'BadRequest', `json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError(413, 'RequestEntityTooLarge', `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  return ops.map((o) => (o ?? {}) as JsonPatchOperation);
}

/**
 * Applies an RFC 6902 patch to a copy of doc (doc is not changed). Throws 400 for a malformed
 * patch, 413 for too many operations, 422 (with Kubernetes' message as the cause) when an
 * operation does not apply.
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const patch = decodeJsonPatch(ops);
  let root: Container = isContainer(doc) ? clone(doc) : {};
  const copied = { bytes: 0 };
  try {
    for (const op of patch) root = applyOp(root, op, copied);
  } catch (e) {
    if (e instanceof PatchFailure) throw unprocessable(e.message);
    throw e;
  }
  return root;
}
