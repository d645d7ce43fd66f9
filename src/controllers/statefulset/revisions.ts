// A StatefulSet's revisions: the update revision is the one holding the current template (made,
// or renumbered to the newest when an older one matches: a rollback); the current revision is
// the one status.currentRevision names. Old revisions no pod uses are pruned down to
// revisionHistoryLimit.
import type { ControllerHistory } from '../history/history.js';
import {
  findEqualRevisions, equalRevision, newControllerRevision, nextRevision, revisionTemplate, sortRevisions, templatePatch,
  type ControllerRevision,
} from '../history/revision.js';
import { controllerRefFor, podRevision } from './identity.js';
import type { Pod, StatefulSet } from './types.js';

/** The revision that restores the set's current template (newRevision). */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  const cr = newControllerRevision(set, controllerRefFor(set), set.spec.template?.metadata?.labels, templatePatch(set.spec.template), revision, collisionCount);
  if (set.metadata.annotations) cr.metadata.annotations = { ...set.metadata.annotations };
  return cr;
}

/** The set with the template of `rev` (ApplyRevision). */
export function applyRevision(set: StatefulSet, rev: ControllerRevision): StatefulSet {
  const clone = structuredClone(set);
  const template = revisionTemplate(rev);
  if (template) clone.spec.template = template;
  return clone;
}

export interface SetRevisions {
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
}

/** getStatefulSetRevisions; `revisions` sorted oldest first. */
export async function getStatefulSetRevisions(history: ControllerHistory, set: StatefulSet, revisions: ControllerRevision[]): Promise<SetRevisions> {
  const collision = { count: set.status?.collisionCount ?? 0 };
  let update = newRevision(set, nextRevision(revisions), collision.count);
  const equal = findEqualRevisions(revisions, update);
  const latest = revisions[revisions.length - 1];
  if (equal.length > 0 && equalRevision(latest, equal[equal.length - 1])) {
    update = latest;
  } else if (equal.length > 0) {
    update = await history.renumber(equal[equal.length - 1], update.revision);
  } else {
    update = await history.create(set, update, collision);
  }
  const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount: collision.count };
}

/**
 * Deletes the oldest revisions that are neither current, nor the update, nor used by a pod,
 * until at most revisionHistoryLimit of them remain (truncateHistory).
 */
export async function truncateHistory(history: ControllerHistory, set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], current?: ControllerRevision, update?: ControllerRevision): Promise<void> {
  const live = new Set<string>();
  if (current) live.add(current.metadata.name!);
  if (update) live.add(update.metadata.name!);
  for (const p of pods) live.add(podRevision(p));
  const old = sortRevisions(revisions.filter((r) => !live.has(r.metadata.name!)));
  const limit = set.spec.revisionHistoryLimit ?? 10;
  for (const rev of old.slice(0, Math.max(0, old.length - limit))) await history.delete(rev);
}
