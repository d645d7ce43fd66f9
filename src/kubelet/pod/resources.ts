// Container resources as the runtime applies them (the kubelet's generateLinuxContainerResources):
// cpu shares from the request, a CFS quota from the limit, the memory limit, and an OOM score that
// follows the pod's QoS class; plus the pod's cgroup parent under its QoS class, the pod's total
// requests and limits (app containers and sidecars added up, init containers as a floor), and
// the settings of the pod's own cgroup (the kubelet's ResourceConfigForPod).
import { podQOSClass } from '../../api/core/v1/index.js';
import { parseQuantity } from '../../machinery/quantity.js';
import type { LinuxResources } from '../runtime.js';
import { isSidecar, type Container, type Pod } from '../types.js';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const MIN_SHARES = 2;
const MAX_SHARES = 262144;
const SHARES_PER_CPU = 1024;
const QUOTA_PERIOD = 100_000;
const MIN_QUOTA = 1000;

export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BESTEFFORT_OOM_SCORE_ADJ = 1000;

export function qosClassOf(pod: Pod): QOSClass {
  return (pod.status?.qosClass as QOSClass | undefined) ?? podQOSClass(pod as { spec?: unknown });
}

export function quantityMilli(v: string | number | undefined): bigint {
  if (v === undefined || v === '') return 0n;
  try {
    return parseQuantity(v).milliValue();
  } catch {
    return 0n;
  }
}

export function quantityValue(v: string | number | undefined): bigint {
  if (v === undefined || v === '') return 0n;
  try {
    return parseQuantity(v).value();
  } catch {
    return 0n;
  }
}

export function milliCPUToShares(milli: bigint): number {
  if (milli === 0n) return MIN_SHARES;
  const shares = Number((milli * BigInt(SHARES_PER_CPU)) / 1000n);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

export function milliCPUToQuota(milli: bigint): { quota: number; period: number } {
  if (milli === 0n) return { quota: 0, period: 0 };
  const quota = Number((milli * BigInt(QUOTA_PERIOD)) / 1000n);
  return { quota: Math.max(MIN_QUOTA, quota), period: QUOTA_PERIOD };
}

/** The OOM score adjustment of a container (Kubernetes' GetContainerOOMScoreAdjust). */
export function oomScoreAdj(pod: Pod, c: Container, memoryCapacityBytes: number): number {
  const qos = qosClassOf(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  const request = Number(quantityValue(c.resources?.requests?.memory));
  if (!(memoryCapacityBytes > 0)) return 999;
  const adj = 1000 - Math.floor((1000 * request) / memoryCapacityBytes);
  // Burstable containers stay above Guaranteed ones and below BestEffort ones.
  return Math.min(999, Math.max(3, adj));
}

export function linuxResources(pod: Pod, c: Container, memoryCapacityBytes: number): LinuxResources {
  const cpuRequest = quantityMilli(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
  const cpuLimit = quantityMilli(c.resources?.limits?.cpu);
  const memLimit = quantityValue(c.resources?.limits?.memory);
  const out: LinuxResources = { cpuShares: milliCPUToShares(cpuRequest), oomScoreAdj: oomScoreAdj(pod, c, memoryCapacityBytes) };
  const { quota, period } = milliCPUToQuota(cpuLimit);
  if (quota > 0) {
    out.cpuQuota = quota;
    out.cpuPeriod = period;
  }
  if (memLimit > 0n) out.memoryLimitInBytes = Number(memLimit);
  return out;
}

/** /k8ts/pod<uid> for Guaranteed pods, /k8ts/burstable/pod<uid>, /k8ts/besteffort/pod<uid>. */
export function podCgroupParent(pod: Pod): string {
  const qos = qosClassOf(pod);
  const leaf = `pod${pod.metadata.uid}`;
  return qos === 'Guaranteed' ? `/k8ts/${leaf}` : `/k8ts/${qos.toLowerCase()}/${leaf}`;
}

/** A container's memory request in bytes (0 when none). */
export function memoryRequest(c: Container): number {
  return Number(quantityValue(c.resources?.requests?.memory));
}

/** Resource amounts in thousandths (milliValue), by resource name. */
export type ResourceAmounts = Map<string, bigint>;

function addInto(to: ResourceAmounts, list: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(list ?? {})) to.set(k, (to.get(k) ?? 0n) + quantityMilli(v));
}

function maxInto(to: ResourceAmounts, from: ResourceAmounts): void {
  for (const [k, v] of from) if (v > (to.get(k) ?? 0n)) to.set(k, v);
}

/**
 * What a pod needs in total, as Kubernetes adds it up (PodRequests / PodLimits): app containers
 * and sidecars together, at least what any init container needs while it runs beside the
 * sidecars started before it, plus the pod overhead (for limits only where a limit exists).
 */
function aggregate(pod: Pod, which: 'requests' | 'limits', visit?: (list: Record<string, string> | undefined) => void): ResourceAmounts {
  const total: ResourceAmounts = new Map();
  for (const c of pod.spec?.containers ?? []) {
    visit?.(c.resources?.[which]);
    addInto(total, c.resources?.[which]);
  }
  const sidecars: ResourceAmounts = new Map();
  const initFloor: ResourceAmounts = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = c.resources?.[which];
    visit?.(own);
    if (isSidecar(c)) {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initFloor, sidecars);
    } else {
      const running = new Map(sidecars);
      addInto(running, own);
      maxInto(initFloor, running);
    }
  }
  maxInto(total, initFloor);
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) {
    if (which === 'limits' && !total.has(k)) continue;
    total.set(k, (total.get(k) ?? 0n) + quantityMilli(v));
  }
  return total;
}

export function podRequests(pod: Pod): ResourceAmounts {
  return aggregate(pod, 'requests');
}

export function podLimits(pod: Pod): ResourceAmounts {
  return aggregate(pod, 'limits');
}

/** Whole units from thousandths, rounded up (memory bytes, device counts). */
export const wholeUnits = (milli: bigint | undefined): bigint => ((milli ?? 0n) + 999n) / 1000n;

export interface PodCgroupConfig {
  cpuShares: number;
  /** CFS quota and period in microseconds; absent: no cpu limit. */
  cpuQuota?: number;
  cpuPeriod?: number;
  /** Absent: no memory limit. */
  memoryLimitBytes?: number;
}

/**
 * The pod cgroup's settings: cpu shares from the summed requests; a CFS quota from the summed cpu
 * limits and a memory limit from the summed memory limits, each only when every container (init
 * containers included) declares that limit; BestEffort pods get the minimum shares and nothing else.
 */
export function podCgroupConfig(pod: Pod): PodCgroupConfig {
  const qos = qosClassOf(pod);
  if (qos === 'BestEffort') return { cpuShares: MIN_SHARES };
  let cpuDeclared = true;
  let memoryDeclared = true;
  const limits = aggregate(pod, 'limits', (list) => {
    if (!quantityMilli(list?.cpu)) cpuDeclared = false;
    if (!quantityMilli(list?.memory)) memoryDeclared = false;
  });
  const out: PodCgroupConfig = { cpuShares: milliCPUToShares(podRequests(pod).get('cpu') ?? 0n) };
  if (qos === 'Guaranteed' || cpuDeclared) {
    const { quota, period } = milliCPUToQuota(limits.get('cpu') ?? 0n);
    if (quota > 0) {
      out.cpuQuota = quota;
      out.cpuPeriod = period;
    }
  }
  if (qos === 'Guaranteed' || memoryDeclared) {
    const bytes = wholeUnits(limits.get('memory'));
    if (bytes > 0n) out.memoryLimitBytes = Number(bytes);
  }
  return out;
}
