// batch/v1 CronJob: Jobs created on a cron schedule.
import { bool, enumOf, int32, int64, list, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { META } from '../../meta/v1.js';
import { age } from '../../printers.js';
import type { KObject, ResourceDef } from '../../resource.js';
import {
  ageColumn, arr, col, containerCells, containersColumn, goLabelSelector, imagesColumn, invalidRaw, kindSchema, nameColumn,
  nonNegative, o, selectorColumn, selectorString, type Obj,
} from '../../apps/v1/common.js';
import { defaultTemplate } from '../../apps/v1/pod-template.js';
import { CronError, isValidTimeZone, parseCronSchedule } from './cron.js';
import { validateJobSpecFields } from './job.js';

const B = 'io.k8s.api.batch.v1';
export const CRON_JOB = `${B}.CronJob`;

export const definitions: Record<string, Schema> = {
  [CRON_JOB]: kindSchema('batch', 'v1', 'CronJob', {
    spec: ref(`${B}.CronJobSpec`, 'The schedule and the job to run.'),
    status: ref(`${B}.CronJobStatus`, 'The most recently observed state, written by the cronjob controller.'),
  }, 'Creates Jobs on a repeating schedule, written in cron syntax.'),
  [`${B}.CronJobSpec`]: obj({
    schedule: str('The schedule in cron format: five fields (minute hour day-of-month month day-of-week) or a descriptor such as @hourly.'),
    timeZone: str('IANA time zone the schedule is read in, e.g. Europe/Paris. Defaults to the controller\'s local zone (UTC).'),
    startingDeadlineSeconds: int64('Seconds after a missed scheduled time within which the job may still start.'),
    concurrencyPolicy: enumOf(['Allow', 'Forbid', 'Replace'], 'What to do when the previous job still runs: Allow, Forbid (skip) or Replace. Defaults to Allow.'),
    suspend: bool('While true no new jobs are started. Defaults to false.'),
    jobTemplate: ref(`${B}.JobTemplateSpec`, 'The job created at each scheduled time.'),
    successfulJobsHistoryLimit: int32('Finished successful jobs kept. Defaults to 3.'),
    failedJobsHistoryLimit: int32('Failed jobs kept. Defaults to 1.'),
  }, { description: 'The desired behaviour of a CronJob.', required: ['schedule', 'jobTemplate'] }),
  [`${B}.JobTemplateSpec`]: obj({
    metadata: ref(META.ObjectMeta, 'Labels and annotations copied to the jobs created.'),
    spec: ref(`${B}.JobSpec`, 'The spec of the jobs created.'),
  }, 'The job a CronJob creates.'),
  [`${B}.CronJobStatus`]: obj({
    active: list(ref('io.k8s.api.core.v1.ObjectReference'), 'The jobs currently running.'),
    lastScheduleTime: ref(META.Time, 'When a job was last scheduled.'),
    lastSuccessfulTime: ref(META.Time, 'When a job last completed successfully.'),
  }, 'The observed state of a CronJob.'),
};

export function defaultCronJob(cj: KObject): void {
  const spec = (cj.spec ??= {}) as Obj;
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jt = (spec.jobTemplate ??= {}) as Obj;
  const js = (jt.spec ??= {}) as Obj;
  // Only the pod template is defaulted here; the Job defaults apply when a job is created from it.
  defaultTemplate(js.template ??= {});
}

const VALID_TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function validateTimeZone(tz: unknown, path: string): FieldError[] {
  if (tz === undefined || tz === null) return [];
  const v = String(tz);
  if (v.length === 0) return [field.invalid(path, v, 'timeZone must be nil or non-empty string')];
  for (const part of v.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !VALID_TZ_PART.test(part)) return [field.invalid(path, v, `unknown time zone ${v}`)];
  }
  const errs: FieldError[] = [];
  if (v.toLowerCase() === 'local') errs.push(field.invalid(path, v, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  if (!isValidTimeZone(v)) errs.push(field.invalid(path, v, `unknown time zone ${v}`));
  return errs;
}

function validateSchedule(schedule: string, allowTZ: boolean, timeZone: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  try {
    parseCronSchedule(schedule);
  } catch (e) {
    if (!(e instanceof CronError)) throw e;
    errs.push(field.invalid(path, schedule, e.message));
  }
  if (allowTZ && schedule.includes('TZ') && timeZone != null) {
    errs.push(field.invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZ && schedule.includes('TZ')) {
    errs.push(field.invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errs;
}

export function validateCronJob(cj: KObject, old?: KObject): FieldError[] {
  const spec = o(cj.spec);
  const oldSpec = old ? o(old.spec) : undefined;
  const errs: FieldError[] = [];
  const schedule = typeof spec.schedule === 'string' ? spec.schedule : '';
  if (!schedule) errs.push(field.required('spec.schedule'));
  else errs.push(...validateSchedule(schedule, oldSpec ? String(oldSpec.schedule ?? '').includes('TZ') : false, spec.timeZone, 'spec.schedule'));
  errs.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!oldSpec || (oldSpec.timeZone ?? null) !== (spec.timeZone ?? null)) errs.push(...validateTimeZone(spec.timeZone, 'spec.timeZone'));
  switch (spec.concurrencyPolicy) {
    case 'Allow': case 'Forbid': case 'Replace': break;
    case undefined: case null: case '': errs.push(field.required('spec.concurrencyPolicy')); break;
    default: errs.push(field.notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']));
  }
  const js = o(o(spec.jobTemplate).spec);
  errs.push(...validateJobSpecFields(js, 'spec.jobTemplate.spec'));
  if (js.selector != null) errs.push(invalidRaw('spec.jobTemplate.spec.selector', goLabelSelector(js.selector), '`selector` will be auto-generated'));
  if (js.manualSelector === true) errs.push(field.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  // The controller names jobs <cronjob>-<11-character timestamp>, which must fit a 63-character label.
  if (!old && (cj.metadata.name ?? '').length > 52) errs.push(field.invalid('metadata.name', cj.metadata.name, 'must be no more than 52 characters'));
  return errs;
}

export const cronJobs: ResourceDef = {
  group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', singular: 'cronjob',
  namespaced: true, shortNames: ['cj'], categories: ['all'], schemaName: CRON_JOB,
  subresources: { status: true },
  defaults: defaultCronJob,
  validate: (cj, { old }) => validateCronJob(cj, old),
  columns: [
    nameColumn,
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn, containersColumn, imagesColumn, selectorColumn,
  ],
  row(cj, now) {
    const spec = o(cj.spec);
    const status = o(cj.status);
    const js = o(o(spec.jobTemplate).spec);
    const [containers, images] = containerCells(js.template);
    return [
      cj.metadata.name, spec.schedule ?? '', spec.timeZone ?? '<none>',
      spec.suspend == null ? '<unset>' : spec.suspend ? 'True' : 'False',
      arr(status.active).length,
      status.lastScheduleTime ? age(status.lastScheduleTime, now) : '<none>',
      age(cj.metadata.creationTimestamp, now), containers, images, selectorString(js.selector),
    ];
  },
};
