// The endpoints a Service should have, as discovery.k8s.io/v1 Endpoints grouped by the ports
// they serve (pods may resolve a named targetPort differently): one endpoint per pod with an
// IPv4 address, terminating pods included with their conditions.
import {
  findPort, isPodReady, podIPv4, shouldPodBeInEndpoints, shouldSetHostname, type Pod, type Service,
} from '../endpoints/service-pods.js';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef?: { kind: string; namespace?: string; name: string; uid?: string };
  nodeName?: string;
  zone?: string;
}

export interface SlicePort {
  name: string;
  protocol: string;
  port: number;
  appProtocol?: string;
}

export interface PortGroup {
  ports: SlicePort[];
  /** Endpoint key (the pod's uid, else its address) → endpoint. */
  endpoints: Map<string, SliceEndpoint>;
}

export const endpointKey = (e: SliceEndpoint): string => e.targetRef?.uid || e.addresses[0] || '';

const portSort = (a: SlicePort, b: SlicePort) => a.name.localeCompare(b.name) || a.port - b.port || a.protocol.localeCompare(b.protocol);

/** A stable key for a set of ports: slices serve exactly one such set. */
export function portsKey(ports: SlicePort[] | undefined): string {
  return JSON.stringify([...(ports ?? [])].map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port, appProtocol: p.appProtocol })).sort(portSort));
}

export function podEndpoint(pod: Pod, svc: Service, ip: string, zoneOf: (node: string) => string | undefined): SliceEndpoint {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  // A terminating pod is never "ready" unless the Service publishes addresses regardless.
  const ready = publishNotReady || (serving && !terminating);
  const ep: SliceEndpoint = {
    addresses: [ip],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name!, uid: pod.metadata.uid },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec!.hostname;
  const node = pod.spec?.nodeName;
  if (node) {
    ep.nodeName = node;
    const zone = zoneOf(node);
    if (zone) ep.zone = zone;
  }
  return ep;
}

/** The desired endpoints of `svc`, by ports key. */
export function desiredEndpoints(svc: Service, pods: Pod[], zoneOf: (node: string) => string | undefined): Map<string, PortGroup> {
  const groups = new Map<string, PortGroup>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ip = podIPv4(pod);
    if (!ip) continue;
    const ports: SlicePort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const num = findPort(pod, sp);
      if (num === undefined) continue;
      const p: SlicePort = { name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port: num };
      if (sp.appProtocol) p.appProtocol = sp.appProtocol;
      ports.push(p);
    }
    ports.sort(portSort);
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: new Map() }));
    const ep = podEndpoint(pod, svc, ip, zoneOf);
    g.endpoints.set(endpointKey(ep), ep);
  }
  return groups;
}
