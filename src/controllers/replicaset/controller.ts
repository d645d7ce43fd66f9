// The replica keeper shared by ReplicaSet and ReplicationController, as Kubernetes shares one
// implementation between them: keep spec.replicas active pods matching the selector, creating in
// slow-start batches and deleting the least valuable pods first, with expectations so that a sync
// which runs before the informer has seen its own writes does not act twice.
import type { KObject } from '../../api/resource.js';
import {
  isNotFound, isTimeout, keyOf, runWorkers, splitKey, WorkQueue, type EventRecorder, type Informer, type RestClient, type ResourceRef,
} from '../../client/index.js';
import type { Selector } from '../../machinery/labels.js';
import { log, logError } from '../../machinery/log.js';
import { podsToDelete } from '../util/active-pods.js';
import { adoptPatch, claimObjects, releasePatch } from '../util/controller-ref.js';
import { Expectations } from '../util/expectations.js';
import { ensureControllerUIDIndex, getControllerOf, newControllerRef, ownedAndOrphans, CONTROLLER_UID_INDEX } from '../util/owner.js';
import { isPodActive, isPodReady, podKey } from '../util/pod.js';
import { RealPodControl, type PodControl } from '../util/pod-control.js';
import { SyncThrottle } from '../util/throttle.js';
import { forEachLimited, MAX_IN_FLIGHT, slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from '../util/slow-start.js';
import type { Pod, ReplicaSet, ReplicationController, ReplicaSetStatus } from '../util/types.js';
import { calculateStatus, statusChanged, statusPatch } from './status.js';
import { readyToRun } from '../util/ready-to-run.js';

/** Kubernetes' BurstReplicas: at most this many creations or deletions per sync. */
export const BURST_REPLICAS = 500;

/** Pod events for one ReplicaSet closer together than this are handled by one sync. */
export const POD_EVENT_BATCH_MS = 100;

type Replicated = ReplicaSet | ReplicationController;

/** What differs between ReplicaSets and ReplicationControllers. */
export interface ReplicaKind<T extends Replicated = Replicated> {
  resource: ResourceRef;
  apiVersion: string;
  kind: string;
  /** Prefix of log lines. */
  logName: string;
  /** The selector of `obj`; throws when it cannot be parsed. */
  selector(obj: T): Selector;
}

export interface ReplicaManagerOptions {
  client: RestClient;
  recorder: EventRecorder;
  controllers: Informer<any>;
  pods: Informer<Pod>;
  podControl?: PodControl;
  burstReplicas?: number;
  /** Minimum time between syncs caused by pod events; 0 syncs on every event. */
  podEventBatchMs?: number;
  now?: () => number;
}

export class ReplicaManager<T extends Replicated = Replicated> {
  readonly queue: WorkQueue<string>;
  readonly expectations: Expectations;
  private readonly client: RestClient;
  private readonly controllers: Informer<T>;
  private readonly pods: Informer<Pod>;
  private readonly podControl: PodControl;
  private readonly burstReplicas: number;
  private readonly now: () => number;
  private readonly podEvents: SyncThrottle;

  constructor(readonly kind: ReplicaKind<T>, opts: ReplicaManagerOptions) {
    this.client = opts.client;
    this.controllers = opts.controllers as Informer<T>;
    this.pods = opts.pods;
    this.podControl = opts.podControl ?? new RealPodControl(opts.client, opts.recorder);
    this.burstReplicas = opts.burstReplicas ?? BURST_REPLICAS;
    this.now = opts.now ?? Date.now;
    this.expectations = new Expectations(this.now);
    this.queue = new WorkQueue<string>({ name: kind.logName });
    this.podEvents = new SyncThrottle(this.queue, opts.podEventBatchMs ?? POD_EVENT_BATCH_MS);
    ensureControllerUIDIndex(this.pods.indexer);
    ensureControllerUIDIndex(this.controllers.indexer);
    this.controllers.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (old, cur) => {
        if (old.metadata.uid !== cur.metadata.uid) this.onControllerDeleted(old);
        this.enqueue(cur);
      },
      onDelete: (rs) => this.onControllerDeleted(rs),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.onPodAdded(pod),
      onUpdate: (old, cur) => this.onPodUpdated(old, cur),
      onDelete: (pod) => this.onPodDeleted(pod),
    });
  }

  /** Runs `workers` workers once both caches have synced, until `signal` aborts. */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.controllers, this.pods] }))) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key));
  }

  private enqueue(obj: KObject): void {
    this.queue.add(keyOf(obj));
  }

  // ---- event handlers: they only account expectations and enqueue keys ----

  private onControllerDeleted(rs: T): void {
    const key = keyOf(rs);
    this.expectations.delete(key);
    this.podEvents.forget(key);
    this.queue.add(key);
  }

  /** The controller a pod's controllerRef names, when it is one of ours and still the same object. */
  private resolveControllerRef(pod: Pod): T | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const rs = this.controllers.lister.get(pod.metadata.namespace, ref.name);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** Controllers whose selector matches an orphan pod: one of them may adopt it. */
  private controllersSelecting(pod: Pod): T[] {
    const out: T[] = [];
    for (const rs of this.controllers.lister.list(pod.metadata.namespace)) {
      try {
        const sel = this.kind.selector(rs);
        if (!sel.empty && sel.matches(pod.metadata.labels)) out.push(rs);
      } catch {
        // An unparsable selector selects nothing.
      }
    }
    return out;
  }

  private onPodAdded(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // A restarted controller may see a pod already being deleted: count it as a deletion.
      this.onPodDeleted(pod);
      return;
    }
    if (getControllerOf(pod)) {
      const rs = this.resolveControllerRef(pod);
      if (!rs) return;
      const key = keyOf(rs);
      this.expectations.creationObserved(key);
      this.podEvents.enqueue(key);
      return;
    }
    for (const rs of this.controllersSelecting(pod)) this.podEvents.enqueue(keyOf(rs));
  }

  private onPodUpdated(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = !sameLabels(old.metadata.labels, cur.metadata.labels);
    if (cur.metadata.deletionTimestamp) {
      // Seen as a deletion now, so the replacement is made without waiting out the grace period.
      this.onPodDeleted(cur);
      if (labelsChanged) this.onPodDeleted(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = curRef?.uid !== oldRef?.uid;
    if (refChanged && oldRef) {
      const oldRS = this.resolveControllerRef(old);
      if (oldRS) this.podEvents.enqueue(keyOf(oldRS));
    }
    if (curRef) {
      const rs = this.resolveControllerRef(cur);
      if (!rs) return;
      this.podEvents.enqueue(keyOf(rs));
      // Availability comes minReadySeconds after readiness, without another pod event.
      const minReady = rs.spec.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(keyOf(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.controllersSelecting(cur)) this.podEvents.enqueue(keyOf(rs));
  }

  private onPodDeleted(pod: Pod): void {
    const rs = this.resolveControllerRef(pod);
    if (!rs) return;
    const key = keyOf(rs);
    this.expectations.deletionObserved(key, podKey(pod));
    this.podEvents.enqueue(key);
  }

  // ---- sync ----

  async sync(key: string): Promise<void> {
    this.podEvents.syncing(key);
    const { namespace, name } = splitKey(key);
    const rs = this.controllers.lister.get(namespace, name);
    if (!rs) {
      this.expectations.delete(key);
      this.podEvents.forget(key);
      return;
    }
    let selector: Selector;
    try {
      selector = this.kind.selector(rs);
    } catch (err) {
      // Retrying cannot fix a selector; the object must be edited, which enqueues it again.
      logError(this.kind.logName, 'cannot parse the selector', { key, err: String(err) });
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const candidates = ownedAndOrphans(this.pods.indexer, rs).filter(isPodActive);
    const pods = await this.claimPods(rs, selector, candidates);

    let manageErr: unknown;
    // Pods this sync deleted are terminating already: the status must not count them, or the
    // deployment controller would read availability that is gone and scale down too far.
    const deleted = new Set<Pod>();
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(pods, rs, key, deleted);
      } catch (err) {
        manageErr = err;
      }
    }
    const remaining = deleted.size === 0 ? pods : pods.filter((p) => !deleted.has(p));
    const status = calculateStatus(rs, remaining, manageErr, this.now());
    const updated = await this.updateStatus(rs, status);
    const replicas = rs.spec.replicas ?? 1;
    const minReady = rs.spec.minReadySeconds ?? 0;
    if (manageErr === undefined && minReady > 0 && (updated.readyReplicas ?? 0) === replicas && (updated.availableReplicas ?? 0) !== replicas) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageErr !== undefined) throw manageErr;
  }

  private claimPods(rs: T, selector: Selector, pods: Pod[]): Promise<Pod[]> {
    const ref = newControllerRef(rs, this.kind.apiVersion, this.kind.kind);
    const ns = rs.metadata.namespace!;
    return claimObjects(pods, {
      owner: rs,
      selector,
      getFresh: () => this.client.get(this.kind.resource, ns, rs.metadata.name!),
      adopt: (pod) => this.podControl.patchPod(ns, pod.metadata.name!, adoptPatch(ref, pod.metadata.uid)),
      release: (pod) => this.podControl.patchPod(ns, pod.metadata.name!, releasePatch(rs.metadata.uid!, pod.metadata.uid)),
    });
  }

  private async manageReplicas(pods: Pod[], rs: T, key: string, deleted: Set<Pod>): Promise<void> {
    const ns = rs.metadata.namespace!;
    const diff = pods.length - (rs.spec.replicas ?? 1);
    if (diff < 0) {
      const n = Math.min(-diff, this.burstReplicas);
      // Expectations first: the informer may report the first pod before its create returns.
      this.expectations.expectCreations(key, n);
      log(this.kind.logName, 'too few replicas; creating', { key, need: rs.spec.replicas ?? 1, creating: n });
      const template = rs.spec.template ?? {};
      const ref = newControllerRef(rs, this.kind.apiVersion, this.kind.kind);
      const { successes, error } = await slowStartBatch(n, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        try {
          await this.podControl.createPod(ns, template, rs, ref);
        } catch (err) {
          // A timed-out create may still happen; the informer will tell, so it counts as made.
          if (isTimeout(err)) return;
          throw err;
        }
      });
      if (successes < n) this.expectations.lowerCreations(key, n - successes);
      if (error !== undefined) throw error;
      return;
    }
    if (diff > 0) {
      const n = Math.min(diff, this.burstReplicas);
      log(this.kind.logName, 'too many replicas; deleting', { key, need: rs.spec.replicas ?? 1, deleting: n });
      const victims = podsToDelete(pods, this.relatedPods(rs), n, this.now());
      this.expectations.expectDeletions(key, victims.map(podKey));
      const errors: unknown[] = [];
      await forEachLimited(victims, MAX_IN_FLIGHT, async (pod) => {
        try {
          await this.podControl.deletePod(ns, pod.metadata.name!, rs);
          deleted.add(pod);
        } catch (err) {
          // This deletion will never be observed.
          this.expectations.deletionObserved(key, podKey(pod));
          if (!isNotFound(err)) errors.push(err);
        }
      });
      if (errors.length > 0) throw errors[0];
    }
  }

  /**
   * Pods of this controller and of its siblings (the other ReplicaSets of the same Deployment):
   * a pod sharing its node with many of them is the better one to delete.
   */
  private relatedPods(rs: T): Pod[] {
    const owner = getControllerOf(rs);
    if (!owner) return this.pods.indexer.byIndex(CONTROLLER_UID_INDEX, rs.metadata.uid ?? '');
    const siblings = this.controllers.indexer.byIndex(CONTROLLER_UID_INDEX, owner.uid);
    return siblings.flatMap((s) => this.pods.indexer.byIndex(CONTROLLER_UID_INDEX, s.metadata.uid ?? ''));
  }

  private async updateStatus(rs: T, status: ReplicaSetStatus): Promise<ReplicaSetStatus> {
    if (!statusChanged(rs, status)) return rs.status ?? status;
    const updated = await this.client.patch<T>(this.kind.resource, rs.metadata.namespace, rs.metadata.name!, statusPatch(status, rs.metadata.generation), 'merge', { subresource: 'status' });
    return updated.status ?? status;
  }
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a![k] === b?.[k]);
}
