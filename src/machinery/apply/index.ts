// Server-side apply and managed fields: what the API server calls on every write.
export { apply, BEFORE_FIRST_APPLY, type ApplyOptions } from './apply.js';
export { recordUpdate, type UpdateOptions } from './update.js';
export { fieldSetOf } from './fieldset-of.js';
export { FieldSet } from './fieldset.js';
export { compare, type Comparison } from './compare.js';
export { type ManagedFieldsEntry, decodeManagedFields, encodeManagedFields, ManagedFieldsError } from './managers.js';
export { type ManagedObject, resetFieldSet } from './object.js';
export { type Path, type PathElement, FieldPathError, pathString, elementKey } from './path.js';
export { LAST_APPLIED } from './last-applied.js';
