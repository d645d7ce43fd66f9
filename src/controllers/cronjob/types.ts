// Typed view of batch/v1 CronJob as the cronjob controller reads and writes it.
import type { KObject } from '../../api/resource.js';
import type { ObjectReference } from '../../client/index.js';
import type { Job, JobSpec } from '../job/types.js';

/** Set on every job a CronJob creates: the scheduled time, RFC 3339 in the CronJob's time zone. */
export const CRONJOB_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export interface CronJobSpec {
  schedule: string;
  timeZone?: string | null;
  startingDeadlineSeconds?: number | null;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace' | string;
  suspend?: boolean;
  jobTemplate: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: JobSpec };
  successfulJobsHistoryLimit?: number | null;
  failedJobsHistoryLimit?: number | null;
}

export interface CronJobStatus {
  active?: ObjectReference[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

export interface CronJob extends KObject {
  spec: CronJobSpec;
  status?: CronJobStatus;
}

export type { Job };
