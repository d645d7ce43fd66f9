// Turning a Service's desired endpoints into EndpointSlices with little churn (Kubernetes'
// reconciler): an endpoint stays in the slice that already holds it and is updated in place;
// new endpoints fill slices with room before new slices are made; emptied slices go. A Service
// without endpoints keeps one placeholder slice with neither endpoints nor ports.
import type { KObject, OwnerReference } from '../../api/resource.js';
import type { Service } from '../endpoints/service-pods.js';
import {
  CONTROLLER_NAME, endpointKey, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, portsKey, type PortGroup, type SliceEndpoint, type SlicePort,
} from './desired.js';

export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface EndpointSlice extends KObject {
  addressType: string;
  endpoints?: SliceEndpoint[] | null;
  ports?: SlicePort[] | null;
}

export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

export function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (k !== LABEL_SERVICE_NAME && k !== LABEL_MANAGED_BY) labels[k] = v;
  }
  labels[LABEL_SERVICE_NAME] = svc.metadata.name!;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  return labels;
}

export function serviceOwnerRef(svc: Service): OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** EndpointSlices need a name prefix that leaves room for the generated suffix. */
export function slicePrefix(serviceName: string): string {
  return `${serviceName.slice(0, 63 - 6)}-`;
}

function newSlice(svc: Service, ports: SlicePort[], endpoints: SliceEndpoint[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(svc.metadata.name!),
      namespace: svc.metadata.namespace,
      labels: sliceLabels(svc),
      ownerReferences: [serviceOwnerRef(svc)],
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

const sameJSON = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a![k]);
}

const isPlaceholder = (s: EndpointSlice) => !(s.endpoints ?? []).length && !(s.ports ?? []).length;

/** What to create, update and delete so that `existing` (the Service's slices) serve `groups`. */
export function planSlices(svc: Service, groups: Map<string, PortGroup>, existing: EndpointSlice[], maxPerSlice = MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const labels = sliceLabels(svc);
  const ownerRef = serviceOwnerRef(svc);
  const byKey = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    const owned = (s.metadata.ownerReferences ?? []).some((r) => r.uid === svc.metadata.uid);
    if (!owned || s.addressType !== 'IPv4') {
      plan.delete.push(s);
      continue;
    }
    const key = portsKey(s.ports ?? []);
    const list = byKey.get(key) ?? [];
    list.push(s);
    byKey.set(key, list);
  }
  let kept = 0;
  for (const key of new Set([...groups.keys(), ...byKey.keys()])) {
    const group = groups.get(key);
    const desired = group?.endpoints ?? new Map<string, SliceEndpoint>();
    const placed = new Set<string>();
    const results = (byKey.get(key) ?? []).map((slice) => {
      const eps: SliceEndpoint[] = [];
      for (const e of slice.endpoints ?? []) {
        const k = endpointKey(e);
        const want = desired.get(k);
        if (want && !placed.has(k) && eps.length < maxPerSlice) {
          eps.push(want);
          placed.add(k);
        }
      }
      return { slice, eps };
    });
    const unplaced = [...desired.entries()].filter(([k]) => !placed.has(k)).map(([, e]) => e);
    // Fill the fullest slices first, so that the number of slices stays small.
    for (const r of [...results].sort((a, b) => b.eps.length - a.eps.length)) {
      if (r.eps.length === 0) continue;
      while (r.eps.length < maxPerSlice && unplaced.length) r.eps.push(unplaced.shift()!);
    }
    for (const r of results) {
      if (r.eps.length === 0 && unplaced.length) r.eps.push(...unplaced.splice(0, maxPerSlice));
    }
    const ports = group?.ports ?? (byKey.get(key)?.[0]?.ports ?? []);
    while (unplaced.length) plan.create.push(newSlice(svc, ports, unplaced.splice(0, maxPerSlice)));
    for (const { slice, eps } of results) {
      if (eps.length === 0) {
        plan.delete.push(slice);
        continue;
      }
      kept++;
      const owners = slice.metadata.ownerReferences ?? [];
      if (sameJSON(slice.endpoints ?? [], eps) && sameLabels(slice.metadata.labels, labels)) continue;
      plan.update.push({
        ...slice,
        metadata: { ...slice.metadata, labels, ownerReferences: owners.some((r) => r.uid === ownerRef.uid) ? owners : [...owners, ownerRef] },
        endpoints: eps,
        ports: slice.ports ?? [],
      });
    }
  }
  if (kept === 0 && plan.create.length === 0) {
    // No endpoints at all: one placeholder slice stays (an existing one if there is one).
    const i = plan.delete.findIndex((s) => isPlaceholder(s) && (s.metadata.ownerReferences ?? []).some((r) => r.uid === svc.metadata.uid) && s.addressType === 'IPv4');
    if (i >= 0) {
      const [placeholder] = plan.delete.splice(i, 1);
      if (!sameLabels(placeholder.metadata.labels, labels)) plan.update.push({ ...placeholder, metadata: { ...placeholder.metadata, labels } });
    } else {
      plan.create.push(newSlice(svc, [], []));
    }
  }
  return plan;
}
