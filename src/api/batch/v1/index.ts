// batch/v1: run-to-completion workloads.
import type { ResourceDef } from '../../resource.js';
import * as job from './job.js';
import * as cronjob from './cronjob.js';

export const definitions = { ...job.definitions, ...cronjob.definitions };
export const resources: ResourceDef[] = [job.jobs, cronjob.cronJobs];
