// Our schemas as OpenAPI publishes them. Internally every `$ref` is `#/definitions/<name>` and
// int-or-string fields are inline; Kubernetes publishes v2 (swagger 2.0) and v3 (OpenAPI 3.0)
// with their own conventions, which kubectl's explain templates and patch logic read:
// - v3 puts a $ref that has siblings (a description) inside a one-element allOf, since siblings
//   of $ref are ignored in OpenAPI 3.0; v2 keeps them side by side.
// - built-in int-or-string and quantity fields point at the IntOrString and Quantity definitions,
//   which v3 writes as a oneOf of their wire types and v2 as strings.
// - swagger 2.0 has no nullable, oneOf, anyOf or not; v2 leaves them out, as Kubernetes does for CRDs.
import type { Definitions, Schema } from '../../machinery/schema.js';
import { refName } from '../../machinery/schema.js';
import { META } from '../../api/meta/v1.js';
import { supplementalDefinitions } from './meta.js';

export type Flavor = 'v2' | 'v3';

export const refPrefix = (f: Flavor) => (f === 'v2' ? '#/definitions/' : '#/components/schemas/');

type Json = Record<string, unknown>;

/** The published form of one schema; `builtin` turns inline int-or-string fields into refs. */
export function publishSchema(s: Schema, flavor: Flavor, builtin: boolean, top = false): Json {
  if (builtin && !s.$ref && !s.type && s['x-kubernetes-int-or-string'] && !top) {
    const target = s.format === 'quantity' ? META.Quantity : s.format === 'int-or-string' ? META.IntOrString : undefined;
    if (target) {
      const { 'x-kubernetes-int-or-string': _x, format: _f, ...rest } = s;
      return publishSchema({ ...rest, $ref: `#/definitions/${target}` }, flavor, builtin);
    }
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(s) as Array<[keyof Schema, unknown]>) {
    if (v === undefined) continue;
    switch (k) {
      case '$ref':
        out.$ref = refPrefix(flavor) + refName(v as string);
        break;
      case 'properties':
        out.properties = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([p, ps]) => [p, publishSchema(ps, flavor, builtin)]));
        break;
      case 'items':
      case 'not':
        out[k] = publishSchema(v as Schema, flavor, builtin);
        break;
      case 'additionalProperties':
        out[k] = typeof v === 'boolean' ? v : publishSchema(v as Schema, flavor, builtin);
        break;
      case 'allOf':
      case 'oneOf':
      case 'anyOf':
        out[k] = (v as Schema[]).map((x) => publishSchema(x, flavor, builtin));
        break;
      default:
        out[k] = v;
    }
  }
  if (flavor === 'v2') {
    delete out.nullable;
    delete out.oneOf;
    delete out.anyOf;
    delete out.not;
  }
  if (typeof out.$ref === 'string' && Object.keys(out).length > 1) {
    if (flavor === 'v3') {
      const { $ref, ...rest } = out;
      return { ...rest, allOf: [{ $ref }] };
    }
  }
  return out;
}

/** The published form of a named definition (handles the IntOrString and Quantity shapes). */
export function publishDefinition(name: string, s: Schema, flavor: Flavor, builtin: boolean): Json {
  const out = publishSchema(s, flavor, builtin, true);
  if (name === META.IntOrString || name === META.Quantity) {
    delete out['x-kubernetes-int-or-string'];
    if (flavor === 'v2') out.type = 'string';
    else out.oneOf = name === META.IntOrString ? [{ type: 'integer' }, { type: 'string' }] : [{ type: 'string' }, { type: 'number' }];
    if (name === META.IntOrString) out.format = 'int-or-string';
    else delete out.format;
  }
  return out;
}

/** Definition names a published schema refers to. */
export function refsOf(s: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(s)) {
    for (const x of s) refsOf(x, into);
  } else if (s && typeof s === 'object') {
    for (const [k, v] of Object.entries(s)) {
      if (k === '$ref' && typeof v === 'string') into.add(refName(v));
      else if (k !== 'enum' && k !== 'default' && k !== 'example') refsOf(v, into);
    }
  }
  return into;
}

/** Looks definitions up in the served set first, then in the fallbacks this module knows. */
export function definitionSource(defs: Definitions): (name: string) => Schema | undefined {
  const extra = supplementalDefinitions();
  return (name) => defs.get(name) ?? extra.get(name);
}

/**
 * Every definition reachable from the roots, published. A name with no definition becomes a
 * free-form object rather than a dangling reference, so clients never fail to resolve it.
 */
export function reachableDefinitions(
  roots: Iterable<string>,
  lookup: (name: string) => Schema | undefined,
  flavor: Flavor,
  isBuiltin: (name: string) => boolean,
): Map<string, Json> {
  const out = new Map<string, Json>();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop()!;
    if (out.has(name)) continue;
    const s = lookup(name);
    const published = s
      ? publishDefinition(name, s, flavor, isBuiltin(name))
      : { type: 'object', description: `${name} (no schema published)`, 'x-kubernetes-preserve-unknown-fields': true };
    out.set(name, published);
    for (const r of refsOf(published)) if (!out.has(r)) queue.push(r);
  }
  return out;
}
