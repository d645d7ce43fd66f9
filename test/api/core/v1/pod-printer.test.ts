// `kubectl get pods` rows: READY, STATUS and RESTARTS computed as kubectl computes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';

const pods = resources.find((r) => r.plural === 'pods')!;
const NOW = Date.parse('2025-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

function row(spec: any, status: any, meta: any = {}): unknown[] {
  const p = { metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(600), ...meta }, spec, status } as KObject;
  return pods.row!(p, NOW);
}
const cells = (spec: any, status: any, meta?: any) => row(spec, status, meta).slice(1, 4);
const one = { containers: [{ name: 'app', image: 'app' }] };
const running = { running: { startedAt: ago(60) } };

test('columns are kubectl\'s, with the wide ones at priority 1', () => {
  assert.deepEqual(pods.columns!.map((c) => [c.name, c.priority]), [
    ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0],
    ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
  ]);
  assert.equal(pods.columns![0].format, 'name');
});

test('a running pod, wide', () => {
  assert.deepEqual(row({ ...one, nodeName: 'node1' }, {
    phase: 'Running', podIPs: [{ ip: '10.42.0.9' }], conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
  }), ['web', '1/1', 'Running', '0', '10m', '10.42.0.9', 'node1', '<none>', '<none>']);
});

test('pending and creating', () => {
  assert.deepEqual(cells(one, { phase: 'Pending' }), ['0/1', 'Pending', '0']);
  assert.deepEqual(cells(one, { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }),
    ['0/1', 'ContainerCreating', '0']);
  assert.deepEqual(cells(one, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
    ['0/1', 'SchedulingGated', '0']);
});

test('init containers: Init:0/1, Init:Error, then PodInitializing', () => {
  const spec = { ...one, initContainers: [{ name: 'init', image: 'busybox' }] };
  assert.deepEqual(cells(spec, {
    phase: 'Pending',
    initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: running }],
    containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
  }), ['0/1', 'Init:0/1', '0']);
  assert.deepEqual(cells(spec, {
    phase: 'Pending',
    initContainerStatuses: [{ name: 'init', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(30) } } }],
  }), ['0/1', 'Init:CrashLoopBackOff', '2 (30s ago)']);
  assert.deepEqual(cells(spec, {
    phase: 'Pending',
    initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }],
  }), ['0/1', 'Init:ExitCode:3', '0']);
  assert.deepEqual(cells(spec, {
    phase: 'Pending', conditions: [{ type: 'Initialized', status: 'True' }],
    initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
  }), ['0/1', 'PodInitializing', '0']);
});

test('crash loops show restarts and how long ago the last one was', () => {
  assert.deepEqual(cells(one, {
    phase: 'Running',
    containerStatuses: [{ name: 'app', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(300) } } }],
  }), ['0/1', 'CrashLoopBackOff', '3 (5m ago)']);
  assert.deepEqual(cells(one, {
    phase: 'Running',
    containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }],
  }), ['0/1', 'Signal:9', '0']);
});

test('completed, and completed with a container still running', () => {
  assert.deepEqual(cells(one, {
    phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
  }), ['0/1', 'Completed', '0']);
  const two = { containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] };
  assert.deepEqual(cells(two, {
    phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'b', ready: true, restartCount: 0, state: running },
    ],
  }), ['1/2', 'NotReady', '0']);
});

test('sidecars count towards READY once started', () => {
  const spec = { ...one, initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] };
  assert.deepEqual(cells(spec, {
    phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
    initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(120) } } }],
    containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
  }), ['2/2', 'Running', '1 (2m ago)']);
});

test('a deleting pod is Terminating until it has finished', () => {
  const status = { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] };
  assert.deepEqual(cells(one, status, { deletionTimestamp: ago(0) }), ['1/1', 'Terminating', '0']);
  assert.deepEqual(cells(one, { phase: 'Succeeded' }, { deletionTimestamp: ago(0) }), ['0/1', 'Succeeded', '0']);
});

test('readiness gates, wide', () => {
  const r = row({ ...one, readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
    { phase: 'Running', conditions: [{ type: 'example.com/lb', status: 'True' }, { type: 'example.com/dns', status: 'False' }] });
  assert.equal(r[8], '1/2');
});
