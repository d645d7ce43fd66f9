// The simulated kubelet's pod state machine, driven by hand-set clocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishedStatus, nextPodStep, pendingStatus, runningStatus, exitCodeOf, durationAnnotation, ANNOTATION_DURATION } from '../../../src/kubelet/sim/pod-lifecycle.js';
import type { Pod } from '../../../src/kubelet/sim/types.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const HOST = '127.1.0.2';

function pod(over: Partial<Pod> & { annotations?: Record<string, string> } = {}): Pod {
  const { annotations, ...rest } = over;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u1', annotations, creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: { nodeName: 'sim-1', restartPolicy: 'Always', containers: [{ name: 'app', image: 'nginx:1.27' }] },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
    ...rest,
  };
}

const ctx = (nowMs: number, extra: Partial<Parameters<typeof nextPodStep>[1]> = {}) => ({
  nowMs, boundAtMs: T0, defaultStartDelayMs: 0, hostIP: HOST, ...extra,
});

test('a pending pod runs at once without a start delay', () => {
  assert.deepEqual(nextPodStep(pod(), ctx(T0)), { kind: 'run' });
});

test('the start delay holds a pod back; the annotation overrides the default', () => {
  // First the pod is accepted (ContainerCreating), then it waits out the rest of the delay.
  assert.deepEqual(nextPodStep(pod(), ctx(T0 + 200, { defaultStartDelayMs: 500 })), { kind: 'accept', ms: 300 });
  const accepted = pod({ status: pendingStatus(pod(), { nowMs: T0 + 200, hostIP: HOST }) });
  assert.deepEqual(nextPodStep(accepted, ctx(T0 + 300, { defaultStartDelayMs: 500 })), { kind: 'wait', ms: 200 });
  assert.deepEqual(nextPodStep(accepted, ctx(T0 + 500, { defaultStartDelayMs: 500 })), { kind: 'run' });
  const p = pod({ annotations: { 'sim.k8ts.io/start-delay': '2s' }, status: accepted.status });
  assert.deepEqual(nextPodStep(p, ctx(T0 + 1500, { defaultStartDelayMs: 500 })), { kind: 'wait', ms: 500 });
  // A malformed annotation falls back to the default rather than wedging the pod.
  const bad = pod({ annotations: { 'sim.k8ts.io/start-delay': 'soon' } });
  assert.deepEqual(nextPodStep(bad, ctx(T0 + 500, { defaultStartDelayMs: 500 })), { kind: 'run' });
});

test('the running status is what a kubelet reports', () => {
  const p = pod({ spec: { nodeName: 'sim-1', restartPolicy: 'Always', containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }], initContainers: [{ name: 'init', image: 'alpine' }] } });
  const s = runningStatus(p, { nowMs: T0 + 1000, hostIP: HOST, podIP: '10.42.1.2' });
  assert.equal(s.phase, 'Running');
  assert.equal(s.podIP, '10.42.1.2');
  assert.deepEqual(s.podIPs, [{ ip: '10.42.1.2' }]);
  assert.equal(s.hostIP, HOST);
  assert.deepEqual(s.hostIPs, [{ ip: HOST }]);
  assert.equal(s.startTime, '2025-01-01T00:00:01Z');
  assert.equal(s.qosClass, 'BestEffort');
  const byType = Object.fromEntries(s.conditions!.map((c) => [c.type, c.status]));
  assert.deepEqual(byType, { PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' });
  for (const c of s.conditions!) assert.equal(c.lastTransitionTime, '2025-01-01T00:00:01Z');
  assert.equal(s.containerStatuses!.length, 2);
  const app = s.containerStatuses![0];
  assert.deepEqual(app, {
    name: 'app', state: { running: { startedAt: '2025-01-01T00:00:01Z' } }, lastState: {}, ready: true, restartCount: 0,
    image: 'nginx:1.27', imageID: 'sim://nginx:1.27', containerID: 'sim://u1-app', started: true,
  });
  const init = s.initContainerStatuses![0];
  assert.equal(init.state.terminated?.reason, 'Completed');
  assert.equal(init.state.terminated?.exitCode, 0);
  assert.equal(init.ready, true);
});

test('an accepted pod shows its containers being created', () => {
  const p = pod({ spec: { nodeName: 'sim-1', containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } });
  const s = pendingStatus(p, { nowMs: T0, hostIP: HOST });
  assert.equal(s.phase, 'Pending');
  assert.equal(s.hostIP, HOST);
  assert.equal(s.startTime, '2025-01-01T00:00:00Z');
  assert.equal(s.podIP, undefined);
  assert.deepEqual(s.containerStatuses!.map((c) => c.state.waiting?.reason), ['ContainerCreating', 'ContainerCreating']);
  const ready = s.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.reason, 'ContainersNotReady');
  assert.equal(ready.message, 'containers with unready status: [a b]');
  const withInit = pod({ spec: { nodeName: 'sim-1', initContainers: [{ name: 'init', image: 'z' }], containers: [{ name: 'a', image: 'x' }] } });
  const si = pendingStatus(withInit, { nowMs: T0, hostIP: HOST });
  assert.equal(si.initContainerStatuses![0].state.waiting?.reason, 'PodInitializing');
  assert.equal(si.containerStatuses![0].state.waiting?.reason, 'PodInitializing');
  assert.equal(si.conditions!.find((c) => c.type === 'Initialized')!.message, 'containers with incomplete status: [init]');
  // Running later keeps the acceptance time as the pod's start time.
  const r = runningStatus({ ...p, status: s }, { nowMs: T0 + 3000, hostIP: HOST, podIP: '10.42.1.2' });
  assert.equal(r.startTime, '2025-01-01T00:00:00Z');
  assert.equal(r.containerStatuses![0].state.running?.startedAt, '2025-01-01T00:00:03Z');
});

test('qosClass is computed when the pod has none', () => {
  const p = pod({ spec: { nodeName: 'sim-1', containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }] }, status: { phase: 'Pending' } });
  assert.equal(runningStatus(p, { nowMs: T0, hostIP: HOST, podIP: '10.42.1.3' }).qosClass, 'Guaranteed');
  const b = pod({ spec: { nodeName: 'sim-1', containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '100m' } } }] }, status: { phase: 'Pending' } });
  assert.equal(runningStatus(b, { nowMs: T0, hostIP: HOST, podIP: '10.42.1.3' }).qosClass, 'Burstable');
});

test('an Always pod stays running; a Running pod marked not ready is reported ready again', () => {
  const running = pod({ status: runningStatus(pod(), { nowMs: T0, hostIP: HOST, podIP: '10.42.1.2' }) });
  assert.deepEqual(nextPodStep(running, ctx(T0 + 3_600_000)), { kind: 'none' });
  const markedDown = structuredClone(running);
  markedDown.status!.conditions!.find((c) => c.type === 'Ready')!.status = 'False';
  assert.deepEqual(nextPodStep(markedDown, ctx(T0 + 10_000)), { kind: 'run' });
  // Refreshing keeps the IP, start time and container start times.
  const again = runningStatus(markedDown, { nowMs: T0 + 10_000, hostIP: HOST, podIP: markedDown.status!.podIP! });
  assert.equal(again.startTime, running.status!.startTime);
  assert.equal(again.containerStatuses![0].state.running?.startedAt, running.status!.containerStatuses![0].state.running?.startedAt);
  const ready = again.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.status, 'True');
  assert.equal(ready.lastTransitionTime, '2025-01-01T00:00:10Z');
  // PodScheduled did not change, so its transition time is kept.
  assert.equal(again.conditions!.find((c) => c.type === 'PodScheduled')!.lastTransitionTime, '2025-01-01T00:00:00Z');
});

test('readiness gates keep a pod unready until their conditions are True', () => {
  const gated = pod({ spec: { nodeName: 'sim-1', containers: [{ name: 'a', image: 'x' }], readinessGates: [{ conditionType: 'example.com/lb' }] } });
  const s = runningStatus(gated, { nowMs: T0, hostIP: HOST, podIP: '10.42.1.2' });
  const ready = s.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.status, 'False');
  assert.equal(ready.reason, 'ReadinessGatesNotReady');
  assert.equal(ready.message, 'corresponding condition of pod readiness gate "example.com/lb" does not exist.');
  // Stable: the same pod does not ask for another write.
  assert.deepEqual(nextPodStep({ ...gated, status: s }, ctx(T0 + 1000)), { kind: 'none' });
  const opened = structuredClone({ ...gated, status: s });
  opened.status!.conditions!.push({ type: 'example.com/lb', status: 'True' });
  assert.deepEqual(nextPodStep(opened, ctx(T0 + 2000)), { kind: 'run' });
  assert.equal(runningStatus(opened, { nowMs: T0 + 2000, hostIP: HOST, podIP: '10.42.1.2' }).conditions!.find((c) => c.type === 'Ready')!.status, 'True');
});

test('a Never pod finishes after its duration: Succeeded with Completed containers', () => {
  const base = pod({ spec: { nodeName: 'sim-1', restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox' }] } });
  const running = { ...base, status: runningStatus(base, { nowMs: T0, hostIP: HOST, podIP: '10.42.1.2' }) };
  assert.deepEqual(nextPodStep(running, ctx(T0 + 400, { startedAtMs: T0 })), { kind: 'wait', ms: 600 });
  assert.deepEqual(nextPodStep(running, ctx(T0 + 1000, { startedAtMs: T0 })), { kind: 'finish', exitCode: 0 });
  const done = finishedStatus(running, { nowMs: T0 + 1000, exitCode: 0 });
  assert.equal(done.phase, 'Succeeded');
  assert.equal(done.podIP, '10.42.1.2');
  const t = done.containerStatuses![0].state.terminated!;
  assert.deepEqual(t, { exitCode: 0, reason: 'Completed', startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:01Z', containerID: 'sim://u1-job' });
  assert.equal(done.containerStatuses![0].ready, false);
  const cond = Object.fromEntries(done.conditions!.map((c) => [c.type, `${c.status}/${c.reason ?? ''}`]));
  assert.deepEqual(cond, {
    PodReadyToStartContainers: 'False/', Initialized: 'True/PodCompleted', Ready: 'False/PodCompleted', ContainersReady: 'False/PodCompleted', PodScheduled: 'True/',
  });
  assert.deepEqual(nextPodStep({ ...running, status: done }, ctx(T0 + 5000)), { kind: 'none' });
});

test('the duration comes from the status when this process did not see the start', () => {
  const base = pod({ spec: { nodeName: 'sim-1', restartPolicy: 'OnFailure', containers: [{ name: 'job', image: 'busybox' }] }, annotations: { [ANNOTATION_DURATION]: '30s' } });
  const running = { ...base, status: runningStatus(base, { nowMs: T0, hostIP: HOST, podIP: '10.42.1.2' }) };
  assert.deepEqual(nextPodStep(running, ctx(T0 + 10_000)), { kind: 'wait', ms: 20_000 });
  assert.deepEqual(nextPodStep(running, ctx(T0 + 30_000)), { kind: 'finish', exitCode: 0 });
});

test('a non-zero exit code fails the pod with Error containers', () => {
  const base = pod({ spec: { nodeName: 'sim-1', restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox' }] }, annotations: { 'sim.k8ts.io/exit-code': '3' } });
  const running = { ...base, status: runningStatus(base, { nowMs: T0, hostIP: HOST, podIP: '10.42.1.2' }) };
  assert.deepEqual(nextPodStep(running, ctx(T0 + 1000, { startedAtMs: T0 })), { kind: 'finish', exitCode: 3 });
  const failed = finishedStatus(running, { nowMs: T0 + 1000, exitCode: 3 });
  assert.equal(failed.phase, 'Failed');
  assert.equal(failed.containerStatuses![0].state.terminated!.exitCode, 3);
  assert.equal(failed.containerStatuses![0].state.terminated!.reason, 'Error');
  const ready = failed.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.reason, 'PodFailed');
});

test('exit code and duration annotations are parsed defensively', () => {
  assert.equal(exitCodeOf(pod()), 0);
  assert.equal(exitCodeOf(pod({ annotations: { 'sim.k8ts.io/exit-code': '137' } })), 137);
  assert.equal(exitCodeOf(pod({ annotations: { 'sim.k8ts.io/exit-code': 'boom' } })), 1);
  assert.equal(exitCodeOf(pod({ annotations: { 'sim.k8ts.io/exit-code': '-1' } })), 1);
  assert.equal(durationAnnotation(pod({ annotations: { [ANNOTATION_DURATION]: '1m30s' } }), ANNOTATION_DURATION, 1000), 90_000);
  assert.equal(durationAnnotation(pod({ annotations: { [ANNOTATION_DURATION]: '-5s' } }), ANNOTATION_DURATION, 1000), 1000);
});

test('a pod marked for deletion is deleted for good, whatever its phase', () => {
  const p = pod({ metadata: { name: 'p', namespace: 'default', uid: 'u1', deletionTimestamp: '2025-01-01T00:00:05Z', deletionGracePeriodSeconds: 30 } });
  assert.deepEqual(nextPodStep(p, ctx(T0)), { kind: 'delete' });
  const done = { ...p, status: { phase: 'Succeeded' } };
  assert.deepEqual(nextPodStep(done, ctx(T0)), { kind: 'delete' });
});
