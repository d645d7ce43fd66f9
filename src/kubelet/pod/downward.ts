// The downward API: a pod's own fields (fieldRef) and its containers' resources
// (resourceFieldRef) as strings, for environment variables and downwardAPI volume files.
import { parseQuantity, type Quantity } from '../../machinery/quantity.js';
import type { Container, ObjectFieldSelector, Pod, ResourceFieldSelector } from '../types.js';

export class DownwardAPIError extends Error {}

export interface PodAddresses {
  podIPs: string[];
  hostIPs: string[];
}

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.*)'\]$/;

/** The value of a fieldRef, as the kubelet resolves it (podFieldSelectorRuntimeValue). */
export function podFieldValue(pod: Pod, sel: ObjectFieldSelector, addrs: PodAddresses, forVolume = false): string {
  const path = sel.fieldPath;
  const m = SUBSCRIPT.exec(path);
  if (m) {
    const map = (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations) ?? {};
    return map[m[2]] ?? '';
  }
  switch (path) {
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? '';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': return addrs.hostIPs[0] ?? '';
    case 'status.hostIPs': return addrs.hostIPs.join(',');
    case 'status.podIP': return addrs.podIPs[0] ?? '';
    case 'status.podIPs': return addrs.podIPs.join(',');
  }
  if (forVolume && (path === 'metadata.labels' || path === 'metadata.annotations')) {
    return formatMap((path === 'metadata.labels' ? pod.metadata.labels : pod.metadata.annotations) ?? {});
  }
  throw new DownwardAPIError(`unsupported fieldPath: ${path}`);
}

/** `key="value"` lines in key order, as the downward API writes label and annotation maps. */
export function formatMap(m: Record<string, string>): string {
  return Object.keys(m).sort().map((k) => `${k}=${JSON.stringify(m[k])}`).join('\n');
}

/**
 * The value of a resourceFieldRef: the container's request or limit divided by the divisor and
 * rounded up; a limit not set is the node's allocatable amount.
 */
export function resourceFieldValue(pod: Pod, sel: ResourceFieldSelector, defaultContainer: string | undefined, allocatable: Record<string, string>): string {
  const name = sel.containerName || defaultContainer;
  const c: Container | undefined = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === name);
  if (!c) throw new DownwardAPIError(`container ${name ?? ''} not found`);
  const dot = sel.resource.indexOf('.');
  const kind = sel.resource.slice(0, dot);
  const resource = sel.resource.slice(dot + 1);
  if (kind !== 'limits' && kind !== 'requests') throw new DownwardAPIError(`unsupported container resource : ${sel.resource}`);
  let raw = c.resources?.[kind]?.[resource];
  if (raw === undefined && kind === 'limits') raw = allocatable[resource];
  const q = safeQuantity(raw ?? '0');
  const divisor = safeQuantity(sel.divisor === undefined || sel.divisor === '' ? '1' : String(sel.divisor));
  if (divisor.isZero()) throw new DownwardAPIError(`invalid divisor for ${sel.resource}: 0`);
  // cpu is divided in thousandths so that a divisor of 1m counts millicores; the rest in units.
  const [n, d] = resource === 'cpu' ? [q.milliValue(), divisor.milliValue()] : [q.value(), divisor.value()];
  if (d === 0n) throw new DownwardAPIError(`invalid divisor for ${sel.resource}: ${divisor.toString()}`);
  return ceilDiv(n, d).toString();
}

function safeQuantity(v: string): Quantity {
  try {
    return parseQuantity(v);
  } catch {
    throw new DownwardAPIError(`invalid quantity ${JSON.stringify(v)}`);
  }
}

function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n || (n < 0n) !== (d < 0n) ? q : q + 1n;
}
