// The scheduler (pkg/scheduler): informers feed the cache (nodes, bound pods) and the queue
// (pods without a node whose spec.schedulerName is one of our profiles). One loop pops the most
// important pod and runs its scheduling cycle — PreFilter, Filter over the nodes, Score, Reserve,
// Permit — synchronously against the cache, assumes the pod onto the chosen node and starts its
// binding cycle (wait at Permit, PreBind, Bind) in the background, so the next pod is considered
// while the API server writes the last one's binding.
import { hostname } from 'node:os';
import { setImmediate as yieldToIO } from 'node:timers/promises';
import type { KObject } from '../api/resource.js';
import { EventBroadcaster, Informer, InformerFactory, isConflict, isNotFound, resources, type EventRecorder, type ResourceRef, type RestClient } from '../client/index.js';
import { log, logError } from '../machinery/log.js';
import { FitError } from './fit-error.js';
import { schedulePod } from './schedule-pod.js';
import { Code, Status, type ClusterEvent, type CycleContext, type Handle, type Plugin } from './framework/interface.js';
import { Framework, newCycleContext, type WeightedPlugin } from './framework/runtime.js';
import { WaitingPodImpl } from './framework/waiting-pod.js';
import { SchedulerCache } from './cache.js';
import { inTreeRegistry, type RegistryEntry } from './plugins/registry.js';
import { SchedulingQueue, type QueuedPodInfo } from './queue.js';
import { Semaphore } from './semaphore.js';
import { Nominator } from './nominator.js';
import { labelsChanged, nodeUpdateEvents, specOrMetaChanged } from './cluster-events.js';
import {
  DEFAULT_SCHEDULER_NAME, isTerminal, podKey,
  type Node, type PersistentVolume, type PersistentVolumeClaim, type Pod, type PodCondition, type PodDisruptionBudget, type PriorityClass, type StorageClass,
} from './types.js';

export interface ProfileConfig {
  schedulerName: string;
  /** Registry plugins left out of this profile. */
  disabled?: string[];
  /** Per-plugin arguments, e.g. NodeResourcesFit's scoringStrategy. */
  pluginArgs?: Record<string, Record<string, unknown>>;
  /** Score weights overriding the registry's defaults. */
  weights?: Record<string, number>;
}

export interface SchedulerConfig {
  client: RestClient;
  profiles?: ProfileConfig[];
  /** Share of nodes to find feasible before scoring (0: kube-scheduler's adaptive default). */
  percentageOfNodesToScore?: number;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  /** Extra or replacement plugins, in filter order, appended to the in-tree registry. */
  registry?: RegistryEntry[];
  /** Binding requests in flight at once (default 32); more wait their turn. */
  maxConcurrentBindings?: number;
  /** Called once a pod is bound, with the time since it first entered the queue. */
  onBound?: (pod: Pod, nodeName: string, queuedForMs: number) => void;
  /** Called after each scheduling cycle with its outcome and duration (kube-scheduler's scheduling_attempt_duration). */
  onAttempt?: (pod: Pod, result: 'scheduled' | 'unschedulable' | 'error', cycleMs: number) => void;
}

const COMPONENT = 'scheduler';

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly frameworks = new Map<string, Framework>();
  private readonly factory: InformerFactory;
  private readonly broadcaster: EventBroadcaster;
  private readonly recorders = new Map<string, EventRecorder>();
  private readonly informers: {
    pods: Informer<Pod>; nodes: Informer<Node>; namespaces: Informer; pvcs: Informer<PersistentVolumeClaim>; pvs: Informer<PersistentVolume>;
    storageClasses: Informer<StorageClass>; pdbs: Informer<PodDisruptionBudget>; priorityClasses: Informer<PriorityClass>;
  };
  private readonly nominator = new Nominator();
  private readonly waiting = new Map<string, WaitingPodImpl>();
  /** Plugin name → the cluster events after which a pod it rejected may fit. */
  private readonly pluginEvents = new Map<string, Set<ClusterEvent>>();
  private readonly cursor = { next: 0 };
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly bindings = new Set<Promise<void>>();
  private readonly extraInformers = new Map<string, Informer<any>>();
  private readonly stopper = new AbortController();
  private readonly bindSlots: Semaphore;

  constructor(readonly config: SchedulerConfig) {
    const transform = (o: { metadata?: { managedFields?: unknown } }) => {
      if (o.metadata?.managedFields) delete o.metadata.managedFields;
      return o;
    };
    this.factory = new InformerFactory(config.client, { transform: transform as never });
    this.informers = {
      pods: this.factory.forResource<Pod>(resources.pods),
      nodes: this.factory.forResource<Node>(resources.nodes),
      namespaces: this.factory.forResource(resources.namespaces),
      pvcs: this.factory.forResource<PersistentVolumeClaim>(resources.persistentvolumeclaims),
      pvs: this.factory.forResource<PersistentVolume>(resources.persistentvolumes),
      storageClasses: this.factory.forResource<StorageClass>(resources.storageclasses),
      pdbs: this.factory.forResource<PodDisruptionBudget>(resources.poddisruptionbudgets),
      priorityClasses: this.factory.forResource<PriorityClass>(resources.priorityclasses),
    };
    this.broadcaster = new EventBroadcaster(config.client);
    this.bindSlots = new Semaphore(config.maxConcurrentBindings ?? 32);
    this.queue = new SchedulingQueue({
      initialBackoffMs: config.podInitialBackoffMs,
      maxBackoffMs: config.podMaxBackoffMs,
      interested: (plugins, event) => {
        for (const p of plugins) if (this.pluginEvents.get(p)?.has(event)) return true;
        return false;
      },
    });
    const registry = [...inTreeRegistry.filter((e) => !config.registry?.some((r) => r.name === e.name)), ...(config.registry ?? [])];
    for (const profile of config.profiles ?? [{ schedulerName: DEFAULT_SCHEDULER_NAME }]) {
      const recorder = this.broadcaster.newRecorder({ component: profile.schedulerName, host: hostname() });
      this.recorders.set(profile.schedulerName, recorder);
      let fwk!: Framework;
      const handle = this.makeHandle(profile.schedulerName, recorder, () => fwk);
      const plugins: WeightedPlugin[] = [];
      for (const entry of registry) {
        if (profile.disabled?.includes(entry.name)) continue;
        const plugin = entry.factory(handle, profile.pluginArgs?.[entry.name] ?? {});
        plugins.push({ plugin, weight: profile.weights?.[entry.name] ?? entry.weight ?? 0 });
        let evs = this.pluginEvents.get(plugin.name);
        if (!evs) this.pluginEvents.set(plugin.name, (evs = new Set()));
        for (const e of plugin.events ?? []) evs.add(e);
      }
      fwk = new Framework(profile.schedulerName, plugins, handle);
      this.frameworks.set(profile.schedulerName, fwk);
    }
  }

  /** An informer outside the factory, so a resource that may not be served yet cannot hold up start. */
  private extraInformer<T extends KObject>(res: ResourceRef, event?: ClusterEvent): Informer<T> {
    const key = `${res.group}/${res.version}/${res.plural}`;
    let inf = this.extraInformers.get(key) as Informer<T> | undefined;
    if (!inf) {
      inf = new Informer<T>(this.config.client, res, { backoff: { initialMs: 200, maxMs: 5000 } });
      if (event) {
        inf.addEventHandler({
          onAdd: (_o, initial) => { if (!initial) this.queue.moveAllToActiveOrBackoff(event); },
          onUpdate: (o, n) => { if (o !== n) this.queue.moveAllToActiveOrBackoff(event); },
          onDelete: () => this.queue.moveAllToActiveOrBackoff(event),
        });
      }
      this.extraInformers.set(key, inf);
      if (!this.stopped) inf.start();
    }
    return inf;
  }

  /** Starts informers, waits for their caches, and runs the scheduling loop until stop(). */
  async start(signal?: AbortSignal): Promise<void> {
    this.registerHandlers();
    this.factory.start();
    for (const fwk of this.frameworks.values()) {
      for (const p of fwk.plugins) {
        if (!p.start) continue;
        Promise.resolve()
          .then(() => p.start!(this.stopper.signal))
          .catch((err) => logError(COMPONENT, 'plugin failed to start', { plugin: p.name, err: String(err) }));
      }
    }
    const synced = await this.waitForCaches(signal);
    if (!synced || this.stopped) return;
    this.queue.run();
    log(COMPONENT, 'caches synced; scheduling', { profiles: [...this.frameworks.keys()], nodes: this.cache.nodeCount() });
    this.running = this.loop();
  }

  private async waitForCaches(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (this.stopped || signal?.aborted) return false;
      if (await this.factory.waitForSync(1000)) return true;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopper.abort();
    this.queue.close();
    for (const w of this.waiting.values()) w.reject('', 'scheduler stopped');
    await this.running;
    await Promise.allSettled([...this.bindings]);
    await this.factory.stop();
    await Promise.all([...this.extraInformers.values()].map((i) => i.stop()));
    await this.broadcaster.shutdown();
  }

  private async loop(): Promise<void> {
    for (;;) {
      const q = await this.queue.pop();
      if (!q || this.stopped) return;
      try {
        await this.scheduleOne(q);
      } catch (err) {
        logError(COMPONENT, 'scheduling attempt failed unexpectedly', { pod: q.key, err: String(err instanceof Error ? err.stack : err) });
        this.queue.requeue(q, new Set());
      }
      // Let watch events and binding answers in between decisions.
      await yieldToIO();
    }
  }

  // ---- one pod ----

  private async scheduleOne(q: QueuedPodInfo): Promise<void> {
    const pod = q.info.pod;
    const fwk = this.frameworks.get(pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME);
    const current = this.informers.pods.lister.get(pod.metadata.namespace, pod.metadata.name!);
    if (!fwk || !current || current.metadata.uid !== pod.metadata.uid || current.metadata.deletionTimestamp || current.spec?.nodeName) {
      this.queue.done(q.key);
      return;
    }
    const ctx = newCycleContext(pod, q.info);
    const t0 = performance.now();
    const attempt = (result: 'scheduled' | 'unschedulable' | 'error') => this.config.onAttempt?.(pod, result, performance.now() - t0);
    if (q.info.parseErrors.length) {
      this.fail(fwk, q, ctx, Status.unresolvable(`invalid affinity: ${q.info.parseErrors.join('; ')}`));
      return;
    }
    let outcome: { node: string } | FitError;
    try {
      outcome = schedulePod(fwk, this.cache.nodeList(), ctx, { cursor: this.cursor, percentageOfNodesToScore: this.config.percentageOfNodesToScore });
    } catch (err) {
      attempt('error');
      this.fail(fwk, q, ctx, Status.error(err));
      return;
    }
    if (outcome instanceof FitError) {
      attempt('unschedulable');
      let nominatedNodeName: string | undefined;
      if (fwk.postFilter.length && !outcome.diagnosis.preFilterMsg?.startsWith('no nodes')) {
        const pf = await fwk.runPostFilter(ctx, outcome.diagnosis.nodeToStatus);
        if (pf.status.reasons.length && pf.status.code !== Code.Error) outcome.diagnosis.postFilterMsg = pf.status.message();
        if (pf.status.code === Code.Error) logError(COMPONENT, 'PostFilter failed', { pod: q.key, err: pf.status.message() });
        nominatedNodeName = pf.result?.nominatedNodeName;
      }
      this.fail(fwk, q, ctx, outcome, nominatedNodeName);
      return;
    }
    this.assumeAndBind(fwk, q, ctx, outcome.node);
    attempt('scheduled');
  }

  private assumeAndBind(fwk: Framework, q: QueuedPodInfo, ctx: CycleContext, node: string): void {
    const assumed: Pod = { ...ctx.pod, spec: { ...ctx.pod.spec, nodeName: node } };
    const info = q.info.withPod(assumed);
    try {
      this.cache.assumePod(info, node);
    } catch (err) {
      this.fail(fwk, q, ctx, Status.error(err));
      return;
    }
    const reserve = fwk.runReserve(ctx, node);
    if (!reserve.ok) {
      fwk.runUnreserve(ctx, node);
      this.cache.forgetPod(q.key);
      this.fail(fwk, q, ctx, reserve);
      return;
    }
    const permit = fwk.runPermit(ctx, node);
    if (!permit.status.ok && permit.status.code !== Code.Wait) {
      fwk.runUnreserve(ctx, node);
      this.cache.forgetPod(q.key);
      this.fail(fwk, q, ctx, permit.status);
      return;
    }
    let waiting: WaitingPodImpl | undefined;
    if (permit.status.code === Code.Wait) {
      waiting = new WaitingPodImpl(ctx.pod, node, permit.waitFor);
      this.waiting.set(q.key, waiting);
    }
    const p = this.bindingCycle(fwk, q, ctx, node, waiting).finally(() => this.bindings.delete(p));
    this.bindings.add(p);
  }

  private async bindingCycle(fwk: Framework, q: QueuedPodInfo, ctx: CycleContext, node: string, waiting: WaitingPodImpl | undefined): Promise<void> {
    const undo = (s: Status, requeue = true) => {
      fwk.runUnreserve(ctx, node);
      this.cache.forgetPod(q.key);
      // The room the pod held is free again: pods waiting for room may fit now.
      this.queue.moveAllToActiveOrBackoff('AssignedPodDelete');
      if (requeue) this.fail(fwk, q, ctx, s);
      else this.queue.done(q.key);
    };
    if (waiting) {
      const s = await waiting.result;
      this.waiting.delete(q.key);
      if (!s.ok) return undo(s);
    }
    const pre = await fwk.runPreBind(ctx, node);
    if (!pre.ok) return undo(pre);
    const bound = await this.bindSlots.run(() => fwk.runBind(ctx, node));
    if (!bound.ok) {
      // Deleted meanwhile, or bound by someone else: nothing to retry.
      const gone = !this.informers.pods.lister.get(ctx.pod.metadata.namespace, ctx.pod.metadata.name!);
      return undo(bound, !gone && !/already assigned|being deleted|not found/i.test(bound.message()));
    }
    const recorder = this.recorders.get(fwk.schedulerName)!;
    recorder.event(ctx.pod, 'Normal', 'Scheduled', `Successfully assigned ${ctx.pod.metadata.namespace}/${ctx.pod.metadata.name} to ${node}`);
    fwk.runPostBind(ctx, node);
    this.queue.done(q.key);
    this.config.onBound?.(ctx.pod, node, Date.now() - q.initialTimestamp);
  }

  /**
   * A failed attempt: the pod goes back to the queue, the user learns why from a FailedScheduling
   * event and the PodScheduled=False condition (what `kubectl describe pod` shows).
   */
  private fail(fwk: Framework, q: QueuedPodInfo, ctx: CycleContext, err: FitError | Status, nominatedNodeName?: string): void {
    const current = this.informers.pods.lister.get(ctx.pod.metadata.namespace, ctx.pod.metadata.name!);
    if (!current || current.metadata.uid !== ctx.pod.metadata.uid || current.spec?.nodeName) {
      this.queue.done(q.key);
      return;
    }
    let plugins: Set<string>;
    let message: string;
    let reason: string;
    if (err instanceof FitError) {
      plugins = err.diagnosis.unschedulablePlugins;
      message = err.message;
      reason = 'Unschedulable';
    } else if (err.isRejected) {
      plugins = new Set(err.plugin ? [err.plugin] : []);
      message = err.message();
      reason = 'Unschedulable';
    } else {
      plugins = new Set();
      message = err.message();
      reason = 'SchedulerError';
    }
    this.queue.requeue(q, plugins, this.withPriority(current));
    if (nominatedNodeName !== undefined) this.nominator.nominate(current, nominatedNodeName);
    this.recorders.get(fwk.schedulerName)!.event(ctx.pod, 'Warning', 'FailedScheduling', message);
    void this.updatePodScheduledCondition(current, reason, message, nominatedNodeName);
  }

  private async updatePodScheduledCondition(pod: Pod, reason: string, message: string, nominatedNodeName: string | undefined): Promise<void> {
    const conds = pod.status?.conditions ?? [];
    const old = conds.find((c) => c.type === 'PodScheduled');
    const nominationChanged = nominatedNodeName !== undefined && nominatedNodeName !== (pod.status?.nominatedNodeName ?? '');
    if (old && old.status === 'False' && old.reason === reason && old.message === message && !nominationChanged) return;
    const cond: PodCondition = {
      type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null,
      lastTransitionTime: old && old.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    const status: Record<string, unknown> = { conditions: [...conds.filter((c) => c.type !== 'PodScheduled'), cond] };
    if (nominationChanged) status.nominatedNodeName = nominatedNodeName || null;
    try {
      await this.config.client.patch(resources.pods, pod.metadata.namespace, pod.metadata.name!, { metadata: { uid: pod.metadata.uid }, status }, 'merge', { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) logError(COMPONENT, 'unable to update pod status', { pod: podKey(pod), err: String(err) });
    }
  }

  // ---- informer events ----

  private responsibleFor(pod: Pod): boolean {
    return this.frameworks.has(pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME);
  }

  private registerHandlers(): void {
    const { pods, nodes } = this.informers;
    nodes.addEventHandler({
      onAdd: (n) => {
        this.cache.addNode(n);
        this.queue.moveAllToActiveOrBackoff('NodeAdd');
      },
      onUpdate: (old, n) => {
        this.cache.updateNode(n);
        for (const e of nodeUpdateEvents(old, n)) this.queue.moveAllToActiveOrBackoff(e);
      },
      onDelete: (n) => {
        this.cache.removeNode(n.metadata.name!);
      },
    });
    pods.addEventHandler({
      onAdd: (p) => this.onPodAdd(p),
      onUpdate: (old, p) => this.onPodUpdate(old, p),
      onDelete: (p) => this.onPodDelete(p),
    });
    const moveOn = (inf: Informer<any>, add: ClusterEvent, update: ClusterEvent) => inf.addEventHandler({
      onAdd: (_o, initial) => { if (!initial) this.queue.moveAllToActiveOrBackoff(add); },
      onUpdate: (o, n) => { if (o !== n) this.queue.moveAllToActiveOrBackoff(update); },
    });
    moveOn(this.informers.pvcs, 'PvcAdd', 'PvcUpdate');
    moveOn(this.informers.pvs, 'PvAdd', 'PvUpdate');
    moveOn(this.informers.storageClasses, 'StorageClassAdd', 'StorageClassAdd');
    moveOn(this.informers.namespaces, 'NamespaceChange', 'NamespaceChange');
    moveOn(this.informers.pdbs, 'PdbChange', 'PdbChange');
  }

  private onPodAdd(p: Pod): void {
    if (p.spec?.nodeName) {
      this.cache.addPod(this.withPriority(p));
      this.nominator.remove(podKey(p));
      this.queue.moveAllToActiveOrBackoff('AssignedPodAdd');
      return;
    }
    if (!this.responsibleFor(p) || isTerminal(p) || p.metadata.deletionTimestamp) return;
    if (p.spec?.schedulingGates?.length) return this.gated(p);
    const pod = this.withPriority(p);
    if (pod.status?.nominatedNodeName) this.nominator.nominate(pod, pod.status.nominatedNodeName);
    this.queue.add(pod);
    this.queue.moveAllToActiveOrBackoff('PodAdd');
  }

  private onPodUpdate(old: Pod, p: Pod): void {
    const key = podKey(p);
    if (p.spec?.nodeName) {
      if (!old.spec?.nodeName) {
        // Bound (by us or anyone): it leaves the queue and counts on its node.
        this.queue.delete(key);
        this.nominator.remove(key);
        this.cache.addPod(this.withPriority(p));
        this.queue.moveAllToActiveOrBackoff('AssignedPodAdd');
        return;
      }
      const wasTerminal = isTerminal(old);
      this.cache.updatePod(this.withPriority(p));
      if (!wasTerminal && isTerminal(p)) this.queue.moveAllToActiveOrBackoff('AssignedPodDelete');
      else if (labelsChanged(old, p)) this.queue.moveAllToActiveOrBackoff('AssignedPodUpdate');
      return;
    }
    if (!this.responsibleFor(p) || isTerminal(p) || p.metadata.deletionTimestamp) {
      this.queue.delete(key);
      return;
    }
    if (this.cache.isAssumed(key)) return;
    if (p.spec?.schedulingGates?.length) return this.gated(p);
    // Our own status writes (conditions, nomination) are no reason to try again.
    if (!specOrMetaChanged(old, p)) {
      if (p.status?.nominatedNodeName !== old.status?.nominatedNodeName) {
        if (p.status?.nominatedNodeName) this.nominator.nominate(p, p.status.nominatedNodeName);
        else this.nominator.remove(key);
      }
      return;
    }
    this.queue.update(this.withPriority(p));
  }

  private onPodDelete(p: Pod): void {
    const key = podKey(p);
    this.nominator.remove(key);
    this.waiting.get(key)?.reject('', 'pod deleted');
    if (p.spec?.nodeName || this.cache.nodeOfPod(key)) {
      this.cache.removePod(key);
      this.queue.moveAllToActiveOrBackoff('AssignedPodDelete');
    }
    this.queue.delete(key);
  }

  /** A pod with scheduling gates waits outside the queue; its condition says so, as kube-scheduler's does. */
  private gated(p: Pod): void {
    this.queue.delete(podKey(p));
    const c = p.status?.conditions?.find((x) => x.type === 'PodScheduled');
    if (c?.reason === 'SchedulingGated') return;
    void this.updatePodScheduledCondition(p, 'SchedulingGated', 'Scheduling is blocked due to non-empty scheduling gates', undefined);
  }

  /** A pod admitted without the Priority admission plugin gets its class's value here. */
  private withPriority(p: Pod): Pod {
    if (p.spec?.priority !== undefined && p.spec.priority !== null) return p;
    const cls = p.spec?.priorityClassName;
    let value: number | undefined;
    if (cls) value = this.informers.priorityClasses.lister.get(undefined, cls)?.value;
    else value = this.informers.priorityClasses.lister.list().find((c) => c.globalDefault)?.value;
    if (value === undefined) return p;
    return { ...p, spec: { ...p.spec, priority: value } };
  }

  // ---- the handle plugins get ----

  private makeHandle(schedulerName: string, recorder: EventRecorder, fwk: () => Framework): Handle {
    const inf = this.informers;
    return {
      client: this.config.client,
      schedulerName,
      recorder,
      nodeInfos: () => this.cache.nodeList(),
      nodeInfo: (name) => this.cache.nodeInfo(name),
      pods: this.cache,
      imageNodes: (image) => this.cache.imageNodes(image),
      namespaceLabels: (ns) => inf.namespaces.lister.get(undefined, ns)?.metadata.labels,
      listers: {
        pods: inf.pods.lister, nodes: inf.nodes.lister, pvcs: inf.pvcs.lister, pvs: inf.pvs.lister,
        storageClasses: inf.storageClasses.lister, pdbs: inf.pdbs.lister, priorityClasses: inf.priorityClasses.lister,
      },
      nominatedPodsForNode: (node) => this.nominator.podsForNode(node),
      waitingPods: () => [...this.waiting.values()].filter((w) => !w.done),
      getWaitingPod: (key) => {
        const w = this.waiting.get(key);
        return w && !w.done ? w : undefined;
      },
      activate: (pods) => this.queue.activate(pods.map(podKey)),
      assignedNode: (key) => this.cache.nodeOfPod(key),
      informer: <T extends KObject>(res: ResourceRef, event?: ClusterEvent) => this.extraInformer<T>(res, event),
      runFilterPlugins: (state, pod, pi, node) => fwk().runFilter({ state, pod, podInfo: pi }, node),
      runPreFilterExtensionAddPod: (state, pi, toAdd, node) => fwk().runAddPod({ state, pod: pi.pod, podInfo: pi }, toAdd, node),
      runPreFilterExtensionRemovePod: (state, pi, toRemove, node) => fwk().runRemovePod({ state, pod: pi.pod, podInfo: pi }, toRemove, node),
    };
  }

  /** The plugin instance of a profile, for tests. */
  plugin(name: string, schedulerName = DEFAULT_SCHEDULER_NAME): Plugin | undefined {
    return this.frameworks.get(schedulerName)?.plugin(name);
  }
}
