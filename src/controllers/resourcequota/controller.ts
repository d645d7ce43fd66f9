// The resourcequota controller: keeps each ResourceQuota's status (hard as in spec, used as
// measured) current. Changes to what quotas count re-sync the quotas of that namespace; all
// quotas are re-synced every five minutes (--resource-quota-sync-period) to catch any drift.
// Counted resources other than pods, services and claims (count/<resource>, configmaps ...) are
// watched through shared informers made on demand, found through discovery.
import type { KObject } from '../../api/resource.js';
import {
  isNotFound, keyOf, resources, runWorkers, sleep, splitKey, WorkQueue, type Informer, type InformerFactory, type ResourceRef, type RestClient,
} from '../../client/index.js';
import { logError } from '../../machinery/log.js';
import { discoverPreferredResources, groupResourceString, hasVerbs } from '../garbagecollector/discovery.js';
import type { QuotaPod } from './pod-usage.js';
import { computeUsage, countedResource, type QuotaClaim, type QuotaService, type QuotaSpec } from './usage.js';
import { readyToRun } from '../util/ready-to-run.js';

export interface ResourceQuota extends KObject {
  spec?: QuotaSpec;
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

export interface ResourceQuotaControllerOptions {
  client: RestClient;
  informers: InformerFactory;
  /** Full re-sync period; 5 minutes. */
  resyncPeriodMs?: number;
  now?: () => number;
}

/** How long a quota waits for a counted resource's informer before looking again. */
const PENDING_RETRY_MS = 1000;
const DISCOVERY_MIN_INTERVAL_MS = 30_000;

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => (b ?? {})[k] === a![k]);
}

export class ResourceQuotaController {
  readonly queue = new WorkQueue<string>({ name: 'resourcequota_primary' });
  private readonly client: RestClient;
  private readonly informers: InformerFactory;
  private readonly quotas: Informer<ResourceQuota>;
  private readonly pods: Informer<QuotaPod & KObject>;
  private readonly services: Informer<QuotaService & KObject>;
  private readonly claims: Informer<QuotaClaim & KObject>;
  private readonly counted = new Map<string, Informer<KObject>>();
  private readonly resyncPeriodMs: number;
  private readonly now: () => number;
  private refs = new Map<string, ResourceRef>();
  private lastDiscovery = -Infinity;

  constructor(opts: ResourceQuotaControllerOptions) {
    this.client = opts.client;
    this.informers = opts.informers;
    this.resyncPeriodMs = opts.resyncPeriodMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
    this.quotas = opts.informers.forResource<ResourceQuota>(resources.resourcequotas);
    this.pods = opts.informers.forResource(resources.pods);
    this.services = opts.informers.forResource(resources.services);
    this.claims = opts.informers.forResource(resources.persistentvolumeclaims);
    for (const r of Object.values(resources)) this.refs.set(groupResourceString(r), r);

    this.quotas.addEventHandler({
      onAdd: (q) => this.queue.add(keyOf(q)),
      onUpdate: (old, q) => {
        const statusStale = !sameMap(q.spec?.hard, q.status?.hard);
        if (statusStale || JSON.stringify(old.spec ?? {}) !== JSON.stringify(q.spec ?? {})) this.queue.add(keyOf(q));
      },
    });
    this.watchNamespaceChanges(this.pods, (old, cur) => {
      const o = old as QuotaPod;
      const c = cur as QuotaPod;
      return o.status?.phase !== c.status?.phase || JSON.stringify(o.spec ?? {}) !== JSON.stringify(c.spec ?? {}) || o.metadata.deletionTimestamp !== c.metadata.deletionTimestamp;
    });
    this.watchNamespaceChanges(this.services, (old, cur) => JSON.stringify(old.spec ?? {}) !== JSON.stringify(cur.spec ?? {}));
    this.watchNamespaceChanges(this.claims, (old, cur) => JSON.stringify(old.spec ?? {}) !== JSON.stringify(cur.spec ?? {}));
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.quotas, this.pods, this.services, this.claims] }))) return;
    const resync = (async () => {
      while (!signal.aborted) {
        await sleep(this.resyncPeriodMs, signal);
        for (const q of this.quotas.lister.list()) this.queue.add(keyOf(q));
      }
    })();
    await Promise.all([runWorkers(this.queue, workers, (key) => this.sync(key)), resync]);
  }

  private enqueueNamespace(namespace: string | undefined): void {
    if (!namespace) return;
    for (const q of this.quotas.lister.list(namespace)) this.queue.add(keyOf(q));
  }

  private watchNamespaceChanges<T extends KObject>(inf: Informer<T>, changed?: (old: T, cur: T) => boolean): void {
    inf.addEventHandler({
      onAdd: (o) => this.enqueueNamespace(o.metadata.namespace),
      onUpdate: (old, cur) => {
        if (changed?.(old, cur)) this.enqueueNamespace(cur.metadata.namespace);
      },
      onDelete: (o) => this.enqueueNamespace(o.metadata.namespace),
    });
  }

  /** The informer counting `groupResource`, made on first use; undefined while the resource is unknown. */
  private async counter(groupResource: string): Promise<Informer<KObject> | undefined> {
    const known = this.counted.get(groupResource);
    if (known) return known;
    let ref = this.refs.get(groupResource);
    if (!ref && this.now() - this.lastDiscovery > DISCOVERY_MIN_INTERVAL_MS) {
      this.lastDiscovery = this.now();
      try {
        const { resources: found } = await discoverPreferredResources(this.client);
        for (const r of found) if (hasVerbs(r, 'list', 'watch')) this.refs.set(groupResourceString(r.ref), r.ref);
      } catch (err) {
        logError('resourcequota-controller', 'discovery failed', { err: String(err) });
      }
      ref = this.refs.get(groupResource);
    }
    if (!ref || !ref.namespaced) return undefined;
    const inf = this.informers.forResource<KObject>(ref);
    if (!this.counted.has(groupResource)) {
      this.counted.set(groupResource, inf);
      this.watchNamespaceChanges(inf);
    }
    return inf;
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const quota = this.quotas.lister.get(namespace, name);
    if (!quota) return;
    // Make sure every counted resource is being watched before counting.
    const counters = new Map<string, Informer<KObject> | undefined>();
    for (const res of Object.keys(quota.spec?.hard ?? {}).map(countedResource)) {
      if (res && res !== 'pods' && res !== 'services' && res !== 'persistentvolumeclaims') counters.set(res, await this.counter(res));
    }
    const { used, pending } = computeUsage(quota.spec, {
      pods: () => this.pods.lister.list(namespace),
      services: () => this.services.lister.list(namespace),
      claims: () => this.claims.lister.list(namespace),
      count: (res) => {
        const inf = counters.get(res);
        if (inf === undefined) return counters.has(res) ? 0 : undefined;
        return inf.hasSynced() ? inf.lister.list(namespace).length : undefined;
      },
    }, this.now());
    if (pending.length) this.queue.addAfter(key, PENDING_RETRY_MS);
    // Keep what was measured before for resources not counted yet.
    for (const p of pending) if (quota.status?.used?.[p] !== undefined) used[p] = quota.status.used[p];
    const hard = { ...(quota.spec?.hard ?? {}) };
    if (sameMap(quota.status?.hard, hard) && sameMap(quota.status?.used, used)) return;
    try {
      await this.client.updateStatus<ResourceQuota>(resources.resourcequotas, namespace, { ...quota, status: { hard, used } });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}
