// What the Endpoints and EndpointSlice controllers share (Kubernetes' endpointutil): the Service
// and Pod fields they read, which pods count as endpoints of a Service, the port a Service port
// resolves to on a pod (targetPort names through the pod's container ports), and which
// Services select a pod.
import type { KObject } from '../../api/resource.js';
import { keyOf, type Informer, type Lister } from '../../client/index.js';
import { selectorFromSet, type Selector } from '../../machinery/labels.js';

export interface ServicePort {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

export interface Service extends KObject {
  spec?: {
    selector?: Record<string, string> | null;
    ports?: ServicePort[];
    clusterIP?: string;
    type?: string;
    publishNotReadyAddresses?: boolean;
    ipFamilies?: string[];
  };
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Pod extends KObject {
  spec?: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    restartPolicy?: string;
    containers?: Array<{ name?: string; ports?: ContainerPort[] }>;
    initContainers?: Array<{ name?: string; restartPolicy?: string; ports?: ContainerPort[] }>;
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: Array<{ ip: string }>;
    conditions?: Array<{ type: string; status: string }>;
  };
}

/** The API server's own Service: its endpoints are written by the API server, not by controllers. */
export const isKubernetesService = (svc: Service): boolean => svc.metadata.namespace === 'default' && svc.metadata.name === 'kubernetes';

/**
 * A Service that selects pods; one without a selector has endpoints managed by someone else, and
 * an ExternalName Service is a DNS alias with no endpoints at all.
 */
export function serviceSelector(svc: Service): Selector | undefined {
  if (svc.spec?.type === 'ExternalName') return undefined;
  const sel = svc.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return undefined;
  return selectorFromSet(sel);
}

export const isPodReady = (pod: Pod): boolean => (pod.status?.conditions ?? []).some((c) => c?.type === 'Ready' && c.status === 'True');

/**
 * endpointutil.ShouldPodBeInEndpoints: a pod with an IP that has not finished for good; a
 * terminating pod only when `includeTerminating`.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never' && (phase === 'Failed' || phase === 'Succeeded')) return false;
  if (policy === 'OnFailure' && phase === 'Succeeded') return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** The pod's hostname is published for a headless Service named by its subdomain. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name && svc.spec?.clusterIP === 'None';
}

/** The pod's IPv4 address, if it has one. */
export function podIPv4(pod: Pod): string | undefined {
  const ips = [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p) => p?.ip)].filter((ip): ip is string => !!ip);
  return ips.find((ip) => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip));
}

/**
 * podutil.FindPort: the number of the Service port's targetPort on `pod`. A number is taken as
 * is (targetPort defaults to the port); a name must be a container port of the same protocol.
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c?.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of c?.ports ?? []) {
      if (p?.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** Keys (namespace/name) of the Services in the pod's namespace whose selectors match `labels`. */
export function servicesSelecting(services: Lister<Service>, namespace: string | undefined, ...labelSets: Array<Record<string, string> | undefined>): string[] {
  const out: string[] = [];
  for (const svc of services.list(namespace)) {
    const sel = serviceSelector(svc);
    if (!sel) continue;
    if (labelSets.some((l) => sel.matches(l ?? {}))) out.push(`${svc.metadata.namespace}/${svc.metadata.name}`);
  }
  return out;
}

/** Whether a pod change can change the endpoints of the Services selecting it. */
export function podEndpointsChanged(old: Pod, cur: Pod): boolean {
  if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return false;
  const pick = (p: Pod) => JSON.stringify([
    p.metadata.labels ?? {}, p.metadata.deletionTimestamp ?? '', p.status?.podIP ?? '', p.status?.podIPs ?? [], p.status?.phase ?? '',
    isPodReady(p), p.spec?.nodeName ?? '', p.spec?.hostname ?? '', p.spec?.subdomain ?? '',
  ]);
  return pick(old) !== pick(cur);
}

/**
 * The event handlers both controllers need: a Service's own changes queue it, and a pod's changes
 * that can move endpoints queue every Service selecting the pod (before or after the change).
 */
export function queueServicesOnChanges(services: Informer<Service>, pods: Informer<Pod>, queue: { add(key: string): void }): void {
  const enqueueService = (svc: Service) => queue.add(keyOf(svc));
  services.addEventHandler({ onAdd: enqueueService, onUpdate: (_o, svc) => enqueueService(svc), onDelete: enqueueService });
  const enqueueFor = (...changed: Pod[]) => {
    for (const key of servicesSelecting(services.lister, changed[0].metadata.namespace, ...changed.map((p) => p.metadata.labels))) queue.add(key);
  };
  pods.addEventHandler({
    onAdd: (pod) => enqueueFor(pod),
    onUpdate: (old, pod) => {
      if (podEndpointsChanged(old, pod)) enqueueFor(old, pod);
    },
    onDelete: (pod) => enqueueFor(pod),
  });
}
