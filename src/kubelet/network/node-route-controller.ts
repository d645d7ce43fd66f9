// Keeps the host-gw routes (node-routes.ts) in step with the Node objects: a Node informer, and a
// sync that recomputes the routes from its cache whenever a node's range or address may have
// changed. Node status heartbeats arrive every few seconds, so the kernel is only consulted when
// the wanted routes differ from the ones last put in place, after a failure, and on a slow
// resync that repairs routes someone else removed.
import { Backoff, Informer, resources, type RestClient } from '../../client/index.js';
import type { Node } from '../types.js';
import { log, logError } from '../../machinery/log.js';
import { desiredNodeRoutes, reconcileNodeRoutes, type NodeRoute, type NodeRouteScope } from './node-routes.js';

export interface NodeRoutesOptions extends NodeRouteScope {
  client: RestClient;
  /** How often the routes are checked against the kernel even when no node changed (ms). */
  resyncMs?: number;
}

export interface NodeRoutes {
  /** The routes last put in place. */
  routes(): NodeRoute[];
  /** Resolves once a sync with the current cache has finished. */
  synced(): Promise<void>;
  /** Stops watching; the routes stay, so pod traffic survives an agent restart. */
  stop(): Promise<void>;
}

/** Only what the routes depend on is cached: a Node's status is large and changes often. */
function routeFields(n: Node): Node {
  return {
    apiVersion: n.apiVersion, kind: n.kind,
    metadata: { name: n.metadata.name, resourceVersion: n.metadata.resourceVersion },
    spec: { podCIDR: n.spec?.podCIDR, podCIDRs: n.spec?.podCIDRs },
    status: { addresses: n.status?.addresses },
  };
}

export async function startNodeRoutes(o: NodeRoutesOptions): Promise<NodeRoutes> {
  const informer = new Informer<Node>(o.client, resources.nodes, { transform: routeFields });
  const backoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
  let applied: string | undefined;
  let current: NodeRoute[] = [];
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const syncOnce = async () => {
    const desired = desiredNodeRoutes(informer.lister.list(), o);
    const key = JSON.stringify(desired);
    if (key === applied) return;
    const r = await reconcileNodeRoutes(desired);
    if (r.replace.length || r.remove.length) {
      log('node-routes', 'routes to other nodes\' pods updated', {
        set: r.replace.map((x) => `${x.dst} via ${x.via}`), removed: r.remove.map((x) => x.dst), failed: r.failures.length,
      });
    }
    if (r.failures.length) {
      applied = undefined;
      logError('node-routes', 'some routes to other nodes\' pods could not be set; retrying', { failures: r.failures });
      if (!stopped && !retry) retry = setTimeout(() => { retry = undefined; kick(); }, backoff.next());
      return;
    }
    applied = key;
    current = desired;
  };
  const kick = () => {
    if (stopped) return;
    if (running) { again = true; return; }
    running = (async () => {
      do {
        again = false;
        await syncOnce().catch((err: Error) => {
          applied = undefined;
          logError('node-routes', 'reading or setting routes failed; retrying', { err: err.message });
          if (!stopped && !retry) retry = setTimeout(() => { retry = undefined; kick(); }, backoff.next());
        });
      } while (again && !stopped);
    })().finally(() => { running = undefined; });
  };

  informer.addEventHandler({ onAdd: kick, onUpdate: kick, onDelete: kick });
  const resync = setInterval(() => { applied = undefined; kick(); }, o.resyncMs ?? 60_000);
  resync.unref?.();
  informer.start();
  await informer.waitForSync();
  kick();
  return {
    routes: () => current,
    async synced() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(resync);
      if (retry) clearTimeout(retry);
      await informer.stop();
      await running;
    },
  };
}
