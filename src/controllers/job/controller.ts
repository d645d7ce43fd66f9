// The job controller's wiring: informer handlers that account expectations and enqueue job keys
// (pod events batched to one sync a second), workers running JobSyncer.sync, and a second queue
// that strips the tracking finalizer from pods no running job will count any more.
import {
  isNotFound, keyOf, resources, runWorkers, splitKey, WorkQueue, type EventRecorder, type Informer, type RestClient,
} from '../../client/index.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { Expectations } from '../util/expectations.js';
import { ensureControllerUIDIndex, getControllerOf, ownedAndOrphans } from '../util/owner.js';
import { BackoffStore, type BackoffDurations } from './backoff.js';
import { isJobFinished } from './conditions.js';
import { FinalizerExpectations } from './finalizer-expectations.js';
import { hasTrackingFinalizer } from './pods.js';
import { JobSyncer, managedExternally, SYNC_JOB_BATCH_PERIOD_MS, type JobApi } from './sync.js';
import { JOB_TRACKING_FINALIZER, type Job, type Pod } from './types.js';
import { readyToRun } from '../util/ready-to-run.js';

export interface JobControllerOptions {
  client: RestClient;
  recorder: EventRecorder;
  jobs: Informer<Job>;
  pods: Informer<Pod>;
  now?: () => number;
  /** Pod failure back-off; 10 s doubling to 6 minutes by default. */
  backoff?: BackoffDurations;
  /** Delay that batches pod events into one sync; 1 s as Kubernetes. */
  batchPeriodMs?: number;
}

const podKey = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;

export class JobController {
  readonly queue = new WorkQueue<string>({ name: 'job' });
  readonly orphanQueue = new WorkQueue<string>({ name: 'job_orphan_pod' });
  readonly expectations: Expectations;
  readonly finalizerExpectations = new FinalizerExpectations();
  readonly syncer: JobSyncer;
  private readonly jobs: Informer<Job>;
  private readonly pods: Informer<Pod>;
  private readonly client: RestClient;
  private readonly batchPeriodMs: number;
  private readonly now: () => number;

  constructor(opts: JobControllerOptions) {
    this.client = opts.client;
    this.jobs = opts.jobs;
    this.pods = opts.pods;
    this.batchPeriodMs = opts.batchPeriodMs ?? SYNC_JOB_BATCH_PERIOD_MS;
    const now = (this.now = opts.now ?? Date.now);
    this.expectations = new Expectations(now);
    ensureControllerUIDIndex(this.pods.indexer);
    const api: JobApi = {
      getJob: (ns, name) => this.client.get<Job>(resources.jobs, ns, name),
      createPod: (ns, pod) => this.client.create<Pod>(resources.pods, ns, pod),
      deletePod: async (ns, name) => void (await this.client.delete(resources.pods, ns, name)),
      patchPod: async (ns, name, patch) => void (await this.client.patch(resources.pods, ns, name, patch, 'strategic')),
      updateJobStatus: (job) => this.client.updateStatus<Job>(resources.jobs, job.metadata.namespace, job),
    };
    this.syncer = new JobSyncer({
      now,
      getJob: (ns, name) => this.jobs.lister.get(ns, name),
      candidatePods: (job) => ownedAndOrphans(this.pods.indexer, job),
      api,
      recorder: opts.recorder,
      expectations: this.expectations,
      finalizerExpectations: this.finalizerExpectations,
      backoff: new BackoffStore(),
      backoffDurations: opts.backoff,
      requeueAfter: (key, ms) => this.queue.addAfter(key, Math.max(0, ms)),
    });
    this.jobs.addEventHandler({
      onAdd: (job) => this.queue.add(keyOf(job)),
      onUpdate: (old, cur) => this.onJobUpdated(old, cur),
      onDelete: (job) => {
        this.queue.add(keyOf(job));
        this.cleanupPodFinalizers(job);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.onPodAdded(pod),
      onUpdate: (old, cur) => this.onPodUpdated(old, cur),
      onDelete: (pod) => this.onPodDeleted(pod, true),
    });
  }

  /** Runs the workers once both caches have synced, until `signal` aborts. */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue, this.orphanQueue], informers: [this.jobs, this.pods] }))) return;
    await Promise.all([
      runWorkers(this.queue, workers, (key) => this.syncer.sync(key)),
      runWorkers(this.orphanQueue, 1, (key) => this.syncOrphanPod(key)),
    ]);
  }

  private enqueueBatched(job: Job): void {
    this.queue.addAfter(keyOf(job), this.batchPeriodMs);
  }

  // ---- job events ----

  private onJobUpdated(old: Job, cur: Job): void {
    const key = keyOf(cur);
    // Status updates (ours, mostly) are batched; spec changes act at once.
    if (cur.metadata.generation === old.metadata.generation) this.enqueueBatched(cur);
    else this.queue.add(key);
    if (isJobFinished(cur)) this.cleanupPodFinalizers(cur);
    const start = cur.status?.startTime;
    const ads = cur.spec?.activeDeadlineSeconds;
    if (start && ads != null && ads !== old.spec?.activeDeadlineSeconds) {
      this.queue.addAfter(key, Math.max(0, ads * 1000 - (this.now() - Date.parse(start))));
    }
  }

  /** Pods of a finished or deleted job may still hold the finalizer: hand them to the orphan queue. */
  private cleanupPodFinalizers(job: Job): void {
    let selector;
    try {
      selector = selectorFromLabelSelector(job.spec?.selector);
    } catch {
      return;
    }
    for (const pod of this.pods.lister.list(job.metadata.namespace, selector)) {
      if (getControllerOf(pod)?.uid === job.metadata.uid && hasTrackingFinalizer(pod)) this.orphanQueue.add(podKey(pod));
    }
  }

  // ---- pod events: account expectations, enqueue the owning job ----

  private resolveControllerRef(pod: Pod): Job | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.jobs.lister.get(pod.metadata.namespace, ref.name);
    return job && job.metadata.uid === ref.uid ? job : undefined;
  }

  /** Jobs whose selector matches an orphan pod: one of them may adopt it. */
  private jobsSelecting(pod: Pod): Job[] {
    return this.jobs.lister.list(pod.metadata.namespace).filter((job) => {
      try {
        const sel = selectorFromLabelSelector(job.spec?.selector);
        return !sel.empty && sel.matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private onPodAdded(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // Seen for the first time while being deleted (e.g. after a restart): not a creation.
      this.onPodDeleted(pod, false);
      return;
    }
    if (getControllerOf(pod)) {
      const job = this.resolveControllerRef(pod);
      if (!job) return;
      this.expectations.creationObserved(keyOf(job));
      this.enqueueBatched(job);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.orphanQueue.add(podKey(pod));
    for (const job of this.jobsSelecting(pod)) this.enqueueBatched(job);
  }

  private onPodUpdated(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      // Gracefully deleting: react now rather than when the kubelet finally removes it.
      this.onPodDeleted(cur, false);
      return;
    }
    const finalizerRemoved = !hasTrackingFinalizer(cur);
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const job = this.resolveControllerRef(old);
      if (job) {
        if (finalizerRemoved) this.finalizerExpectations.removalObserved(keyOf(job), cur.metadata.uid ?? '');
        this.enqueueBatched(job);
      }
    }
    if (curRef) {
      const job = this.resolveControllerRef(cur);
      if (!job) return;
      if (finalizerRemoved) this.finalizerExpectations.removalObserved(keyOf(job), cur.metadata.uid ?? '');
      this.enqueueBatched(job);
      return;
    }
    if (hasTrackingFinalizer(cur)) this.orphanQueue.add(podKey(cur));
    const labelsChanged = JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const job of this.jobsSelecting(cur)) this.enqueueBatched(job);
  }

  /** `final`: the pod is gone from the API server, not just marked for deletion. */
  private onPodDeleted(pod: Pod, final: boolean): void {
    const hasFinalizer = hasTrackingFinalizer(pod);
    if (!getControllerOf(pod)) {
      // An orphan (perhaps released by the garbage collector) must not keep the finalizer.
      if (hasFinalizer) this.orphanQueue.add(podKey(pod));
      return;
    }
    const job = this.resolveControllerRef(pod);
    if (!job || isJobFinished(job)) {
      if (hasFinalizer) this.orphanQueue.add(podKey(pod));
      return;
    }
    const key = keyOf(job);
    this.expectations.deletionObserved(key, podKey(pod));
    if (final || !hasFinalizer) this.finalizerExpectations.removalObserved(key, pod.metadata.uid ?? '');
    this.enqueueBatched(job);
  }

  // ---- orphan pods ----

  /** Removes the tracking finalizer from a pod no running job of ours controls. */
  async syncOrphanPod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.lister.get(namespace, name);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = getControllerOf(pod);
    if (ref) {
      // Someone else's pod that happens to carry the finalizer: not ours to touch.
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolveControllerRef(pod);
      if (job && managedExternally(job)) return;
      // Still counted by its running job: the job's sync removes the finalizer.
      if (job && !isJobFinished(job)) return;
    }
    try {
      await this.client.patch(resources.pods, namespace, name, { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } }, 'strategic');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
