// The job controller's sync: read a Job and its pods from the caches, count finished pods (each
// counted once, through the job-tracking finalizer and status.uncountedTerminatedPods), decide
// whether the job has failed or succeeded, create or delete pods towards parallelism, and write
// the status. Everything it touches outside memory goes through JobApi, so tests drive it with
// fakes and the controller with the REST client.
import type { OwnerReference } from '../../api/resource.js';
import { isNotFound, splitKey } from '../../client/index.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { adoptPatch, claimObjects, releasePatch } from '../util/controller-ref.js';
import type { Expectations } from '../util/expectations.js';
import { newControllerRef } from '../util/owner.js';
import { isNamespaceTerminating, errorMessage } from '../util/pod-control.js';
import {
  BackoffStore, DEFAULT_POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS, remainingForIndex, remainingForRecord,
  type BackoffDurations, type BackoffRecord,
} from './backoff.js';
import {
  REASON, ensureConditionStatus, findCondition, hasTrueCondition, isJobFinished, newCondition, wireTime,
} from './conditions.js';
import type { FinalizerExpectations } from './finalizer-expectations.js';
import {
  firstFreeIndexes, formatIntervals, hasIndex, mergeIntervals, parseIntervals, totalIndexes, withIndexes, type Intervals,
} from './indexes.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import {
  UNKNOWN_INDEX, compareForRemoval, completionIndex, finishedTime, hasBackoffLimitPerIndex, hasTrackingFinalizer,
  ignoredIndexFailureCount, indexAbsoluteFailureCount, indexFailureCount, isActive, isIndexedJob, isPodFailed, isPodReady,
  isSucceeded, isTerminating, onlyReplaceFailedPods, validIndex,
} from './pods.js';
import { matchSuccessPolicy } from './success-policy.js';
import {
  COMPLETION_INDEX_ENV, JOB_COMPLETION_INDEX, JOB_CONTROLLER_NAME, JOB_INDEX_FAILURE_COUNT, JOB_INDEX_IGNORED_FAILURE_COUNT,
  JOB_TRACKING_FINALIZER, type Job, type JobCondition, type Pod,
} from './types.js';

/** Most pods created or deleted by one sync, so one huge job cannot starve the others. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Most UIDs in status.uncountedTerminatedPods, keeping the status small. */
export const MAX_UNCOUNTED_PODS = 500;
/** Pod events are batched: a job is synced at most once a second because of them. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;

const DEFAULT_BACKOFF_LIMIT = 6;

/** Everything the sync does to the world outside its caches. */
export interface JobApi {
  /** The job read from the API server (the adoption recheck). */
  getJob(namespace: string, name: string): Promise<Job>;
  createPod(namespace: string, pod: Pod): Promise<Pod>;
  deletePod(namespace: string, name: string): Promise<void>;
  /** A strategic merge patch. */
  patchPod(namespace: string, name: string, patch: unknown): Promise<void>;
  updateJobStatus(job: Job): Promise<Job>;
}

export interface EventSink {
  event(obj: Job, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface JobSyncDeps {
  now(): number;
  getJob(namespace: string, name: string): Job | undefined;
  /** The pods the job may claim: those it controls and the orphans of its namespace. */
  candidatePods(job: Job): Pod[];
  api: JobApi;
  recorder: EventSink;
  expectations: Expectations;
  finalizerExpectations: FinalizerExpectations;
  backoff: BackoffStore;
  backoffDurations?: BackoffDurations;
  /** Asks for another sync of `key` after `ms`. */
  requeueAfter(key: string, ms: number): void;
}

interface SyncCtx {
  key: string;
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  finished?: JobCondition;
  succeeded: number;
  failed: number;
  prevSucceededIndexes: Intervals;
  succeededIndexes: Intervals;
  failedIndexes?: Intervals;
  newBackoff: BackoffRecord;
  expectedRmFinalizers: ReadonlySet<string>;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  delayedDeletionPerIndex: Map<number, Pod>;
  terminating: number;
  ready: number;
}

const podKey = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;
const uidOf = (p: Pod) => p.metadata.uid ?? '';

function removeFinalizerPatch(): unknown {
  return { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } };
}

export function isSuspended(job: Job): boolean {
  return job.spec.suspend === true;
}

/** A job another controller reconciles (spec.managedBy), which this one leaves alone. */
export function managedExternally(job: Job): boolean {
  const by = job.spec?.managedBy;
  return by != null && by !== JOB_CONTROLLER_NAME;
}

export class JobSyncer {
  private readonly durations: BackoffDurations;

  constructor(private readonly deps: JobSyncDeps) {
    this.durations = deps.backoffDurations ?? { baseMs: DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs: MAX_POD_FAILURE_BACKOFF_MS };
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    if (!namespace || !name) throw new Error(`invalid job key "${key}": either namespace or name is missing`);
    const d = this.deps;
    const shared = d.getJob(namespace, name);
    if (!shared) {
      d.expectations.delete(key);
      d.finalizerExpectations.delete(key);
      d.backoff.remove(key);
      return;
    }
    if (managedExternally(shared)) return;
    const job = structuredClone(shared);
    job.spec ??= { template: {} };
    if (isJobFinished(job)) {
      d.backoff.remove(key);
      return;
    }
    const mode = job.spec.completionMode;
    if (mode != null && mode !== 'NonIndexed' && mode !== 'Indexed') {
      d.recorder.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const status = (job.status ??= {});
    status.uncountedTerminatedPods ??= {};

    // Read the expectations before the pods: a pod created after this point merely defers the sync.
    const satisfied = d.expectations.satisfied(key);
    const pods = await this.podsForJob(job);
    const now = d.now();
    const activePods = pods.filter(isActive);
    const c: SyncCtx = {
      key, job, pods, activePods,
      succeeded: 0, failed: 0,
      prevSucceededIndexes: [], succeededIndexes: [],
      newBackoff: { key, failuresAfterLastSuccess: 0 },
      expectedRmFinalizers: d.finalizerExpectations.expected(key),
      uncounted: {
        succeeded: new Set(status.uncountedTerminatedPods.succeeded ?? []),
        failed: new Set(status.uncountedTerminatedPods.failed ?? []),
      },
      delayedDeletionPerIndex: new Map(),
      terminating: pods.filter(isTerminating).length,
      ready: activePods.filter(isPodReady).length,
    };
    let active = activePods.length;
    const newSucceeded = this.newFinishedPods(c, c.uncounted.succeeded, isSucceeded);
    const newFailed = this.newFinishedPods(c, c.uncounted.failed, (p) => isPodFailed(p, job));
    c.succeeded = (status.succeeded ?? 0) + newSucceeded.length + c.uncounted.succeeded.size;
    c.failed = (status.failed ?? 0) + newFailed.filter((p) => matchPodFailurePolicy(job, p).countFailed).length + c.uncounted.failed.size;

    // The job starts when first synced unsuspended.
    if (!status.startTime && !isSuspended(job)) status.startTime = wireTime(now);
    c.newBackoff = d.backoff.next(key, newSucceeded, newFailed);

    const backoffLimit = job.spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
    if (hasTrueCondition(job, 'SuccessCriteriaMet')) c.finished = findCondition(job, 'SuccessCriteriaMet');
    if (!c.finished) {
      // A FailureTarget written by an earlier sync decides; else a FailJob rule may fail the job now.
      const target = findCondition(job, 'FailureTarget');
      if (target?.status === 'True') c.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      else {
        const msg = this.failJobMessage(job, pods);
        if (msg) c.finished = newCondition('FailureTarget', 'True', REASON.PodFailurePolicy, msg, now);
      }
    }
    if (!c.finished) {
      if (c.failed > backoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        c.finished = newCondition('FailureTarget', 'True', REASON.BackoffLimitExceeded, 'Job has reached the specified backoff limit', now);
      } else if (this.pastActiveDeadline(job, now)) {
        c.finished = newCondition('FailureTarget', 'True', REASON.DeadlineExceeded, 'Job was active longer than specified deadline', now);
      } else if (job.spec.activeDeadlineSeconds != null && !isSuspended(job) && status.startTime) {
        d.requeueAfter(key, job.spec.activeDeadlineSeconds * 1000 - (now - Date.parse(status.startTime)));
      }
    }

    if (isIndexedJob(job)) {
      const completions = job.spec.completions ?? 0;
      c.prevSucceededIndexes = parseIntervals(status.completedIndexes, completions);
      const newIndexes = pods.filter((p) => isSucceeded(p) && hasTrackingFinalizer(p) && validIndex(job, p) !== UNKNOWN_INDEX).map(completionIndex);
      c.succeededIndexes = withIndexes(c.prevSucceededIndexes, newIndexes);
      c.succeeded = totalIndexes(c.succeededIndexes);
      if (hasBackoffLimitPerIndex(job)) {
        c.failedIndexes = this.failedIndexes(job, pods);
        const failedCount = totalIndexes(c.failedIndexes);
        if (!c.finished) {
          if (job.spec.maxFailedIndexes != null && failedCount > job.spec.maxFailedIndexes) {
            c.finished = newCondition('FailureTarget', 'True', REASON.MaxFailedIndexesExceeded, 'Job has exceeded the specified maximal number of failed indexes', now);
          } else if (failedCount > 0 && failedCount + totalIndexes(c.succeededIndexes) >= completions) {
            c.finished = newCondition('FailureTarget', 'True', REASON.FailedIndexes, 'Job has failed indexes', now);
          }
        }
        c.delayedDeletionPerIndex = this.podsWithDelayedDeletionPerIndex(c);
      }
      if (!c.finished) {
        const msg = matchSuccessPolicy(job, c.succeededIndexes);
        if (msg) c.finished = newCondition('SuccessCriteriaMet', 'True', REASON.SuccessPolicy, msg, now);
      }
    }

    let suspendCondChanged = false;
    let manageErr: unknown;
    if (c.finished) {
      // Finished: stop whatever still runs. The job is declared finished only once they are gone.
      const r = await this.deleteActivePods(job, activePods);
      if (r.deleted !== active || !satisfied) c.finished = undefined;
      active -= r.deleted;
      c.terminating += r.deleted;
      c.ready -= r.deletedReady;
      manageErr = r.error;
    } else {
      let manageCalled = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        const r = await this.manageJob(c, now);
        active = r.active;
        manageErr = r.error;
        manageCalled = true;
      }
      const completions = job.spec.completions;
      const complete = completions == null ? c.succeeded > 0 && active === 0 : c.succeeded >= completions && active === 0;
      if (complete) {
        c.finished = newCondition('SuccessCriteriaMet', 'True', REASON.CompletionsReached, 'Reached expected number of succeeded pods', now);
      } else if (manageCalled) {
        if (isSuspended(job)) {
          if (ensureConditionStatus(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendCondChanged = true;
            d.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureConditionStatus(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendCondChanged = true;
          d.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts continuous activity: a resumed job starts afresh.
          status.startTime = wireTime(now);
        }
      }
    }

    const needsStatusUpdate = suspendCondChanged || active !== (status.active ?? 0) || c.ready !== status.ready || c.terminating !== status.terminating;
    status.active = active;
    status.ready = c.ready;
    status.terminating = c.terminating;
    await this.trackStatusAndRemoveFinalizers(c, needsStatusUpdate);
    if (manageErr) throw manageErr;
  }

  // ---- pods ----

  /** The pods the job manages after adoption and release; adopted ones get the finalizer. */
  private async podsForJob(job: Job): Promise<Pod[]> {
    const ns = job.metadata.namespace!;
    const selector = selectorFromLabelSelector(job.spec.selector);
    const ref = jobControllerRef(job);
    const candidates = this.deps.candidatePods(job);
    const pods = await claimObjects<Pod>(candidates, {
      owner: job,
      selector,
      getFresh: () => this.deps.api.getJob(ns, job.metadata.name!),
      adopt: (pod) => this.deps.api.patchPod(ns, pod.metadata.name!, withFinalizer(adoptPatch(ref, pod.metadata.uid))),
      release: (pod) => this.deps.api.patchPod(ns, pod.metadata.name!, releasePatch(job.metadata.uid!, pod.metadata.uid)),
    });
    // Adopted pods carry the finalizer from now on; count them as if the cache showed it.
    return pods.map((p) => {
      const ours = p.metadata.ownerReferences?.some((r) => r.uid === job.metadata.uid);
      if (ours || hasTrackingFinalizer(p)) return p;
      return { ...p, metadata: { ...p.metadata, finalizers: [...(p.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER] } };
    });
  }

  /** Finished pods not yet counted: holding the finalizer, not in `uncounted`, with a valid index. */
  private newFinishedPods(c: SyncCtx, uncounted: ReadonlySet<string>, filter: (p: Pod) => boolean): Pod[] {
    return c.pods.filter((p) => {
      const uid = uidOf(p);
      if (!hasTrackingFinalizer(p) || uncounted.has(uid) || c.expectedRmFinalizers.has(uid)) return false;
      if (isIndexedJob(c.job) && validIndex(c.job, p) === UNKNOWN_INDEX) return false;
      return filter(p);
    });
  }

  private failJobMessage(job: Job, pods: Pod[]): string | undefined {
    if (!job.spec.podFailurePolicy) return undefined;
    for (const p of pods) {
      if (!isPodFailed(p, job)) continue;
      const m = matchPodFailurePolicy(job, p).failJobMessage;
      if (m) return m;
    }
    return undefined;
  }

  private pastActiveDeadline(job: Job, now: number): boolean {
    const ads = job.spec.activeDeadlineSeconds;
    const start = job.status?.startTime;
    if (ads == null || !start || isSuspended(job)) return false;
    return now - Date.parse(start) >= ads * 1000;
  }

  /** status.failedIndexes plus indexes whose pods have used up backoffLimitPerIndex. */
  private failedIndexes(job: Job, pods: Pod[]): Intervals {
    const completions = job.spec.completions ?? 0;
    const prev = parseIntervals(job.status?.failedIndexes, completions);
    const limit = job.spec.backoffLimitPerIndex ?? 0;
    const failed: number[] = [];
    for (const p of pods) {
      const ix = validIndex(job, p);
      if (ix === UNKNOWN_INDEX || !hasTrackingFinalizer(p) || !isPodFailed(p, job)) continue;
      let counted = true;
      if (job.spec.podFailurePolicy) {
        const m = matchPodFailurePolicy(job, p);
        if (m.action === 'FailIndex') {
          failed.push(ix);
          continue;
        }
        counted = m.countFailed;
      }
      if (counted && indexFailureCount(p) >= limit) failed.push(ix);
    }
    return withIndexes(prev, failed);
  }

  /**
   * With backoffLimitPerIndex, the last failed pod of each index still to be retried keeps its
   * finalizer until its replacement exists, which inherits its failure count.
   */
  private podsWithDelayedDeletionPerIndex(c: SyncCtx): Map<number, Pod> {
    const activeIndexes = new Set(c.activePods.map(completionIndex).filter((ix) => ix !== UNKNOWN_INDEX));
    const out = new Map<number, Pod>();
    for (const p of c.pods) {
      if (!hasTrackingFinalizer(p) || c.expectedRmFinalizers.has(uidOf(p)) || !isPodFailed(p, c.job)) continue;
      const ix = validIndex(c.job, p);
      if (ix === UNKNOWN_INDEX) continue;
      if (hasIndex(c.succeededIndexes, ix) || hasIndex(c.failedIndexes ?? [], ix) || activeIndexes.has(ix)) continue;
      const last = out.get(ix);
      if (!last || (indexAbsoluteFailureCount(last) <= indexAbsoluteFailureCount(p) && finishedTime(p) >= finishedTime(last))) out.set(ix, p);
    }
    return out;
  }

  // ---- manageJob: towards parallelism ----

  private async manageJob(c: SyncCtx, now: number): Promise<{ active: number; error?: unknown }> {
    const d = this.deps;
    const job = c.job;
    let active = c.activePods.length;
    const parallelism = job.spec.parallelism ?? 1;
    const completions = job.spec.completions;

    if (isSuspended(job)) {
      const toDelete = activePodsForRemoval(job, c.activePods, active);
      d.expectations.expectDeletions(c.key, toDelete.map(podKey));
      const r = await this.deleteJobPods(job, c.key, toDelete);
      c.terminating += r.deleted;
      c.ready -= r.deletedReady;
      return { active: active - r.deleted, error: r.error };
    }

    let wantActive: number;
    if (completions == null) {
      // A work queue: once any pod succeeded, let the others finish but start no more.
      wantActive = c.succeeded > 0 ? active : parallelism;
    } else {
      wantActive = Math.max(0, Math.min(completions - c.succeeded, parallelism));
    }

    const rmAtLeast = Math.max(0, active - wantActive);
    const toDelete = activePodsForRemoval(job, c.activePods, rmAtLeast).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (toDelete.length > 0) {
      // One sync either deletes or creates; deletions (duplicates, excess) come first.
      d.expectations.expectDeletions(c.key, toDelete.map(podKey));
      const r = await this.deleteJobPods(job, c.key, toDelete);
      c.terminating += r.deleted;
      c.ready -= r.deletedReady;
      return { active: active - r.deleted, error: r.error };
    }

    const terminating = onlyReplaceFailedPods(job) ? c.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return { active };

    if (!hasBackoffLimitPerIndex(job)) {
      const wait = remainingForRecord(now, this.durations, c.newBackoff);
      if (wait > 0) {
        d.requeueAfter(c.key, Math.max(wait, SYNC_JOB_BATCH_PERIOD_MS));
        return { active };
      }
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] = [];
    if (isIndexedJob(job)) {
      indexes = this.firstPendingIndexes(c, diff, completions ?? 0);
      if (hasBackoffLimitPerIndex(job)) {
        const r = this.indexesReadyToRetry(indexes, c.delayedDeletionPerIndex, now);
        if (r.wait > 0) {
          d.requeueAfter(c.key, Math.max(r.wait, SYNC_JOB_BATCH_PERIOD_MS));
          return { active };
        }
        indexes = r.now;
      }
      diff = indexes.length;
      if (diff === 0) return { active };
    }

    d.expectations.expectCreations(c.key, diff);
    const template = structuredClone(job.spec.template ?? {});
    const meta = (template.metadata ??= {});
    if (isIndexedJob(job)) addCompletionIndexEnv(template);
    meta.finalizers = [...(meta.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER];
    const ref = jobControllerRef(job);
    const ns = job.metadata.namespace!;

    let attempted = 0;
    let failures = 0;
    let firstError: unknown;
    const createOne = async () => {
      const ix = isIndexedJob(job) ? indexes[attempted] : UNKNOWN_INDEX;
      attempted++;
      const pod = podFor(job, template, ref, ix, c.delayedDeletionPerIndex.get(ix));
      try {
        const created = await d.api.createPod(ns, pod);
        d.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      } catch (err) {
        if (!isNamespaceTerminating(err)) d.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
        // The informer will never show this pod.
        d.expectations.creationObserved(c.key);
        failures++;
        firstError ??= err;
        throw err;
      }
    };
    // Slow start: batches of 1, 2, 4 ... so a template that always fails fails once.
    let remaining = diff;
    for (let batch = Math.min(1, remaining); remaining > 0; batch = Math.min(2 * batch, remaining)) {
      const results = await Promise.allSettled(Array.from({ length: batch }, () => createOne()));
      remaining -= batch;
      if (results.some((r) => r.status === 'rejected')) break;
    }
    if (remaining > 0) d.expectations.lowerCreations(c.key, remaining);
    return { active: active + diff - failures - remaining, error: firstError };
  }

  private firstPendingIndexes(c: SyncCtx, count: number, completions: number): number[] {
    if (count <= 0) return [];
    const indexesOf = (pods: Pod[]) => pods.map(completionIndex).filter((ix) => ix !== UNKNOWN_INDEX);
    let taken = withIndexes(c.succeededIndexes, indexesOf(c.activePods));
    if (onlyReplaceFailedPods(c.job)) taken = withIndexes(taken, indexesOf(c.pods.filter(isTerminating)));
    if (c.failedIndexes) taken = mergeIntervals(taken, c.failedIndexes);
    return firstFreeIndexes(taken, count, completions);
  }

  private indexesReadyToRetry(indexes: number[], delayed: Map<number, Pod>, now: number): { now: number[]; wait: number } {
    const ready: number[] = [];
    let minWait: number | undefined;
    for (const ix of indexes) {
      const wait = remainingForIndex(now, this.durations, delayed.get(ix));
      if (wait === 0) ready.push(ix);
      else if (minWait === undefined || wait < minWait) minWait = wait;
    }
    return ready.length > 0 ? { now: ready, wait: 0 } : { now: [], wait: minWait ?? 0 };
  }

  /** Deletes pods of a running job (suspend, excess, duplicates): the finalizer goes first. */
  private async deleteJobPods(job: Job, key: string, pods: Pod[]): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    const d = this.deps;
    let deleted = pods.length;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(pods.map(async (pod) => {
      const fail = (err: unknown) => {
        d.expectations.deletionObserved(key, podKey(pod));
        if (!isNotFound(err)) {
          deleted--;
          error ??= err;
        }
      };
      const ns = pod.metadata.namespace!;
      if (hasTrackingFinalizer(pod)) {
        try {
          await d.api.patchPod(ns, pod.metadata.name!, removeFinalizerPatch());
        } catch (err) {
          // Gone already counts as deleted; any other failure leaves the pod for the next sync.
          fail(isNotFound(err) ? err : new Error(`removing completion finalizer: ${errorMessage(err)}`, { cause: err }));
          return;
        }
      }
      try {
        await d.api.deletePod(ns, pod.metadata.name!);
        d.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (err) {
        if (!isNotFound(err)) d.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
        fail(err);
      }
      if (isPodReady(pod)) deletedReady++;
    }));
    return { deleted, deletedReady, error };
  }

  /** Deletes the active pods of a finished job, keeping their finalizers until they are counted. */
  private async deleteActivePods(job: Job, pods: Pod[]): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    const d = this.deps;
    let deleted = pods.length;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(pods.map(async (pod) => {
      try {
        await d.api.deletePod(pod.metadata.namespace!, pod.metadata.name!);
        d.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (err) {
        if (!isNotFound(err)) {
          d.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
          deleted--;
          error ??= err;
        }
      }
      if (isPodReady(pod)) deletedReady++;
    }));
    return { deleted, deletedReady, error };
  }

  // ---- counting: the uncounted list, finalizers and the terminal condition ----

  /**
   * Adds newly finished pods to status.uncountedTerminatedPods, removes their finalizers, moves
   * them into the counters, and finally writes Complete or Failed — in that order, each step
   * persisted before the next, so a crash at any point neither loses nor double-counts a pod.
   */
  private async trackStatusAndRemoveFinalizers(c: SyncCtx, needsFlush: boolean): Promise<void> {
    const job = c.job;
    const status = job.status!;
    const uncounted = status.uncountedTerminatedPods!;
    uncounted.succeeded ??= [];
    uncounted.failed ??= [];
    const indexed = isIndexedJob(job);
    const completions = job.spec.completions ?? 0;
    const pods = indexed ? [...c.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : c.pods;
    const uidsWithFinalizer = new Set(pods.filter((p) => hasTrackingFinalizer(p) && !c.expectedRmFinalizers.has(uidOf(p))).map(uidOf));
    if (countUncountedWithoutFinalizers(job, uidsWithFinalizer)) needsFlush = true;

    const podsToRemoveFinalizer: Pod[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMaxUncounted = false;
    for (const pod of pods) {
      const uid = uidOf(pod);
      if (!hasTrackingFinalizer(pod) || c.expectedRmFinalizers.has(uid)) continue; // counted before
      const failed = isPodFailed(pod, job);
      if (!this.canRemoveFinalizer(c, pod, failed)) continue;
      podsToRemoveFinalizer.push(pod);
      if (isSucceeded(pod) && !c.uncounted.failed.has(uid)) {
        if (indexed) {
          const ix = completionIndex(pod);
          if (ix !== UNKNOWN_INDEX && ix < completions && !hasIndex(c.prevSucceededIndexes, ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!c.uncounted.succeeded.has(uid)) {
          uncounted.succeeded.push(uid);
          needsFlush = true;
        }
      } else if (failed || (c.finished && c.finished.type !== 'SuccessCriteriaMet')) {
        // Once the job is finished, every pod not succeeded counts as failed.
        const ix = completionIndex(pod);
        if (!c.uncounted.failed.has(uid) && (!indexed || (ix !== UNKNOWN_INDEX && ix < completions))) {
          if (matchPodFailurePolicy(job, pod).countFailed) {
            uncounted.failed.push(uid);
            needsFlush = true;
          }
        }
      }
      if (newSucceededIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
        // The rest waits for the next sync, which this status update triggers.
        reachedMaxUncounted = true;
        break;
      }
    }
    if (indexed) {
      c.succeededIndexes = withIndexes(c.succeededIndexes, newSucceededIndexes);
      const completed = formatIntervals(c.succeededIndexes);
      if (completed !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = totalIndexes(c.succeededIndexes);
      status.completedIndexes = completed;
      const failedIndexes = c.failedIndexes ? formatIntervals(c.failedIndexes) : undefined;
      if (failedIndexes !== status.failedIndexes) {
        status.failedIndexes = failedIndexes;
        needsFlush = true;
      }
    }
    const now = this.deps.now();
    if (c.finished?.type === 'FailureTarget') {
      // Record why the job fails before the pods (and their evidence) may go away.
      (status.conditions ??= []).push(c.finished);
      needsFlush = true;
      c.finished = newCondition('Failed', 'True', c.finished.reason ?? '', c.finished.message ?? '', now);
    }
    if (c.finished?.type === 'SuccessCriteriaMet' && c.finished.status === 'True') {
      if (!hasTrueCondition(job, 'SuccessCriteriaMet')) {
        (status.conditions ??= []).push(c.finished);
        needsFlush = true;
      }
      c.finished = newCondition('Complete', 'True', c.finished.reason ?? '', c.finished.message ?? '', now);
    }
    needsFlush = await this.flushUncountedAndRemoveFinalizers(c, podsToRemoveFinalizer, uidsWithFinalizer, needsFlush);
    const finished = !reachedMaxUncounted && this.enactJobFinished(c);
    if (finished) needsFlush = true;
    if (needsFlush) {
      c.job = await this.updateStatus(c.job);
      if (finished) this.recordJobFinished(c.job, c.finished!);
    }
  }

  private canRemoveFinalizer(c: SyncCtx, pod: Pod, failed: boolean): boolean {
    if (c.job.metadata.deletionTimestamp || c.finished || isSucceeded(pod)) return true;
    if (!failed) return false;
    if (hasBackoffLimitPerIndex(c.job)) {
      const ix = completionIndex(pod);
      const delayed = ix === UNKNOWN_INDEX ? undefined : c.delayedDeletionPerIndex.get(ix);
      if (delayed && uidOf(delayed) === uidOf(pod)) return false;
    }
    return true;
  }

  private async flushUncountedAndRemoveFinalizers(c: SyncCtx, pods: Pod[], uidsWithFinalizer: Set<string>, needsFlush: boolean): Promise<boolean> {
    const d = this.deps;
    if (needsFlush) {
      try {
        c.job = await this.updateStatus(c.job);
      } catch (err) {
        throw new Error(`adding uncounted pods to status: ${errorMessage(err)}`, { cause: err });
      }
      d.backoff.save(c.newBackoff);
      needsFlush = false;
    }
    let rmErr: unknown;
    if (pods.length > 0) {
      d.finalizerExpectations.expectRemovals(c.key, pods.map(uidOf));
      await Promise.all(pods.map(async (pod) => {
        try {
          await d.api.patchPod(pod.metadata.namespace!, pod.metadata.name!, removeFinalizerPatch());
        } catch (err) {
          // No update will show this removal.
          d.finalizerExpectations.removalObserved(c.key, uidOf(pod));
          if (!isNotFound(err)) {
            rmErr ??= new Error(`removing tracking finalizer: ${errorMessage(err)}`, { cause: err });
            return;
          }
        }
        uidsWithFinalizer.delete(uidOf(pod));
      }));
    }
    if (countUncountedWithoutFinalizers(c.job, uidsWithFinalizer)) needsFlush = true;
    if (rmErr) {
      // Keep what did succeed.
      if (needsFlush) c.job = await this.updateStatus(c.job);
      throw rmErr;
    }
    return needsFlush;
  }

  private enactJobFinished(c: SyncCtx): boolean {
    if (!c.finished) return false;
    const u = c.job.status?.uncountedTerminatedPods;
    if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
    if (c.terminating > 0) return false;
    const f = c.finished;
    ensureConditionStatus(c.job, f.type as 'Complete' | 'Failed', 'True', f.reason ?? '', f.message ?? '', this.deps.now());
    if (f.type === 'Complete') c.job.status!.completionTime = f.lastTransitionTime;
    return true;
  }

  private recordJobFinished(job: Job, cond: JobCondition): void {
    const r = this.deps.recorder;
    if (cond.type === 'Complete') {
      if (job.spec.completions != null && (job.status?.succeeded ?? 0) > job.spec.completions) {
        r.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      r.event(job, 'Normal', 'Completed', 'Job completed');
    } else {
      r.event(job, 'Warning', cond.reason ?? 'Failed', cond.message ?? '');
    }
  }

  /** Writes the status as Kubernetes serializes it (zero counters omitted) and reads it back. */
  private async updateStatus(job: Job): Promise<Job> {
    const updated = await this.deps.api.updateJobStatus(wireJob(job));
    updated.spec ??= job.spec;
    const status = (updated.status ??= {});
    status.uncountedTerminatedPods ??= {};
    status.uncountedTerminatedPods.succeeded ??= [];
    status.uncountedTerminatedPods.failed ??= [];
    return updated;
  }
}

/** Moves uncounted pods whose finalizer is gone into the counters; returns whether any moved. */
function countUncountedWithoutFinalizers(job: Job, uidsWithFinalizer: ReadonlySet<string>): boolean {
  const status = (job.status ??= {});
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const keep = (list: string[] | undefined) => (list ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  const s = keep(u.succeeded);
  if (s.length !== (u.succeeded?.length ?? 0)) {
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded!.length - s.length);
    u.succeeded = s;
    changed = true;
  }
  const f = keep(u.failed);
  if (f.length !== (u.failed?.length ?? 0)) {
    status.failed = (status.failed ?? 0) + (u.failed!.length - f.length);
    u.failed = f;
    changed = true;
  }
  return changed;
}

/** The job as Go's encoder writes it: int32 counters and strings omitted when zero or empty. */
export function wireJob(job: Job): Job {
  const out = structuredClone(job);
  const s = out.status;
  if (!s) return out;
  for (const k of ['active', 'succeeded', 'failed'] as const) if (!s[k]) delete s[k];
  if (!s.completedIndexes) delete s.completedIndexes;
  const u = s.uncountedTerminatedPods;
  if (u) {
    if (!u.succeeded?.length) delete u.succeeded;
    if (!u.failed?.length) delete u.failed;
  }
  return out;
}

export function jobControllerRef(job: Job): OwnerReference {
  return newControllerRef(job, 'batch/v1', 'Job');
}

function withFinalizer(patch: Record<string, unknown>): Record<string, unknown> {
  const meta = patch.metadata as Record<string, unknown>;
  return { ...patch, metadata: { ...meta, finalizers: [JOB_TRACKING_FINALIZER] } };
}

/** restartPolicy OnFailure: the job fails once its pods' containers restarted backoffLimit times. */
export function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if ((job.spec.template?.spec as { restartPolicy?: string } | undefined)?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/**
 * The active pods to delete: for Indexed jobs every duplicate of an index (keeping the one
 * furthest along) and every pod without a valid index, then the least advanced pods up to
 * `rmAtLeast`.
 */
export function activePodsForRemoval(job: Job, pods: Pod[], rmAtLeast: number): Pod[] {
  let rm: Pod[] = [];
  let left: Pod[];
  if (isIndexedJob(job)) {
    left = [];
    const completions = job.spec.completions ?? 0;
    const groups = new Map<number, Pod[]>();
    for (const p of pods) {
      const ix = completionIndex(p);
      if (ix === UNKNOWN_INDEX || ix >= completions) {
        rm.push(p);
        continue;
      }
      let g = groups.get(ix);
      if (!g) groups.set(ix, (g = []));
      g.push(p);
    }
    for (const ix of [...groups.keys()].sort((a, b) => a - b)) {
      const g = groups.get(ix)!;
      if (g.length > 1) g.sort(compareForRemoval);
      rm.push(...g.slice(0, g.length - 1));
      left.push(g[g.length - 1]);
    }
  } else {
    left = [...pods];
  }
  if (rm.length < rmAtLeast) {
    left.sort(compareForRemoval);
    rm = rm.concat(left.slice(0, rmAtLeast - rm.length));
  }
  return rm;
}

/** Every container learns its index from JOB_COMPLETION_INDEX, read from the pod's label. */
function addCompletionIndexEnv(template: NonNullable<Job['spec']['template']>): void {
  const spec = (template.spec ??= {}) as { containers?: Array<{ env?: Array<{ name: string }> }>; initContainers?: Array<{ env?: Array<{ name: string }> }> };
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const env = (c.env ??= []);
    if (env.some((e) => e.name === COMPLETION_INDEX_ENV)) continue;
    env.push({
      name: COMPLETION_INDEX_ENV,
      valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX}']` } },
    } as { name: string });
  }
}

/** Kubernetes' MaxGeneratedNameLength: the API server appends 5 random characters. */
const MAX_GENERATED_NAME_LENGTH = 58;

/** `<job>-<index>-`, the job name shortened when the whole would be too long. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? jobName.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}

/** The pod to create for `index` (UNKNOWN_INDEX for NonIndexed jobs). */
function podFor(job: Job, template: NonNullable<Job['spec']['template']>, ref: OwnerReference, index: number, replacing: Pod | undefined): Pod {
  const tm = template.metadata ?? {};
  const labels: Record<string, string> = { ...(tm.labels ?? {}) };
  const annotations: Record<string, string> = { ...(tm.annotations ?? {}) };
  const spec = structuredClone(template.spec ?? {}) as Record<string, unknown>;
  let generateName = `${job.metadata.name}-`;
  if (index !== UNKNOWN_INDEX) {
    annotations[JOB_COMPLETION_INDEX] = String(index);
    labels[JOB_COMPLETION_INDEX] = String(index);
    spec.hostname = `${job.metadata.name}-${index}`;
    generateName = podGenerateNameWithIndex(job.metadata.name!, index);
    if (hasBackoffLimitPerIndex(job)) {
      let failures = 0;
      let ignored = 0;
      if (replacing) {
        failures = indexFailureCount(replacing);
        ignored = ignoredIndexFailureCount(replacing);
        if (matchPodFailurePolicy(job, replacing).countFailed) failures++;
        else ignored++;
      }
      annotations[JOB_INDEX_FAILURE_COUNT] = String(failures);
      if (ignored > 0) annotations[JOB_INDEX_IGNORED_FAILURE_COUNT] = String(ignored);
    }
  }
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName, labels, ownerReferences: [{ ...ref }], finalizers: [...(tm.finalizers ?? [])] },
    spec: spec as Pod['spec'],
  };
  if (Object.keys(annotations).length > 0) pod.metadata.annotations = annotations;
  return pod;
}
