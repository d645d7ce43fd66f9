import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW, update } from '../apps/helpers.js';
import { parseCronSchedule } from '../../../src/api/batch/v1/cron.js';

const cronJobs = def('batch', 'cronjobs');

const hello = (): any => ({
  metadata: { name: 'hello', namespace: 'default', creationTimestamp: ago(7200) },
  spec: {
    schedule: '*/5 * * * *',
    jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox' }], restartPolicy: 'OnFailure' } } } },
  },
});

test('cronjob defaults: Allow, not suspended, history 3 and 1; the job template gets only pod defaults', () => {
  const c = hello();
  assert.deepEqual(create(cronJobs, c), []);
  assert.deepEqual([c.spec.concurrencyPolicy, c.spec.suspend, c.spec.successfulJobsHistoryLimit, c.spec.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
  assert.equal(c.spec.jobTemplate.spec.template.spec.dnsPolicy, 'ClusterFirst');
  assert.equal(c.spec.jobTemplate.spec.backoffLimit, undefined);
});

test('cronjob schedules are parsed with the cron library\'s messages', () => {
  const cases: Array<[string, string]> = [
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* * * * mon-foo', 'failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['@sometimes', 'unrecognized descriptor: @sometimes'],
  ];
  for (const [schedule, why] of cases) {
    const c = hello();
    c.spec.schedule = schedule;
    assert.deepEqual(create(cronJobs, c), [`spec.schedule: Invalid value: ${JSON.stringify(schedule)}: ${why}`]);
  }
  for (const ok of ['@hourly', '@daily', '@every 90m', '0 9 * * MON-FRI', '15,45 */2 1-15 jan,jul ?']) {
    const c = hello();
    c.spec.schedule = ok;
    assert.deepEqual(create(cronJobs, c), [], ok);
  }
  const empty = hello();
  empty.spec.schedule = '';
  assert.deepEqual(create(cronJobs, empty), ['spec.schedule: Required value']);
});

test('cronjob time zones: IANA names only, TZ= in the schedule refused on create', () => {
  const tz = hello();
  tz.spec.timeZone = 'Europe/Paris';
  assert.deepEqual(create(cronJobs, tz), []);
  const bad = hello();
  bad.spec.timeZone = 'Mars/Olympus';
  assert.deepEqual(create(cronJobs, bad), ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
  const local = hello();
  local.spec.timeZone = 'Local';
  assert.ok(create(cronJobs, local).includes('spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  const inline = hello();
  inline.spec.schedule = 'CRON_TZ=UTC 0 * * * *';
  assert.deepEqual(create(cronJobs, inline), ['spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
});

test('cronjob names are at most 52 characters; job templates may not set selectors', () => {
  const long = hello();
  long.metadata.name = 'a'.repeat(53);
  assert.deepEqual(create(cronJobs, long), [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]);
  const sel = hello();
  sel.spec.jobTemplate.spec.selector = { matchLabels: { a: 'b' } };
  sel.spec.jobTemplate.spec.manualSelector = true;
  assert.deepEqual(create(cronJobs, sel), [
    'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
    'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
  ]);
  const restart = hello();
  restart.spec.jobTemplate.spec.template.spec.restartPolicy = 'Always';
  assert.deepEqual(create(cronJobs, restart), ['spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  const old = hello();
  create(cronJobs, old);
  const next = clone(old);
  next.spec.concurrencyPolicy = 'Sometimes';
  assert.deepEqual(update(cronJobs, next, old), ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"']);
});

test('cronjob printer: SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE', () => {
  assert.deepEqual(cronJobs.columns!.map((c) => [c.name, c.priority]), [
    ['Name', 0], ['Schedule', 0], ['Timezone', 0], ['Suspend', 0], ['Active', 0], ['Last Schedule', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1],
  ]);
  const c = hello();
  create(cronJobs, c);
  assert.deepEqual(cells(cronJobs, c, NOW), {
    Name: 'hello', Schedule: '*/5 * * * *', Timezone: '<none>', Suspend: 'False', Active: 0, 'Last Schedule': '<none>', Age: '120m',
    Containers: 'hello', Images: 'busybox', Selector: '',
  });
  c.spec.timeZone = 'Etc/UTC';
  c.status = { active: [{ name: 'hello-1' }], lastScheduleTime: ago(65) };
  const row = cells(cronJobs, c, NOW);
  assert.deepEqual([row.Timezone, row.Active, row['Last Schedule']], ['Etc/UTC', 1, '65s']);
});

test('parsed schedules give the next activation, in the given time zone', () => {
  const from = new Date('2024-03-01T10:07:30Z');
  assert.equal(parseCronSchedule('*/5 * * * *').next(from)?.toISOString(), '2024-03-01T10:10:00.000Z');
  assert.equal(parseCronSchedule('0 0 29 2 *').next(from)?.toISOString(), '2028-02-29T00:00:00.000Z');
  assert.equal(parseCronSchedule('0 9 * * 1-5', 'America/New_York').next(new Date('2024-07-06T00:00:00Z'))?.toISOString(), '2024-07-08T13:00:00.000Z');
  assert.equal(parseCronSchedule('@every 1h30m').next(from)?.toISOString(), '2024-03-01T11:37:30.000Z');
  assert.equal(parseCronSchedule('0 0 30 2 *').next(from), undefined);
});
