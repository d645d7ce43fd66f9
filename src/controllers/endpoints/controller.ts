// The endpoints controller: each Service with a selector gets an Endpoints object of the same
// name listing the pods it selects. Services without a selector, and the API server's own
// default/kubernetes Service, are left to whoever manages their endpoints.
import {
  isForbidden, isNotFound, keyOf, resources, runWorkers, splitKey, WorkQueue, type Informer, type RestClient,
} from '../../client/index.js';
import { isKubernetesService, queueServicesOnChanges, serviceSelector, type Pod, type Service } from './service-pods.js';
import { computeSubsets, HEADLESS_LABEL, OVER_CAPACITY_ANNOTATION, truncateSubsets, type Endpoints } from './subsets.js';
import { readyToRun } from '../util/ready-to-run.js';

export interface EndpointsControllerOptions {
  client: RestClient;
  services: Informer<Service>;
  pods: Informer<Pod>;
  endpoints: Informer<Endpoints>;
}

const sameJSON = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => (b ?? {})[k] === a![k]);
}

export class EndpointsController {
  readonly queue = new WorkQueue<string>({ name: 'endpoint' });
  private readonly client: RestClient;
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly endpoints: Informer<Endpoints>;

  constructor(opts: EndpointsControllerOptions) {
    this.client = opts.client;
    this.services = opts.services;
    this.pods = opts.pods;
    this.endpoints = opts.endpoints;
    queueServicesOnChanges(this.services, this.pods, this.queue);
    // Someone deleted or edited our object: put it back.
    this.endpoints.addEventHandler({
      onUpdate: (_o, ep) => this.queue.add(keyOf(ep)),
      onDelete: (ep) => this.queue.add(keyOf(ep)),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.services, this.pods, this.endpoints] }))) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key));
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.lister.get(namespace, name);
    if (!svc) {
      // The Service is gone; so goes its Endpoints object.
      if (namespace === 'default' && name === 'kubernetes') return;
      if (!this.endpoints.lister.get(namespace, name)) return;
      try {
        await this.client.delete(resources.endpoints, namespace, name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    if (isKubernetesService(svc)) return;
    const selector = serviceSelector(svc);
    if (!selector) return;

    const subsets = computeSubsets(svc, this.pods.lister.list(namespace, selector));
    const truncated = truncateSubsets(subsets);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
    else delete labels[HEADLESS_LABEL];

    const current = this.endpoints.lister.get(namespace, name);
    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    if (current && sameJSON(current.subsets ?? [], subsets) && sameMap(current.metadata.labels, labels) && sameMap(current.metadata.annotations, annotations)) return;

    const desired: Endpoints = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: { ...(current?.metadata ?? {}), name, namespace, labels, annotations },
      subsets,
    };
    if (!Object.keys(annotations).length) delete desired.metadata.annotations;
    try {
      if (current) await this.client.update(resources.endpoints, namespace, desired);
      else await this.client.create(resources.endpoints, namespace, { ...desired, metadata: { name, namespace, labels, ...(desired.metadata.annotations ? { annotations } : {}) } });
    } catch (err) {
      // The namespace is terminating: the Endpoints object is not wanted any more.
      if (!current && isForbidden(err)) return;
      // Otherwise (a Conflict or AlreadyExists from a stale cache included) retry after backoff.
      throw err;
    }
  }
}
