// The TTL-after-finished controller: a finished Job with spec.ttlSecondsAfterFinished is deleted
// (propagation Background, so the garbage collector removes its pods) that many seconds after
// its Complete or Failed condition was set. The deletion is preconditioned on the version just
// re-read, so a job whose TTL was changed meanwhile is not deleted on stale information.
import {
  isNotFound, keyOf, resources, runWorkers, splitKey, WorkQueue, type Informer, type RestClient,
} from '../../client/index.js';
import { log } from '../../machinery/log.js';
import { finishedCondition } from './conditions.js';
import type { Job } from './types.js';
import { readyToRun } from '../util/ready-to-run.js';

export interface TTLApi {
  getJob(namespace: string, name: string): Promise<Job>;
  deleteJob(namespace: string, name: string, resourceVersion: string | undefined): Promise<void>;
}

export interface TTLDeps {
  now(): number;
  getJob(namespace: string, name: string): Job | undefined;
  api: TTLApi;
  requeueAfter(key: string, ms: number): void;
}

/** A job the controller must eventually delete: finished, with a TTL, not already being deleted. */
export function needsCleanup(job: Job): boolean {
  return job.spec?.ttlSecondsAfterFinished != null && !job.metadata.deletionTimestamp && finishedCondition(job) !== undefined;
}

/**
 * When `job` expires, ms since the epoch; undefined when it never does. Throws when the job is
 * finished but its condition has no time (nothing to count from).
 */
export function expiresAt(job: Job): number | undefined {
  if (!needsCleanup(job)) return undefined;
  const cond = finishedCondition(job)!;
  const finishAt = Date.parse(cond.lastTransitionTime ?? '');
  if (Number.isNaN(finishAt)) throw new Error(`unable to find the time when the Job ${job.metadata.namespace}/${job.metadata.name} finished`);
  return finishAt + job.spec.ttlSecondsAfterFinished! * 1000;
}

export async function syncTTL(d: TTLDeps, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const cached = d.getJob(namespace, name);
  if (!cached) return;
  const at = expiresAt(cached);
  if (at === undefined) return;
  if (at > d.now()) {
    d.requeueAfter(key, at - d.now());
    return;
  }
  // The cache may lag: check the TTL again on the API server's copy before deleting.
  let fresh: Job;
  try {
    fresh = await d.api.getJob(namespace, name);
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  const freshAt = expiresAt(fresh);
  if (freshAt === undefined) return;
  if (freshAt > d.now()) {
    d.requeueAfter(key, freshAt - d.now());
    return;
  }
  log('ttl-after-finished-controller', 'cleaning up Job', { job: key });
  try {
    await d.api.deleteJob(namespace, name, fresh.metadata.resourceVersion);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export class TTLAfterFinishedController {
  readonly queue = new WorkQueue<string>({ name: 'ttl_jobs_to_delete' });
  private readonly deps: TTLDeps;

  constructor(private readonly client: RestClient, private readonly jobs: Informer<Job>, now: () => number = Date.now) {
    this.deps = {
      now,
      getJob: (ns, name) => this.jobs.lister.get(ns, name),
      api: {
        getJob: (ns, name) => this.client.get<Job>(resources.jobs, ns, name),
        deleteJob: async (ns, name, resourceVersion) => {
          await this.client.delete(resources.jobs, ns, name, { propagationPolicy: 'Background', preconditions: resourceVersion ? { resourceVersion } : undefined });
        },
      },
      requeueAfter: (key, ms) => this.queue.addAfter(key, ms),
    };
    const enqueue = (job: Job) => {
      if (needsCleanup(job)) this.queue.add(keyOf(job));
    };
    this.jobs.addEventHandler({ onAdd: enqueue, onUpdate: (_old, cur) => enqueue(cur) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.jobs] }))) return;
    await runWorkers(this.queue, workers, (key) => syncTTL(this.deps, key));
  }
}
