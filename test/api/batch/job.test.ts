import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW, update } from '../apps/helpers.js';
import { parseIndexes } from '../../../src/api/batch/v1/job.js';

const jobs = def('batch', 'jobs');

const pi = (): any => ({
  metadata: { name: 'pi', namespace: 'default', uid: '11111111-2222', creationTimestamp: ago(300) },
  spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never' } } },
});

test('job defaults: completions and parallelism 1, backoffLimit 6, NonIndexed, suspend, replacement policy, manualSelector', () => {
  const j = pi();
  assert.deepEqual(create(jobs, j), []);
  const s = j.spec;
  assert.deepEqual([s.completions, s.parallelism, s.backoffLimit, s.completionMode, s.suspend, s.podReplacementPolicy, s.manualSelector],
    [1, 1, 6, 'NonIndexed', false, 'TerminatingOrFailed', false]);
});

test('job defaults mind the rules: parallelism alone leaves completions unset; backoffLimitPerIndex raises backoffLimit', () => {
  const j = pi();
  j.spec.parallelism = 3;
  create(jobs, j);
  assert.equal(j.spec.completions, undefined);
  assert.equal(j.spec.parallelism, 3);
  const k = pi();
  Object.assign(k.spec, { completions: 4, completionMode: 'Indexed', backoffLimitPerIndex: 1, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } });
  assert.deepEqual(create(jobs, k), []);
  assert.equal(k.spec.parallelism, 1);
  assert.equal(k.spec.backoffLimit, 2147483647);
  assert.equal(k.spec.podReplacementPolicy, 'Failed');
  assert.equal(k.spec.podFailurePolicy.rules[0].onPodConditions[0].status, 'True');
});

test('a created job gets the generated selector and pod labels, and the job carries them too', () => {
  const j = pi();
  create(jobs, j);
  const want = { 'batch.kubernetes.io/controller-uid': '11111111-2222', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': '11111111-2222', 'job-name': 'pi' };
  assert.deepEqual(j.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': '11111111-2222' } });
  assert.deepEqual(j.spec.template.metadata.labels, want);
  assert.deepEqual(j.metadata.labels, want);
});

test('job validation: restartPolicy, Indexed needs completions, manual selectors, generated labels', () => {
  const always = pi();
  delete always.spec.template.spec.restartPolicy;
  assert.deepEqual(create(jobs, always), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  const indexed = pi();
  indexed.spec.completionMode = 'Indexed';
  indexed.spec.parallelism = 2;
  assert.deepEqual(create(jobs, indexed), ['spec.completions: Required value: when completion mode is Indexed']);
  const manual = pi();
  manual.spec.manualSelector = true;
  manual.spec.selector = { matchLabels: { app: 'x' } };
  assert.deepEqual(create(jobs, manual), ['spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`']);
  const tampered = pi();
  tampered.spec.template.metadata = { labels: { 'controller-uid': 'someone-else' } };
  assert.ok(create(jobs, tampered).includes("spec.template.metadata.labels[controller-uid]: Invalid value: \"someone-else\": must be '11111111-2222'"));
  const perIndex = pi();
  perIndex.spec.backoffLimitPerIndex = 1;
  perIndex.spec.maxFailedIndexes = 1;
  assert.deepEqual(create(jobs, perIndex), [
    'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
    'spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode',
  ]);
  const pfp = pi();
  pfp.spec.template.spec.restartPolicy = 'OnFailure';
  pfp.spec.podFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [3, 0, 1] } }] };
  assert.deepEqual(create(jobs, pfp), [
    'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator',
    'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{3, 0, 1}: must be ordered',
    'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
  ]);
});

test('job template is immutable, except scheduling directives while suspended and never started', () => {
  const old = pi();
  create(jobs, old);
  const next = clone(old);
  next.spec.template.spec.nodeSelector = { zone: 'a' };
  assert.deepEqual(update(jobs, next, old).map((e) => e.replace(/Invalid value: .*: field/, 'Invalid value: …: field')), ['spec.template: Invalid value: …: field is immutable']);
  const suspended = clone(old);
  suspended.spec.suspend = true;
  const resumed = clone(suspended);
  resumed.spec.template.spec.nodeSelector = { zone: 'a' };
  resumed.spec.template.spec.tolerations = [{ key: 'k', operator: 'Exists' }];
  resumed.spec.template.metadata.annotations = { a: 'b' };
  assert.deepEqual(update(jobs, resumed, suspended), []);
  const image = clone(suspended);
  image.spec.template.spec.containers[0].image = 'perl:6';
  assert.equal(update(jobs, image, suspended).length, 1);
  const started = clone(suspended);
  started.status = { startTime: ago(10) };
  const moved = clone(started);
  moved.spec.template.spec.nodeSelector = { zone: 'b' };
  assert.equal(update(jobs, moved, started).length, 1);
});

test('job completions: immutable, except for Indexed jobs in step with parallelism', () => {
  const old = pi();
  create(jobs, old);
  const next = clone(old);
  next.spec.completions = 2;
  assert.deepEqual(update(jobs, next, old), ['spec.completions: Invalid value: 2: field is immutable']);
  const idx = pi();
  Object.assign(idx.spec, { completionMode: 'Indexed', completions: 3, parallelism: 3 });
  create(jobs, idx);
  const grown = clone(idx);
  Object.assign(grown.spec, { completions: 5, parallelism: 5 });
  assert.deepEqual(update(jobs, grown, idx), []);
  const lopsided = clone(idx);
  lopsided.spec.completions = 4;
  assert.deepEqual(update(jobs, lopsided, idx), ['spec.completions: Invalid value: 4: can only be modified in tandem with spec.parallelism']);
});

test('job printer: STATUS, COMPLETIONS, DURATION', () => {
  assert.deepEqual(jobs.columns!.map((c) => c.name), ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
  const j = pi();
  create(jobs, j);
  j.status = { startTime: ago(100), active: 1 };
  assert.deepEqual(cells(jobs, j, NOW), {
    Name: 'pi', Status: 'Running', Completions: '0/1', Duration: '100s', Age: '5m', Containers: 'pi', Images: 'perl:5.34',
    Selector: 'batch.kubernetes.io/controller-uid=11111111-2222',
  });
  j.status = { startTime: ago(100), completionTime: ago(40), succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] };
  assert.equal(cells(jobs, j, NOW).Status, 'Complete');
  assert.equal(cells(jobs, j, NOW).Completions, '1/1');
  assert.equal(cells(jobs, j, NOW).Duration, '60s');
  j.status = { conditions: [{ type: 'Suspended', status: 'True' }] };
  assert.equal(cells(jobs, j, NOW).Status, 'Suspended');
  assert.equal(cells(jobs, j, NOW).Duration, '');
  j.metadata.deletionTimestamp = ago(1);
  assert.equal(cells(jobs, j, NOW).Status, 'Terminating');
  j.status = { conditions: [{ type: 'Failed', status: 'True' }] };
  assert.equal(cells(jobs, j, NOW).Status, 'Failed');
  const queue = pi();
  queue.spec.parallelism = 4;
  create(jobs, queue);
  queue.status = { succeeded: 2 };
  assert.equal(cells(jobs, queue, NOW).Completions, '2/1 of 4');
});

test('index intervals parse as Kubernetes parses completedIndexes', () => {
  assert.equal(parseIndexes('1,3-5,7', 10), 5);
  assert.throws(() => parseIndexes('3,1', 10), /non-increasing order, previous: 3, current: 1/);
  assert.throws(() => parseIndexes('9-12', 10), /too large index: "12"/);
  assert.throws(() => parseIndexes('a', 10), /cannot convert string to integer for index: "a"/);
});
