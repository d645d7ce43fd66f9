// The cronjob controller's sync: reconcile status.active with the Jobs the CronJob owns, delete
// finished Jobs beyond the history limits, and, when a scheduled time has come, create its Job
// (honouring suspend, startingDeadlineSeconds and concurrencyPolicy). Returns when to sync again:
// just after the next scheduled time.
import { isAlreadyExists, isNotFound, referenceTo, splitKey, type ObjectReference } from '../../client/index.js';
import { CronError, isValidTimeZone } from '../../api/batch/v1/cron.js';
import { finishedCondition } from '../job/conditions.js';
import { getControllerOf, newControllerRef } from '../util/owner.js';
import { isNamespaceTerminating, errorMessage } from '../util/pod-control.js';
import {
  formatRFC1123Z, formatRFC3339, jobNameFor, mostRecentScheduleTime, nextScheduleDelay, parseSchedule,
} from './schedule.js';
import { CRONJOB_SCHEDULED_TIMESTAMP, type CronJob, type Job } from './types.js';

export interface CronJobApi {
  getCronJob(namespace: string, name: string): Promise<CronJob>;
  getJob(namespace: string, name: string): Promise<Job>;
  createJob(namespace: string, job: Job): Promise<Job>;
  /** Deletes with propagation Background: the garbage collector removes the pods. */
  deleteJob(namespace: string, name: string): Promise<void>;
  updateStatus(cj: CronJob): Promise<CronJob>;
}

export interface CronJobSyncDeps {
  now(): number;
  getCronJob(namespace: string, name: string): CronJob | undefined;
  listJobs(namespace: string): Job[];
  api: CronJobApi;
  recorder: { event(obj: CronJob, type: 'Normal' | 'Warning', reason: string, message: string): void };
}

const time = (s: string | undefined) => (s ? Date.parse(s) : NaN);
const wire = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function inActiveList(cj: CronJob, uid: string | undefined): boolean {
  return (cj.status?.active ?? []).some((r) => r.uid === uid);
}

function deleteFromActiveList(cj: CronJob, uid: string | undefined): void {
  const status = (cj.status ??= {});
  status.active = (status.active ?? []).filter((r) => r.uid !== uid);
}

function isJobSucceeded(job: Job): boolean {
  return finishedCondition(job)?.type === 'Complete';
}

/** The jobs a CronJob created: those whose controller reference names it. */
export function jobsOf(cj: CronJob, jobs: Job[]): Job[] {
  return jobs.filter((j) => {
    const ref = getControllerOf(j);
    return ref?.kind === 'CronJob' && ref.name === cj.metadata.name;
  });
}

/** Oldest first by status.startTime (jobs never started last), ties by name. */
function byStartTime(a: Job, b: Job): number {
  const sa = time(a.status?.startTime);
  const sb = time(b.status?.startTime);
  const na = Number.isNaN(sa);
  const nb = Number.isNaN(sb);
  if (na !== nb) return na ? 1 : -1;
  if (!na && sa !== sb) return sa - sb;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
}

/** The Job for one scheduled time, from the template. */
export function jobFromTemplate(cj: CronJob, scheduledMs: number): Job {
  const tm = cj.spec.jobTemplate?.metadata ?? {};
  const annotations = { ...(tm.annotations ?? {}), [CRONJOB_SCHEDULED_TIMESTAMP]: formatRFC3339(scheduledMs, cj.spec.timeZone) };
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cj, scheduledMs),
      annotations,
      ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
    },
    spec: structuredClone(cj.spec.jobTemplate?.spec ?? { template: {} }),
  };
  if (tm.labels && Object.keys(tm.labels).length > 0) job.metadata.labels = { ...tm.labels };
  return job;
}

export class CronJobSyncer {
  constructor(private readonly d: CronJobSyncDeps) {}

  /** Syncs one CronJob; resolves with ms until it should be synced again, if ever. */
  async sync(key: string): Promise<number | undefined> {
    const { namespace, name } = splitKey(key);
    const cached = this.d.getCronJob(namespace, name);
    if (!cached) return undefined;
    const cj = structuredClone(cached);
    cj.status ??= {};
    const jobs = jobsOf(cj, this.d.listJobs(namespace));
    const cleaned = await this.cleanupFinishedJobs(cj, jobs);
    const r = await this.syncCronJob(cj, jobs);
    if (cleaned || r.changed) {
      // Go omits an empty list: status.active disappears rather than showing [].
      if (cj.status.active?.length === 0) delete cj.status.active;
      await this.d.api.updateStatus(cj);
    }
    if (r.requeueAfter !== undefined) return r.requeueAfter;
    if (r.error) throw r.error;
    return undefined;
  }

  /** Deletes the oldest finished jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit. */
  async cleanupFinishedJobs(cj: CronJob, jobs: Job[]): Promise<boolean> {
    const { successfulJobsHistoryLimit: okLimit, failedJobsHistoryLimit: failLimit } = cj.spec;
    if (okLimit == null && failLimit == null) return false;
    const succeeded: Job[] = [];
    const failed: Job[] = [];
    for (const j of jobs) {
      const f = finishedCondition(j);
      if (f?.type === 'Complete') succeeded.push(j);
      else if (f?.type === 'Failed') failed.push(j);
    }
    let changed = false;
    if (okLimit != null && (await this.removeOldestJobs(cj, succeeded, okLimit))) changed = true;
    if (failLimit != null && (await this.removeOldestJobs(cj, failed, failLimit))) changed = true;
    return changed;
  }

  private async removeOldestJobs(cj: CronJob, jobs: Job[], keep: number): Promise<boolean> {
    const n = jobs.length - keep;
    if (n <= 0) return false;
    let changed = false;
    for (const j of [...jobs].sort(byStartTime).slice(0, n)) if (await this.deleteJob(cj, j)) changed = true;
    return changed;
  }

  private async deleteJob(cj: CronJob, job: Job): Promise<boolean> {
    try {
      await this.d.api.deleteJob(job.metadata.namespace ?? cj.metadata.namespace!, job.metadata.name!);
    } catch (err) {
      this.d.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errorMessage(err)}`);
      return false;
    }
    deleteFromActiveList(cj, job.metadata.uid);
    this.d.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    return true;
  }

  async syncCronJob(cj: CronJob, jobs: Job[]): Promise<{ requeueAfter?: number; changed: boolean; error?: unknown }> {
    const d = this.d;
    const now = d.now();
    const status = (cj.status ??= {});
    let changed = false;
    const ns = cj.metadata.namespace!;

    const children = new Set<string>();
    for (const j of jobs) {
      const uid = j.metadata.uid ?? '';
      children.add(uid);
      const found = inActiveList(cj, uid);
      const finished = finishedCondition(j);
      if (!found && !finished) {
        // Maybe our cache of the CronJob lags behind the job we created: ask the API server.
        let fresh: CronJob;
        try {
          fresh = await d.api.getCronJob(ns, cj.metadata.name!);
        } catch (err) {
          return { changed, error: err };
        }
        if (inActiveList(fresh, uid)) {
          status.active = fresh.status?.active ?? [];
          continue;
        }
        d.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (finished) {
        if (found) {
          deleteFromActiveList(cj, uid);
          d.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${finished.type}`);
          changed = true;
        }
        if (isJobSucceeded(j)) {
          // Finished jobs need not be in the active list to move lastSuccessfulTime.
          const done = j.status?.completionTime;
          if (!status.lastSuccessfulTime && done) {
            status.lastSuccessfulTime = done;
            changed = true;
          } else if (done && time(done) > time(status.lastSuccessfulTime)) {
            status.lastSuccessfulTime = done;
            changed = true;
          }
        }
      }
    }

    // Active jobs that vanished (deleted by hand, or the cache missed it) leave the list.
    for (const ref of [...(status.active ?? [])]) {
      if (children.has(ref.uid ?? '')) continue;
      try {
        await d.api.getJob(ref.namespace ?? ns, ref.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) return { changed, error: err };
        d.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        deleteFromActiveList(cj, ref.uid);
        changed = true;
      }
    }

    if (cj.metadata.deletionTimestamp) return { changed };

    const tz = cj.spec.timeZone;
    if (tz != null && !isValidTimeZone(tz)) {
      d.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`);
      return { changed };
    }
    if (cj.spec.suspend) return { changed };

    if ((cj.spec.schedule ?? '').includes('TZ')) {
      d.recorder.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(cj.spec.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    }
    let sched;
    try {
      sched = parseSchedule(cj);
    } catch (err) {
      if (!(err instanceof CronError)) throw err;
      // A user error: nothing to do until the spec changes.
      d.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec.schedule)} : ${err.message}`);
      return { changed };
    }

    let scheduled: number | undefined;
    try {
      const r = mostRecentScheduleTime(cj, now, sched, true);
      if (r.mostRecent !== undefined && r.mostRecent <= now) {
        scheduled = r.mostRecent;
        if (r.missed === 'many') {
          d.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
        }
      }
    } catch (err) {
      d.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec.schedule} : ${errorMessage(err)}`);
      return { changed };
    }
    const again = () => nextScheduleDelay(cj, now, sched);
    if (scheduled === undefined) return { requeueAfter: again(), changed };

    const sds = cj.spec.startingDeadlineSeconds;
    if (sds != null && scheduled + sds * 1000 < now) {
      d.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatRFC1123Z(scheduled)}`);
      return { requeueAfter: again(), changed };
    }
    const jobName = jobNameFor(cj, scheduled);
    if ((status.active ?? []).some((r) => r.name === jobName) || time(status.lastScheduleTime) === Math.floor(scheduled / 1000) * 1000) {
      // Already acted on this time.
      return { requeueAfter: again(), changed };
    }
    if (cj.spec.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
      d.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeueAfter: again(), changed };
    }
    if (cj.spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        let job: Job;
        try {
          job = await d.api.getJob(ref.namespace ?? ns, ref.name ?? '');
        } catch (err) {
          d.recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${errorMessage(err)}`);
          return { changed, error: err };
        }
        if (!(await this.deleteJob(cj, job))) return { changed, error: new Error(`could not replace job ${job.metadata.namespace}/${job.metadata.name}`) };
        changed = true;
      }
    }

    const req = jobFromTemplate(cj, scheduled);
    let created: Job;
    try {
      created = await d.api.createJob(ns, req);
      d.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    } catch (err) {
      if (isNamespaceTerminating(err)) return { changed, error: err };
      if (!isAlreadyExists(err)) {
        d.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errorMessage(err)}`);
        return { changed, error: err };
      }
      // Created before, but the status update that followed was lost: record it now, if ours.
      try {
        created = await d.api.getJob(ns, req.metadata.name!);
      } catch (getErr) {
        return { changed, error: getErr };
      }
      if (getControllerOf(created)?.uid !== cj.metadata.uid) return { changed };
      if (inActiveList(cj, created.metadata.uid)) return { changed };
    }
    const ref: ObjectReference = referenceTo({ ...created, apiVersion: created.apiVersion ?? 'batch/v1', kind: created.kind ?? 'Job' });
    status.active = [...(status.active ?? []), ref];
    status.lastScheduleTime = wire(scheduled);
    return { requeueAfter: again(), changed: true };
  }
}
