// The statefulset controller: informer handlers enqueue the set a pod, revision or set event
// concerns; sync(key) claims the set's pods and revisions, settles the current and update
// revisions, runs one pass of the algorithm (update.ts), writes the status and prunes history.
import type { KObject } from '../../api/resource.js';
import {
  keyOf, resources, runWorkers, splitKey, WorkQueue, type EventRecorder, type Informer, type RestClient,
} from '../../client/index.js';
import { selectorFromLabelSelector, type Selector } from '../../machinery/labels.js';
import { logError } from '../../machinery/log.js';
import { ControllerHistory } from '../history/history.js';
import { sortRevisions, type ControllerRevision } from '../history/revision.js';
import { adoptPatch, claimObjects, releasePatch } from '../util/controller-ref.js';
import { MutationCache } from '../util/mutation-cache.js';
import { ensureControllerUIDIndex, getControllerOf, ownedAndOrphans } from '../util/owner.js';
import { isPodReady } from '../util/pod.js';
import { controllerRefFor, isMemberOf } from './identity.js';
import { StatefulPodControl, type StatefulPodOps } from './pod-control.js';
import { applyRevision, getStatefulSetRevisions, truncateHistory } from './revisions.js';
import { completeRollingUpdate, statusDiffers, statusPatch } from './status.js';
import type { PersistentVolumeClaim, Pod, StatefulSet, StatefulSetStatus } from './types.js';
import { updateStatefulSet } from './update.js';
import { readyToRun } from '../util/ready-to-run.js';

const NAME = 'statefulset-controller';

export interface StatefulSetControllerOptions {
  client: RestClient;
  recorder: EventRecorder;
  sets: Informer<StatefulSet>;
  pods: Informer<Pod>;
  revisions: Informer<ControllerRevision>;
  claims: Informer<PersistentVolumeClaim>;
  now?: () => number;
}

export class StatefulSetController {
  readonly queue = new WorkQueue<string>({ name: NAME });
  private readonly client: RestClient;
  private readonly sets: Informer<StatefulSet>;
  private readonly pods: Informer<Pod>;
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly history: ControllerHistory;
  private readonly ops: StatefulPodOps;
  private readonly now: () => number;
  /** Pods this controller just created or deleted, seen before the informer reports them. */
  private readonly podWrites = new MutationCache<Pod>();

  constructor(opts: StatefulSetControllerOptions) {
    this.client = opts.client;
    this.sets = opts.sets;
    this.pods = opts.pods;
    this.claims = opts.claims;
    this.now = opts.now ?? Date.now;
    this.history = new ControllerHistory(opts.client, opts.revisions);
    this.ops = new StatefulPodControl({
      client: opts.client, recorder: opts.recorder, claims: opts.claims.lister,
      onPodWritten: (pod) => this.podWrites.mutated(pod),
    });
    ensureControllerUIDIndex(this.pods.indexer);
    this.sets.addEventHandler({
      onAdd: (s) => this.enqueue(s),
      onUpdate: (_old, s) => this.enqueue(s),
      onDelete: (s) => this.enqueue(s),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.onPodAdded(p),
      onUpdate: (old, cur) => this.onPodUpdated(old, cur),
      onDelete: (p) => this.onPodDeleted(p),
    });
    opts.revisions.addEventHandler({
      onAdd: (r) => this.enqueueOwner(r),
      onUpdate: (_old, r) => this.enqueueOwner(r),
      onDelete: (r) => this.enqueueOwner(r),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.sets, this.pods, this.history.informer, this.claims] }))) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key));
  }

  private enqueue(obj: KObject): void {
    this.queue.add(keyOf(obj));
  }

  // ---- event handlers ----

  private resolveControllerRef(obj: KObject): StatefulSet | undefined {
    const ref = getControllerOf(obj);
    if (!ref || ref.kind !== 'StatefulSet' || !ref.apiVersion?.startsWith('apps/')) return undefined;
    const set = this.sets.lister.get(obj.metadata.namespace, ref.name);
    return set && set.metadata.uid === ref.uid ? set : undefined;
  }

  private enqueueOwner(obj: KObject): void {
    const set = this.resolveControllerRef(obj);
    if (set) this.enqueue(set);
  }

  private setsSelecting(pod: Pod): StatefulSet[] {
    return this.sets.lister.list(pod.metadata.namespace).filter((s) => {
      try {
        const sel = selectorFromLabelSelector(s.spec.selector);
        return !sel.empty && sel.matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private onPodAdded(pod: Pod): void {
    if (getControllerOf(pod)) {
      this.enqueueOwner(pod);
      return;
    }
    for (const s of this.setsSelecting(pod)) this.enqueue(s);
  }

  private onPodUpdated(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const oldRef = getControllerOf(old);
    const curRef = getControllerOf(cur);
    if (oldRef && oldRef.uid !== curRef?.uid) this.enqueueOwner(old);
    if (curRef) {
      const set = this.resolveControllerRef(cur);
      if (!set) return;
      this.enqueue(set);
      // Availability comes minReadySeconds after readiness, without another pod event.
      const minReady = set.spec.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(keyOf(set), minReady * 1000 + 1000);
      return;
    }
    if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {}) || oldRef) {
      for (const s of this.setsSelecting(cur)) this.enqueue(s);
    }
  }

  private onPodDeleted(pod: Pod): void {
    this.podWrites.forget(pod.metadata.uid);
    this.enqueueOwner(pod);
  }

  // ---- sync ----

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const set = this.sets.lister.get(namespace, name);
    if (!set) return;
    let selector: Selector;
    try {
      selector = selectorFromLabelSelector(set.spec.selector);
    } catch (err) {
      // Retrying cannot fix a selector; the set must be edited, which enqueues it again.
      logError(NAME, 'cannot parse the selector', { key, err: String(err) });
      return;
    }
    const revisions = await this.claimRevisions(set, selector);
    const pods = await this.claimPods(set, selector);
    const status = await this.updateSet(set, pods, revisions);
    const minReady = set.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status && (status.availableReplicas ?? 0) !== (set.spec.replicas ?? 1)) this.queue.addAfter(key, minReady * 1000);
  }

  /** The set's revisions, adopting orphans its selector matches. */
  private async claimRevisions(set: StatefulSet, selector: Selector): Promise<ControllerRevision[]> {
    const revisions = this.history.list(set, selector);
    const orphans = revisions.filter((r) => !getControllerOf(r));
    if (orphans.length === 0) return revisions;
    await this.recheckSet(set);
    const ref = controllerRefFor(set);
    const adopted = new Map<ControllerRevision, ControllerRevision>();
    for (const r of orphans) adopted.set(r, await this.history.adopt(r, ref));
    return revisions.map((r) => adopted.get(r) ?? r);
  }

  /** Refuses to adopt for a set that is gone or being deleted (RecheckDeletionTimestamp). */
  private async recheckSet(set: StatefulSet): Promise<void> {
    const fresh = await this.client.get<StatefulSet>(resources.statefulsets, set.metadata.namespace, set.metadata.name!);
    if (fresh.metadata.uid !== set.metadata.uid) throw new Error(`original StatefulSet ${keyOf(set)} is gone: got uid ${fresh.metadata.uid}, wanted ${set.metadata.uid}`);
    if (fresh.metadata.deletionTimestamp) throw new Error(`${keyOf(set)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  /**
   * The set's member pods: those it owns or adopts whose names are <set>-<ordinal>; owned pods
   * it no longer selects, or whose names do not fit, are released. Our own recent writes are
   * laid over the cache.
   */
  private async claimPods(set: StatefulSet, selector: Selector): Promise<Pod[]> {
    const ns = set.metadata.namespace!;
    const candidates = ownedAndOrphans(this.pods.indexer, set);
    const ref = controllerRefFor(set);
    const release = (pod: Pod) => this.client.patch(resources.pods, ns, pod.metadata.name!, releasePatch(set.metadata.uid!, pod.metadata.uid), 'strategic').then(() => undefined);
    const strangers = candidates.filter((p) => !isMemberOf(set, p) && getControllerOf(p)?.uid === set.metadata.uid);
    if (strangers.length && !set.metadata.deletionTimestamp) await Promise.all(strangers.map(release));
    const claimed = await claimObjects(candidates.filter((p) => isMemberOf(set, p)), {
      owner: set,
      selector,
      getFresh: () => this.client.get(resources.statefulsets, ns, set.metadata.name!),
      adopt: (pod) => this.client.patch(resources.pods, ns, pod.metadata.name!, adoptPatch(ref, pod.metadata.uid), 'strategic').then(() => undefined),
      release,
    });
    return this.podWrites.overlay(claimed, (p) => p.metadata.namespace === ns && getControllerOf(p)?.uid === set.metadata.uid && isMemberOf(set, p));
  }

  private async updateSet(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[]): Promise<StatefulSetStatus | undefined> {
    sortRevisions(revisions);
    let current: ControllerRevision | undefined;
    let update: ControllerRevision | undefined;
    let failure: unknown;
    let status: StatefulSetStatus | undefined;
    try {
      const r = await getStatefulSetRevisions(this.history, set, revisions);
      current = r.current;
      update = r.update;
      const result = await updateStatefulSet(this.ops, {
        set,
        currentSet: applyRevision(set, r.current),
        updateSet: applyRevision(set, r.update),
        currentRevision: r.current.metadata.name!,
        updateRevision: r.update.metadata.name!,
        collisionCount: r.collisionCount,
        pods,
        now: this.now(),
      });
      status = result.status;
      failure = result.error;
      try {
        await this.writeStatus(set, status);
      } catch (err) {
        failure ??= err;
      }
    } catch (err) {
      failure = err;
    }
    try {
      await truncateHistory(this.history, set, pods, revisions, current, update);
    } catch (err) {
      failure ??= err;
    }
    if (failure !== undefined) throw failure;
    return status;
  }

  private async writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    completeRollingUpdate(set, status);
    if (!statusDiffers(set, status)) return;
    await this.client.patch(resources.statefulsets, set.metadata.namespace, set.metadata.name!, statusPatch(status), 'merge', { subresource: 'status' });
  }
}
