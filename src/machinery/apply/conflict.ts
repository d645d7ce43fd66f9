// The 409 an apply gets when it would change fields another manager owns, worded as Kubernetes
// words it so that kubectl shows the same message and the same hint to use --force-conflicts.
import { errors, type StatusCause, type StatusError } from '../status.js';
import type { FieldSet } from './fieldset.js';
import { printManager, type ManagerState } from './managers.js';
import { pathString } from './path.js';

export interface Conflict {
  manager: ManagerState;
  path: string;
}

/** One conflict per owned path, managers in order of identity, paths in field-set order. */
export function conflictsOf(owners: Array<{ id: string; manager: ManagerState; fields: FieldSet }>): Conflict[] {
  return [...owners]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .flatMap((o) => o.fields.paths().map((p) => ({ manager: o.manager, path: pathString(p) })));
}

export function conflictError(conflicts: Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: c.path,
  }));
  return errors.applyConflict(conflictMessage(conflicts), causes);
}

function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) {
    return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${conflicts[0].path}`;
  }
  const lines: string[] = [];
  let last: ManagerState | undefined;
  for (const c of conflicts) {
    if (c.manager !== last) lines.push(`conflicts with ${printManager(c.manager)}:`);
    last = c.manager;
    lines.push(`- ${c.path}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
