// Container resources as the runtime applies them (the kubelet's generateLinuxContainerResources):
// cpu shares from the request, a CFS quota from the limit, the memory limit, and an OOM score that
// follows the pod's QoS class; plus the pod's cgroup parent under its QoS class.
import { podQOSClass } from '../../api/core/v1/index.js';
import { parseQuantity } from '../../machinery/quantity.js';
import type { LinuxResources } from '../runtime.js';
import type { Container, Pod } from '../types.js';

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
