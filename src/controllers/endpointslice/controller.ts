// The endpointslice controller: the discovery.k8s.io/v1 EndpointSlices of every Service with a
// selector, labelled kubernetes.io/service-name and managed-by endpointslice-controller.k8s.io
// and owned by the Service (so the garbage collector removes them with it).
//
// A sync must not act on a slice cache that has not yet seen the controller's own writes, or it
// would create a second slice for the same endpoints; the tracker remembers what was written
// and the sync waits until the informer has caught up (Kubernetes' EndpointSliceTracker).
import {
  isForbidden, isNotFound, resources, runWorkers, splitKey, WorkQueue, type Informer, type RestClient,
} from '../../client/index.js';
import { isKubernetesService, queueServicesOnChanges, serviceSelector, servicesSelecting, type Pod, type Service } from '../endpoints/service-pods.js';
import { CONTROLLER_NAME, desiredEndpoints, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, LABEL_TOPOLOGY_ZONE } from './desired.js';
import { MAX_ENDPOINTS_PER_SLICE, planSlices, type EndpointSlice } from './reconciler.js';
import { SliceTracker } from './tracker.js';
import { readyToRun } from '../util/ready-to-run.js';

export interface Node {
  metadata: { name?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export interface EndpointSliceControllerOptions {
  client: RestClient;
  services: Informer<Service>;
  pods: Informer<Pod>;
  slices: Informer<EndpointSlice>;
  nodes: Informer<any>;
  /** kube-controller-manager's --max-endpoints-per-slice, 100. */
  maxEndpointsPerSlice?: number;
}

/** How long a sync waits for the slice cache to catch up before looking again. */
const STALE_RETRY_MS = 50;

export class EndpointSliceController {
  readonly queue = new WorkQueue<string>({ name: 'endpoint_slice' });
  readonly tracker = new SliceTracker();
  private readonly client: RestClient;
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly nodes: Informer<Node>;
  private readonly maxPerSlice: number;

  constructor(opts: EndpointSliceControllerOptions) {
    this.client = opts.client;
    this.services = opts.services;
    this.pods = opts.pods;
    this.slices = opts.slices;
    this.nodes = opts.nodes;
    this.maxPerSlice = opts.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
    queueServicesOnChanges(this.services, this.pods, this.queue);
    const onSlice = (s: EndpointSlice) => {
      const labels = s.metadata.labels ?? {};
      if (labels[LABEL_MANAGED_BY] !== CONTROLLER_NAME || !labels[LABEL_SERVICE_NAME]) return;
      this.queue.add(`${s.metadata.namespace}/${labels[LABEL_SERVICE_NAME]}`);
    };
    this.slices.addEventHandler({ onAdd: onSlice, onUpdate: (_o, s) => onSlice(s), onDelete: onSlice });
    // A node's zone label feeds the endpoints of the pods on it.
    this.nodes.addEventHandler({
      onUpdate: (old, node) => {
        if (old.metadata.labels?.[LABEL_TOPOLOGY_ZONE] === node.metadata.labels?.[LABEL_TOPOLOGY_ZONE]) return;
        const keys = new Set<string>();
        for (const pod of this.pods.lister.list()) {
          if (pod.spec?.nodeName !== node.metadata.name) continue;
          for (const k of servicesSelecting(this.services.lister, pod.metadata.namespace, pod.metadata.labels)) keys.add(k);
        }
        for (const k of keys) this.queue.add(k);
      },
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.services, this.pods, this.slices, this.nodes] }))) return;
    await runWorkers(this.queue, workers, async (key) => {
      if (!(await this.sync(key))) this.queue.addAfter(key, STALE_RETRY_MS);
    });
  }

  private managedSlices(namespace: string, service: string): EndpointSlice[] {
    return this.slices.lister.list(namespace, { [LABEL_SERVICE_NAME]: service, [LABEL_MANAGED_BY]: CONTROLLER_NAME });
  }

  /** One pass; false when the slice cache is behind our writes and the key should come back soon. */
  async sync(key: string): Promise<boolean> {
    const { namespace, name } = splitKey(key);
    const existing = this.managedSlices(namespace, name);
    if (!this.tracker.caughtUp(key, (n: string) => this.slices.lister.get(namespace, n))) return false;
    const svc = this.services.lister.get(namespace, name);
    // A deleted Service's slices go with it through their ownerReference (the garbage collector).
    if (!svc || isKubernetesService(svc)) {
      this.tracker.forget(key);
      return true;
    }
    const selector = serviceSelector(svc);
    if (!selector) return true;
    const zoneOf = (node: string) => this.nodes.lister.get(undefined, node)?.metadata.labels?.[LABEL_TOPOLOGY_ZONE];
    const groups = desiredEndpoints(svc, this.pods.lister.list(namespace, selector), zoneOf);
    const plan = planSlices(svc, groups, existing, this.maxPerSlice);
    try {
      for (const s of plan.create) {
        const made = await this.client.create<EndpointSlice>(resources.endpointslices, namespace, s);
        this.tracker.written(key, made.metadata.name!, made.metadata.resourceVersion!);
      }
      for (const s of plan.update) {
        const made = await this.client.update<EndpointSlice>(resources.endpointslices, namespace, s);
        this.tracker.written(key, made.metadata.name!, made.metadata.resourceVersion!);
      }
      for (const s of plan.delete) {
        try {
          await this.client.delete(resources.endpointslices, namespace, s.metadata.name!, { preconditions: { uid: s.metadata.uid } });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        this.tracker.deleted(key, s.metadata.name!);
      }
    } catch (err) {
      // The namespace is terminating; its content is being removed anyway.
      if (isForbidden(err)) return true;
      throw err;
    }
    return true;
  }
}
