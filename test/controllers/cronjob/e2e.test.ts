// CronJobs end to end with the real kubectl: a "* * * * *" CronJob fires at the next minute (the
// one test here that waits for wall-clock time, up to ~65 s), its Job runs on a simulated node,
// and a suspended twin fires nothing. History limits are covered by the sync unit tests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestServer;

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '2'] });
});

after(async () => {
  await server?.stop();
});

function cronJobYaml(name: string, suspend: boolean): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule: '* * * * *',
      suspend,
      successfulJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: { cron: name } },
        spec: {
          template: {
            metadata: { annotations: { 'sim.k8ts.io/duration': '500ms' } },
            spec: { restartPolicy: 'Never', containers: [{ name: 'tick', image: 'busybox' }] },
          },
        },
      },
    },
  });
}

interface JobView {
  metadata: { name: string; annotations?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string }> };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

async function jobsLabelled(cron: string): Promise<JobView[]> {
  const r = await server.kubectl(['get', 'jobs', '-l', `cron=${cron}`, '-o', 'json']);
  return (JSON.parse(r.stdout) as { items: JobView[] }).items;
}

test('a "* * * * *" CronJob creates its Job at the next minute; a suspended one does not', { timeout: 95_000 }, async () => {
  await server.kubectl(['apply', '-f', '-'], { input: cronJobYaml('every-minute', false) });
  await server.kubectl(['apply', '-f', '-'], { input: cronJobYaml('paused', true) });
  const [job] = await waitFor('a job of every-minute', () => jobsLabelled('every-minute'), { until: (jobs) => jobs.length > 0, timeoutMs: 70_000, intervalMs: 500 });
  const ts = job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'];
  assert.match(ts ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/, 'scheduled on a whole minute, in UTC');
  assert.equal(job.metadata.name, `every-minute-${Date.parse(ts!) / 60_000}`);
  assert.deepEqual(job.metadata.ownerReferences?.map((r) => [r.kind, r.name]), [['CronJob', 'every-minute']]);

  await server.kubectl(['wait', '--for=condition=Complete', `job/${job.metadata.name}`, '--timeout=30s']);
  // The CronJob notices: the job leaves status.active and becomes the last success.
  const status = await waitFor('the CronJob status to record the finished job',
    async () => JSON.parse((await server.kubectl(['get', 'cronjob', 'every-minute', '-o', 'jsonpath={.status}'])).stdout || '{}'),
    { until: (st) => !!st.lastSuccessfulTime && !(st.active ?? []).some((r: { name: string }) => r.name === job.metadata.name), intervalMs: 300 });
  // A slow machine may already have reached the next minute.
  assert.ok(Date.parse(status.lastScheduleTime) >= Date.parse(ts!), `lastScheduleTime ${status.lastScheduleTime} before ${ts}`);
  const get = await server.kubectl(['get', 'cronjob']);
  assert.match(get.stdout, /every-minute\s+\* \* \* \* \*\s+<none>\s+False\s+[01]\s+\S+/);
  assert.match(get.stdout, /paused\s+\* \* \* \* \*\s+<none>\s+True\s+0\s+<none>/);
  assert.equal((await jobsLabelled('paused')).length, 0, 'the suspended CronJob fired nothing');
  const events = await server.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=every-minute', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}{"\\n"}{end}']);
  assert.match(events.stdout, new RegExp(`SuccessfulCreate:Created job ${job.metadata.name}`));
  assert.match(events.stdout, new RegExp(`SawCompletedJob:Saw completed job: ${job.metadata.name}, condition: Complete`));
});
