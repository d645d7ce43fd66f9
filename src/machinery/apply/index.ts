// Server-side apply and managed fields: what the API server calls on every write.
//
// - create, update, and JSON/merge/strategic patches: after the new object is complete (defaults
//   and server-set fields included), set metadata.managedFields to recordUpdate(live or null, the
//   object as the client sent it, ...), leaving the field out when it returns [].
// - apply patches: apply(live or null, configuration, ...) returns the merged object with its
//   managedFields; default, validate and store it like an update (no recordUpdate after it).
// - resetFields: ['status'] on the main endpoint of a resource with a status subresource;
//   ['spec'] (and what else the strategy resets) on the status subresource.
export { apply, BEFORE_FIRST_APPLY, type ApplyOptions } from './apply.js';
export { recordUpdate, type UpdateOptions } from './update.js';
export { fieldSetOf } from './fieldset-of.js';
export { FieldSet } from './fieldset.js';
export { compare, type Comparison } from './compare.js';
export { type ManagedFieldsEntry, decodeManagedFields, encodeManagedFields, ManagedFieldsError } from './managers.js';
export { type ManagedObject, resetFieldSet } from './object.js';
export { type Path, type PathElement, FieldPathError, pathString, elementKey } from './path.js';
export { LAST_APPLIED } from './last-applied.js';
