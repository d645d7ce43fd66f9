// Which PersistentVolume a claim may bind (the PV controller's findMatchingVolume): one already
// pre-bound to the claim wins; otherwise the smallest Available volume of the claim's class and
// volume mode that offers its access modes, matches its selector and holds its request. Volumes
// of WaitForFirstConsumer classes are matched by the scheduler, which knows the node.
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { parseQuantity, type Quantity } from '../../machinery/quantity.js';
import type { PersistentVolume, PersistentVolumeClaim } from './types.js';

function quantity(v: string | undefined): Quantity | undefined {
  if (v === undefined) return undefined;
  try {
    return parseQuantity(v);
  } catch {
    return undefined;
  }
}

/** The volume's claimRef names this claim (and its uid, when the ref has one). */
export function isVolumeBoundToClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

export function claimClass(claim: PersistentVolumeClaim): string {
  return claim.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? claim.spec?.storageClassName ?? '';
}

export function volumeClass(pv: PersistentVolume): string {
  return pv.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pv.spec?.storageClassName ?? '';
}

export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const requested = quantity(claim.spec?.resources?.requests?.storage) ?? parseQuantity(0);
  const wantModes = claim.spec?.accessModes ?? [];
  const wantMode = claim.spec?.volumeMode ?? 'Filesystem';
  const cls = claimClass(claim);
  let selector;
  try {
    selector = claim.spec?.selector ? selectorFromLabelSelector(claim.spec.selector) : undefined;
  } catch {
    return undefined;
  }
  let best: PersistentVolume | undefined;
  let bestSize: Quantity | undefined;
  for (const pv of volumes) {
    if (pv.metadata.deletionTimestamp) continue;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== wantMode) continue;
    const modes = new Set(pv.spec?.accessModes ?? []);
    if (!wantModes.every((m) => modes.has(m))) continue;
    const size = quantity(pv.spec?.capacity?.storage);
    if (isVolumeBoundToClaim(pv, claim)) return pv;
    if (delayBinding) continue;
    if (pv.status?.phase !== 'Available' || pv.spec?.claimRef) continue;
    if (selector && !selector.matches(pv.metadata.labels ?? {})) continue;
    if (volumeClass(pv) !== cls) continue;
    if (!size || size.cmp(requested) < 0) continue;
    if (!bestSize || size.cmp(bestSize) < 0) {
      best = pv;
      bestSize = size;
    }
  }
  return best;
}
