// Jobs end to end: a k8ts server with simulated nodes, driven by the real kubectl. Simulated pods
// finish after sim.k8ts.io/duration with the exit code in sim.k8ts.io/exit-code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestServer;

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '3'] });
});

after(async () => {
  await server?.stop();
});

function jobYaml(name: string, spec: Record<string, unknown>, annotations: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      ...spec,
      template: {
        metadata: { annotations },
        spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }] },
      },
    },
  });
}

interface PodView {
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { hostname?: string };
  status?: { phase?: string };
}

async function podsOf(job: string): Promise<PodView[]> {
  const r = await server.kubectl(['get', 'pods', '-l', `batch.kubernetes.io/job-name=${job}`, '-o', 'json']);
  return (JSON.parse(r.stdout) as { items: PodView[] }).items;
}

async function jsonpath(resource: string, path: string): Promise<string> {
  return (await server.kubectl(['get', resource, '-o', `jsonpath=${path}`])).stdout;
}

describe('jobs on simulated nodes', { concurrency: true }, () => {
  test('an Indexed job with completions 5 and parallelism 2 runs each index once, at most 2 at a time', { timeout: 45_000 }, async () => {
    await server.kubectl(['apply', '-f', '-'], {
      input: jobYaml('indexed', { completions: 5, parallelism: 2, completionMode: 'Indexed' }, { 'sim.k8ts.io/duration': '1s' }),
    });
    let maxActive = 0;
    await waitFor('the job to complete', async () => {
      const pods = await podsOf('indexed');
      const active = pods.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? '') && !p.metadata.deletionTimestamp);
      maxActive = Math.max(maxActive, active.length);
      return (await jsonpath('job/indexed', '{.status.conditions[?(@.type=="Complete")].status}')) === 'True';
    }, { timeoutMs: 40_000, intervalMs: 250 });
    assert.ok(maxActive <= 2, `${maxActive} pods were active at once`);
    const pods = await podsOf('indexed');
    const indexes = pods.map((p) => Number(p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'])).sort();
    assert.deepEqual(indexes, [0, 1, 2, 3, 4], 'one pod per index, none repeated');
    for (const p of pods) {
      const ix = p.metadata.annotations!['batch.kubernetes.io/job-completion-index'];
      assert.equal(p.metadata.labels?.['batch.kubernetes.io/job-completion-index'], ix);
      assert.equal(p.spec.hostname, `indexed-${ix}`);
      assert.match(p.metadata.name, new RegExp(`^indexed-${ix}-[a-z0-9]{5}$`));
      assert.equal(p.status?.phase, 'Succeeded');
    }
    assert.equal(await jsonpath('job/indexed', '{.status.completedIndexes} {.status.succeeded}'), '0-4 5');
    const get = await server.kubectl(['get', 'job', 'indexed']);
    assert.match(get.stdout, /indexed\s+Complete\s+5\/5\s/);
  });

  test('a failing job stops at backoffLimit 1 and is Failed with BackoffLimitExceeded', { timeout: 45_000 }, async () => {
    await server.kubectl(['apply', '-f', '-'], {
      input: jobYaml('failing', { backoffLimit: 1 }, { 'sim.k8ts.io/duration': '500ms', 'sim.k8ts.io/exit-code': '1' }),
    });
    await server.kubectl(['wait', '--for=condition=Failed', 'job/failing', '--timeout=40s']);
    assert.equal(await jsonpath('job/failing', '{.status.conditions[?(@.type=="Failed")].reason}'), 'BackoffLimitExceeded');
    assert.equal(await jsonpath('job/failing', '{.status.failed}'), '2');
    const pods = await podsOf('failing');
    assert.equal(pods.length, 2, 'the first pod and one retry');
    assert.ok(pods.every((p) => p.status?.phase === 'Failed'));
    const events = await server.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=failing', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
    assert.match(events.stdout, /BackoffLimitExceeded/);
    assert.match((await server.kubectl(['get', 'job', 'failing'])).stdout, /failing\s+Failed\s+0\/1\s/);
  });

  test('ttlSecondsAfterFinished deletes a finished job; a deleted running job releases its pods', { timeout: 45_000 }, async () => {
    await server.kubectl(['apply', '-f', '-'], { input: jobYaml('short-lived', { ttlSecondsAfterFinished: 1 }, { 'sim.k8ts.io/duration': '300ms' }) });
    await server.kubectl(['apply', '-f', '-'], { input: jobYaml('long-running', {}, { 'sim.k8ts.io/duration': '10m' }) });
    await waitFor('the finished job to be deleted', async () => (await server.kubectl(['get', 'job', 'short-lived'], { allowFail: true })).code !== 0,
      { timeoutMs: 30_000, intervalMs: 300 });
    const [pod] = await waitFor('the long-running pod to start', () => podsOf('long-running'),
      { until: (pods) => pods.length === 1 && pods[0].status?.phase === 'Running', intervalMs: 300 });
    assert.equal(await jsonpath(`pod/${pod.metadata.name}`, '{.metadata.finalizers}'), '["batch.kubernetes.io/job-tracking"]');
    await server.kubectl(['delete', 'job', 'long-running', '--wait=false']);
    // Released: the finalizer is gone (or, once the garbage collector ran, the pod itself).
    const finalizers = async () => {
      const r = await server.kubectl(['get', `pod/${pod.metadata.name}`, '-o', 'jsonpath={.metadata.finalizers}'], { allowFail: true });
      if (r.code === 0) return r.stdout;
      assert.match(r.stderr, /NotFound/);
      return '';
    };
    await waitFor('the tracking finalizer to leave the pod of the deleted job', finalizers, { until: (f) => f === '', intervalMs: 300 });
  });

  test('a suspended job starts nothing until resumed, then completes', { timeout: 45_000 }, async () => {
    await server.kubectl(['apply', '-f', '-'], {
      input: jobYaml('paused', { suspend: true, completions: 2, parallelism: 2 }, { 'sim.k8ts.io/duration': '500ms' }),
    });
    await server.kubectl(['wait', '--for=condition=Suspended', 'job/paused', '--timeout=20s']);
    assert.equal((await podsOf('paused')).length, 0);
    assert.match((await server.kubectl(['get', 'job', 'paused'])).stdout, /paused\s+Suspended\s+0\/2\s/);
    await server.kubectl(['patch', 'job', 'paused', '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    await server.kubectl(['wait', '--for=condition=Complete', 'job/paused', '--timeout=30s']);
    assert.equal(await jsonpath('job/paused', '{.status.conditions[?(@.type=="Suspended")].reason}'), 'JobResumed');
    assert.equal((await podsOf('paused')).length, 2);
  });
});
