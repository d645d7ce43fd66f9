import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalJsonPath, JsonPathError } from '../../src/machinery/jsonpath.js';

const pod = {
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web', 'app.kubernetes.io/name': 'shop' }, annotations: {} },
  spec: {
    containers: [
      { name: 'c1', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 443 }] },
      { name: 'c2', image: 'redis', ports: [{ containerPort: 6379 }] },
      { name: 'c3', image: 'busybox' },
    ],
    nodeName: null,
  },
  status: {
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
    ],
    restarts: 3,
  },
};

test('fields, with or without braces and leading dot', () => {
  for (const p of ['{.metadata.name}', '.metadata.name', 'metadata.name', '{metadata.name}', '{$.metadata.name}']) {
    assert.deepEqual(evalJsonPath(pod, p), ['web'], p);
  }
  assert.deepEqual(evalJsonPath(pod, '.status.restarts'), [3]);
  assert.deepEqual(evalJsonPath(pod, '.metadata.labels'), [pod.metadata.labels]);
  assert.deepEqual(evalJsonPath(pod, '.spec.nodeName'), [null], 'a present null is a result');
  assert.deepEqual(evalJsonPath(pod, '.spec.missing'), [], 'a missing key is no result');
  assert.throws(() => evalJsonPath(pod, '.spec.missing', { allowMissingKeys: false }), (e: unknown) => e instanceof JsonPathError && e.message === 'missing is not found');
});

test('indexes, slices, wildcards and unions', () => {
  assert.deepEqual(evalJsonPath(pod, '.spec.containers[0].image'), ['nginx']);
  assert.deepEqual(evalJsonPath(pod, '.spec.containers[-1].name'), ['c3']);
  assert.deepEqual(evalJsonPath(pod, '.spec.containers[*].name'), ['c1', 'c2', 'c3']);
  assert.deepEqual(evalJsonPath(pod, '.spec.containers[0:2].name'), ['c1', 'c2']);
  assert.deepEqual(evalJsonPath(pod, '.spec.containers[::2].name'), ['c1', 'c3']);
  assert.deepEqual(evalJsonPath(pod, '.spec.containers[0,2].name'), ['c1', 'c3']);
  assert.deepEqual(evalJsonPath(pod, '.spec.containers[*].ports[*].containerPort'), [80, 443, 6379]);
  assert.deepEqual(evalJsonPath(pod, '.metadata.labels.*'), ['web', 'shop']);
  assert.deepEqual(evalJsonPath(pod, "{.metadata['name','kind']}"), ['web']);
  assert.deepEqual(evalJsonPath(pod, "{.metadata.labels['app']}"), ['web']);
  assert.deepEqual(evalJsonPath({ items: [] }, '.items[0:0]'), []);
});

test('escaped dots reach keys that contain dots', () => {
  assert.deepEqual(evalJsonPath(pod, '.metadata.labels.app\\.kubernetes\\.io/name'), ['shop']);
  assert.deepEqual(evalJsonPath(pod, "{.metadata.labels['app\\.kubernetes\\.io/name']}"), ['shop']);
});

test('recursive descent', () => {
  assert.deepEqual(evalJsonPath(pod, '..image'), ['nginx', 'redis', 'busybox']);
  assert.deepEqual(evalJsonPath(pod, '..containerPort'), [80, 443, 6379]);
  assert.throws(() => evalJsonPath(pod, '{....a}'), /invalid multiple recursive descent/);
});

test('filters', () => {
  assert.deepEqual(evalJsonPath(pod, '{.status.conditions[?(@.type=="Ready")].status}'), ['False']);
  assert.deepEqual(evalJsonPath(pod, ".status.conditions[?(@.type=='Ready')].reason"), ['ContainersNotReady']);
  assert.deepEqual(evalJsonPath(pod, '.status.conditions[?(@.type!="Ready")].type'), ['Initialized']);
  assert.deepEqual(evalJsonPath(pod, '.status.conditions[?(@.reason)].type'), ['Ready']);
  assert.deepEqual(evalJsonPath(pod, '.spec.containers[?(@.ports[0].containerPort>100)].name'), ['c2']);
  assert.deepEqual(evalJsonPath(pod, '.spec.containers[*].ports[?(@.containerPort<=443)].containerPort'), [80, 443]);
  assert.deepEqual(evalJsonPath(pod, '.spec.containers[?(@.name=="nope")].image'), []);
});

test('templates with text between actions', () => {
  assert.deepEqual(evalJsonPath(pod, '{.metadata.name}:{.spec.containers[0].image}'), ['web', ':', 'nginx']);
  assert.deepEqual(evalJsonPath(pod, '{"literal"}'), ['literal']);
  assert.deepEqual(evalJsonPath(pod, ''), []);
});

test('errors Kubernetes reports', () => {
  const cases: Array<[string, string]> = [
    ['.spec.containers[5].name', 'array index out of bounds: index 5, length 3'],
    ['.spec.containers[2:1]', 'starting index 2 is greater than ending index 1'],
    ['.metadata[0]', 'map[string]interface {} is not array or slice'],
    ['{.metadata.name', 'unclosed action'],
    ['.spec.containers[x]', 'invalid array index x'],
    ['.spec.containers[::0]', 'step must be > 0'],
    ['{.a}{foo}', 'unrecognized identifier foo'],
    ['{.spec.containers[?(@.name=="c1"}', 'unterminated filter'],
    ['.status.conditions[?(@.type>1)]', 'incompatible types for comparison'],
  ];
  for (const [p, message] of cases) {
    assert.throws(() => evalJsonPath(pod, p), (e: unknown) => e instanceof JsonPathError && e.code === 400 && e.message === message, p);
  }
});
