// The cronjob controller: creates batch/v1 Jobs on each CronJob's schedule and keeps its history.
import { resources } from '../../client/index.js';
import type { Controller } from '../context.js';
import { CronJobController } from './controller.js';
import type { CronJob, Job } from './types.js';

export const cronJobController: Controller = {
  name: 'cronjob',
  start(ctx) {
    const c = new CronJobController({
      client: ctx.client,
      recorder: ctx.recorder('cronjob-controller'),
      cronJobs: ctx.informers.forResource<CronJob>(resources.cronjobs),
      jobs: ctx.informers.forResource<Job>(resources.jobs),
    });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export { CronJobController, type CronJobControllerOptions } from './controller.js';
export { CronJobSyncer, jobFromTemplate, type CronJobApi, type CronJobSyncDeps } from './sync.js';
export { mostRecentScheduleTime, nextScheduleDelay, jobNameFor, formatRFC3339 } from './schedule.js';
export * from './types.js';
