// The scheduling framework without an API server, for unit tests of plugins: a cache and
// listers filled by hand, the real registry of plugins, and a client that records what the
// plugins write instead of sending it.
import { Indexer, Informer, Lister, type EventRecorder, type RestClient } from '../../src/client/index.js';
import type { KObject } from '../../src/api/resource.js';
import { SchedulerCache } from '../../src/scheduler/cache.js';
import { FitError } from '../../src/scheduler/fit-error.js';
import { Status, type ClusterEvent, type Handle } from '../../src/scheduler/framework/interface.js';
import { PodInfo } from '../../src/scheduler/framework/pod-info.js';
import { Framework, newCycleContext, type WeightedPlugin } from '../../src/scheduler/framework/runtime.js';
import { inTreeRegistry } from '../../src/scheduler/plugins/registry.js';
import { schedulePod } from '../../src/scheduler/schedule-pod.js';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, PodDisruptionBudget, PriorityClass, StorageClass } from '../../src/scheduler/types.js';
import { podKey } from '../../src/scheduler/types.js';
import { podGroups } from '../../src/scheduler/podgroup.js';

export interface RecordedCall {
  method: string;
  path?: string;
  resource?: string;
  name?: string;
  body?: unknown;
}

export interface HarnessOptions {
  disabled?: string[];
  pluginArgs?: Record<string, Record<string, unknown>>;
  percentageOfNodesToScore?: number;
}

let uid = 0;

export class Harness {
  readonly cache = new SchedulerCache();
  readonly calls: RecordedCall[] = [];
  readonly events: Array<{ name?: string; type: string; reason: string; message: string }> = [];
  readonly pods = new Indexer<Pod>();
  readonly nodes = new Indexer<Node>();
  readonly pvcs = new Indexer<PersistentVolumeClaim>();
  readonly pvs = new Indexer<PersistentVolume>();
  readonly storageClasses = new Indexer<StorageClass>();
  readonly pdbs = new Indexer<PodDisruptionBudget>();
  readonly priorityClasses = new Indexer<PriorityClass>();
  readonly namespaces = new Indexer<KObject>();
  readonly informers = new Map<string, Informer<any>>();
  readonly fwk: Framework;
  readonly client: RestClient;
  readonly activated: string[] = [];
  private readonly cursor = { next: 0 };

  constructor(private readonly opts: HarnessOptions = {}) {
    const record = (c: RecordedCall) => {
      this.calls.push(c);
      return Promise.resolve({});
    };
    this.client = {
      request: (method: string, path: string, body?: unknown) => record({ method, path, body }),
      patch: (res: { plural: string }, _ns: string, name: string, body: unknown) => record({ method: 'PATCH', resource: res.plural, name, body }),
      delete: (res: { plural: string }, _ns: string, name: string) => record({ method: 'DELETE', resource: res.plural, name }),
      create: (res: { plural: string }, _ns: string, body: KObject) => record({ method: 'POST', resource: res.plural, name: body.metadata?.name, body }),
      list: () => Promise.resolve({ metadata: {}, items: [] }),
    } as unknown as RestClient;
    const recorder = {
      event: (obj: KObject, type: string, reason: string, message: string) => this.events.push({ name: obj.metadata?.name, type, reason, message }),
    } as unknown as EventRecorder;
    let fwk!: Framework;
    const handle: Handle = {
      client: this.client,
      schedulerName: 'default-scheduler',
      recorder,
      nodeInfos: () => this.cache.nodeList(),
      nodeInfo: (n) => this.cache.nodeInfo(n),
      pods: this.cache,
      imageNodes: (i) => this.cache.imageNodes(i),
      namespaceLabels: (ns) => this.namespaces.get(ns)?.metadata.labels,
      listers: {
        pods: new Lister(this.pods), nodes: new Lister(this.nodes), pvcs: new Lister(this.pvcs), pvs: new Lister(this.pvs),
        storageClasses: new Lister(this.storageClasses), pdbs: new Lister(this.pdbs), priorityClasses: new Lister(this.priorityClasses),
      },
      nominatedPodsForNode: () => [],
      waitingPods: () => [],
      getWaitingPod: () => undefined,
      activate: (pods) => this.activated.push(...pods.map(podKey)),
      assignedNode: (key) => this.cache.nodeOfPod(key),
      informer: <T extends KObject>(res: { plural: string }, _e?: ClusterEvent) => {
        let inf = this.informers.get(res.plural);
        if (!inf) this.informers.set(res.plural, (inf = new Informer<T>(this.client, res as never)));
        return inf as Informer<T>;
      },
      runFilterPlugins: (state, pod, pi, node) => fwk.runFilter({ state, pod, podInfo: pi }, node),
      runPreFilterExtensionAddPod: (state, pi, toAdd, node) => fwk.runAddPod({ state, pod: pi.pod, podInfo: pi }, toAdd, node),
      runPreFilterExtensionRemovePod: (state, pi, toRemove, node) => fwk.runRemovePod({ state, pod: pi.pod, podInfo: pi }, toRemove, node),
    };
    const plugins: WeightedPlugin[] = inTreeRegistry
      .filter((e) => !opts.disabled?.includes(e.name))
      .map((e) => ({ plugin: e.factory(handle, opts.pluginArgs?.[e.name] ?? {}), weight: e.weight ?? 0 }));
    fwk = this.fwk = new Framework('default-scheduler', plugins, handle);
  }

  addNode(node: Node): this {
    this.nodes.set(node);
    this.cache.addNode(node);
    return this;
  }

  /** A pod already running on `nodeName`. */
  addPod(pod: Pod, nodeName: string): Pod {
    const bound = withUid({ ...pod, spec: { ...pod.spec, nodeName } });
    this.pods.set(bound);
    this.cache.addPod(bound);
    return bound;
  }

  /** Adds any object to the indexer of its kind. */
  set(obj: KObject): void {
    const byKind: Record<string, Indexer<any>> = {
      PersistentVolumeClaim: this.pvcs, PersistentVolume: this.pvs, StorageClass: this.storageClasses,
      PodDisruptionBudget: this.pdbs, PriorityClass: this.priorityClasses, Namespace: this.namespaces, Pod: this.pods,
    };
    if (obj.kind === 'PodGroup') this.fwk.handle.informer(podGroups);
    const idx = byKind[obj.kind!] ?? this.informers.get(String((obj.kind ?? '').toLowerCase()) + 's')?.indexer;
    if (!idx) throw new Error(`harness: no store for kind ${obj.kind}`);
    idx.set(obj);
  }

  /** One scheduling decision: the node name, or the FailedScheduling message. */
  schedule(pod: Pod): { node?: string; message?: string; fitError?: FitError; ctx: ReturnType<typeof newCycleContext> } {
    const p = withUid(pod);
    if (!this.pods.get(podKey(p))) this.pods.set(p);
    const ctx = newCycleContext(p, new PodInfo(p));
    const out = schedulePod(this.fwk, this.cache.nodeList(), ctx, { cursor: this.cursor, percentageOfNodesToScore: this.opts.percentageOfNodesToScore });
    if (out instanceof FitError) return { message: out.message, fitError: out, ctx };
    return { node: out.node, ctx };
  }

  /** schedule(), then PostFilter when nothing fits; returns the full message and the nominated node. */
  async scheduleWithPostFilter(pod: Pod): Promise<{ node?: string; message?: string; nominated?: string; status?: Status }> {
    const r = this.schedule(pod);
    if (!r.fitError) return { node: r.node };
    const pf = await this.fwk.runPostFilter(r.ctx, r.fitError.diagnosis.nodeToStatus);
    if (pf.status.reasons.length) r.fitError.diagnosis.postFilterMsg = pf.status.message();
    return { message: r.fitError.message, nominated: pf.result?.nominatedNodeName, status: pf.status };
  }

  /** Schedules and assumes the pod onto its node (as the scheduler does before binding). */
  scheduleAndAssume(pod: Pod): string | undefined {
    const r = this.schedule(pod);
    if (!r.node) return undefined;
    const p = r.ctx.pod;
    const assumed = { ...p, spec: { ...p.spec, nodeName: r.node } };
    this.cache.assumePod(r.ctx.podInfo.withPod(assumed), r.node);
    return r.node;
  }

  /** Raw per-node totals of the score plugins for a pod that fits everywhere. */
  scores(pod: Pod): Map<string, number> {
    const p = withUid(pod);
    const ctx = newCycleContext(p, new PodInfo(p));
    const nodes = this.cache.nodeList();
    const pre = this.fwk.runPreFilter(ctx, nodes);
    if (!pre.status.ok) throw new Error(pre.status.message());
    const feasible = nodes.filter((n) => this.fwk.runFilter(ctx, n).ok);
    return new Map(this.fwk.runScoring(ctx, feasible).map((s) => [s.name, s.score]));
  }
}

function withUid<T extends KObject>(o: T): T {
  if (o.metadata.uid) return o;
  return { ...o, metadata: { ...o.metadata, uid: `uid-${++uid}`, creationTimestamp: o.metadata.creationTimestamp ?? new Date(Date.now() + uid).toISOString() } };
}


