import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePodStatus, type StatusInput } from '../../../src/kubelet/status/pod-status.js';
import { mergeStatus, jsonEqual } from '../../../src/kubelet/status/status-manager.js';
import type { ContainerStatus as RC } from '../../../src/kubelet/runtime.js';
import type { PodRuntimeState } from '../../../src/kubelet/pod/runtime-state.js';
import type { Pod } from '../../../src/kubelet/types.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
let seq = 0;
function rc(name: string, state: RC['state'], extra: Partial<RC> = {}): RC {
  return { id: `id${++seq}`, name, attempt: 0, state, createdAt: T0, startedAt: state === 'created' ? undefined : T0 + 1000, image: 'busybox', imageRef: 'sha256:bb', logPath: '', labels: {}, ...extra };
}
function stateOf(sandboxReady: boolean, ...cs: RC[]): PodRuntimeState {
  const containers = new Map<string, RC[]>();
  for (const c of cs) containers.set(c.name, [...(containers.get(c.name) ?? []), c].sort((a, b) => b.attempt - a.attempt));
  return { sandboxes: [], sandbox: { id: 'sb', state: sandboxReady ? 'ready' : 'notready', createdAt: T0, labels: {} }, containers };
}
const pod = (spec: Pod['spec']): Pod => ({ metadata: { name: 'p', namespace: 'd', uid: 'u' }, spec: { restartPolicy: 'Always', ...spec } });
function input(p: Pod, state: PodRuntimeState, over: Partial<StatusInput> = {}): StatusInput {
  return { pod: p, state, reasons: new Map(), ready: () => undefined, started: () => true, runtimeName: 'containerd', hostIP: '10.0.0.1', podIP: '10.42.0.5', startTime: '2025-01-01T00:00:00Z', ...over };
}
const cond = (s: ReturnType<typeof generatePodStatus>) => Object.fromEntries((s.conditions ?? []).map((c) => [c.type, [c.status, c.reason ?? '', c.message ?? '']]));

test('a pod waiting for its sandbox is Pending with ContainerCreating containers', () => {
  const p = pod({ containers: [{ name: 'web', image: 'nginx' }] });
  const s = generatePodStatus(input(p, { sandboxes: [], containers: new Map() }, { podIP: undefined }));
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(s.containerStatuses, [{ name: 'web', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: 'nginx', imageID: '', started: false }]);
  assert.deepEqual(cond(s), {
    PodReadyToStartContainers: ['False', '', ''], Initialized: ['True', '', ''],
    Ready: ['False', 'ContainersNotReady', 'containers with unready status: [web]'],
    ContainersReady: ['False', 'ContainersNotReady', 'containers with unready status: [web]'], PodScheduled: ['True', '', ''],
  });
  assert.deepEqual(s.conditions!.map((c) => c.type), ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  assert.equal(s.podIP, undefined);
});

test('init containers in progress: Pending, PodInitializing, incomplete status listed', () => {
  const p = pod({ initContainers: [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }], containers: [{ name: 'b', image: 'x' }, { name: 'a', image: 'x' }] });
  const s = generatePodStatus(input(p, stateOf(true, rc('i1', 'exited', { exitCode: 0, finishedAt: T0 + 2000 }), rc('i2', 'running'))));
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(cond(s).Initialized, ['False', 'ContainersNotInitialized', 'containers with incomplete status: [i2]']);
  const [i1, i2] = s.initContainerStatuses!;
  assert.deepEqual(i1.state, { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2025-01-01T00:00:01Z', finishedAt: '2025-01-01T00:00:02Z', containerID: `containerd://${i1.containerID!.slice(13)}` } });
  assert.equal(i1.ready, true);
  assert.equal(i2.ready, false, 'a running init container is not ready');
  assert.deepEqual(s.containerStatuses!.map((c) => [c.name, c.state.waiting?.reason]), [['a', 'PodInitializing'], ['b', 'PodInitializing']], 'sorted by name');
});

test('running, ready by probe, and crash-looping containers', () => {
  const p = pod({ containers: [{ name: 'web' }, { name: 'crash' }] });
  const web = rc('web', 'running');
  const crash1 = rc('crash', 'exited', { exitCode: 2, finishedAt: T0 + 3000 });
  const crash2 = rc('crash', 'exited', { attempt: 1, exitCode: 2, finishedAt: T0 + 5000 });
  const reasons = new Map([['crash', { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=crash pod=p_d(u)' }]]);
  const s = generatePodStatus(input(p, stateOf(true, web, crash1, crash2), { reasons, ready: (id) => id === web.id }));
  assert.equal(s.phase, 'Running');
  const [c, w] = s.containerStatuses!;
  assert.deepEqual(c.state, { waiting: reasons.get('crash') });
  assert.equal(c.lastState.terminated?.exitCode, 2);
  assert.equal(c.lastState.terminated?.reason, 'Error');
  assert.equal(c.restartCount, 1);
  assert.deepEqual(w.state, { running: { startedAt: '2025-01-01T00:00:01Z' } });
  assert.equal(w.ready, true);
  assert.equal(w.started, true);
  assert.deepEqual(cond(s).Ready, ['False', 'ContainersNotReady', 'containers with unready status: [crash]']);
});

test('phases of finished pods by restart policy, OOMKilled and termination messages', () => {
  const done = (policy: 'Never' | 'OnFailure' | 'Always', code: number, terminal = false) => {
    const p = pod({ restartPolicy: policy, containers: [{ name: 'c' }] });
    return generatePodStatus(input(p, stateOf(false, rc('c', 'exited', { exitCode: code, finishedAt: T0 + 9000 })), { podIsTerminal: terminal }));
  };
  assert.equal(done('Never', 0).phase, 'Succeeded');
  assert.deepEqual(cond(done('Never', 0)).Ready, ['False', 'PodCompleted', '']);
  assert.equal(done('Never', 1).phase, 'Failed');
  assert.equal(done('OnFailure', 0).phase, 'Succeeded');
  assert.equal(done('OnFailure', 1).phase, 'Running', 'OnFailure restarts a failed container');
  assert.equal(done('Always', 0).phase, 'Running');
  assert.equal(done('Always', 0, true).phase, 'Succeeded', 'a deleted Always pod whose containers exited 0');
  assert.equal(done('Always', 137, true).phase, 'Failed');

  const oom = rc('c', 'exited', { exitCode: 137, reason: 'OOMKilled', finishedAt: T0 + 9000 });
  const p = pod({ restartPolicy: 'Never', containers: [{ name: 'c' }] });
  const s = generatePodStatus(input(p, stateOf(false, oom), { messages: new Map([[oom.id, 'out of memory']]) }));
  assert.deepEqual([s.containerStatuses![0].state.terminated?.reason, s.containerStatuses![0].state.terminated?.exitCode, s.containerStatuses![0].state.terminated?.message], ['OOMKilled', 137, 'out of memory']);

  const never = pod({ restartPolicy: 'Never', initContainers: [{ name: 'i' }], containers: [{ name: 'c' }] });
  assert.equal(generatePodStatus(input(never, stateOf(false, rc('i', 'exited', { exitCode: 1 })))).phase, 'Failed');
  const evicted = generatePodStatus(input(pod({ containers: [{ name: 'c' }] }), stateOf(false, rc('c', 'exited', { exitCode: 137 })), { failure: { reason: 'Evicted', message: 'low memory' }, podIsTerminal: true }));
  assert.deepEqual([evicted.phase, evicted.reason, evicted.message], ['Failed', 'Evicted', 'low memory']);
  assert.deepEqual(cond(evicted).DisruptionTarget, ['True', 'TerminationByKubelet', 'low memory']);
});

test('sidecars: started counts for Initialized, readiness counts for ContainersReady', () => {
  const p = pod({ initContainers: [{ name: 'side', restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] } } }], containers: [{ name: 'main' }] });
  const side = rc('side', 'running');
  const notStarted = generatePodStatus(input(p, stateOf(true, side), { started: () => false }));
  assert.equal(notStarted.phase, 'Pending');
  assert.deepEqual(cond(notStarted).Initialized, ['False', 'ContainersNotInitialized', 'containers with incomplete status: [side]']);
  const main = rc('main', 'running');
  const running = generatePodStatus(input(p, stateOf(true, side, main)));
  assert.equal(running.phase, 'Running');
  assert.equal(running.initContainerStatuses![0].ready, true);
  assert.equal(running.initContainerStatuses![0].started, true);
  assert.deepEqual(cond(running).ContainersReady, ['True', '', '']);
});

test('readiness gates hold Ready', () => {
  const p = pod({ containers: [{ name: 'c' }], readinessGates: [{ conditionType: 'example.com/lb' }] });
  const s = generatePodStatus(input(p, stateOf(true, rc('c', 'running'))));
  assert.deepEqual(cond(s).Ready, ['False', 'ReadinessGatesNotReady', 'corresponding condition of pod readiness gate "example.com/lb" does not exist.']);
  assert.deepEqual(cond(s).ContainersReady, ['True', '', '']);
  p.status = { conditions: [{ type: 'example.com/lb', status: 'True' }] };
  assert.deepEqual(cond(generatePodStatus(input(p, stateOf(true, rc('c', 'running'))))).Ready, ['True', '', '']);
});

test('merging keeps others\' conditions, transition times while unchanged, and terminal phases', () => {
  const now = Date.parse('2025-01-01T00:05:00Z');
  const server = {
    phase: 'Pending', qosClass: 'BestEffort', startTime: '2025-01-01T00:00:00Z',
    conditions: [
      { type: 'PodScheduled', status: 'True' as const, lastProbeTime: null, lastTransitionTime: '2025-01-01T00:00:00Z' },
      { type: 'example.com/gate', status: 'True' as const, lastProbeTime: null, lastTransitionTime: '2025-01-01T00:01:00Z' },
      { type: 'Initialized', status: 'True' as const, lastProbeTime: null, lastTransitionTime: '2025-01-01T00:02:00Z' },
      { type: 'Ready', status: 'False' as const, reason: 'ContainersNotReady', lastProbeTime: null, lastTransitionTime: '2025-01-01T00:02:00Z' },
    ],
  };
  const computed = {
    phase: 'Running', startTime: '2025-01-01T00:04:00Z',
    conditions: [
      { type: 'Initialized', status: 'True' as const, lastProbeTime: null, lastTransitionTime: null },
      { type: 'Ready', status: 'True' as const, lastProbeTime: null, lastTransitionTime: null },
      { type: 'PodScheduled', status: 'True' as const, lastProbeTime: null, lastTransitionTime: null },
    ],
  };
  const m = mergeStatus(server, computed, now);
  assert.equal(m.phase, 'Running');
  assert.equal(m.qosClass, 'BestEffort');
  assert.equal(m.startTime, '2025-01-01T00:00:00Z');
  assert.deepEqual(m.conditions!.map((c) => [c.type, c.status, c.lastTransitionTime]), [
    ['example.com/gate', 'True', '2025-01-01T00:01:00Z'],
    ['Initialized', 'True', '2025-01-01T00:02:00Z'],
    ['Ready', 'True', '2025-01-01T00:05:00Z'],
    ['PodScheduled', 'True', '2025-01-01T00:00:00Z'],
  ]);
  assert.ok(jsonEqual(mergeStatus(m, computed, now + 60_000), m), 'a second merge changes nothing');
  assert.equal(mergeStatus({ ...server, phase: 'Succeeded' }, computed, now).phase, 'Succeeded');
});
