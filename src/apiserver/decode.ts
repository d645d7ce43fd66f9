// Turning a request body into an object of the addressed resource, with kube-apiserver's checks
// and messages: apiVersion/kind must match, values must have the schema's types, and unknown
// fields are refused, warned about or pruned according to fieldValidation.
import { apiVersionOf, type KObject, type ResourceDef } from '../api/resource.js';
import { errors } from '../machinery/status.js';
import { checkAgainstSchema } from './field-validation.js';
import type { ResourceTable } from './resource-table.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function parseFieldValidation(v: string | null): FieldValidation {
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${v}; valid values are Strict, Warn, Ignore`);
}

export function decodeObject(
  table: ResourceTable, def: ResourceDef, body: unknown, validation: FieldValidation, warnings: string[],
  expect: { apiVersion: string; kind: string } = { apiVersion: apiVersionOf(def), kind: def.kind },
): KObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badRequest(`Object '${'Kind'}' is missing in '${JSON.stringify(body)?.slice(0, 200)}'`);
  }
  const obj = body as KObject;
  if (obj.apiVersion !== undefined && obj.apiVersion !== expect.apiVersion) {
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expect.apiVersion})`);
  }
  if (obj.kind !== undefined && obj.kind !== expect.kind) {
    throw errors.badRequest(`${obj.kind} in version "${expect.apiVersion.split('/').pop()}" cannot be handled as a ${expect.kind}: the kind in the data (${obj.kind}) does not match the expected kind (${expect.kind})`);
  }
  if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))) {
    throw errors.badRequest(`${expect.kind} in version "${expect.apiVersion.split('/').pop()}" cannot be handled as a ${expect.kind}: metadata must be an object`);
  }
  obj.metadata ??= {};
  obj.apiVersion = expect.apiVersion;
  obj.kind = expect.kind;
  const schema = table.schemaOf(def);
  if (schema) {
    const report = checkAgainstSchema(obj, schema, table.definitions, { prune: def.custom && validation !== 'Strict' });
    // Custom resources report wrong types as 422 field errors from their schema validation instead.
    if (report.typeErrors.length && !def.custom) {
      throw errors.badRequest(`${expect.kind} in version "${expect.apiVersion.split('/').pop()}" cannot be handled as a ${expect.kind}: ${report.typeErrors.join('; ')}`);
    }
    if (report.unknown.length) {
      const list = report.unknown.map((f) => `unknown field "${f}"`);
      if (validation === 'Strict') throw errors.badRequest(`strict decoding error: ${list.join(', ')}`);
      if (validation === 'Warn' && !def.custom) warnings.push(...list);
      if (def.custom) {
        // Custom resources drop unknown fields; Warn reports what was dropped.
        if (validation === 'Warn') warnings.push(...list);
      } else {
        checkAgainstSchema(obj, schema, table.definitions, { prune: true });
      }
    }
  }
  return obj;
}
