// The parts of an object the field manager touches, and the fields no manager ever owns.
// (A structural type: machinery may not import src/api, and api's KObject fits it.)
import { FieldSet } from './fieldset.js';
import type { ManagedFieldsEntry } from './managers.js';
import { fieldElement } from './path.js';
import { clone } from './values.js';

export interface ManagedObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    managedFields?: ManagedFieldsEntry[];
  };
  [field: string]: unknown;
}

/**
 * Type and identity fields the server controls: they are compared and merged like any other
 * field, then dropped from every manager's set.
 */
export const STRIPPED = FieldSet.of(
  ...[['apiVersion'], ['kind'], ['metadata'],
    ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => ['metadata', f])]
    .map((p) => p.map(fieldElement)),
);

/** A copy of the object without metadata.managedFields, for comparing contents. */
export function withoutManagedFields(obj: ManagedObject): Record<string, unknown> {
  const { metadata, ...rest } = obj;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return clone(obj);
  // Left out before copying: the managed fields are often the biggest part of an object.
  const { managedFields: _, ...meta } = metadata;
  return clone({ ...rest, metadata: meta });
}

/**
 * The object's contents without metadata.managedFields and without the given dotted paths, for a
 * comparison that only reads: nothing is copied but the containers on the way to what is left out.
 */
export function comparableView(obj: ManagedObject, leaveOut: readonly string[] = []): Record<string, unknown> {
  let view: Record<string, unknown> = obj;
  if (isRecord(obj.metadata) && 'managedFields' in obj.metadata) view = without(view, ['metadata', 'managedFields']);
  for (const p of leaveOut) view = without(view, p.split('.').filter(Boolean));
  return view;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A copy-on-the-path of `obj` with `path` deleted; `obj` itself when the path is absent. */
function without(obj: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const [head, ...rest] = path;
  if (!Object.hasOwn(obj, head)) return obj;
  if (rest.length === 0) {
    const { [head]: _, ...others } = obj;
    return others;
  }
  const inner = obj[head];
  if (!isRecord(inner)) return obj;
  const replaced = without(inner, rest);
  return replaced === inner ? obj : { ...obj, [head]: replaced };
}

/**
 * Fields whose changes no manager is credited with, as dotted paths (`status`, `metadata.labels`):
 * Kubernetes' per-strategy reset fields, e.g. `status` on a resource's main endpoint and `spec` on
 * its status subresource.
 */
export function resetFieldSet(paths: readonly string[] | undefined): FieldSet | undefined {
  if (!paths || paths.length === 0) return undefined;
  return FieldSet.of(...paths.map((p) => p.split('.').filter(Boolean).map(fieldElement)));
}
