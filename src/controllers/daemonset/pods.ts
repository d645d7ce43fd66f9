// Facts about a DaemonSet's pods: which template they were made from, their order, and the
// surge/unavailability budgets of a rolling update.
import type { IntOrString } from '../util/types.js';
import { HASH_LABEL, TEMPLATE_GENERATION_ANNOTATION, TEMPLATE_GENERATION_LABEL, type DaemonSet, type Pod } from './types.js';

/** The deprecated templateGeneration the API server records in an annotation; undefined without one. */
export function templateGeneration(ds: DaemonSet): number | undefined {
  const v = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** Made from the current template: its hash label, or its template generation, matches (IsPodUpdated). */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const byGeneration = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation);
  const byHash = hash.length > 0 && labels[HASH_LABEL] === hash;
  return byHash || byGeneration;
}

/** Scheduled pods first, then the oldest, then by name (podByCreationTimestampAndPhase). */
export function byCreation(a: Pod, b: Pod): number {
  const sa = !!a.spec?.nodeName;
  const sb = !!b.spec?.nodeName;
  if (sa !== sb) return sa ? -1 : 1;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** An int or a percentage of `total`, rounded up (GetScaledValueFromIntOrPercent with roundUp). */
export function scaledRoundUp(v: IntOrString | undefined, total: number): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v.trim());
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
}

export function isRollingUpdate(ds: DaemonSet): boolean {
  return (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** maxSurge resolved against `desired` nodes; 0 outside a rolling update. */
export function surgeCount(ds: DaemonSet, desired: number): number {
  if (!isRollingUpdate(ds)) return 0;
  return scaledRoundUp(ds.spec.updateStrategy?.rollingUpdate?.maxSurge, desired);
}

/** maxUnavailable resolved against `desired` nodes; 0 outside a rolling update. */
export function unavailableCount(ds: DaemonSet, desired: number): number {
  if (!isRollingUpdate(ds)) return 0;
  return scaledRoundUp(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable, desired);
}

export const allowsSurge = (ds: DaemonSet): boolean => surgeCount(ds, 1) !== 0;

/** A finished pod being deleted no longer counts on its node (getNodesToDaemonPods). */
export function countsOnNode(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !((phase === 'Succeeded' || phase === 'Failed') && pod.metadata.deletionTimestamp);
}
