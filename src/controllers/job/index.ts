// The job controller (runs batch/v1 Jobs' pods to completion) and the TTL-after-finished
// controller (deletes finished Jobs once their spec.ttlSecondsAfterFinished has passed).
import { resources } from '../../client/index.js';
import type { Controller } from '../context.js';
import { JobController } from './controller.js';
import { TTLAfterFinishedController } from './ttl-after-finished.js';
import type { Job, Pod } from './types.js';

export const jobController: Controller = {
  name: 'job',
  start(ctx) {
    const c = new JobController({
      client: ctx.client,
      recorder: ctx.recorder('job-controller'),
      jobs: ctx.informers.forResource<Job>(resources.jobs),
      pods: ctx.informers.forResource<Pod>(resources.pods),
    });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export const ttlAfterFinishedController: Controller = {
  name: 'ttl-after-finished',
  start(ctx) {
    const c = new TTLAfterFinishedController(ctx.client, ctx.informers.forResource<Job>(resources.jobs));
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export { JobController, type JobControllerOptions } from './controller.js';
export { JobSyncer, type JobApi, type JobSyncDeps } from './sync.js';
export { TTLAfterFinishedController, syncTTL, expiresAt } from './ttl-after-finished.js';
export { isJobFinished, finishedCondition } from './conditions.js';
export * from './types.js';
