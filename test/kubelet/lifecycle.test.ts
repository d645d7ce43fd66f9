// The pod lifecycle against a real API server, on the host driver: init containers, sidecars,
// restarts with back-off, graceful termination, deadlines.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resources } from '../../src/client/index.js';
import { readContainerLog } from '../../src/kubelet/logs.js';
import { condition, createPod, cstatus, getPod, podEvents, sleep, startKubeletEnv, waitForPod, waitForPodGone, type KubeletEnv } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

let env: KubeletEnv;
before(async () => {
  env = await startKubeletEnv();
});
after(async () => {
  await env?.stop();
});

const logOf = async (pod: string, container: string, attempt = 0) => {
  const p = await getPod(env, pod);
  return readContainerLog(join(env.rootDir, 'logs', 'pods', `default_${pod}_${p.metadata.uid}`, container, `${attempt}.log`));
};

test('init containers run in order, each to completion, before the main container', async () => {
  await createPod(env, {
    metadata: { name: 'init-order' },
    spec: {
      restartPolicy: 'Never',
      volumes: [{ name: 'work', emptyDir: {} }],
      initContainers: [
        { name: 'first', image: 'busybox', command: ['sh', '-c', 'sleep 1; echo first >> work/order'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
        { name: 'second', image: 'busybox', command: ['sh', '-c', 'echo second >> work/order'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
      ],
      containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'cat work/order; echo main'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
    },
  });
  // While the first init container runs, the pod is initializing.
  const early = await waitForPod(env, 'init-order', (p) => !!cstatus(p, 'first')?.state.running, 'first init container running');
  assert.equal(early.status?.phase, 'Pending');
  assert.deepEqual(condition(early, 'Initialized')?.message, 'containers with incomplete status: [first second]');
  assert.equal(cstatus(early, 'second')?.state.waiting?.reason, 'PodInitializing');
  assert.equal(cstatus(early, 'main')?.state.waiting?.reason, 'PodInitializing');

  const done = await waitForPod(env, 'init-order', (p) => p.status?.phase === 'Succeeded', 'Succeeded');
  assert.equal(await logOf('init-order', 'main'), 'first\nsecond\nmain\n');
  const [first, second] = done.status!.initContainerStatuses!;
  assert.deepEqual([first.name, first.state.terminated?.reason, first.ready], ['first', 'Completed', true]);
  assert.deepEqual([second.name, second.state.terminated?.exitCode], ['second', 0]);
  assert.ok(Date.parse(second.state.terminated!.startedAt!) >= Date.parse(first.state.terminated!.finishedAt!));
  assert.equal(condition(done, 'Initialized')?.status, 'True');
  // Events are written in the background: wait for the last one.
  const events = await waitFor('three Started events', async () => {
    const e = await podEvents(env, 'init-order');
    return e.filter((x) => x.reason === 'Started').length === 3 ? e : undefined;
  });
  const started = events.filter((e) => e.reason === 'Started').map((e) => e.message);
  assert.deepEqual(started, ['Started container first', 'Started container second', 'Started container main']);
  assert.deepEqual(events.find((e) => e.reason === 'Created')?.fieldPath, 'spec.initContainers{first}');
});

test('a failing init container fails a restartPolicy Never pod; with OnFailure it is retried', async () => {
  await createPod(env, {
    metadata: { name: 'init-fails' },
    spec: { restartPolicy: 'Never', initContainers: [{ name: 'setup', image: 'busybox', command: ['sh', '-c', 'exit 7'] }], containers: [{ name: 'main', image: 'busybox', command: ['true'] }] },
  });
  const failed = await waitForPod(env, 'init-fails', (p) => p.status?.phase === 'Failed', 'Failed');
  assert.equal(cstatus(failed, 'setup')?.state.terminated?.exitCode, 7);
  assert.equal(cstatus(failed, 'main')?.state.waiting?.reason, 'PodInitializing');

  await createPod(env, {
    metadata: { name: 'init-retry' },
    spec: {
      restartPolicy: 'OnFailure',
      volumes: [{ name: 'state', emptyDir: {} }],
      initContainers: [{ name: 'flaky', image: 'busybox', command: ['sh', '-c', 'if [ -f state/ran ]; then exit 0; fi; touch state/ran; exit 1'], volumeMounts: [{ name: 'state', mountPath: '/state' }] }],
      containers: [{ name: 'main', image: 'busybox', command: ['true'] }],
    },
  });
  const ok = await waitForPod(env, 'init-retry', (p) => p.status?.phase === 'Succeeded', 'Succeeded');
  assert.equal(cstatus(ok, 'flaky')?.restartCount, 1);
  assert.equal(cstatus(ok, 'flaky')?.lastState.terminated?.exitCode, 1);
});

test('a sidecar starts before the main container, reads its output, and is stopped when it completes', async () => {
  await createPod(env, {
    metadata: { name: 'sidecar' },
    spec: {
      restartPolicy: 'Never',
      volumes: [{ name: 'logs', emptyDir: {} }],
      initContainers: [{
        name: 'tail', image: 'busybox', restartPolicy: 'Always',
        command: ['sh', '-c', 'touch logs/app.log; tail -f logs/app.log'],
        volumeMounts: [{ name: 'logs', mountPath: '/logs' }],
        startupProbe: { exec: { command: ['test', '-f', 'logs/app.log'] }, periodSeconds: 1 },
      }],
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'for i in 1 2 3; do echo line $i >> logs/app.log; sleep 0.3; done'], volumeMounts: [{ name: 'logs', mountPath: '/logs' }] }],
    },
  });
  const running = await waitForPod(env, 'sidecar', (p) => !!cstatus(p, 'app')?.state.running || !!cstatus(p, 'app')?.state.terminated, 'app started');
  assert.equal(cstatus(running, 'tail')?.started, true);
  const done = await waitForPod(env, 'sidecar', (p) => p.status?.phase === 'Succeeded', 'Succeeded');
  assert.equal(cstatus(done, 'tail')?.state.terminated !== undefined, true, 'the sidecar was stopped');
  assert.equal(await logOf('sidecar', 'tail'), 'line 1\nline 2\nline 3\n');
  await waitFor('the Killing event', async () => (await podEvents(env, 'sidecar')).some((e) => e.reason === 'Killing' && e.message === 'Stopping container tail'));
});

test('crashing containers restart with growing back-off (CrashLoopBackOff)', async () => {
  await createPod(env, { metadata: { name: 'crashy' }, spec: { containers: [{ name: 'crash', image: 'busybox', command: ['sh', '-c', 'echo boom; exit 2'] }] } });
  const restarts: number[] = [];
  const t0 = Date.now();
  const backoff = await waitFor('CrashLoopBackOff with 2 restarts', async () => {
    const p = await getPod(env, 'crashy');
    const cs = cstatus(p, 'crash');
    if (cs && !restarts.includes(cs.restartCount)) restarts.push(cs.restartCount);
    return cs?.state.waiting?.reason === 'CrashLoopBackOff' && cs.restartCount >= 2 ? p : undefined;
  }, { timeoutMs: 20000, intervalMs: 50 });
  const cs = cstatus(backoff, 'crash')!;
  assert.match(cs.state.waiting!.message!, /^back-off [12]s restarting failed container=crash pod=crashy_default\(.+\)$/);
  assert.deepEqual([cs.lastState.terminated?.exitCode, cs.lastState.terminated?.reason], [2, 'Error']);
  assert.equal(backoff.status?.phase, 'Running');
  assert.ok(Date.now() - t0 >= 1000, 'the second restart waited for the back-off');
  const bo = await waitFor('the BackOff event', async () => (await podEvents(env, 'crashy')).find((e) => e.reason === 'BackOff'));
  assert.equal(bo?.type, 'Warning');
  assert.match(bo!.message, /^Back-off restarting failed container crash in pod crashy_default\(.+\)$/);
  assert.equal(await logOf('crashy', 'crash', cs.restartCount), 'boom\n');
  await env.client.delete(resources.pods, 'default', 'crashy');
  await waitForPodGone(env, 'crashy');
});

test('OnFailure restarts only failed containers; the pod then succeeds', async () => {
  await createPod(env, {
    metadata: { name: 'onfailure' },
    spec: {
      restartPolicy: 'OnFailure',
      volumes: [{ name: 's', emptyDir: {} }],
      containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'if [ -f s/x ]; then echo ok; exit 0; fi; touch s/x; exit 1'], volumeMounts: [{ name: 's', mountPath: '/s' }] }],
    },
  });
  const p = await waitForPod(env, 'onfailure', (x) => x.status?.phase === 'Succeeded', 'Succeeded');
  assert.equal(cstatus(p, 'c')?.restartCount, 1);
  assert.equal(cstatus(p, 'c')?.state.terminated?.reason, 'Completed');
});

test('deletion: preStop, then SIGTERM, then the pod is removed; SIGKILL after the grace period', async () => {
  const marks = join(env.rootDir, 'marks');
  await createPod(env, {
    metadata: { name: 'graceful' },
    spec: {
      terminationGracePeriodSeconds: 10,
      volumes: [{ name: 'marks', hostPath: { path: marks, type: 'DirectoryOrCreate' } }],
      containers: [{
        name: 'web', image: 'busybox',
        command: ['sh', '-c', 'trap "echo term >> marks/log; exit 0" TERM; while true; do sleep 0.1; done'],
        volumeMounts: [{ name: 'marks', mountPath: '/marks' }],
        lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop >> marks/log'] } } },
      }],
    },
  });
  await waitForPod(env, 'graceful', (p) => p.status?.phase === 'Running' && condition(p, 'Ready')?.status === 'True', 'Running and Ready');
  const t0 = Date.now();
  await env.client.delete(resources.pods, 'default', 'graceful');
  await waitForPodGone(env, 'graceful');
  assert.ok(Date.now() - t0 < 8000, 'a container that exits on SIGTERM does not wait out the grace period');
  assert.equal(await readFile(join(marks, 'log'), 'utf8'), 'prestop\nterm\n');
  await waitFor('the Killing event', async () => (await podEvents(env, 'graceful')).some((e) => e.reason === 'Killing' && e.message === 'Stopping container web' && e.fieldPath === 'spec.containers{web}'));

  await createPod(env, {
    metadata: { name: 'stubborn' },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done'] }] },
  });
  await waitForPod(env, 'stubborn', (p) => p.status?.phase === 'Running', 'Running');
  const t1 = Date.now();
  await env.client.delete(resources.pods, 'default', 'stubborn');
  await waitForPodGone(env, 'stubborn');
  const took = Date.now() - t1;
  assert.ok(took >= 1500 && took < 8000, `killed after the (minimum 2s) grace period, took ${took} ms`);
  // Nothing of either pod is left in the runtime.
  await waitFor('runtime cleaned up', async () => (await env.runtime.listPodSandboxes()).every((s) => !['graceful', 'stubborn'].includes(s.labels['io.kubernetes.pod.name'])));
});

test('activeDeadlineSeconds fails the pod with DeadlineExceeded', async () => {
  await createPod(env, { metadata: { name: 'deadline' }, spec: { activeDeadlineSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'] }] } });
  const p = await waitForPod(env, 'deadline', (x) => x.status?.phase === 'Failed', 'Failed');
  assert.deepEqual([p.status?.reason, p.status?.message], ['DeadlineExceeded', 'Pod was active on the node longer than the specified deadline']);
  // SIGTERM ends a host process (143); in a container, sleep as PID 1 would wait for SIGKILL (137).
  assert.ok([137, 143].includes(cstatus(p, 'c')?.state.terminated?.exitCode ?? 0));
  await sleep(300);
  assert.equal((await getPod(env, 'deadline')).status?.phase, 'Failed');
});

test('postStart runs after the container starts; a failing one kills the container', async () => {
  await createPod(env, {
    metadata: { name: 'poststart' },
    spec: {
      restartPolicy: 'Never',
      containers: [{
        name: 'c', image: 'busybox', command: ['sh', '-c', 'while [ ! -f hooked ]; do sleep 0.1; done; cat hooked'],
        lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo from postStart > hooked'] } } },
      }],
    },
  });
  await waitForPod(env, 'poststart', (p) => p.status?.phase === 'Succeeded', 'Succeeded');
  const p = await getPod(env, 'poststart');
  assert.equal(await logOf('poststart', 'c'), 'from postStart\n');
  assert.equal(cstatus(p, 'c')?.restartCount, 0);

  await createPod(env, {
    metadata: { name: 'poststart-fails' },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'busybox', command: ['sleep', '30'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo nope; exit 3'] } } } }],
    },
  });
  const failed = await waitForPod(env, 'poststart-fails', (x) => x.status?.phase === 'Failed', 'Failed');
  assert.ok(cstatus(failed, 'c')?.state.terminated);
  const ev = await waitFor('FailedPostStartHook', async () => (await podEvents(env, 'poststart-fails')).find((e) => e.reason === 'FailedPostStartHook'));
  assert.equal(ev.type, 'Warning');
  assert.match(ev.message, /^Exec lifecycle hook \(\["sh","-c","echo nope; exit 3"\]\) for Container "c" in Pod "poststart-fails_default\(.+\)" failed - error: command 'sh -c echo nope; exit 3' exited with 3: nope\n, message: "nope\\n"$/);
});

test('terminationMessagePolicy FallbackToLogsOnError: a failed container\'s log tail is its message', async () => {
  await createPod(env, {
    metadata: { name: 'fallback' },
    spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', terminationMessagePolicy: 'FallbackToLogsOnError', command: ['sh', '-c', 'echo starting; echo fatal: no config >&2; exit 1'] }] },
  });
  const p = await waitForPod(env, 'fallback', (x) => x.status?.phase === 'Failed', 'Failed');
  const t = cstatus(p, 'c')?.state.terminated;
  assert.equal(t?.exitCode, 1);
  assert.deepEqual(t?.message?.split('\n').filter(Boolean).sort(), ['fatal: no config', 'starting']);
});
