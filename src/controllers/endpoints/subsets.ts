// The subsets of a Service's Endpoints, computed from the pods it selects: each address with the
// ports it serves, ready pods under addresses and the others under notReadyAddresses, then
// repacked so that addresses serving the same ports share one subset (endpoints.RepackSubsets).
import type { KObject } from '../../api/resource.js';
import {
  findPort, isPodReady, podIPv4, shouldPodBeInEndpoints, shouldSetHostname, type Pod, type Service,
} from './service-pods.js';

export interface ObjectReference {
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export interface Endpoints extends KObject {
  subsets?: EndpointSubset[];
}

/** Kubernetes' maxCapacity: beyond this many addresses an Endpoints object is truncated. */
export const MAX_ENDPOINT_ADDRESSES = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

const portKey = (p: EndpointPort) => `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol ?? ''}\u0000${p.appProtocol ?? ''}`;
const addrKey = (a: EndpointAddress) => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;

function compareIP(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

const compareAddr = (a: EndpointAddress, b: EndpointAddress) =>
  compareIP(a.ip, b.ip) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');

const comparePort = (a: EndpointPort, b: EndpointPort) =>
  (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || (a.protocol ?? '').localeCompare(b.protocol ?? '');

export function endpointAddress(pod: Pod, svc: Service, ip: string): EndpointAddress {
  const addr: EndpointAddress = { ip };
  if (shouldSetHostname(pod, svc)) addr.hostname = pod.spec!.hostname;
  if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
  addr.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name!, uid: pod.metadata.uid };
  return addr;
}

/** The subsets for `svc` given the pods its selector matches. */
export function computeSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const ports = svc.spec?.ports ?? [];
  const headlessWithoutPorts = ports.length === 0 && svc.spec?.clusterIP === 'None';
  // address key → the address, its readiness and the ports it serves
  const byAddress = new Map<string, { addr: EndpointAddress; ready: boolean; ports: Map<string, EndpointPort> }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ip = podIPv4(pod);
    if (!ip) continue;
    const addr = endpointAddress(pod, svc, ip);
    const ready = publishNotReady || isPodReady(pod);
    const served = new Map<string, EndpointPort>();
    for (const sp of ports) {
      const num = findPort(pod, sp);
      if (num === undefined) continue;
      const ep: EndpointPort = { port: num, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      served.set(portKey(ep), ep);
    }
    if (!headlessWithoutPorts && served.size === 0) continue;
    byAddress.set(addrKey(addr), { addr, ready, ports: served });
  }
  // Addresses serving the same set of ports share a subset.
  const subsets = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const { addr, ready, ports: served } of byAddress.values()) {
    const list = [...served.values()].sort(comparePort);
    const key = list.map(portKey).join('\u0001');
    let s = subsets.get(key);
    if (!s) subsets.set(key, (s = { ports: list, ready: [], notReady: [] }));
    (ready ? s.ready : s.notReady).push(addr);
  }
  const out: EndpointSubset[] = [];
  for (const s of subsets.values()) {
    const subset: EndpointSubset = {};
    if (s.ready.length) subset.addresses = s.ready.sort(compareAddr);
    if (s.notReady.length) subset.notReadyAddresses = s.notReady.sort(compareAddr);
    if (s.ports.length) subset.ports = s.ports;
    out.push(subset);
  }
  return out.sort((a, b) => {
    const fa = (a.addresses ?? a.notReadyAddresses ?? [])[0];
    const fb = (b.addresses ?? b.notReadyAddresses ?? [])[0];
    return (fa && fb ? compareAddr(fa, fb) : 0) || JSON.stringify(a.ports ?? []).localeCompare(JSON.stringify(b.ports ?? []));
  });
}

/** Keeps at most MAX_ENDPOINT_ADDRESSES addresses, ready ones first; true when some were dropped. */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  let total = 0;
  for (const s of subsets) total += (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
  if (total <= MAX_ENDPOINT_ADDRESSES) return false;
  let budget = MAX_ENDPOINT_ADDRESSES;
  for (const field of ['addresses', 'notReadyAddresses'] as const) {
    for (const s of subsets) {
      const list = s[field];
      if (!list) continue;
      if (list.length > budget) s[field] = list.slice(0, budget);
      budget -= s[field]!.length;
      if (s[field]!.length === 0) delete s[field];
    }
  }
  for (let i = subsets.length - 1; i >= 0; i--) if (!subsets[i].addresses && !subsets[i].notReadyAddresses) subsets.splice(i, 1);
  return true;
}
