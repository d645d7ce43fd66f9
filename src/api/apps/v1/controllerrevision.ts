// apps/v1 ControllerRevision: an immutable snapshot of a StatefulSet's or DaemonSet's template,
// kept for rollouts and rollbacks.
import { any, int64, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { age } from '../../printers.js';
import type { ResourceDef } from '../../resource.js';
import { ageColumn, col, immutable, kindSchema, nameColumn, nonNegative } from './common.js';

export const CONTROLLER_REVISION = 'io.k8s.api.apps.v1.ControllerRevision';

export const definitions: Record<string, Schema> = {
  [CONTROLLER_REVISION]: kindSchema('apps', 'v1', 'ControllerRevision', {
    data: any('The serialized state: a patch of the owner\'s spec (its pod template).'),
    revision: int64('The revision number; increases with each new revision of the owner.'),
  }, 'An immutable snapshot of a controller\'s state, kept so that it can be rolled back to.', ['revision']),
};

/** `statefulset.apps/web` as kubectl names the controlling owner, `<none>` without one. */
function controllerName(refs: unknown): string {
  const ref = (Array.isArray(refs) ? refs : []).find((r) => r && r.controller === true);
  if (!ref) return '<none>';
  const apiVersion = String(ref.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = String(ref.kind ?? '');
  if (!kind) return String(ref.name ?? '');
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${ref.name}`;
}

export const controllerRevisions: ResourceDef = {
  group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', singular: 'controllerrevision',
  namespaced: true, schemaName: CONTROLLER_REVISION,
  validate(cr, { old }) {
    const errs: FieldError[] = [];
    if (cr.data === undefined || cr.data === null) errs.push(field.required('data', 'data is mandatory'));
    errs.push(...nonNegative(cr.revision, 'revision'));
    if (old) errs.push(...immutable(cr.data, old.data, 'data'));
    return errs;
  },
  columns: [
    nameColumn,
    col('Controller', 'string', 'Controller of the object'),
    col('Revision', 'string', 'Revision of the ControllerRevision'),
    ageColumn,
  ],
  row: (cr, now) => [cr.metadata.name, controllerName(cr.metadata.ownerReferences), cr.revision ?? 0, age(cr.metadata.creationTimestamp, now)],
};
