// The root CA publisher: a kube-root-ca.crt ConfigMap in every active namespace whose ca.crt is
// the cluster CA, so workloads can verify the API server; edits to it are undone.
import type { KObject } from '../../api/resource.js';
import { isAlreadyExists, isConflict, isForbidden, isNotFound, resources, runWorkers, WorkQueue, type Informer, type RestClient } from '../../client/index.js';
import { isActiveNamespace } from './serviceaccounts.js';
import { readyToRun } from '../util/ready-to-run.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

interface ConfigMap extends KObject {
  data?: Record<string, string>;
}

export interface RootCAPublisherOptions {
  client: RestClient;
  namespaces: Informer<KObject>;
  configMaps: Informer<ConfigMap>;
  /** PEM of the cluster CA. */
  caCert: string;
}

export class RootCAPublisher {
  readonly queue = new WorkQueue<string>({ name: 'root_ca_cert_publisher' });

  constructor(private readonly opts: RootCAPublisherOptions) {
    opts.namespaces.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata.name!),
      onUpdate: (_old, ns) => this.queue.add(ns.metadata.name!),
    });
    const onConfigMap = (cm: ConfigMap) => {
      if (cm.metadata.name === ROOT_CA_CONFIGMAP) this.queue.add(cm.metadata.namespace!);
    };
    opts.configMaps.addEventHandler({ onUpdate: (_old, cm) => onConfigMap(cm), onDelete: onConfigMap });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.opts.namespaces, this.opts.configMaps] }))) return;
    await runWorkers(this.queue, workers, (ns) => this.sync(ns));
  }

  async sync(namespace: string): Promise<void> {
    if (!isActiveNamespace(this.opts.namespaces.lister.get(undefined, namespace))) return;
    const { client, caCert } = this.opts;
    const cm = this.opts.configMaps.lister.get(namespace, ROOT_CA_CONFIGMAP);
    try {
      if (!cm) {
        await client.create<ConfigMap>(resources.configmaps, namespace, {
          apiVersion: 'v1', kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data: { 'ca.crt': caCert },
        });
        return;
      }
      const data = cm.data ?? {};
      const annotations = cm.metadata.annotations ?? {};
      if (Object.keys(data).length === 1 && data['ca.crt'] === caCert && annotations[DESCRIPTION_ANNOTATION] === DESCRIPTION) return;
      await client.update<ConfigMap>(resources.configmaps, namespace, {
        ...cm, metadata: { ...cm.metadata, annotations: { ...annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data: { 'ca.crt': caCert },
      });
    } catch (err) {
      // Conflicts and races with creation come back through the informer.
      if (isAlreadyExists(err) || isNotFound(err) || isForbidden(err) || isConflict(err)) return;
      throw err;
    }
  }
}
