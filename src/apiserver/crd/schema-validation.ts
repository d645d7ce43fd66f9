// Validation and defaulting of custom resources against their CRD's OpenAPI v3 schema, with
// kube-apiserver's wording: `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`.
import { resolveSchema, type Definitions, type Schema } from '../../machinery/schema.js';
import type { FieldError } from '../../machinery/status.js';

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const fmt = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));

export function validateAgainstSchema(obj: unknown, schema: Schema, defs: Definitions, root = ''): FieldError[] {
  const errs: FieldError[] = [];
  walk(obj, schema, root, defs, errs);
  return errs;
}

function walk(v: unknown, s: Schema | undefined, path: string, defs: Definitions, errs: FieldError[]): void {
  const schema = resolveSchema(s, defs);
  if (!schema || v === undefined) return;
  const p = path || '<root>';
  if (v === null) {
    if (!schema.nullable && schema.type) errs.push({ type: 'FieldValueTypeInvalid', field: p, message: `Invalid value: "null": ${p} in body must be of type ${schema.type}: "null"` });
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) {
      errs.push({ type: 'FieldValueTypeInvalid', field: p, message: `Invalid value: "${typeOf(v)}": ${p} in body must be of type integer,string: "${typeOf(v)}"` });
    }
    return;
  }
  const t = typeOf(v);
  if (schema.type) {
    const ok = schema.type === t || (schema.type === 'number' && t === 'integer');
    if (!ok) {
      errs.push({ type: 'FieldValueTypeInvalid', field: p, message: `Invalid value: "${t}": ${p} in body must be of type ${schema.type}: "${t}"` });
      return;
    }
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    errs.push({ type: 'FieldValueNotSupported', field: p, message: `Unsupported value: ${fmt(v)}: supported values: ${schema.enum.map((e) => fmt(e)).join(', ')}` });
  }
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum) errs.push({ type: 'FieldValueInvalid', field: p, message: `Invalid value: ${v}: ${p} in body should be greater than or equal to ${schema.minimum}` });
    if (schema.maximum !== undefined && v > schema.maximum) errs.push({ type: 'FieldValueInvalid', field: p, message: `Invalid value: ${v}: ${p} in body should be less than or equal to ${schema.maximum}` });
  }
  if (typeof v === 'string') {
    if (schema.minLength !== undefined && v.length < schema.minLength) errs.push({ type: 'FieldValueInvalid', field: p, message: `Invalid value: ${fmt(v)}: ${p} in body should be at least ${schema.minLength} chars long` });
    if (schema.maxLength !== undefined && v.length > schema.maxLength) errs.push({ type: 'FieldValueTooLong', field: p, message: `Too long: may not be more than ${schema.maxLength} bytes` });
    if (schema.pattern) {
      let re: RegExp | undefined;
      try { re = new RegExp(schema.pattern, 'u'); } catch { re = undefined; }
      if (re && !re.test(v)) errs.push({ type: 'FieldValueInvalid', field: p, message: `Invalid value: ${fmt(v)}: ${p} in body should match '${schema.pattern}'` });
    }
  }
  if (Array.isArray(v)) {
    if (schema.minItems !== undefined && v.length < schema.minItems) errs.push({ type: 'FieldValueInvalid', field: p, message: `Invalid value: ${v.length}: ${p} in body should have at least ${schema.minItems} items` });
    if (schema.maxItems !== undefined && v.length > schema.maxItems) errs.push({ type: 'FieldValueTooMany', field: p, message: `Too many: ${v.length}: must have at most ${schema.maxItems} items` });
    v.forEach((item, i) => walk(item, schema.items, `${path}[${i}]`, defs, errs));
    return;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const r of schema.required ?? []) {
      if (o[r] === undefined) errs.push({ type: 'FieldValueRequired', field: path ? `${path}.${r}` : r, message: 'Required value' });
    }
    for (const [k, val] of Object.entries(o)) {
      const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (sub) walk(val, sub, path ? `${path}.${k}` : k, defs, errs);
    }
  }
}

/** Fills `default`s of the schema into obj where absent (structural defaulting of CRDs). */
export function applySchemaDefaults(v: unknown, s: Schema | undefined, defs: Definitions): void {
  const schema = resolveSchema(s, defs);
  if (!schema || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const item of v) applySchemaDefaults(item, schema.items, defs);
    return;
  }
  const o = v as Record<string, unknown>;
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    const rs = resolveSchema(sub, defs);
    if (o[k] === undefined && rs?.default !== undefined) o[k] = structuredClone(rs.default);
    if (o[k] !== undefined) applySchemaDefaults(o[k], sub, defs);
  }
  if (typeof schema.additionalProperties === 'object') {
    for (const [k, val] of Object.entries(o)) if (!schema.properties?.[k]) applySchemaDefaults(val, schema.additionalProperties, defs);
  }
}
