// The Node a kubelet registers and the status it keeps posting: labels, capacity and allocatable
// from the machine, the pressure and Ready conditions with the kubelet's reasons, addresses,
// daemon endpoints and node info.
import type { Node, NodeCondition } from '../types.js';
import { wireTime } from '../types.js';
import { goArch, type MachineInfo } from './machine.js';

export const KUBELET_VERSION = 'v1.32.5-k8ts';

/** Label saying the node's containers are plain host processes (the host driver). */
export const LABEL_ISOLATED = 'node.k8ts.io/isolated';

export interface NodeFacts {
  nodeName: string;
  nodeIP: string;
  machine: MachineInfo;
  /** Filesystem of the kubelet's root directory. */
  ephemeralCapacityBytes: number;
  maxPods: number;
  /** Hard eviction threshold for memory.available, subtracted from allocatable memory. */
  evictionMemoryBytes: number;
  runtimeVersion: string;
  kubeletPort: number;
  isolated: boolean;
}

export interface NodeHealth {
  memoryPressure: boolean;
  diskPressure: boolean;
  pidPressure: boolean;
  /** Why the node is not ready (runtime or network down); undefined when it is ready. */
  notReady?: string;
}

const Ki = (bytes: number) => `${Math.floor(bytes / 1024)}Ki`;

export function nodeLabels(f: NodeFacts, extra: Record<string, string> | undefined): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': f.machine.architecture || goArch(),
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': f.machine.architecture || goArch(),
    'kubernetes.io/hostname': f.nodeName,
    'kubernetes.io/os': 'linux',
    ...extra,
  };
  if (!f.isolated) labels[LABEL_ISOLATED] = 'false';
  return labels;
}

export function capacity(f: NodeFacts): Record<string, string> {
  const out: Record<string, string> = {
    cpu: String(f.machine.cpus),
    'ephemeral-storage': Ki(f.ephemeralCapacityBytes),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: Ki(f.machine.memoryBytes),
    pods: String(f.maxPods),
  };
  if (f.machine.gpus > 0) out['nvidia.com/gpu'] = String(f.machine.gpus);
  return out;
}

/** Capacity less the hard eviction thresholds (memory.available, nodefs.available 10%). */
export function allocatable(f: NodeFacts): Record<string, string> {
  const out = capacity(f);
  out.memory = Ki(Math.max(0, f.machine.memoryBytes - f.evictionMemoryBytes));
  out['ephemeral-storage'] = String(Math.floor(f.ephemeralCapacityBytes * 0.9));
  return out;
}

export function nodeConditions(h: NodeHealth, nowMs: number, old: NodeCondition[] | undefined): NodeCondition[] {
  const now = wireTime(nowMs);
  const want: Array<Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>> = [
    h.memoryPressure
      ? { type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }
      : { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    h.diskPressure
      ? { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' }
      : { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    h.pidPressure
      ? { type: 'PIDPressure', status: 'True', reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available' }
      : { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    h.notReady
      ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: h.notReady }
      : { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
  const out: NodeCondition[] = want.map((c) => {
    const prev = old?.find((o) => o.type === c.type);
    return { ...c, lastHeartbeatTime: now, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now };
  });
  // Conditions other components own (NetworkUnavailable, node problem detector's) stay as they are.
  for (const c of old ?? []) if (!out.some((o) => o.type === c.type)) out.push(c);
  return out;
}

/** Extended resources the kubelet counts itself: gone from the machine, gone from the node. */
const KUBELET_MEASURED = new Set(['nvidia.com/gpu']);

/**
 * Extended resources someone else advertised by patching the node's status (`example.com/dongle`,
 * as Kubernetes documents): the kubelet keeps them beside what it measures itself.
 */
function advertisedByOthers(old: Record<string, string> | undefined, own: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, q] of Object.entries(old ?? {})) {
    if (name in own || KUBELET_MEASURED.has(name) || !name.includes('/') || name.split('/')[0].endsWith('kubernetes.io')) continue;
    out[name] = q;
  }
  return out;
}

export function nodeStatus(
  f: NodeFacts, h: NodeHealth, nowMs: number, old: Node['status'] | undefined, images: Array<{ names: string[]; sizeBytes?: number }>,
): NonNullable<Node['status']> {
  const m = f.machine;
  const cap = capacity(f);
  const alloc = allocatable(f);
  return {
    ...(old ?? {}),
    capacity: { ...advertisedByOthers(old?.capacity, cap), ...cap },
    allocatable: { ...advertisedByOthers(old?.allocatable, alloc), ...alloc },
    conditions: nodeConditions(h, nowMs, old?.conditions),
    addresses: [{ type: 'InternalIP', address: f.nodeIP }, { type: 'Hostname', address: f.nodeName }],
    daemonEndpoints: { kubeletEndpoint: { Port: f.kubeletPort } },
    nodeInfo: {
      machineID: m.machineID, systemUUID: m.systemUUID, bootID: m.bootID,
      kernelVersion: m.kernelVersion, osImage: m.osImage, containerRuntimeVersion: f.runtimeVersion,
      kubeletVersion: KUBELET_VERSION, kubeProxyVersion: '', operatingSystem: 'linux', architecture: m.architecture,
    },
    images,
  };
}

/** Whether `next` says something `prev` does not, heartbeat times aside. */
export function statusChanged(prev: Node['status'] | undefined, next: NonNullable<Node['status']>): boolean {
  const strip = (s: Node['status'] | undefined) => JSON.stringify({
    ...(s ?? {}),
    conditions: (s?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
  });
  return strip(prev) !== strip(next);
}

export function buildNode(f: NodeFacts, labels: Record<string, string>, podCIDR: string | undefined, status: NonNullable<Node['status']>): Node {
  const node: Node = {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: f.nodeName, labels,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
    status,
  };
  return node;
}
