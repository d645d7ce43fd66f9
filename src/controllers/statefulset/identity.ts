// A StatefulSet pod's identity: its name <set>-<ordinal>, the labels naming it, its hostname and
// subdomain, and its storage: one PersistentVolumeClaim per volumeClaimTemplate, named
// <template>-<set>-<ordinal> and mounted under the template's name.
import type { OwnerReference } from '../../api/resource.js';
import { newControllerRef } from '../util/owner.js';
import { podFromTemplate } from '../util/pod-control.js';
import {
  POD_INDEX_LABEL, POD_NAME_LABEL, REVISION_LABEL, type PersistentVolumeClaim, type Pod, type StatefulSet,
} from './types.js';

const POD_NAME_RE = /^(.*)-([0-9]+)$/;
const MAX_INT32 = 2 ** 31 - 1;

/** The parent's name and the ordinal a pod's name carries; ordinal -1 when it carries none. */
export function parentAndOrdinal(pod: Pod): { parent: string; ordinal: number } {
  const m = POD_NAME_RE.exec(pod.metadata.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1], ordinal: Number.isSafeInteger(n) && n <= MAX_INT32 ? n : -1 };
}

export const ordinalOf = (pod: Pod): number => parentAndOrdinal(pod).ordinal;

export const startOrdinal = (set: StatefulSet): number => set.spec.ordinals?.start ?? 0;
export const replicasOf = (set: StatefulSet): number => set.spec.replicas ?? 1;
/** The last ordinal the set keeps (inclusive). */
export const endOrdinal = (set: StatefulSet): number => startOrdinal(set) + replicasOf(set) - 1;

export function inOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata.name}-${ordinal}`;

export function claimName(set: StatefulSet, template: PersistentVolumeClaim, ordinal: number): string {
  return `${template.metadata.name}-${set.metadata.name}-${ordinal}`;
}

export const isMemberOf = (set: StatefulSet, pod: Pod): boolean => parentAndOrdinal(pod).parent === set.metadata.name;

export function controllerRefFor(set: StatefulSet): OwnerReference {
  return newControllerRef(set, 'apps/v1', 'StatefulSet');
}

/** Name, namespace and the name label as the set would give them. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod);
  return ordinal >= 0 && parent === set.metadata.name && pod.metadata.name === podName(set, ordinal)
    && pod.metadata.namespace === set.metadata.namespace && pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name;
}

interface Volume {
  name?: string;
  persistentVolumeClaim?: { claimName?: string; readOnly?: boolean };
  [k: string]: unknown;
}

const volumesOf = (pod: Pod): Volume[] => ((pod.spec as { volumes?: Volume[] } | undefined)?.volumes ?? []);

/** Every claim template is mounted from this pod's own claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const byName = new Map(volumesOf(pod).map((v) => [v.name, v]));
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const v = byName.get(t.metadata.name);
    if (v?.persistentVolumeClaim?.claimName !== claimName(set, t, ordinal)) return false;
  }
  return true;
}

/**
 * The claims a member pod uses, built from the templates: the template's labels plus the set's
 * matchLabels, in the set's namespace.
 */
export function claimsFor(set: StatefulSet, pod: Pod): PersistentVolumeClaim[] {
  const ordinal = ordinalOf(pod);
  const matchLabels = set.spec.selector?.matchLabels ?? {};
  return (set.spec.volumeClaimTemplates ?? []).map((t) => {
    const tm = t.metadata ?? {};
    const claim: PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(set, t, ordinal),
        namespace: set.metadata.namespace,
        labels: { ...(tm.labels ?? {}), ...matchLabels },
        ...(tm.annotations ? { annotations: { ...tm.annotations } } : {}),
        ...(tm.finalizers?.length ? { finalizers: [...tm.finalizers] } : {}),
        ...(tm.ownerReferences?.length ? { ownerReferences: structuredClone(tm.ownerReferences) } : {}),
      },
      spec: structuredClone(t.spec ?? {}),
    };
    if (Object.keys(claim.metadata.labels!).length === 0) delete claim.metadata.labels;
    return claim;
  });
}

/** Mounts the pod's claims under the templates' names, replacing volumes of the same names. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const templates = set.spec.volumeClaimTemplates ?? [];
  const claims = claimsFor(set, pod);
  const names = new Set(templates.map((t) => t.metadata.name));
  const spec = (pod.spec ??= {}) as { volumes?: Volume[] };
  const volumes: Volume[] = templates.map((t, i) => ({ name: t.metadata.name, persistentVolumeClaim: { claimName: claims[i].metadata.name } }));
  for (const v of spec.volumes ?? []) if (!names.has(v.name)) volumes.push(v);
  if (volumes.length) spec.volumes = volumes;
}

/** Name, namespace, the name and index labels. */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = ordinalOf(pod);
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** A new member pod of `set` at `ordinal`, made from the set's template. */
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const pod = podFromTemplate(set.spec.template, set, controllerRefFor(set));
  delete pod.metadata.generateName;
  pod.metadata.name = podName(set, ordinal);
  updateIdentity(set, pod);
  // Hostname and subdomain are immutable: they are set at creation only.
  const spec = pod.spec as Record<string, unknown>;
  spec.hostname = pod.metadata.name;
  if (set.spec.serviceName) spec.subdomain = set.spec.serviceName;
  updateStorage(set, pod);
  return pod;
}

export const podRevision = (pod: Pod): string => pod.metadata.labels?.[REVISION_LABEL] ?? '';

export function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [REVISION_LABEL]: revision };
}

/**
 * The pod for `ordinal` at the right revision: below the partition (or, without a rollingUpdate
 * block, below the current replica count) it is made from the current revision's template,
 * above it from the update revision's.
 */
export function newVersionedPod(currentSet: StatefulSet, updateSet: StatefulSet, currentRevision: string, updateRevision: string, ordinal: number): Pod {
  const us = currentSet.spec.updateStrategy;
  const start = startOrdinal(currentSet);
  const useCurrent = us?.type === 'RollingUpdate' && (
    us.rollingUpdate === undefined || us.rollingUpdate === null
      ? ordinal < start + (currentSet.status?.currentReplicas ?? 0)
      : ordinal < start + (us.rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, useCurrent ? currentRevision : updateRevision);
  return pod;
}
