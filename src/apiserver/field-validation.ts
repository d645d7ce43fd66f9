// Decoding checks against a resource's schema, as kube-apiserver's strict decoder does:
// values of the wrong type are refused always; unknown fields are refused (Strict), warned about
// (Warn) or dropped silently (Ignore, and always for custom resources, which are pruned).
import { resolveSchema, type Definitions, type Schema } from '../machinery/schema.js';

export interface DecodeReport {
  unknown: string[];
  typeErrors: string[];
}

const META_TOP = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Walks `obj` against `schema`. With `prune`, unknown fields are deleted from `obj` in place
 * (CRD structural pruning) and still reported.
 */
export function checkAgainstSchema(obj: unknown, schema: Schema, defs: Definitions, opts: { prune?: boolean } = {}): DecodeReport {
  const report: DecodeReport = { unknown: [], typeErrors: [] };
  walk(obj, schema, '', defs, report, !!opts.prune, true);
  return report;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function walk(v: unknown, s: Schema | undefined, path: string, defs: Definitions, r: DecodeReport, prune: boolean, top = false): void {
  const schema = resolveSchema(s, defs);
  if (!schema || v === null || v === undefined) return;
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof v !== 'string' && typeof v !== 'number') r.typeErrors.push(`${path || '.'}: expected an integer or a string, got ${typeName(v)}`);
    return;
  }
  const t = schema.type;
  if (!t) {
    if (schema.properties) return walkObject(v, schema, path, defs, r, prune, top);
    return;
  }
  switch (t) {
    case 'object': {
      if (typeof v !== 'object' || Array.isArray(v)) {
        r.typeErrors.push(`${path || '.'}: expected an object, got ${typeName(v)}`);
        return;
      }
      return walkObject(v, schema, path, defs, r, prune, top);
    }
    case 'array': {
      if (!Array.isArray(v)) {
        r.typeErrors.push(`${path}: expected an array, got ${typeName(v)}`);
        return;
      }
      v.forEach((item, i) => walk(item, schema.items, `${path}[${i}]`, defs, r, prune));
      return;
    }
    case 'string':
      if (typeof v !== 'string') r.typeErrors.push(`${path}: expected a string, got ${typeName(v)}`);
      return;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) r.typeErrors.push(`${path}: expected an integer, got ${typeName(v)}${typeof v === 'number' ? ' ' + v : ''}`);
      return;
    case 'number':
      if (typeof v !== 'number') r.typeErrors.push(`${path}: expected a number, got ${typeName(v)}`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') r.typeErrors.push(`${path}: expected a boolean, got ${typeName(v)}`);
      return;
  }
}

function walkObject(v: unknown, schema: Schema, path: string, defs: Definitions, r: DecodeReport, prune: boolean, top: boolean): void {
  const o = v as Record<string, unknown>;
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return;
  const props = schema.properties;
  const extra = schema.additionalProperties;
  for (const [k, val] of Object.entries(o)) {
    const p = `${path}.${k}`;
    if (props && k in props) {
      walk(val, props[k], p, defs, r, prune);
    } else if (extra !== undefined && extra !== false) {
      if (typeof extra === 'object') walk(val, extra, p, defs, r, prune);
    } else if (top && META_TOP.has(k)) {
      // apiVersion/kind/metadata are always known at the top of an object.
    } else if (!schema['x-kubernetes-preserve-unknown-fields'] && (props || extra === false)) {
      r.unknown.push(p.slice(1));
      if (prune) delete o[k];
    }
  }
}
