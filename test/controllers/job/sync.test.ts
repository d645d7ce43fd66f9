// The job controller's sync against an in-memory cluster: what it creates, counts, deletes and
// writes for Indexed and NonIndexed jobs, failures, back-off, deadlines, policies and suspend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeCluster, NS } from './fake-cluster.js';
import { JOB_COMPLETION_INDEX, type Pod } from '../../../src/controllers/job/types.js';
import { podGenerateNameWithIndex } from '../../../src/controllers/job/sync.js';

const index = (p: Pod) => Number(p.metadata.annotations?.[JOB_COMPLETION_INDEX]);

test('an Indexed job runs each index exactly once, never more than parallelism at a time', async () => {
  const c = new FakeCluster();
  c.addJob('idx', { completions: 5, parallelism: 2, completionMode: 'Indexed' });
  const ran: number[] = [];
  for (let round = 0; round < 10 && !c.conditions('idx').some(([t]) => t === 'Complete'); round++) {
    await c.sync('idx');
    const active = c.activePods('idx');
    assert.ok(active.length <= 2, `round ${round}: ${active.length} active pods`);
    for (const p of active) {
      ran.push(index(p));
      c.finish(p, 0);
    }
    c.nowMs += 1000;
  }
  assert.deepEqual(ran.sort(), [0, 1, 2, 3, 4]);
  const job = c.job('idx');
  assert.equal(job.status?.completedIndexes, '0-4');
  assert.equal(job.status?.succeeded, 5);
  assert.deepEqual(c.conditions('idx'), [['SuccessCriteriaMet', 'True', 'CompletionsReached'], ['Complete', 'True', 'CompletionsReached']]);
  assert.ok(job.status?.completionTime);
  assert.ok(c.events.some((e) => e.reason === 'Completed' && e.message === 'Job completed'));
  // Every finished pod has given up its finalizer: it was counted.
  assert.ok(c.podsOf('idx').every((p) => !c.hasFinalizer(p)));
});

test('Indexed pods carry index annotation, label, hostname, env and the tracking finalizer', async () => {
  const c = new FakeCluster();
  c.addJob('web', { completions: 3, parallelism: 3, completionMode: 'Indexed' });
  await c.sync('web');
  const pods = c.podsOf('web').sort((a, b) => index(a) - index(b));
  assert.deepEqual(pods.map(index), [0, 1, 2]);
  for (const p of pods) {
    const ix = index(p);
    assert.equal(p.metadata.labels?.[JOB_COMPLETION_INDEX], String(ix));
    assert.equal((p.spec as { hostname?: string }).hostname, `web-${ix}`);
    assert.ok(p.metadata.name!.startsWith(`web-${ix}-`));
    assert.deepEqual(p.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    assert.equal(p.metadata.labels?.['batch.kubernetes.io/job-name'], 'web');
    const env = ((p.spec as any).containers[0].env ?? []) as Array<{ name: string; valueFrom?: any }>;
    assert.deepEqual(env.find((e) => e.name === 'JOB_COMPLETION_INDEX')?.valueFrom?.fieldRef?.fieldPath, "metadata.labels['batch.kubernetes.io/job-completion-index']");
    assert.deepEqual(p.metadata.ownerReferences?.[0], { apiVersion: 'batch/v1', kind: 'Job', name: 'web', uid: 'job-uid-web', controller: true, blockOwnerDeletion: true });
  }
  assert.equal(c.job('web').status?.active, 3);
  assert.equal(c.events.filter((e) => e.reason === 'SuccessfulCreate').length, 3);
  assert.match(c.events[0].message, /^Created pod: web-\d-/);
});

test('completedIndexes is a compressed interval list', async () => {
  const c = new FakeCluster();
  c.addJob('gaps', { completions: 6, parallelism: 6, completionMode: 'Indexed' });
  await c.sync('gaps');
  for (const p of c.podsOf('gaps')) if ([0, 1, 2, 4].includes(index(p))) c.finish(p, 0);
  await c.sync('gaps');
  assert.equal(c.job('gaps').status?.completedIndexes, '0-2,4');
  assert.equal(c.job('gaps').status?.succeeded, 4);
  assert.equal(c.job('gaps').status?.active, 2);
});

test('a failing job backs off 10 s, then fails with BackoffLimitExceeded once past backoffLimit', async () => {
  const c = new FakeCluster();
  c.addJob('fail', { backoffLimit: 1 });
  await c.sync('fail');
  const [first] = c.activePods('fail');
  c.finish(first, 1);
  c.nowMs += 1000;
  await c.sync('fail');
  assert.equal(c.job('fail').status?.failed, 1);
  assert.equal(c.activePods('fail').length, 0, 'no replacement during back-off');
  const wait = c.requeues.at(-1)!;
  assert.equal(wait.key, `${NS}/fail`);
  assert.ok(wait.ms > 8000 && wait.ms <= 10_000, `requeued after ${wait.ms} ms`);
  c.nowMs += 10_000;
  await c.sync('fail');
  const [second] = c.activePods('fail');
  assert.ok(second, 'replacement created after the back-off');
  c.finish(second, 1);
  await c.sync('fail');
  assert.deepEqual(c.conditions('fail'), [['FailureTarget', 'True', 'BackoffLimitExceeded'], ['Failed', 'True', 'BackoffLimitExceeded']]);
  assert.equal(c.job('fail').status?.failed, 2);
  assert.equal(c.job('fail').status?.completionTime, undefined);
  const failed = c.job('fail').status!.conditions!.find((x) => x.type === 'Failed')!;
  assert.equal(failed.message, 'Job has reached the specified backoff limit');
  assert.ok(c.events.some((e) => e.type === 'Warning' && e.reason === 'BackoffLimitExceeded' && e.message === 'Job has reached the specified backoff limit'));
});

test('the back-off doubles with each consecutive failure', async () => {
  const c = new FakeCluster();
  c.addJob('dbl', { backoffLimit: 5 });
  const waits: number[] = [];
  for (let i = 0; i < 3; i++) {
    await c.sync('dbl');
    const [p] = c.activePods('dbl');
    assert.ok(p, `pod ${i} created`);
    c.finish(p, 2);
    c.requeues.length = 0;
    await c.sync('dbl');
    waits.push(c.requeues.at(-1)!.ms);
    c.nowMs += waits.at(-1)!;
  }
  assert.deepEqual(waits, [10_000, 20_000, 40_000]);
});

test('counts survive the deletion of counted pods', async () => {
  const c = new FakeCluster();
  c.addJob('keep', { completions: 2, parallelism: 1 });
  await c.sync('keep');
  const [p] = c.activePods('keep');
  c.finish(p, 0);
  await c.sync('keep');
  assert.equal(c.job('keep').status?.succeeded, 1);
  assert.ok(!c.hasFinalizer(p), 'finalizer removed once counted');
  c.purge(p);
  await c.sync('keep');
  assert.equal(c.job('keep').status?.succeeded, 1);
  assert.equal(c.activePods('keep').length, 1, 'one more completion to go');
});

test('a pod deleted before finishing counts as failed and is replaced', async () => {
  const c = new FakeCluster();
  c.addJob('del', { completions: 1 });
  await c.sync('del');
  const [p] = c.activePods('del');
  c.run(p);
  // A user deletes the running pod: the finalizer holds it while the job counts it.
  c.pods.get(`${NS}/${p.metadata.name}`)!.metadata.deletionTimestamp = new Date(c.nowMs).toISOString();
  await c.sync('del');
  assert.equal(c.job('del').status?.failed, 1);
  assert.ok(!c.hasFinalizer(p));
});

test('activeDeadlineSeconds fails the job with DeadlineExceeded and stops its pods', async () => {
  const c = new FakeCluster();
  c.addJob('slow', { activeDeadlineSeconds: 30 });
  await c.sync('slow');
  const [p] = c.activePods('slow');
  c.run(p);
  assert.ok(c.requeues.some((r) => r.ms === 30_000), 'a sync is planned at the deadline');
  c.nowMs += 31_000;
  await c.sync('slow');
  assert.equal(c.activePods('slow').length, 0);
  assert.ok(c.events.some((e) => e.reason === 'SuccessfulDelete'));
  assert.deepEqual(c.conditions('slow'), [['FailureTarget', 'True', 'DeadlineExceeded']]);
  assert.equal(c.job('slow').status?.failed, 1, 'the stopped pod counts as failed');
  await c.sync('slow');
  assert.deepEqual(c.conditions('slow').map(([t]) => t), ['FailureTarget', 'Failed']);
  assert.ok(c.events.some((e) => e.reason === 'DeadlineExceeded' && e.message === 'Job was active longer than specified deadline'));
});

test('podFailurePolicy: FailJob on an exit code fails the job at once, Ignore does not count', async () => {
  const c = new FakeCluster();
  const podFailurePolicy = {
    rules: [
      { action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } },
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    ],
  };
  c.addJob('pfp', { backoffLimit: 6, podFailurePolicy });
  await c.sync('pfp');
  let [p] = c.activePods('pfp');
  c.finish(p, 3);
  await c.sync('pfp');
  assert.equal(c.job('pfp').status?.failed ?? 0, 0, 'ignored failure not counted');
  // Ignored or not, a failure delays the replacement.
  c.nowMs += 10_000;
  await c.sync('pfp');
  [p] = c.activePods('pfp');
  assert.ok(p, 'replaced after the back-off');
  c.finish(p, 42);
  await c.sync('pfp');
  await c.sync('pfp');
  const failed = c.job('pfp').status!.conditions!.find((x) => x.type === 'Failed')!;
  assert.equal(failed.reason, 'PodFailurePolicy');
  assert.equal(failed.message, `Container main for pod ${NS}/${p.metadata.name} failed with exit code 42 matching FailJob rule at index 1`);
});

test('backoffLimitPerIndex fails one index; the job fails with FailedIndexes once the rest is done', async () => {
  const c = new FakeCluster();
  c.addJob('per', { completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1, backoffLimit: 2147483647 });
  await c.sync('per');
  for (const p of c.podsOf('per')) c.finish(p, index(p) === 0 ? 0 : 1);
  await c.sync('per');
  // Index 1 failed once (limit 1): retried after its own back-off, with the failure count.
  c.nowMs += 10_000;
  await c.sync('per');
  const retry = c.activePods('per').find((p) => index(p) === 1)!;
  assert.ok(retry, 'index 1 retried');
  assert.equal(retry.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count'], '1');
  c.finish(retry, 1);
  await c.sync('per');
  await c.sync('per');
  assert.equal(c.job('per').status?.failedIndexes, '1');
  assert.equal(c.job('per').status?.completedIndexes, '0');
  assert.deepEqual(c.conditions('per').map(([t, , r]) => `${t}/${r}`), ['FailureTarget/FailedIndexes', 'Failed/FailedIndexes']);
});

test('successPolicy: the job succeeds once the named indexes did, the others are stopped', async () => {
  const c = new FakeCluster();
  c.addJob('leader', { completions: 3, parallelism: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0' }] } });
  await c.sync('leader');
  for (const p of c.podsOf('leader')) index(p) === 0 ? c.finish(p, 0) : c.run(p);
  await c.sync('leader');
  assert.deepEqual(c.conditions('leader')[0], ['SuccessCriteriaMet', 'True', 'SuccessPolicy']);
  assert.equal(c.job('leader').status!.conditions![0].message, 'Matched rules at index 0');
  assert.equal(c.activePods('leader').length, 0);
  await c.sync('leader');
  assert.deepEqual(c.conditions('leader').map(([t]) => t), ['SuccessCriteriaMet', 'Complete']);
});

test('suspend deletes active pods and sets Suspended; resuming starts again', async () => {
  const c = new FakeCluster();
  c.addJob('sus', { completions: 2, parallelism: 2 });
  await c.sync('sus');
  assert.equal(c.activePods('sus').length, 2);
  c.job('sus').spec.suspend = true;
  await c.sync('sus');
  assert.equal(c.activePods('sus').length, 0);
  assert.equal(c.podsOf('sus').length, 0, 'finalizers removed before deletion, so the pods are gone');
  assert.deepEqual(c.conditions('sus'), [['Suspended', 'True', 'JobSuspended']]);
  assert.ok(c.events.some((e) => e.reason === 'Suspended' && e.message === 'Job suspended'));
  assert.equal(c.job('sus').status?.failed ?? 0, 0, 'suspension is not failure');
  c.job('sus').spec.suspend = false;
  c.nowMs += 5000;
  await c.sync('sus');
  assert.equal(c.activePods('sus').length, 2);
  assert.deepEqual(c.conditions('sus'), [['Suspended', 'False', 'JobResumed']]);
  assert.equal(c.job('sus').status?.startTime, new Date(c.nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'));
});

test('a job created suspended starts no pods and has no startTime', async () => {
  const c = new FakeCluster();
  c.addJob('later', { suspend: true });
  await c.sync('later');
  assert.equal(c.podsOf('later').length, 0);
  assert.equal(c.job('later').status?.startTime, undefined);
  assert.deepEqual(c.conditions('later'), [['Suspended', 'True', 'JobSuspended']]);
});

test('a work-queue job (no completions) is complete when one pod succeeded and none is active', async () => {
  const c = new FakeCluster();
  c.addJob('wq', { parallelism: 2, completions: undefined });
  await c.sync('wq');
  const pods = c.activePods('wq');
  assert.equal(pods.length, 2);
  c.finish(pods[0], 0);
  await c.sync('wq');
  assert.equal(c.activePods('wq').length, 1, 'no new pods after a success');
  c.finish(pods[1], 0);
  await c.sync('wq');
  assert.deepEqual(c.conditions('wq').map(([t]) => t), ['SuccessCriteriaMet', 'Complete']);
  assert.equal(c.job('wq').status?.succeeded, 2);
});

test('orphans matching the selector are adopted with the finalizer; finished jobs are left alone', async () => {
  const c = new FakeCluster();
  const job = c.addJob('adopt', { completions: 1 });
  c.pods.set(`${NS}/stray`, {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'stray', namespace: NS, uid: 'stray-uid', labels: { ...job.spec.template.metadata!.labels! }, creationTimestamp: new Date(c.nowMs).toISOString() },
    spec: {}, status: { phase: 'Running' },
  });
  await c.sync('adopt');
  const stray = c.pods.get(`${NS}/stray`)!;
  assert.equal(stray.metadata.ownerReferences?.[0]?.uid, job.metadata.uid);
  assert.ok(c.hasFinalizer(stray));
  assert.equal(c.activePods('adopt').length, 1, 'the adopted pod fills the only slot');
  c.finish(stray, 0);
  await c.sync('adopt');
  assert.deepEqual(c.conditions('adopt').map(([t]) => t), ['SuccessCriteriaMet', 'Complete']);
  const events = c.events.length;
  await c.sync('adopt');
  assert.equal(c.events.length, events, 'a finished job is not synced again');
});

test('a job managed by another controller is left alone', async () => {
  const c = new FakeCluster();
  c.addJob('ext', { managedBy: 'example.com/other' });
  await c.sync('ext');
  assert.equal(c.podsOf('ext').length, 0);
  assert.equal(c.job('ext').status, undefined);
});

test('a deleted job leaves nothing behind in the controller', async () => {
  const c = new FakeCluster();
  c.addJob('gone', {});
  await c.sync('gone');
  c.jobs.delete(`${NS}/gone`);
  await c.sync('gone');
  assert.equal(c.expectations.pending(`${NS}/gone`), undefined);
  await assert.rejects(c.syncer.sync('no-namespace'), /either namespace or name is missing/);
});

test('a second pod for one index is deleted, keeping the one furthest along', async () => {
  const c = new FakeCluster();
  c.addJob('dup', { completions: 2, parallelism: 2, completionMode: 'Indexed' });
  await c.sync('dup');
  const zero = c.podsOf('dup').find((p) => index(p) === 0)!;
  c.run(zero);
  const copy = structuredClone(c.pods.get(`${NS}/${zero.metadata.name}`)!);
  copy.metadata.name = 'dup-0-extra';
  copy.metadata.uid = 'extra-uid';
  copy.spec = { ...copy.spec, nodeName: undefined };
  copy.status = { phase: 'Pending' };
  c.pods.set(`${NS}/dup-0-extra`, copy);
  await c.sync('dup');
  assert.ok(!c.pods.has(`${NS}/dup-0-extra`), 'the pending duplicate is gone');
  assert.ok(c.pods.has(`${NS}/${zero.metadata.name}`), 'the running pod stays');
  assert.ok(c.events.some((e) => e.reason === 'SuccessfulDelete' && e.message === 'Deleted pod: dup-0-extra'));
});

test('generated names keep the index when the job name is long', () => {
  assert.equal(podGenerateNameWithIndex('pi', 3), 'pi-3-');
  const long = podGenerateNameWithIndex('a'.repeat(60), 12);
  assert.equal(long, `${'a'.repeat(54)}-12-`);
  assert.equal(long.length, 58);
});
