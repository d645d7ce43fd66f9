// metadata.managedFields for non-apply writes: the writer becomes the manager of what it changed.
import type { KObject, ManagedFieldsEntry, ResourceDef } from '../api/resource.js';
import { apiVersionOf } from '../api/resource.js';
import { recordUpdate } from '../machinery/apply/index.js';
import type { RequestContext } from './registry.js';
import type { ResourceTable } from './resource-table.js';

export function recordManagedFields(
  table: ResourceTable, def: ResourceDef, old: KObject | null, next: KObject, ctx: RequestContext, subresource: string,
): ManagedFieldsEntry[] | undefined {
  const schema = table.schemaOf(def);
  if (!schema) return next.metadata.managedFields;
  const entries = recordUpdate(old, next, {
    manager: ctx.fieldManager, apiVersion: apiVersionOf(def), time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    subresource: subresource || undefined, resetFields: resetFields(def, subresource),
  }, schema, table.definitions);
  return entries.length ? entries : undefined;
}

/**
 * Fields a write through this endpoint cannot set, merged but credited to no manager: status on
 * the main resource of a type with a status subresource, everything but status on its status.
 */
export function resetFields(def: ResourceDef, subresource: string): string[] | undefined {
  if (!def.subresources?.status) return undefined;
  if (subresource === 'status') return ['spec'];
  if (subresource === '' || subresource === 'scale') return ['status'];
  return undefined;
}
