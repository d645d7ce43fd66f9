// The cronjob controller's sync with fake listers and a fake API: what it creates when, how it
// keeps status.active and the history limits, and the events it records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/client/index.js';
import { CronJobSyncer, type CronJobSyncDeps } from '../../../src/controllers/cronjob/sync.js';
import type { CronJob, Job } from '../../../src/controllers/cronjob/types.js';

const T0 = Date.parse('2025-03-10T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function apiError(reason: string, code: number, message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: reason as 'NotFound', code, message });
}

class Fake {
  now = T0;
  cj: CronJob;
  jobs = new Map<string, Job>();
  events: Array<{ type: string; reason: string; message: string }> = [];
  deleted: string[] = [];
  statusWrites = 0;
  private seq = 0;
  readonly syncer: CronJobSyncer;

  constructor(spec: Partial<CronJob['spec']>, created = T0 - 30_000) {
    this.cj = {
      apiVersion: 'batch/v1', kind: 'CronJob',
      metadata: { name: 'hello', namespace: 'default', uid: 'cj-uid', creationTimestamp: iso(created), resourceVersion: '1' },
      spec: {
        schedule: '* * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1,
        jobTemplate: { metadata: { labels: { app: 'hello' } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
        ...spec,
      },
      status: {},
    };
    const deps: CronJobSyncDeps = {
      now: () => this.now,
      getCronJob: () => this.cj,
      listJobs: () => [...this.jobs.values()],
      api: {
        getCronJob: async () => structuredClone(this.cj),
        getJob: async (_ns, name) => {
          const j = this.jobs.get(name);
          if (!j) throw apiError('NotFound', 404, `jobs.batch "${name}" not found`);
          return structuredClone(j);
        },
        createJob: async (ns, job) => {
          if (this.jobs.has(job.metadata.name!)) throw apiError('AlreadyExists', 409, `jobs.batch "${job.metadata.name}" already exists`);
          const created = structuredClone(job);
          created.metadata = { ...created.metadata, namespace: ns, uid: `job-${++this.seq}`, resourceVersion: String(100 + this.seq), creationTimestamp: iso(this.now) };
          this.jobs.set(created.metadata.name!, created);
          return structuredClone(created);
        },
        deleteJob: async (_ns, name) => {
          if (!this.jobs.delete(name)) throw apiError('NotFound', 404, `jobs.batch "${name}" not found`);
          this.deleted.push(name);
        },
        updateStatus: async (cj) => {
          this.statusWrites++;
          this.cj = { ...this.cj, status: structuredClone(cj.status) };
          return structuredClone(this.cj);
        },
      },
      recorder: { event: (_o, type, reason, message) => void this.events.push({ type, reason, message }) },
    };
    this.syncer = new CronJobSyncer(deps);
  }

  sync(): Promise<number | undefined> {
    return this.syncer.sync('default/hello');
  }

  /** A finished job owned by the CronJob, started at `startMs`. */
  addFinished(name: string, startMs: number, type: 'Complete' | 'Failed'): Job {
    const job: Job = {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: { name, namespace: 'default', uid: `uid-${name}`, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'cj-uid', controller: true }] },
      spec: { template: {} },
      status: { startTime: iso(startMs), conditions: [{ type, status: 'True', lastTransitionTime: iso(startMs + 5000) }], ...(type === 'Complete' ? { completionTime: iso(startMs + 5000) } : {}) },
    };
    this.jobs.set(name, job);
    return job;
  }

  finish(name: string, type: 'Complete' | 'Failed', atMs: number): void {
    const j = this.jobs.get(name)!;
    j.status = { ...j.status, conditions: [{ type, status: 'True', lastTransitionTime: iso(atMs) }], ...(type === 'Complete' ? { completionTime: iso(atMs) } : {}) };
  }

  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}

test('at the scheduled minute a Job named <cronjob>-<minutes since epoch> is created and tracked', async () => {
  const f = new Fake({});
  // Created 30 s before 12:00; at 11:59:50 nothing is due yet.
  f.now = T0 - 10_000;
  const wait = await f.sync();
  assert.equal(f.jobs.size, 0);
  assert.equal(wait, 10_100, 'requeued just after 12:00');
  f.now = T0 + 200;
  const next = await f.sync();
  const name = `hello-${T0 / 60_000}`;
  const job = f.jobs.get(name);
  assert.ok(job, `job ${name} created`);
  assert.equal(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2025-03-10T12:00:00Z');
  assert.deepEqual(job.metadata.labels, { app: 'hello' });
  assert.deepEqual(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }]);
  assert.equal((job.spec.template.spec as { restartPolicy: string }).restartPolicy, 'Never');
  assert.equal(f.cj.status?.lastScheduleTime, '2025-03-10T12:00:00Z');
  assert.deepEqual(f.cj.status?.active?.map((r) => [r.kind, r.name, r.uid, r.apiVersion]), [['Job', name, 'job-1', 'batch/v1']]);
  assert.deepEqual(f.events.at(-1), { type: 'Normal', reason: 'SuccessfulCreate', message: `Created job ${name}` });
  assert.equal(next, 60_000 - 200 + 100, 'requeued for 12:01 plus 100 ms');
  // Syncing again in the same minute creates nothing.
  f.now += 5000;
  await f.sync();
  assert.equal(f.jobs.size, 1);
});

test('a finished job leaves status.active; lastSuccessfulTime follows the latest success', async () => {
  const f = new Fake({});
  f.now = T0 + 1000;
  await f.sync();
  const name = `hello-${T0 / 60_000}`;
  f.finish(name, 'Complete', T0 + 20_000);
  f.now = T0 + 21_000;
  await f.sync();
  assert.equal(f.cj.status?.active, undefined, "an empty active list is omitted");
  assert.equal(f.cj.status?.lastSuccessfulTime, iso(T0 + 20_000));
  assert.ok(f.events.some((e) => e.reason === 'SawCompletedJob' && e.message === `Saw completed job: ${name}, condition: Complete`));
});

test('history limits: the oldest finished jobs beyond the limits are deleted', async () => {
  const f = new Fake({ successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1, suspend: true });
  for (let i = 0; i < 4; i++) f.addFinished(`ok-${i}`, T0 - (10 - i) * 60_000, 'Complete');
  for (let i = 0; i < 3; i++) f.addFinished(`bad-${i}`, T0 - (20 - i) * 60_000, 'Failed');
  // A job with no startTime sorts last: it is kept rather than an older one.
  f.addFinished('ok-late', T0, 'Complete').status!.startTime = undefined;
  await f.sync();
  assert.deepEqual(f.deleted.sort(), ['bad-0', 'bad-1', 'ok-0', 'ok-1', 'ok-2']);
  assert.deepEqual([...f.jobs.keys()].sort(), ['bad-2', 'ok-3', 'ok-late']);
  assert.ok(f.events.some((e) => e.reason === 'SuccessfulDelete' && e.message === 'Deleted job ok-0'));
  // A limit of zero keeps nothing; unset limits keep everything.
  const g = new Fake({ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: null, suspend: true });
  g.addFinished('a', T0 - 120_000, 'Complete');
  g.addFinished('b', T0 - 60_000, 'Failed');
  await g.sync();
  assert.deepEqual(g.deleted, ['a']);
});

test('suspend: nothing is created and the CronJob is not requeued', async () => {
  const f = new Fake({ suspend: true });
  f.now = T0 + 1000;
  assert.equal(await f.sync(), undefined);
  assert.equal(f.jobs.size, 0);
  f.cj.spec.suspend = false;
  await f.sync();
  assert.equal(f.jobs.size, 1, 'resumed within the minute: the job starts');
});

test('concurrencyPolicy Forbid skips a run while one is active; Replace deletes it first', async () => {
  const f = new Fake({ concurrencyPolicy: 'Forbid' });
  f.now = T0 + 1000;
  await f.sync();
  f.now = T0 + 61_000;
  await f.sync();
  assert.equal(f.jobs.size, 1);
  assert.ok(f.events.some((e) => e.reason === 'JobAlreadyActive' && e.message === 'Not starting job because prior execution is running and concurrency policy is Forbid'));

  const r = new Fake({ concurrencyPolicy: 'Replace' });
  r.now = T0 + 1000;
  await r.sync();
  const first = `hello-${T0 / 60_000}`;
  r.now = T0 + 61_000;
  await r.sync();
  const second = `hello-${T0 / 60_000 + 1}`;
  assert.deepEqual([...r.jobs.keys()], [second]);
  assert.deepEqual(r.deleted, [first]);
  assert.deepEqual(r.cj.status?.active?.map((x) => x.name), [second]);
});

test('startingDeadlineSeconds: a run that can no longer start within its deadline is skipped', async () => {
  const f = new Fake({ startingDeadlineSeconds: 10, schedule: '0 * * * *' }, T0 - 3600_000);
  f.now = T0 + 30_000;
  await f.sync();
  assert.equal(f.jobs.size, 0);
  // Within the deadline it would have run: 12:00 + 10 s.
  const g = new Fake({ startingDeadlineSeconds: 60, schedule: '0 * * * *' }, T0 - 3600_000);
  g.now = T0 + 30_000;
  await g.sync();
  assert.equal(g.jobs.size, 1);
});

test('startingDeadlineSeconds counts from the scheduled time, also after earlier runs', async () => {
  // Last scheduled at 11:00; now 12:00:20 with a 30 s deadline: 12:00 is the time considered and it is in range.
  const f = new Fake({ startingDeadlineSeconds: 30, schedule: '0 * * * *' }, T0 - 7200_000);
  f.cj.status = { lastScheduleTime: iso(T0 - 3600_000) };
  f.now = T0 + 20_000;
  await f.sync();
  assert.equal(f.jobs.size, 1);
  // With a 5 s deadline the 12:00 run can no longer start.
  const g = new Fake({ startingDeadlineSeconds: 5, schedule: '0 * * * *' }, T0 - 7200_000);
  g.cj.status = { lastScheduleTime: iso(T0 - 3600_000) };
  g.now = T0 + 20_000;
  await g.sync();
  assert.equal(g.jobs.size, 0);
});

test('more than 100 missed times: TooManyMissedTimes, and only the latest one runs', async () => {
  const f = new Fake({}, T0 - 3 * 3600_000);
  f.now = T0 + 1000;
  await f.sync();
  assert.ok(f.events.some((e) => e.type === 'Warning' && e.reason === 'TooManyMissedTimes' && e.message === 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'));
  assert.deepEqual([...f.jobs.keys()], [`hello-${T0 / 60_000}`]);
  const g = new Fake({}, T0 - 50 * 60_000);
  g.now = T0 + 1000;
  await g.sync();
  assert.ok(!g.reasons().includes('TooManyMissedTimes'), '50 missed is not too many');
  assert.deepEqual([...g.jobs.keys()], [`hello-${T0 / 60_000}`]);
});

test('timeZone: the schedule is read in that zone and the annotation carries its offset', async () => {
  // 09:00 in Tokyo is 00:00 UTC.
  const midnight = Date.parse('2025-03-10T00:00:00Z');
  const f = new Fake({ schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' }, midnight - 3600_000);
  f.now = midnight + 2000;
  await f.sync();
  const job = f.jobs.get(`hello-${midnight / 60_000}`);
  assert.ok(job);
  assert.equal(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2025-03-10T09:00:00+09:00');
});

test('an active job that vanished is dropped with MissingJob; a stray unfinished job is reported', async () => {
  const f = new Fake({ suspend: true });
  f.cj.status = { active: [{ kind: 'Job', name: 'gone', namespace: 'default', uid: 'uid-gone', apiVersion: 'batch/v1' }] };
  f.jobs.set('stray', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'stray', namespace: 'default', uid: 'uid-stray', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'cj-uid', controller: true }] }, spec: { template: {} } });
  await f.sync();
  assert.equal(f.cj.status?.active, undefined, "an empty active list is omitted");
  assert.ok(f.events.some((e) => e.reason === 'MissingJob' && e.message === 'Active job went missing: gone'));
  assert.ok(f.events.some((e) => e.reason === 'UnexpectedJob' && e.message === 'Saw a job that the controller did not create or forgot: stray'));
});

test('a job already created for this time (status update lost) is adopted into status.active', async () => {
  const f = new Fake({});
  f.now = T0 + 1000;
  await f.sync();
  // The status write was lost: the CronJob forgets, the job remains.
  f.cj.status = {};
  const before = f.events.length;
  await f.sync();
  assert.equal(f.jobs.size, 1);
  assert.equal(f.cj.status?.active?.length, 1, 'the existing job is back in the active list');
  assert.ok(!f.events.slice(before).some((e) => e.reason === 'SuccessfulCreate'));
});

test('schedules the API would reject still do no harm: a Warning, no job, no requeue', async () => {
  const f = new Fake({ schedule: '61 * * * *' });
  f.now = T0 + 1000;
  assert.equal(await f.sync(), undefined);
  assert.equal(f.jobs.size, 0);
  assert.equal(f.events[0].reason, 'UnparseableSchedule');
  assert.match(f.events[0].message, /^unparseable schedule: "61 \* \* \* \*" : end of range \(61\) above maximum \(59\): 61$/);
  const g = new Fake({ schedule: '0 0 31 2 *' });
  g.now = T0 + 1000;
  await g.sync();
  assert.equal(g.events[0].reason, 'InvalidSchedule');
  const h = new Fake({ timeZone: 'Mars/Olympus' });
  h.now = T0 + 1000;
  await h.sync();
  assert.deepEqual(h.events[0], { type: 'Warning', reason: 'UnknownTimeZone', message: 'invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus' });
});
