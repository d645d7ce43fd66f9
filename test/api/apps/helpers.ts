// Shared by the tests of the non-core groups: find a resource declaration, run it as the registry
// would, and render field errors as kube-apiserver prints them.
import type { FieldError } from '../../../src/machinery/status.js';
import { builtinResources, type KObject, type ResourceDef } from '../../../src/api/index.js';

export function def(group: string, plural: string, version?: string): ResourceDef {
  const r = builtinResources.find((x) => x.group === group && x.plural === plural && (!version || x.version === version));
  if (!r) throw new Error(`no resource ${group}/${plural}`);
  return r;
}

/** `field: message` lines, as they appear in a 422's message. */
export const msgs = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);

/** Defaults then validates as a create; returns the error lines. */
export function create(r: ResourceDef, obj: KObject): string[] {
  r.defaults?.(obj);
  r.prepareForCreate?.(obj);
  return msgs(r.validate?.(obj, {}) ?? []);
}

/** Defaults then validates as an update of `old`. */
export function update(r: ResourceDef, obj: KObject, old: KObject): string[] {
  r.defaults?.(obj);
  r.prepareForUpdate?.(obj, old);
  return msgs(r.validate?.(obj, { old }) ?? []);
}

export const clone = <T>(v: T): T => structuredClone(v);

/** Cells of a row keyed by column name, for readable assertions. */
export function cells(r: ResourceDef, obj: KObject, now: number): Record<string, unknown> {
  const row = r.row!(obj, now);
  return Object.fromEntries(r.columns!.map((c, i) => [c.name, row[i]]));
}

export const NOW = Date.parse('2025-01-01T12:00:00Z');
export const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
