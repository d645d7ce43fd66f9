// ControllerRevisions as StatefulSets and DaemonSets keep them (pkg/controller/history): each is
// an immutable snapshot of the owner's pod template, stored as the patch that restores it
// ({"spec":{"template":{..., "$patch":"replace"}}}), named <owner>-<hash> and numbered in the
// order the templates were last used.
import type { KObject, OwnerReference } from '../../api/resource.js';
import type { PodTemplateSpec } from '../util/types.js';
import { canonicalJSON, hashRevisionData } from './hash.js';

export interface ControllerRevision extends KObject {
  data?: unknown;
  revision: number;
}

/** Label a StatefulSet's revisions carry with their hash (history.ControllerRevisionHashLabel). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** Names longer than this are cut so that `<prefix>-<hash>` stays a valid name. */
const MAX_PREFIX = 223;

export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > MAX_PREFIX ? prefix.slice(0, MAX_PREFIX) : prefix}-${hash}`;
}

/** The patch that restores `template` (getPatch in the StatefulSet and DaemonSet controllers). */
export function templatePatch(template: PodTemplateSpec | undefined): Record<string, unknown> {
  return { spec: { template: { ...(template ?? {}), $patch: 'replace' } } };
}

/** The pod template a revision restores; undefined when its data holds none. */
export function revisionTemplate(rev: ControllerRevision): PodTemplateSpec | undefined {
  const data = rev.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const t = data?.spec?.template;
  if (!t || typeof t !== 'object') return undefined;
  const { $patch: _ignored, ...template } = t;
  return structuredClone(template) as PodTemplateSpec;
}

/** Same data, compared as Go compares the raw JSON both sides wrote. */
export function sameData(a: unknown, b: unknown): boolean {
  return canonicalJSON(a) === canonicalJSON(b);
}

/** history.EqualRevision: the same hash label (when both have one) and the same data. */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  const ha = a.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  const hb = b.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return sameData(a.data, b.data);
}

export function findEqualRevisions(revisions: ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** Oldest first: by revision number, then creation time, then name. */
export function sortRevisions(revisions: ControllerRevision[]): ControllerRevision[] {
  return revisions.sort((a, b) => {
    if ((a.revision ?? 0) !== (b.revision ?? 0)) return (a.revision ?? 0) - (b.revision ?? 0);
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta < tb ? -1 : 1;
    const na = a.metadata.name ?? '';
    const nb = b.metadata.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

/** One more than the highest revision number (1 for none); `revisions` sorted. */
export function nextRevision(revisions: ControllerRevision[]): number {
  return revisions.length === 0 ? 1 : (revisions[revisions.length - 1].revision ?? 0) + 1;
}

export function maxRevision(revisions: ControllerRevision[]): number {
  let max = 0;
  for (const r of revisions) max = Math.max(max, r.revision ?? 0);
  return max;
}

/**
 * history.NewControllerRevision: a revision of `owner` holding `data`, labelled with the
 * template's labels plus its hash, and controlled by `ownerRef`.
 */
export function newControllerRevision(
  owner: KObject, ownerRef: OwnerReference, templateLabels: Record<string, string> | undefined,
  data: unknown, revision: number, collisionCount: number | undefined,
): ControllerRevision {
  const hash = hashRevisionData(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(owner.metadata.name ?? '', hash),
      namespace: owner.metadata.namespace,
      labels: { ...(templateLabels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [{ ...ownerRef }],
    },
    data,
    revision,
  };
}
