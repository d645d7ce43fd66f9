// Where a DaemonSet's pods belong (NodeShouldRunDaemonPod): on every node whose labels satisfy
// the template's nodeSelector and required node affinity and whose taints the pod tolerates,
// counting the tolerations every daemon pod gets. A pod already on a node may stay there through
// a NoSchedule taint, but not through an untolerated NoExecute one or a mismatch of labels.
import { podMatchesNodeSelectorAndAffinity, tolerates } from '../../api/core/v1/node-selector.js';
import type { Affinity, DaemonPodSpec, DaemonSet, Node, NodeSelectorTerm, Pod, Taint, Toleration } from './types.js';

/**
 * The tolerations the DaemonSet controller adds to its pods (AddOrUpdateDaemonPodTolerations):
 * daemons survive a node going not-ready or unreachable, and run on nodes under resource pressure
 * or cordoned; host-network daemons also where the pod network is not up yet.
 */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

const sameToleration = (a: Toleration, b: Toleration) =>
  (a.key ?? '') === (b.key ?? '') && (a.effect ?? '') === (b.effect ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '');

/** Adds the daemon tolerations to `spec`, replacing any with the same key, operator, value and effect. */
export function addDaemonTolerations(spec: DaemonPodSpec): void {
  const out = [...(spec.tolerations ?? [])];
  for (const want of daemonTolerations(!!spec.hostNetwork)) {
    const i = out.findIndex((t) => sameToleration(t, want));
    if (i >= 0) out[i] = want;
    else out.push(want);
  }
  spec.tolerations = out;
}

function untolerated(taints: Taint[], tolerations: Toleration[], effects: string[]): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => tolerates(t, taint)));
}

export interface Placement {
  /** A daemon pod should be created on the node if it has none. */
  shouldRun: boolean;
  /** A daemon pod already on the node may stay. */
  shouldContinueRunning: boolean;
}

export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): Placement {
  const spec = (ds.spec.template?.spec ?? {}) as DaemonPodSpec;
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!podMatchesNodeSelectorAndAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  if (taints.length === 0) return { shouldRun: true, shouldContinueRunning: true };
  // The template's tolerations plus the daemon ones: adding never takes a toleration away.
  const tolerations = [...(spec.tolerations ?? []), ...daemonTolerations(!!spec.hostNetwork)];
  if (untolerated(taints, tolerations, ['NoSchedule', 'NoExecute'])) {
    return { shouldRun: false, shouldContinueRunning: !untolerated(taints, tolerations, ['NoExecute']) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/**
 * Pins a pod to a node by required node affinity on metadata.name (ReplaceDaemonSetPodNodeNameNodeAffinity),
 * replacing any required terms: the controller has already checked that the node satisfies them.
 */
export function pinToNode(affinity: Affinity | null | undefined, nodeName: string): Affinity {
  const term: NodeSelectorTerm = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const out: Affinity = structuredClone(affinity ?? {});
  out.nodeAffinity = { ...(out.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } };
  return out;
}

/**
 * The node a daemon pod is for: its spec.nodeName once scheduled, else the one its affinity pins
 * it to (GetTargetNodeName); undefined when neither says.
 */
export function targetNodeName(pod: Pod): string | undefined {
  const spec = pod.spec as DaemonPodSpec | undefined;
  if (spec?.nodeName) return spec.nodeName;
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length !== 1) return undefined;
  const fields = terms[0].matchFields ?? [];
  if (fields.length !== 1) return undefined;
  const f = fields[0];
  if (f.key !== 'metadata.name' || f.operator !== 'In' || (f.values ?? []).length !== 1) return undefined;
  return f.values![0];
}
