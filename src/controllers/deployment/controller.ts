// The deployment controller: turns each Deployment into ReplicaSets. The ReplicaSet whose
// template is the deployment's is the new one (made, named <deployment>-<pod-template-hash>, when
// missing); the others are old. A rollout moves replicas from old to new by the strategy
// (rolling.ts, recreate.ts); a paused deployment or a bare replica change is only scaled
// (sync.ts); progress and availability are reported as conditions (progress.ts).
import type { KObject } from '../../api/resource.js';
import {
  isAlreadyExists, keyOf, resources, runWorkers, splitKey, WorkQueue, type EventRecorder, type Informer, type RestClient,
} from '../../client/index.js';
import { selectorFromLabelSelector, type Selector } from '../../machinery/labels.js';
import { log, logError } from '../../machinery/log.js';
import { adoptPatch, claimObjects, releasePatch } from '../util/controller-ref.js';
import { MutationCache } from '../util/mutation-cache.js';
import { SyncThrottle } from '../util/throttle.js';
import { ensureControllerUIDIndex, getControllerOf, newControllerRef, ownedAndOrphans } from '../util/owner.js';
import { errorMessage, isNamespaceTerminating } from '../util/pod-control.js';
import type { Deployment, Pod, ReplicaSet } from '../util/types.js';
import { computeHash } from './hash.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { syncDeploymentStatus, syncScale } from './sync.js';
import {
  equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, getCondition, hasProgressDeadline, maxRevision, maxSurge, newCondition,
  POD_TEMPLATE_HASH, PROGRESSING, Reason, replicasAnnotationsNeedUpdate, replicasOf, rsReplicas, setCondition, setDeploymentRevision,
  setNewReplicaSetAnnotations, setReplicasAnnotations, DESIRED_REPLICAS, MAX_REPLICAS, REVISION, filterActiveReplicaSets,
  isRollingUpdate,
} from './util.js';
import { readyToRun } from '../util/ready-to-run.js';

/** ReplicaSet events for one deployment closer together than this are handled by one sync. */
export const RS_EVENT_BATCH_MS = 100;

export interface DeploymentControllerOptions {
  client: RestClient;
  recorder: EventRecorder;
  deployments: Informer<Deployment>;
  replicaSets: Informer<ReplicaSet>;
  pods: Informer<Pod>;
  /** Minimum time between syncs caused by ReplicaSet events; 0 syncs on every event. */
  rsEventBatchMs?: number;
  now?: () => number;
}

export class DeploymentController {
  readonly queue = new WorkQueue<string>({ name: 'deployment-controller' });
  readonly client: RestClient;
  readonly recorder: EventRecorder;
  readonly now: () => number;
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  /** Our own recent writes, read in preference to a cache that has not caught up. */
  readonly rsWrites = new MutationCache<ReplicaSet>();
  readonly deploymentWrites = new MutationCache<Deployment>();
  private readonly rsEvents: SyncThrottle;

  constructor(opts: DeploymentControllerOptions) {
    this.client = opts.client;
    this.recorder = opts.recorder;
    this.now = opts.now ?? Date.now;
    this.deployments = opts.deployments;
    this.replicaSets = opts.replicaSets;
    this.pods = opts.pods;
    this.rsEvents = new SyncThrottle(this.queue, opts.rsEventBatchMs ?? RS_EVENT_BATCH_MS);
    ensureControllerUIDIndex(this.replicaSets.indexer);
    ensureControllerUIDIndex(this.pods.indexer);
    this.deployments.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, d) => this.enqueue(d),
      onDelete: (d) => {
        this.deploymentWrites.forget(d.metadata.uid);
        this.rsEvents.forget(keyOf(d));
        this.enqueue(d);
      },
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.onReplicaSetAdded(rs),
      onUpdate: (old, cur) => this.onReplicaSetUpdated(old, cur),
      onDelete: (rs) => this.onReplicaSetDeleted(rs),
    });
    this.pods.addEventHandler({ onDelete: (pod) => this.onPodDeleted(pod) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.deployments, this.replicaSets, this.pods] }))) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key));
  }

  enqueue(d: KObject): void {
    this.queue.add(keyOf(d));
  }

  /** For a progress check after `ms`. */
  enqueueAfter(d: KObject, ms: number): void {
    this.queue.addAfter(keyOf(d), ms);
  }

  enqueueRateLimited(d: KObject): void {
    this.queue.addRateLimited(keyOf(d));
  }

  // ---- event handlers ----

  private resolveControllerRef(obj: KObject): Deployment | undefined {
    const ref = getControllerOf(obj);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.lister.get(obj.metadata.namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  private deploymentsSelecting(rs: ReplicaSet): Deployment[] {
    return this.deployments.lister.list(rs.metadata.namespace).filter((d) => {
      try {
        const sel = selectorFromLabelSelector(d.spec.selector);
        return !sel.empty && sel.matches(rs.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private onReplicaSetAdded(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) {
      this.onReplicaSetDeleted(rs);
      return;
    }
    if (getControllerOf(rs)) {
      const d = this.resolveControllerRef(rs);
      if (d) this.rsEvents.enqueue(keyOf(d));
      return;
    }
    for (const d of this.deploymentsSelecting(rs)) this.rsEvents.enqueue(keyOf(d));
  }

  private onReplicaSetUpdated(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = curRef?.uid !== oldRef?.uid;
    if (refChanged && oldRef) {
      const d = this.resolveControllerRef(old);
      if (d) this.rsEvents.enqueue(keyOf(d));
    }
    if (curRef) {
      const d = this.resolveControllerRef(cur);
      if (d) this.rsEvents.enqueue(keyOf(d));
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.deploymentsSelecting(cur)) this.rsEvents.enqueue(keyOf(d));
  }

  private onReplicaSetDeleted(rs: ReplicaSet): void {
    this.rsWrites.forget(rs.metadata.uid);
    const d = this.resolveControllerRef(rs);
    if (d) this.rsEvents.enqueue(keyOf(d));
  }

  /** A Recreate rollout waits for the old pods to be gone: each deletion may let it go on. */
  private onPodDeleted(pod: Pod): void {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.lister.get(pod.metadata.namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.resolveControllerRef(rs);
    if (d && d.spec.strategy?.type === 'Recreate') this.enqueue(d);
  }

  // ---- sync ----

  async sync(key: string): Promise<void> {
    this.rsEvents.syncing(key);
    const { namespace, name } = splitKey(key);
    const cached = this.deployments.lister.get(namespace, name);
    if (!cached) {
      this.rsEvents.forget(key);
      return;
    }
    // Everything below may change the deployment's status and annotations: work on a copy.
    const d = structuredClone(this.deploymentWrites.newest(cached));
    let selector: Selector;
    try {
      selector = selectorFromLabelSelector(d.spec.selector);
    } catch (err) {
      logError('deployment-controller', 'cannot parse the selector', { key, err: String(err) });
      return;
    }
    if (selector.empty) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation };
        await this.updateStatus(d);
      }
      return;
    }
    const rsList = await this.claimReplicaSets(d, selector);

    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
      await syncDeploymentStatus(this, [...oldRSs, newRS], newRS, d);
      return;
    }
    await this.checkPausedConditions(d);
    if (d.spec.paused) {
      await syncScale(this, d, rsList);
      return;
    }
    if (await this.isScalingEvent(d, rsList)) {
      await syncScale(this, d, rsList);
      return;
    }
    if (d.spec.strategy?.type === 'Recreate') await rolloutRecreate(this, d, rsList, this.podMapFor(d, selector, rsList));
    else if (isRollingUpdate(d)) await rolloutRolling(this, d, rsList);
    else throw new Error(`unexpected deployment strategy type: ${d.spec.strategy?.type}`);
  }

  /** The ReplicaSets this deployment controls, after adopting and releasing by its selector. */
  private async claimReplicaSets(d: Deployment, selector: Selector): Promise<ReplicaSet[]> {
    const ns = d.metadata.namespace!;
    const uid = d.metadata.uid;
    const candidates = this.rsWrites.overlay(ownedAndOrphans(this.replicaSets.indexer, d), (rs) =>
      rs.metadata.namespace === ns && getControllerOf(rs)?.uid === uid);
    const ref = newControllerRef(d, 'apps/v1', 'Deployment');
    return claimObjects(candidates, {
      owner: d,
      selector,
      getFresh: () => this.client.get(resources.deployments, ns, d.metadata.name!),
      adopt: async (rs) => this.rsWrites.mutated(await this.client.patch<ReplicaSet>(resources.replicasets, ns, rs.metadata.name!, adoptPatch(ref, rs.metadata.uid), 'strategic')),
      release: async (rs) => this.rsWrites.mutated(await this.client.patch<ReplicaSet>(resources.replicasets, ns, rs.metadata.name!, releasePatch(uid!, rs.metadata.uid), 'strategic')),
    });
  }

  /** Pods of the deployment's ReplicaSets, by ReplicaSet UID (what a Recreate rollout waits on). */
  private podMapFor(d: Deployment, selector: Selector, rsList: ReplicaSet[]): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>();
    for (const rs of rsList) map.set(rs.metadata.uid!, []);
    for (const pod of this.pods.lister.list(d.metadata.namespace, selector)) {
      const ref = getControllerOf(pod);
      if (ref && ref.kind === 'ReplicaSet' && map.has(ref.uid)) map.get(ref.uid)!.push(pod);
    }
    return map;
  }

  /** A changed replica count, not a changed template: some active ReplicaSet was sized for another count. */
  private async isScalingEvent(d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    for (const rs of filterActiveReplicaSets([...oldRSs, newRS])) {
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
      if (desired === undefined || !/^\d+$/.test(desired)) continue;
      if (Number(desired) !== replicasOf(d)) return true;
    }
    return false;
  }

  /** Reports a paused or resumed deployment in its Progressing condition. */
  private async checkPausedConditions(d: Deployment): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, PROGRESSING);
    if (cond?.reason === Reason.TimedOut) return;
    const pausedCondExists = cond?.reason === Reason.Paused;
    const status = (d.status ??= {});
    if (d.spec.paused && !pausedCondExists) {
      setCondition(status, newCondition(PROGRESSING, 'Unknown', Reason.Paused, 'Deployment is paused', this.now()));
    } else if (!d.spec.paused && pausedCondExists) {
      setCondition(status, newCondition(PROGRESSING, 'Unknown', Reason.Resumed, 'Deployment is resumed', this.now()));
    } else {
      return;
    }
    await this.updateStatus(d);
  }

  /**
   * The new ReplicaSet (created when `create` and missing) and all the old ones, with the new
   * one's annotations and the deployment's revision brought up to date.
   */
  async getAllReplicaSetsAndSyncRevision(d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const existing = findNewReplicaSet(d, rsList);
    const { all: oldRSs } = findOldReplicaSets(rsList, existing);
    const newRS = await this.getNewReplicaSet(d, existing, oldRSs, create);
    return { newRS, oldRSs };
  }

  private async getNewReplicaSet(d: Deployment, existing: ReplicaSet | undefined, oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const ns = d.metadata.namespace!;
    const newRevision = String(maxRevision(oldRSs) + 1);
    if (existing) {
      const rsCopy = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      const minReadyNeedsUpdate = (rsCopy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
      if (annotationsUpdated || minReadyNeedsUpdate) {
        // Only keys are added or changed, so a merge patch of them is exact.
        const changed: Record<string, string> = {};
        for (const [k, v] of Object.entries(rsCopy.metadata.annotations ?? {})) if (existing.metadata.annotations?.[k] !== v) changed[k] = v;
        const patch = { metadata: { annotations: changed }, spec: { minReadySeconds: d.spec.minReadySeconds ?? null } };
        const updated = await this.client.patch<ReplicaSet>(resources.replicasets, ns, rsCopy.metadata.name!, patch, 'merge');
        this.rsWrites.mutated(updated);
        return updated;
      }
      await this.syncDeploymentRevision(d, rsCopy.metadata.annotations?.[REVISION] ?? '');
      // A deployment that never had a Progressing condition starts measuring progress now.
      if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
        setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', Reason.FoundNewRS, `Found new replica set "${rsCopy.metadata.name}"`, this.now()));
        await this.updateStatus(d);
      }
      return rsCopy;
    }
    if (!create) return undefined;

    const template = structuredClone(d.spec.template);
    const hash = computeHash(d.spec.template, d.status?.collisionCount);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(d.spec.template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
    const selector = structuredClone(d.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const rsName = `${d.metadata.name}-${hash}`;
    const newRS: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: ns,
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
        labels: { ...template.metadata.labels! },
      },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    const newReplicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec.replicas = newReplicas;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.client.create<ReplicaSet>(resources.replicasets, ns, newRS);
      this.rsWrites.mutated(created);
    } catch (err) {
      if (isAlreadyExists(err)) {
        alreadyExists = true;
        const found = this.replicaSets.lister.get(ns, rsName) ?? await this.client.get<ReplicaSet>(resources.replicasets, ns, rsName);
        const ref = getControllerOf(found);
        if (ref?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, found.spec.template)) {
          created = found;
        } else {
          // A hash collision: another ReplicaSet has this name. Bump collisionCount and retry.
          const status = (d.status ??= {});
          const before = status.collisionCount ?? 0;
          status.collisionCount = before + 1;
          await this.updateStatus(d);
          log('deployment-controller', 'hash collision; bumping collisionCount', { deployment: keyOf(d), oldCollisionCount: before, newCollisionCount: before + 1 });
          throw err;
        }
      } else if (isNamespaceTerminating(err)) {
        throw err;
      } else {
        const msg = `Failed to create new replica set "${rsName}": ${errorMessage(err)}`;
        if (hasProgressDeadline(d)) {
          setCondition((d.status ??= {}), newCondition(PROGRESSING, 'False', Reason.FailedRSCreate, msg, this.now()));
          await this.updateStatus(d).catch(() => {});
        }
        this.recorder.event(d, 'Warning', Reason.FailedRSCreate, msg);
        throw err;
      }
    }
    if (!alreadyExists && newReplicas > 0) {
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${newReplicas}`);
    }
    await this.syncDeploymentRevision(d, newRevision);
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', Reason.NewRSNewReplicas, `Created new replica set "${created.metadata.name}"`, this.now()));
      await this.updateStatus(d);
    }
    return created;
  }

  /** Sets the deployment's revision annotation (a metadata write; status writes keep metadata). */
  private async syncDeploymentRevision(d: Deployment, revision: string): Promise<boolean> {
    if (!setDeploymentRevision(d, revision)) return false;
    const updated = await this.client.patch<Deployment>(resources.deployments, d.metadata.namespace, d.metadata.name!, { metadata: { annotations: { [REVISION]: revision } } }, 'merge');
    this.deploymentWrites.mutated(updated);
    d.metadata.resourceVersion = updated.metadata.resourceVersion;
    return true;
  }

  /** Writes d.status (unconditionally: this controller is the status' only writer). */
  async updateStatus(d: Deployment): Promise<void> {
    // Counts of zero are left out, as Go's omitempty leaves them out of Kubernetes' answers.
    const status: Record<string, unknown> = { ...(d.status ?? {}) };
    for (const k of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) {
      if (!status[k]) delete status[k];
    }
    if (!(status.conditions as unknown[] | undefined)?.length) delete status.conditions;
    const body = { ...d, metadata: { ...d.metadata, resourceVersion: undefined }, status };
    const updated = await this.client.updateStatus<Deployment>(resources.deployments, d.metadata.namespace, body);
    this.deploymentWrites.mutated(updated);
  }

  /**
   * Scales a ReplicaSet to `newScale`, refreshing its desired/max-replicas annotations, and
   * records ScalingReplicaSet. Returns whether the size changed and the ReplicaSet as written.
   */
  async scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (rsReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, d, rsReplicas(rs) < newScale ? 'up' : 'down');
  }

  async scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment, operation: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const sizeNeedsUpdate = rsReplicas(rs) !== newScale;
    const desired = replicasOf(d);
    const max = desired + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const oldScale = rsReplicas(rs);
    const rsCopy = structuredClone(rs);
    rsCopy.spec.replicas = newScale;
    setReplicasAnnotations(rsCopy, desired, max);
    // A JSON patch guarded by the size we decided from: a stale decision fails and is retried,
    // while the ReplicaSet's status writes (a different writer) do not make it conflict.
    const ops: unknown[] = [
      { op: 'test', path: '/metadata/uid', value: rs.metadata.uid },
      { op: 'test', path: '/spec/replicas', value: oldScale },
      { op: 'replace', path: '/spec/replicas', value: newScale },
    ];
    if (!rs.metadata.annotations) {
      ops.push({ op: 'test', path: '/metadata/annotations', value: null }, { op: 'add', path: '/metadata/annotations', value: { [DESIRED_REPLICAS]: String(desired), [MAX_REPLICAS]: String(max) } });
    } else {
      ops.push(
        { op: 'add', path: `/metadata/annotations/${DESIRED_REPLICAS.replace('/', '~1')}`, value: String(desired) },
        { op: 'add', path: `/metadata/annotations/${MAX_REPLICAS.replace('/', '~1')}`, value: String(max) },
      );
    }
    const updated = await this.client.patch<ReplicaSet>(resources.replicasets, rs.metadata.namespace, rs.metadata.name!, ops, 'json');
    this.rsWrites.mutated(updated);
    if (sizeNeedsUpdate) {
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  /** Deletes a ReplicaSet beyond the revision history limit. */
  async deleteReplicaSet(rs: ReplicaSet): Promise<void> {
    await this.client.delete(resources.replicasets, rs.metadata.namespace, rs.metadata.name!);
  }
}

/** NewRSNewReplicas: how big the new ReplicaSet may be now. */
export function newRSNewReplicas(d: Deployment, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet): number {
  const desired = replicasOf(d);
  switch (d.spec.strategy?.type ?? 'RollingUpdate') {
    case 'RollingUpdate': {
      let current = 0;
      for (const rs of allRSs) if (rs) current += rsReplicas(rs);
      const maxTotal = desired + maxSurge(d);
      if (current >= maxTotal) return rsReplicas(newRS);
      const scaleUp = Math.min(maxTotal - current, desired - rsReplicas(newRS));
      return rsReplicas(newRS) + scaleUp;
    }
    case 'Recreate':
      return desired;
    default:
      throw new Error(`deployment type ${d.spec.strategy?.type} isn't supported`);
  }
}
