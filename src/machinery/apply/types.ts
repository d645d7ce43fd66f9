// How server-side apply sees a schema: for each node, whether an object value there is a struct
// or map (granular or atomic), whether a list is atomic, a set, or a map keyed by some fields,
// and what the children are. Follows kube-openapi's conversion of OpenAPI to structured-merge-diff
// types: no `type` means any shape; objects without properties, and everything under
// x-kubernetes-preserve-unknown-fields, take unknown keys of any shape ("deduced": maps granular,
// lists atomic); lists without a list type are atomic unless a patch strategy says merge.
import { refName, type Definitions, type Schema } from '../schema.js';

/** A schema as seen from where it is used: preserve-unknown-fields is inherited by inline children. */
export interface TypeRef {
  /** Absent: a value of any shape (deduced). */
  readonly schema?: Schema;
  readonly preserve: boolean;
}

export interface MapType {
  readonly fields?: Readonly<Record<string, Schema>>;
  /** Keys not among the fields: their type, `deduced` (any shape), or `none` (not declared in the schema). */
  readonly elem: TypeRef | 'none';
  readonly atomic: boolean;
  /** Inherited by the declared fields' types. */
  readonly preserve: boolean;
}

export interface ListType {
  readonly relation: 'atomic' | 'set' | 'map';
  readonly keys: readonly string[];
  readonly elem: TypeRef;
}

/** The shapes a node accepts; a value of any other shape (and every scalar or null) is a leaf. */
export interface NodeType {
  readonly map?: MapType;
  readonly list?: ListType;
}

export const DEDUCED: TypeRef = { preserve: true };
const ANY_ATOMIC_LIST: ListType = { relation: 'atomic', keys: [], elem: DEDUCED };
const DEDUCED_TYPE: NodeType = { map: { elem: DEDUCED, atomic: false, preserve: true }, list: ANY_ATOMIC_LIST };
const LEAF_TYPE: NodeType = {};

// Kubernetes hard-codes these two as opaque scalars whatever their schema says.
const OPAQUE = new Set(['io.k8s.apimachinery.pkg.api.resource.Quantity', 'io.k8s.apimachinery.pkg.runtime.RawExtension']);

const cache = [new WeakMap<Schema, NodeType>(), new WeakMap<Schema, NodeType>()];

export function rootRef(schema: Schema): TypeRef {
  return { schema, preserve: false };
}

export function nodeType(ref: TypeRef, defs: Definitions): NodeType {
  const s = ref.schema;
  if (!s) return DEDUCED_TYPE;
  const memo = cache[ref.preserve ? 1 : 0];
  let t = memo.get(s);
  if (!t) {
    t = build(s, ref.preserve, defs, 0);
    memo.set(s, t);
  }
  return t;
}

function build(s: Schema, preserve: boolean, defs: Definitions, depth: number): NodeType {
  if (depth > 32) return DEDUCED_TYPE;
  const inner = s.$ref ? refName(s.$ref) : undefined;
  if (inner !== undefined || (s.allOf?.length === 1 && !s.type && !s.properties)) {
    if (inner !== undefined && OPAQUE.has(inner)) return LEAF_TYPE;
    const target = inner !== undefined ? defs.get(inner) : s.allOf![0];
    if (!target) return DEDUCED_TYPE;
    // A named type is converted on its own, without the user's preserve-unknown-fields.
    const t = build(target, inner !== undefined ? false : preserve, defs, depth + 1);
    return withOverrides(t, s);
  }
  const keep = preserve || s['x-kubernetes-preserve-unknown-fields'] === true;
  switch (s.type) {
    case 'object':
      return { map: mapType(s, keep) };
    case 'array':
      return { list: listType(s, keep) };
    case undefined:
      if (s['x-kubernetes-int-or-string']) return LEAF_TYPE;
      return { map: mapType(s, keep), list: listType(s, keep) };
    default:
      return LEAF_TYPE;
  }
}

/** The map type given where a `$ref` is used overrides the referenced type's. */
function withOverrides(t: NodeType, site: Schema): NodeType {
  const mt = site['x-kubernetes-map-type'];
  if (!mt || !t.map) return t;
  return { ...t, map: { ...t.map, atomic: mt === 'atomic' } };
}

function mapType(s: Schema, preserve: boolean): MapType {
  const fields = s.properties;
  let elem: TypeRef | 'none';
  const ap = s.additionalProperties;
  if (ap === undefined) elem = preserve || !fields || Object.keys(fields).length === 0 ? DEDUCED : 'none';
  else if (ap === true) elem = DEDUCED;
  else if (ap === false) elem = 'none';
  else elem = { schema: ap, preserve };
  return { fields, elem, atomic: s['x-kubernetes-map-type'] === 'atomic', preserve };
}

function listType(s: Schema, preserve: boolean): ListType {
  const elem: TypeRef = s.items ? { schema: s.items, preserve } : DEDUCED;
  const lt = s['x-kubernetes-list-type'];
  if (lt === 'map') return { relation: 'map', keys: s['x-kubernetes-list-map-keys'] ?? [], elem };
  if (lt === 'set') return { relation: 'set', keys: [], elem };
  if (lt === 'atomic') return { relation: 'atomic', keys: [], elem };
  // Without a list type, a merge patch strategy still makes the list granular.
  const strategy = s['x-kubernetes-patch-strategy'];
  if (strategy === 'merge' || strategy === 'merge,retainKeys') {
    const key = s['x-kubernetes-patch-merge-key'];
    return key ? { relation: 'map', keys: [key], elem } : { relation: 'set', keys: [], elem };
  }
  return { relation: 'atomic', keys: [], elem };
}

/** The type of a key of a map or struct; undefined when the key is not declared and unknown keys are not allowed. */
export function fieldRef(m: MapType, key: string): TypeRef | undefined {
  if (m.fields && Object.hasOwn(m.fields, key)) return { schema: m.fields[key], preserve: m.preserve };
  return m.elem === 'none' ? undefined : m.elem;
}

/** Whether the key is a declared field (a struct field, as opposed to a map entry). */
export function isDeclared(m: MapType, key: string): boolean {
  return !!m.fields && Object.hasOwn(m.fields, key);
}

/** The default value of a list-map key field, for elements that leave it out. */
export function keyDefault(l: ListType, key: string, defs: Definitions): unknown {
  const t = nodeType(l.elem, defs);
  const f = t.map?.fields?.[key];
  if (!f) return undefined;
  return f.default ?? (f.$ref ? defs.get(refName(f.$ref))?.default : undefined);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
