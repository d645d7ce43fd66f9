// The cronjob controller's wiring: CronJob events and events of the Jobs they own enqueue the
// CronJob; workers run CronJobSyncer.sync and requeue each CronJob for its next scheduled time.
import {
  keyOf, resources, runWorkers, WorkQueue, type EventRecorder, type Informer, type RestClient,
} from '../../client/index.js';
import { getControllerOf } from '../util/owner.js';
import { NEXT_SCHEDULE_DELTA_MS, nextScheduleDelay, parseSchedule } from './schedule.js';
import { CronJobSyncer, type CronJobApi } from './sync.js';
import type { CronJob, Job } from './types.js';
import { readyToRun } from '../util/ready-to-run.js';

export interface CronJobControllerOptions {
  client: RestClient;
  recorder: EventRecorder;
  cronJobs: Informer<CronJob>;
  jobs: Informer<Job>;
  now?: () => number;
}

export class CronJobController {
  readonly queue = new WorkQueue<string>({ name: 'cronjob' });
  readonly syncer: CronJobSyncer;
  private readonly cronJobs: Informer<CronJob>;
  private readonly jobs: Informer<Job>;
  private readonly now: () => number;

  constructor(opts: CronJobControllerOptions) {
    this.cronJobs = opts.cronJobs;
    this.jobs = opts.jobs;
    this.now = opts.now ?? Date.now;
    const c = opts.client;
    const api: CronJobApi = {
      getCronJob: (ns, name) => c.get<CronJob>(resources.cronjobs, ns, name),
      getJob: (ns, name) => c.get<Job>(resources.jobs, ns, name),
      createJob: (ns, job) => c.create<Job>(resources.jobs, ns, job),
      deleteJob: async (ns, name) => void (await c.delete(resources.jobs, ns, name, { propagationPolicy: 'Background' })),
      updateStatus: (cj) => c.updateStatus<CronJob>(resources.cronjobs, cj.metadata.namespace, cj),
    };
    this.syncer = new CronJobSyncer({
      now: this.now,
      getCronJob: (ns, name) => this.cronJobs.lister.get(ns, name),
      listJobs: (ns) => this.jobs.lister.list(ns),
      api,
      recorder: opts.recorder,
    });
    this.cronJobs.addEventHandler({
      onAdd: (cj) => this.queue.add(keyOf(cj)),
      onUpdate: (old, cur) => this.onCronJobUpdated(old, cur),
      onDelete: (cj) => this.queue.add(keyOf(cj)),
    });
    this.jobs.addEventHandler({
      onAdd: (job) => this.enqueueOwner(job),
      onUpdate: (old, cur) => {
        if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
        if (getControllerOf(old)?.uid !== getControllerOf(cur)?.uid) this.enqueueOwner(old);
        this.enqueueOwner(cur);
      },
      onDelete: (job) => this.enqueueOwner(job),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.cronJobs, this.jobs] }))) return;
    await runWorkers(this.queue, workers, async (key) => {
      const after = await this.syncer.sync(key);
      if (after !== undefined) this.queue.addAfter(key, Math.max(after, 0));
    });
  }

  private enqueueOwner(job: Job): void {
    const ref = getControllerOf(job);
    if (!ref || ref.kind !== 'CronJob') return;
    const cj = this.cronJobs.lister.get(job.metadata.namespace, ref.name);
    if (cj && cj.metadata.uid === ref.uid) this.queue.add(keyOf(cj));
  }

  /** A changed schedule is acted on at its next time; any other change at once. */
  private onCronJobUpdated(old: CronJob, cur: CronJob): void {
    if (old.spec?.schedule !== cur.spec?.schedule || (old.spec?.timeZone ?? null) !== (cur.spec?.timeZone ?? null)) {
      let delay: number | undefined;
      try {
        delay = nextScheduleDelay(cur, this.now(), parseSchedule(cur));
      } catch {
        // Unparseable: the sync reports it.
        delay = NEXT_SCHEDULE_DELTA_MS;
      }
      if (delay !== undefined) this.queue.addAfter(keyOf(cur), Math.max(delay, 0));
      return;
    }
    this.queue.add(keyOf(cur));
  }
}
