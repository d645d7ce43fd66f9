// The Node a simulated kubelet registers and the status it keeps posting: labels, capacity,
// conditions with the kubelet's own reasons, addresses, node info and pod range.
import { parseQuantity } from '../../machinery/quantity.js';
import { nodeInternalIP, nodePodCIDR } from './addresses.js';
import type { Node, NodeCondition } from './types.js';
import { wireTime } from './types.js';

export const SIM_KUBELET_VERSION = 'v1.32.5-k8ts';
export const SIM_RUNTIME_VERSION = 'sim://1.0';

export const DEFAULT_CAPACITY: Readonly<Record<string, string>> = Object.freeze({
  cpu: '32', memory: '256Gi', 'ephemeral-storage': '1Ti', pods: '110',
});

export interface SimNodeSpec {
  name: string;
  /** Global index: picks the node's addresses and pod range, unique across processes. */
  index: number;
  capacity: Record<string, string>;
  labels: Record<string, string>;
}

/** Defaults overlaid with `given`; every value must be a Kubernetes quantity. */
export function nodeCapacity(given: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = { ...DEFAULT_CAPACITY };
  for (const [k, v] of Object.entries(given ?? {})) {
    try {
      parseQuantity(String(v));
    } catch {
      throw new Error(`simulated node capacity ${k}=${v}: not a quantity (e.g. cpu=32,memory=256Gi,pods=110,nvidia.com/gpu=8)`);
    }
    out[k] = String(v);
  }
  return out;
}

export function nodeLabels(name: string, given: Record<string, string> | undefined): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': 'k8ts-sim',
    type: 'sim',
    ...given,
  };
}

/** The healthy conditions, as the kubelet reports them; transition times kept from `old` where unchanged. */
export function healthyConditions(nowMs: number, old: NodeCondition[] | undefined): NodeCondition[] {
  const now = wireTime(nowMs);
  const want: Array<Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>> = [
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
  const out: NodeCondition[] = want.map((c) => {
    const prev = old?.find((o) => o.type === c.type);
    return { ...c, lastHeartbeatTime: now, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now };
  });
  // Conditions other components own (NetworkUnavailable, node problem detector's) stay as they are.
  for (const c of old ?? []) if (!out.some((o) => o.type === c.type)) out.push(c);
  return out;
}

/**
 * Whether the posted conditions need a write now: one is not what a healthy kubelet reports
 * (someone marked the node Unknown), or the Ready heartbeat is older than `reportEveryMs`.
 */
export function conditionsStale(node: Node, nowMs: number, reportEveryMs: number): boolean {
  const have = node.status?.conditions ?? [];
  for (const want of healthyConditions(nowMs, have)) {
    const c = have.find((h) => h.type === want.type);
    if (!c || c.status !== want.status || c.reason !== want.reason) return true;
  }
  const ready = have.find((c) => c.type === 'Ready');
  const beat = Date.parse(ready?.lastHeartbeatTime ?? '');
  return !Number.isFinite(beat) || nowMs - beat >= reportEveryMs;
}

export function nodeStatus(spec: SimNodeSpec, nowMs: number, old?: Node['status']): NonNullable<Node['status']> {
  const bootID = `00000000-0000-4000-8000-${(spec.index + 1).toString(16).padStart(12, '0')}`;
  return {
    ...(old ?? {}),
    capacity: { ...spec.capacity },
    allocatable: { ...spec.capacity },
    conditions: healthyConditions(nowMs, old?.conditions),
    addresses: [{ type: 'InternalIP', address: nodeInternalIP(spec.index) }, { type: 'Hostname', address: spec.name }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: bootID.replace(/-/g, ''), systemUUID: bootID, bootID,
      kernelVersion: '6.1.0-k8ts-sim', osImage: 'k8ts simulated node', containerRuntimeVersion: SIM_RUNTIME_VERSION,
      kubeletVersion: SIM_KUBELET_VERSION, kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64',
    },
    images: old?.images ?? [],
  };
}

export function buildNode(spec: SimNodeSpec, nowMs: number): Node {
  const cidr = nodePodCIDR(spec.index);
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: spec.name, labels: nodeLabels(spec.name, spec.labels),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: cidr, podCIDRs: [cidr] },
    status: nodeStatus(spec, nowMs),
  };
}
