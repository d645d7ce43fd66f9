// Which cluster events an informer change amounts to, for moving waiting pods back into the
// queue only when something a rejecting plugin cares about has changed.
import type { ClusterEvent } from './framework/interface.js';
import type { Node, Pod } from './types.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A node update, split as kube-scheduler splits it; heartbeats alone are no event. */
export function nodeUpdateEvents(old: Node, n: Node): ClusterEvent[] {
  const out: ClusterEvent[] = [];
  if (!same(old.metadata.labels, n.metadata.labels)) out.push('NodeLabelChange');
  if (!same(old.spec?.taints, n.spec?.taints)) out.push('NodeTaintChange');
  if (!!old.spec?.unschedulable !== !!n.spec?.unschedulable) out.push('NodeSpecUnschedulableChange');
  if (!same(old.status?.allocatable, n.status?.allocatable)) out.push('NodeAllocatableChange');
  if (!same(old.status?.images, n.status?.images)) out.push('NodeUpdate');
  return out;
}

export function labelsChanged(a: Pod, b: Pod): boolean {
  return !same(a.metadata.labels, b.metadata.labels);
}

/** kube-scheduler's isPodUpdated: anything but status, resourceVersion, generation and managed fields. */
export function specOrMetaChanged(a: Pod, b: Pod): boolean {
  const strip = (p: Pod) => JSON.stringify([p.spec, { ...p.metadata, resourceVersion: undefined, generation: undefined, managedFields: undefined }]);
  return strip(a) !== strip(b);
}
