// The pods bound to a node, watched from the API server: what the kubelet endpoint looks pods up
// in when it runs beside a kubelet whose own cache it cannot reach.
import { InformerFactory, resources, type RestClient } from '../../client/index.js';
import type { Pod } from '../types.js';
import type { PodGetter } from './pod-targets.js';

export interface NodePods {
  get: PodGetter;
  list(): Pod[];
  stop(): Promise<void>;
}

/** Starts watching the pods with spec.nodeName=`nodeName`; resolves once the cache is filled. */
export async function watchNodePods(client: RestClient, nodeName: string): Promise<NodePods> {
  const factory = new InformerFactory(client);
  const informer = factory.forResource<Pod>(resources.pods, { fieldSelector: `spec.nodeName=${nodeName}` });
  factory.start();
  await factory.waitForSync();
  return {
    get: (namespace, name) => informer.lister.get(namespace, name),
    list: () => informer.lister.list(),
    stop: () => factory.stop(),
  };
}
