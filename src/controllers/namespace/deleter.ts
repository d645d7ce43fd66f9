// Emptying a terminating namespace (Kubernetes' NamespacedResourcesDeleter): every namespaced
// resource the server can delete is deleted collection-wise, then listed again to see what is
// left and which finalizers hold it. The outcome becomes the namespace's deletion conditions.
import type { KObject } from '../../api/resource.js';
import { isNotFound, type RestClient } from '../../client/index.js';
import { discoverPreferredResources, hasVerbs, type DiscoveredResource } from '../garbagecollector/discovery.js';

export interface ContentResult {
  /** groupVersion → discovery error. */
  discoveryFailures: Map<string, string>;
  /** Resource (`pods.`, `widgets.example.com`) → deletion error. */
  deletionFailures: Map<string, string>;
  /** Resource → objects still present. */
  remaining: Map<string, number>;
  /** Finalizer → objects still carrying it. */
  finalizers: Map<string, number>;
  /** Seconds until the slowest graceful deletion should be over; 0 when none is pending. */
  estimateSeconds: number;
}

/** `pods.`, `deployments.apps`: how Kubernetes names resources in namespace conditions. */
const conditionName = (d: DiscoveredResource) => `${d.ref.plural}.${d.ref.group}`;

export async function deleteAllContent(client: RestClient, namespace: string, nowMs = Date.now()): Promise<ContentResult> {
  const { resources, failed } = await discoverPreferredResources(client);
  const result: ContentResult = {
    discoveryFailures: failed, deletionFailures: new Map(), remaining: new Map(), finalizers: new Map(), estimateSeconds: 0,
  };
  const deletable = resources.filter((r) => r.ref.namespaced && hasVerbs(r, 'delete', 'list'));
  await Promise.all(deletable.map(async (r) => {
    const name = conditionName(r);
    try {
      if (hasVerbs(r, 'deletecollection')) {
        await client.deleteCollection(r.ref, namespace, { propagationPolicy: 'Background' });
      } else {
        const list = await client.list(r.ref, namespace);
        for (const item of list.items) {
          if (item.metadata.deletionTimestamp) continue;
          try {
            await client.delete(r.ref, namespace, item.metadata.name!, { propagationPolicy: 'Background' });
          } catch (err) {
            if (!isNotFound(err)) throw err;
          }
        }
      }
    } catch (err) {
      if (isNotFound(err)) return;
      result.deletionFailures.set(name, err instanceof Error ? err.message : String(err));
      return;
    }
    let items: KObject[];
    try {
      items = (await client.list(r.ref, namespace)).items;
    } catch (err) {
      if (!isNotFound(err)) result.deletionFailures.set(name, err instanceof Error ? err.message : String(err));
      return;
    }
    if (items.length === 0) return;
    result.remaining.set(name, items.length);
    for (const item of items) {
      for (const f of item.metadata.finalizers ?? []) result.finalizers.set(f, (result.finalizers.get(f) ?? 0) + 1);
      const at = item.metadata.deletionTimestamp ? Date.parse(item.metadata.deletionTimestamp) : NaN;
      if (Number.isFinite(at)) result.estimateSeconds = Math.max(result.estimateSeconds, Math.ceil((at - nowMs) / 1000));
    }
  }));
  return result;
}
