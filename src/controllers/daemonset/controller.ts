// The daemonset controller: informer handlers enqueue the DaemonSets a pod, node or revision
// event concerns; sync(key) settles the current revision, puts one pod on every node that should
// run it and none elsewhere (manage.ts), rolls the template out (rolling.ts), prunes history and
// writes the status. Pods are pinned to their node by node affinity and bound by the scheduler.
import type { KObject } from '../../api/resource.js';
import {
  isNotFound, isTimeout, keyOf, resources, runWorkers, splitKey, WorkQueue, type EventRecorder, type Informer, type RestClient,
} from '../../client/index.js';
import { selectorFromLabelSelector, type Selector } from '../../machinery/labels.js';
import { log, logError } from '../../machinery/log.js';
import { ControllerHistory } from '../history/history.js';
import type { ControllerRevision } from '../history/revision.js';
import { adoptPatch, claimObjects, releasePatch } from '../util/controller-ref.js';
import { Expectations } from '../util/expectations.js';
import { ensureControllerUIDIndex, getControllerOf, ownedAndOrphans } from '../util/owner.js';
import { isPodReady, podKey } from '../util/pod.js';
import { errorMessage, RealPodControl, type PodControl } from '../util/pod-control.js';
import { forEachLimited, MAX_IN_FLIGHT, slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from '../util/slow-start.js';
import type { PodTemplateSpec } from '../util/types.js';
import { FailedPodBackoff } from './backoff.js';
import { planNode } from './manage.js';
import { addDaemonTolerations, nodeShouldRunDaemonPod, pinToNode, targetNodeName, type Placement } from './placement.js';
import { allowsSurge, countsOnNode, isRollingUpdate, templateGeneration } from './pods.js';
import { controllerRefFor, DaemonSetRevisions } from './revisions.js';
import { rollingUpdatePlan } from './rolling.js';
import { computeStatus, statusChanged, statusPatch } from './status.js';
import {
  HASH_LABEL, TEMPLATE_GENERATION_LABEL, type DaemonPodSpec, type DaemonSet, type Node, type Pod,
} from './types.js';
import { readyToRun } from '../util/ready-to-run.js';

const NAME = 'daemonset-controller';

/** Kubernetes' BurstReplicas for DaemonSets: at most this many creations or deletions per sync. */
export const DS_BURST_REPLICAS = 250;

export interface DaemonSetControllerOptions {
  client: RestClient;
  recorder: EventRecorder;
  daemonSets: Informer<DaemonSet>;
  pods: Informer<Pod>;
  nodes: Informer<Node>;
  revisions: Informer<ControllerRevision>;
  podControl?: PodControl;
  now?: () => number;
}

/** controller.CreatePodTemplate: the daemon tolerations, the template generation and hash labels. */
export function daemonPodTemplate(template: PodTemplateSpec, generation: number | undefined, hash: string): PodTemplateSpec {
  const t = structuredClone(template ?? {});
  const spec = (t.spec ??= {}) as DaemonPodSpec;
  addDaemonTolerations(spec);
  const labels = { ...(t.metadata?.labels ?? {}) };
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash) labels[HASH_LABEL] = hash;
  t.metadata = { ...(t.metadata ?? {}), labels };
  return t;
}

export class DaemonSetController {
  readonly queue = new WorkQueue<string>({ name: NAME });
  /** Creations in flight, per DaemonSet. */
  readonly creations: Expectations;
  /** Deletions in flight, per DaemonSet, by pod key. */
  readonly deletions: Expectations;
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly daemonSets: Informer<DaemonSet>;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly revisionInformer: Informer<ControllerRevision>;
  private readonly revisions: DaemonSetRevisions;
  private readonly podControl: PodControl;
  private readonly backoff = new FailedPodBackoff();
  private readonly now: () => number;

  constructor(opts: DaemonSetControllerOptions) {
    this.client = opts.client;
    this.recorder = opts.recorder;
    this.daemonSets = opts.daemonSets;
    this.pods = opts.pods;
    this.nodes = opts.nodes;
    this.revisionInformer = opts.revisions;
    this.now = opts.now ?? Date.now;
    this.creations = new Expectations(this.now);
    this.deletions = new Expectations(this.now);
    this.podControl = opts.podControl ?? new RealPodControl(opts.client, opts.recorder);
    const history = new ControllerHistory(opts.client, opts.revisions);
    this.revisions = new DaemonSetRevisions(opts.client, history);
    ensureControllerUIDIndex(this.pods.indexer);
    this.daemonSets.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (_old, ds) => this.enqueue(ds),
      onDelete: (ds) => {
        this.creations.delete(keyOf(ds));
        this.deletions.delete(keyOf(ds));
        this.enqueue(ds);
      },
    });
    opts.revisions.addEventHandler({
      onAdd: (r) => this.enqueueOwner(r),
      onUpdate: (_old, r) => this.enqueueOwner(r),
      onDelete: (r) => this.enqueueOwner(r),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.onPodAdded(p),
      onUpdate: (old, cur) => this.onPodUpdated(old, cur),
      onDelete: (p) => this.onPodDeleted(p),
    });
    this.nodes.addEventHandler({
      onAdd: (n) => this.onNodeAdded(n),
      onUpdate: (old, cur) => this.onNodeUpdated(old, cur),
      // Pods bound to a node that is gone are this controller's to remove (k8ts runs no pod GC).
      onDelete: () => this.enqueueAll(),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.daemonSets, this.pods, this.nodes, this.revisionInformer] }))) return;
    const gc = setInterval(() => this.backoff.gc(this.now()), 60_000);
    gc.unref?.();
    signal.addEventListener('abort', () => clearInterval(gc), { once: true });
    await runWorkers(this.queue, workers, (key) => this.sync(key));
  }

  private enqueue(obj: KObject): void {
    this.queue.add(keyOf(obj));
  }

  private enqueueAll(): void {
    for (const ds of this.daemonSets.lister.list()) this.enqueue(ds);
  }

  // ---- event handlers ----

  private resolveControllerRef(obj: KObject): DaemonSet | undefined {
    const ref = getControllerOf(obj);
    if (!ref || ref.kind !== 'DaemonSet' || !ref.apiVersion?.startsWith('apps/')) return undefined;
    const ds = this.daemonSets.lister.get(obj.metadata.namespace, ref.name);
    return ds && ds.metadata.uid === ref.uid ? ds : undefined;
  }

  private enqueueOwner(obj: KObject): void {
    const ds = this.resolveControllerRef(obj);
    if (ds) this.enqueue(ds);
  }

  private setsSelecting(pod: Pod): DaemonSet[] {
    return this.daemonSets.lister.list(pod.metadata.namespace).filter((ds) => {
      try {
        const sel = selectorFromLabelSelector(ds.spec.selector);
        return !sel.empty && sel.matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private onPodAdded(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // A restarted controller may see a pod already being deleted: count it as a deletion.
      this.onPodDeleted(pod);
      return;
    }
    if (getControllerOf(pod)) {
      const ds = this.resolveControllerRef(pod);
      if (!ds) return;
      this.creations.creationObserved(keyOf(ds));
      this.enqueue(ds);
      return;
    }
    for (const ds of this.setsSelecting(pod)) this.enqueue(ds);
  }

  private onPodUpdated(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      this.onPodDeleted(cur);
      return;
    }
    const oldRef = getControllerOf(old);
    const curRef = getControllerOf(cur);
    if (oldRef && oldRef.uid !== curRef?.uid) this.enqueueOwner(old);
    if (curRef) {
      const ds = this.resolveControllerRef(cur);
      if (!ds) return;
      this.enqueue(ds);
      const minReady = ds.spec.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(keyOf(ds), minReady * 1000 + 1000);
      return;
    }
    if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {}) || oldRef) {
      for (const ds of this.setsSelecting(cur)) this.enqueue(ds);
    }
  }

  private onPodDeleted(pod: Pod): void {
    const ds = this.resolveControllerRef(pod);
    if (!ds) return;
    this.deletions.deletionObserved(keyOf(ds), podKey(pod));
    this.enqueue(ds);
  }

  private onNodeAdded(node: Node): void {
    for (const ds of this.daemonSets.lister.list()) if (nodeShouldRunDaemonPod(node, ds).shouldRun) this.enqueue(ds);
  }

  private onNodeUpdated(old: Node, cur: Node): void {
    if (!placementMayDiffer(old, cur)) return;
    for (const ds of this.daemonSets.lister.list()) {
      const a = nodeShouldRunDaemonPod(old, ds);
      const b = nodeShouldRunDaemonPod(cur, ds);
      if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) this.enqueue(ds);
    }
  }

  // ---- sync ----

  private satisfied(key: string): boolean {
    return this.creations.satisfied(key) && this.deletions.satisfied(key);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ds = this.daemonSets.lister.get(namespace, name);
    if (!ds) {
      this.creations.delete(key);
      this.deletions.delete(key);
      return;
    }
    let selector: Selector;
    try {
      selector = selectorFromLabelSelector(ds.spec.selector);
    } catch (err) {
      logError(NAME, 'cannot parse the selector', { key, err: String(err) });
      return;
    }
    if (selector.empty) {
      this.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // Whether its revisions were deleted or orphaned is unknown while it is being deleted.
    if (ds.metadata.deletionTimestamp) return;
    const nodes = this.nodes.lister.list();
    const pods = await this.claimPods(ds, selector);
    const { old, hash } = await this.revisions.construct(ds, selector, pods);

    if (!this.satisfied(key)) {
      // Only the status: the generation was not acted on.
      await this.writeStatus(ds, nodes, this.nodeToPods(pods), hash, false);
      return;
    }
    let failure: unknown;
    try {
      await this.manage(ds, nodes, pods, hash, key);
      if (this.satisfied(key) && isRollingUpdate(ds)) {
        const plan = rollingUpdatePlan(ds, nodes, this.nodeToPods(pods), hash, this.now());
        if (plan.deletePods.length || plan.createOnNodes.length) await this.syncNodes(ds, key, plan.deletePods, plan.createOnNodes, hash);
      }
      await this.revisions.cleanup(ds, old, pods);
    } catch (err) {
      failure = err;
    }
    try {
      await this.writeStatus(ds, nodes, this.nodeToPods(pods), hash, true);
    } catch (err) {
      failure ??= err;
    }
    if (failure !== undefined) throw failure;
  }

  /** The pods the DaemonSet controls, adopting orphans its selector matches and releasing the rest. */
  private claimPods(ds: DaemonSet, selector: Selector): Promise<Pod[]> {
    const ns = ds.metadata.namespace!;
    const ref = controllerRefFor(ds);
    return claimObjects(ownedAndOrphans(this.pods.indexer, ds), {
      owner: ds,
      selector,
      getFresh: () => this.client.get(resources.daemonsets, ns, ds.metadata.name!),
      adopt: (pod) => this.podControl.patchPod(ns, pod.metadata.name!, adoptPatch(ref, pod.metadata.uid)),
      release: (pod) => this.podControl.patchPod(ns, pod.metadata.name!, releasePatch(ds.metadata.uid!, pod.metadata.uid)),
    });
  }

  /** Pods by the node they are on or pinned to (getNodesToDaemonPods). */
  private nodeToPods(pods: Pod[]): Map<string, Pod[]> {
    const out = new Map<string, Pod[]>();
    for (const pod of pods) {
      if (!countsOnNode(pod)) continue;
      const node = targetNodeName(pod);
      if (!node) continue;
      let list = out.get(node);
      if (!list) out.set(node, (list = []));
      list.push(pod);
    }
    return out;
  }

  private async manage(ds: DaemonSet, nodes: Node[], pods: Pod[], hash: string, key: string): Promise<void> {
    const nodeToPods = this.nodeToPods(pods);
    const create: string[] = [];
    const del: Pod[] = [];
    const now = this.now();
    const surge = allowsSurge(ds);
    for (const node of nodes) {
      const nodeName = node.metadata.name!;
      const placement: Placement = nodeShouldRunDaemonPod(node, ds);
      const plan = planNode(placement, nodeToPods.get(nodeName), {
        hash, surge, minReadySeconds: ds.spec.minReadySeconds ?? 0, now,
        onFailedPod: (pod) => {
          const bk = `${ds.metadata.uid}/${nodeName}`;
          if (this.backoff.inBackoff(bk, now)) {
            this.queue.addAfter(key, this.backoff.delay(bk));
            return false;
          }
          this.backoff.next(bk, now);
          this.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to kill it`);
          return true;
        },
      });
      if (plan.needsPod) create.push(nodeName);
      del.push(...plan.toDelete);
    }
    // Pods for nodes that no longer exist: never scheduled ones would wait forever (Kubernetes
    // deletes those here), and bound ones have no kubelet left to finish them (Kubernetes' pod
    // garbage collector force-deletes those; k8ts runs none, so this controller does).
    const existing = new Set(nodes.map((n) => n.metadata.name));
    const orphaned: Pod[] = [];
    for (const [nodeName, list] of nodeToPods) {
      if (existing.has(nodeName)) continue;
      for (const pod of list) {
        if (pod.spec?.nodeName) orphaned.push(pod);
        else if (!pod.metadata.deletionTimestamp) del.push(pod);
      }
    }
    if (create.length || del.length) await this.syncNodes(ds, key, del, create, hash);
    if (orphaned.length) await this.forceDelete(ds, orphaned);
  }

  /** Deletes pods at once, with no grace period: nothing is left to stop their containers. */
  private async forceDelete(ds: DaemonSet, pods: Pod[]): Promise<void> {
    const errors: unknown[] = [];
    await forEachLimited(pods, MAX_IN_FLIGHT, async (pod) => {
      try {
        await this.client.delete(resources.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
        this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (err) {
        if (isNotFound(err)) return;
        this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
        errors.push(err);
      }
    });
    if (errors.length) throw errors[0];
  }

  /** Deletes `toDelete` and creates a pod pinned to each of `nodeNames`, within the burst limit. */
  private async syncNodes(ds: DaemonSet, key: string, toDelete: Pod[], nodeNames: string[], hash: string): Promise<void> {
    const ns = ds.metadata.namespace!;
    const creates = nodeNames.slice(0, DS_BURST_REPLICAS);
    const deletes = toDelete.slice(0, DS_BURST_REPLICAS);
    // Expectations first: the informer may report a pod before its create returns.
    this.creations.expectCreations(key, creates.length);
    this.deletions.expectDeletions(key, deletes.map(podKey));
    log(NAME, 'syncing nodes', { key, creating: creates.length, deleting: deletes.length });
    const errors: unknown[] = [];
    if (creates.length) {
      const template = daemonPodTemplate(ds.spec.template, templateGeneration(ds), hash);
      const ref = controllerRefFor(ds);
      let next = 0;
      const { successes, error } = await slowStartBatch(creates.length, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        const nodeName = creates[next++];
        const t = structuredClone(template);
        const spec = t.spec as DaemonPodSpec;
        spec.affinity = pinToNode(spec.affinity, nodeName);
        try {
          await this.podControl.createPod(ns, t, ds, ref);
        } catch (err) {
          // A timed-out create may still happen; the informer will tell.
          if (isTimeout(err)) return;
          throw err;
        }
      });
      if (successes < creates.length) this.creations.lowerCreations(key, creates.length - successes);
      if (error !== undefined) errors.push(error);
    }
    await forEachLimited(deletes, MAX_IN_FLIGHT, async (pod) => {
      try {
        await this.podControl.deletePod(ns, pod.metadata.name!, ds);
      } catch (err) {
        this.deletions.deletionObserved(key, podKey(pod));
        if (!isNotFound(err)) errors.push(err);
      }
    });
    if (errors.length) throw errors[0];
  }

  private async writeStatus(ds: DaemonSet, nodes: Node[], nodeToPods: Map<string, Pod[]>, hash: string, observe: boolean): Promise<void> {
    const status = computeStatus(ds, nodes, nodeToPods, hash, this.now());
    const generation = observe ? ds.metadata.generation : undefined;
    if (statusChanged(ds, status, generation)) {
      await this.client.patch(resources.daemonsets, ds.metadata.namespace, ds.metadata.name!, statusPatch(status, generation), 'merge', { subresource: 'status' });
    }
    // Availability comes minReadySeconds after readiness.
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady !== status.numberAvailable) this.queue.addAfter(keyOf(ds), minReady * 1000);
  }
}

/** Only labels, taints, unschedulable and conditions decide placement; heartbeats do not. */
function placementMayDiffer(old: Node, cur: Node): boolean {
  const cond = (n: Node) => JSON.stringify((n.status?.conditions ?? []).map((c) => [c.type, c.status]));
  return JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {})
    || JSON.stringify(old.spec ?? {}) !== JSON.stringify(cur.spec ?? {})
    || cond(old) !== cond(cur);
}
