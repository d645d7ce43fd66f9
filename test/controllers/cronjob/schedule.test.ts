// When a CronJob runs: the most recent due time, missed-time counting, requeue delays, job names
// and the scheduled-timestamp annotation's format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCronSchedule } from '../../../src/api/batch/v1/cron.js';
import {
  formatRFC1123Z, formatRFC3339, jobNameFor, mostRecentScheduleTime, nextScheduleDelay, parseSchedule,
} from '../../../src/controllers/cronjob/schedule.js';
import type { CronJob } from '../../../src/controllers/cronjob/types.js';

const T0 = Date.parse('2025-03-10T12:00:00Z');

function cronJob(schedule: string, created: number, extra: Partial<CronJob['spec']> = {}, lastScheduleTime?: string): CronJob {
  return {
    metadata: { name: 'report', namespace: 'default', creationTimestamp: new Date(created).toISOString() },
    spec: { schedule, jobTemplate: {}, ...extra },
    status: lastScheduleTime ? { lastScheduleTime } : {},
  };
}

test('the most recent due time and how many were missed', () => {
  const s = parseCronSchedule('*/5 * * * *');
  const cj = cronJob('*/5 * * * *', T0 - 60_000);
  assert.deepEqual(mostRecentScheduleTime(cj, T0 - 30_000, s, false), { earliest: T0 - 60_000, missed: 'none' });
  assert.deepEqual(mostRecentScheduleTime(cj, T0 + 1000, s, false), { earliest: T0 - 60_000, mostRecent: T0, missed: 'none' });
  const r = mostRecentScheduleTime(cj, T0 + 12 * 60_000, s, false);
  assert.equal(r.mostRecent, T0 + 10 * 60_000);
  assert.equal(r.missed, 'few');
  const old = cronJob('* * * * *', T0 - 5 * 3600_000);
  assert.equal(mostRecentScheduleTime(old, T0 + 1000, parseCronSchedule('* * * * *'), false).missed, 'many');
  // startingDeadlineSeconds moves the earliest time considered forward.
  const dl = cronJob('* * * * *', T0 - 5 * 3600_000, { startingDeadlineSeconds: 200 });
  const withDeadline = mostRecentScheduleTime(dl, T0 + 1000, parseCronSchedule('* * * * *'), true);
  assert.equal(withDeadline.earliest, T0 + 1000 - 200_000);
  assert.equal(withDeadline.mostRecent, T0);
  assert.equal(withDeadline.missed, 'few');
});

test('@every schedules count from the last run', () => {
  const s = parseCronSchedule('@every 90s');
  const cj = cronJob('@every 90s', T0, {}, new Date(T0 + 90_000).toISOString());
  const r = mostRecentScheduleTime(cj, T0 + 10 * 90_000 + 5000, s, false);
  assert.equal(r.mostRecent, T0 + 10 * 90_000);
});

test('a schedule that can never fire again is an error', () => {
  const cj = cronJob('0 0 30 2 *', T0);
  assert.throws(() => mostRecentScheduleTime(cj, T0 + 1000, parseCronSchedule('0 0 30 2 *'), false), /time difference between two schedules is less than 1 second/);
  assert.equal(nextScheduleDelay(cj, T0 + 1000, parseCronSchedule('0 0 30 2 *')), undefined);
});

test('the next sync comes 100 ms after the next scheduled time', () => {
  const cj = cronJob('0 * * * *', T0 - 1000, {}, new Date(T0).toISOString());
  assert.equal(nextScheduleDelay(cj, T0 + 5000, parseCronSchedule('0 * * * *')), 3600_000 - 5000 + 100);
});

test('time zones: from spec.timeZone, or a TZ= prefix in the schedule', () => {
  const tokyo = cronJob('0 9 * * *', T0, { timeZone: 'Asia/Tokyo' });
  assert.equal(parseSchedule(tokyo).next(new Date('2025-03-10T00:30:00Z'))?.toISOString(), '2025-03-11T00:00:00.000Z');
  const prefixed = cronJob('CRON_TZ=Asia/Tokyo 0 9 * * *', T0);
  assert.equal(parseSchedule(prefixed).next(new Date('2025-03-10T00:30:00Z'))?.toISOString(), '2025-03-11T00:00:00.000Z');
});

test('job names and timestamps', () => {
  assert.equal(jobNameFor(cronJob('* * * * *', T0), T0), `report-${T0 / 60_000}`);
  assert.equal(jobNameFor(cronJob('* * * * *', T0), T0), 'report-29026800');
  assert.equal(formatRFC3339(T0), '2025-03-10T12:00:00Z');
  assert.equal(formatRFC3339(T0, 'Europe/Paris'), '2025-03-10T13:00:00+01:00');
  assert.equal(formatRFC3339(T0, 'America/New_York'), '2025-03-10T08:00:00-04:00');
  assert.equal(formatRFC3339(T0, 'Asia/Kolkata'), '2025-03-10T17:30:00+05:30');
  assert.equal(formatRFC3339(T0, 'Etc/UTC'), '2025-03-10T12:00:00Z');
  assert.equal(formatRFC1123Z(T0), 'Mon, 10 Mar 2025 12:00:00 +0000');
});
