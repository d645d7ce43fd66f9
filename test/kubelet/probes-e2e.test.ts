// Probes driving a pod through a real API server on the host driver: readiness gates Ready,
// a failing liveness probe restarts the container, a startup probe holds the others back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { condition, createPod, cstatus, getPod, podEvents, startKubeletEnv, waitForPod, type KubeletEnv } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

let env: KubeletEnv;
before(async () => {
  env = await startKubeletEnv();
});
after(async () => {
  await env?.stop();
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

// A web server answering /ready with 200 once the file `ready` exists in its working directory.
const server = (port: number) => [process.execPath, '-e', `
  const fs = require('fs');
  require('http').createServer((req, res) => {
    res.statusCode = fs.existsSync('ready') ? 200 : 503;
    res.end();
  }).listen(${port}, '127.0.0.1');
  process.on('SIGTERM', () => process.exit(0));
`];

test('readiness gates Ready and ContainersReady; failures are Unhealthy events', async () => {
  const port = await freePort();
  const pod = await createPod(env, {
    metadata: { name: 'ready-gate' },
    spec: {
      containers: [{
        name: 'web', image: 'node', command: server(port), ports: [{ name: 'http', containerPort: port }],
        readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
      }],
    },
  });
  const notReady = await waitForPod(env, 'ready-gate', (p) => cstatus(p, 'web')?.state.running !== undefined && cstatus(p, 'web')?.started === true, 'running');
  assert.equal(condition(notReady, 'Ready')?.status, 'False');
  assert.equal(condition(notReady, 'ContainersReady')?.message, 'containers with unready status: [web]');
  assert.equal(cstatus(notReady, 'web')?.ready, false);
  await waitForPod(env, 'ready-gate', () => true);
  // Before the server listens the probe is refused; then it answers 503.
  await waitForEvents('ready-gate', (e) => e.reason === 'Unhealthy' && e.message === 'Readiness probe failed: HTTP probe failed with statuscode: 503');

  // The container's working directory is its rootfs view under the host runtime's directory.
  const sandboxes = await env.runtime.listContainers();
  const web = sandboxes.find((c) => c.labels['io.kubernetes.pod.uid'] === pod.metadata.uid && c.state === 'running')!;
  await writeFile(join(env.rootDir, 'host-runtime', (await env.runtime.listPodSandboxes()).find((s) => s.labels['io.kubernetes.pod.uid'] === pod.metadata.uid)!.id, web.id, 'rootfs', 'ready'), '');
  const ready = await waitForPod(env, 'ready-gate', (p) => condition(p, 'Ready')?.status === 'True', 'Ready');
  assert.equal(cstatus(ready, 'web')?.ready, true);
  assert.equal(condition(ready, 'ContainersReady')?.status, 'True');
});

function waitForEvents(pod: string, pred: (e: { reason: string; message: string }) => boolean) {
  return waitFor(`a matching event for ${pod}`, () => podEvents(env, pod), { until: (evs) => evs.some(pred), timeoutMs: 10000, intervalMs: 200 });
}

test('a failing liveness probe restarts the container', async () => {
  await createPod(env, {
    metadata: { name: 'liveness' },
    spec: {
      containers: [{
        name: 'c', image: 'busybox',
        command: ['sh', '-c', 'touch healthy; sleep 1; rm healthy; while true; do sleep 0.1; done'],
        livenessProbe: { exec: { command: ['cat', 'healthy'] }, periodSeconds: 1, failureThreshold: 2 },
      }],
    },
  });
  const p = await waitForPod(env, 'liveness', (x) => (cstatus(x, 'c')?.restartCount ?? 0) >= 1, 'restarted', 20000);
  const cs = cstatus(p, 'c')!;
  assert.ok(cs.lastState.terminated, 'the killed instance is the last state');
  const events = await waitForEvents('liveness', (e) => e.message === 'Container c failed liveness probe, will be restarted');
  assert.match(events.find((e) => e.reason === 'Unhealthy')!.message, /^Liveness probe failed: cat: (can't open )?'?healthy'?: No such file or directory/);
  assert.ok(events.some((e) => e.reason === 'Killing' && e.message === 'Container c failed liveness probe, will be restarted'));
});

test('a startup probe holds readiness until it succeeds; started reflects it', async () => {
  const port = await freePort();
  await createPod(env, {
    metadata: { name: 'startup' },
    spec: {
      containers: [{
        name: 'c', image: 'node', command: [process.execPath, '-e', `setTimeout(() => require('net').createServer(s => s.end()).listen(${port}, '127.0.0.1'), 1500); process.on('SIGTERM', () => process.exit(0));`],
        startupProbe: { tcpSocket: { port }, periodSeconds: 1, failureThreshold: 10 },
        readinessProbe: { tcpSocket: { port }, periodSeconds: 1 },
      }],
    },
  });
  const early = await waitForPod(env, 'startup', (p) => !!cstatus(p, 'c')?.state.running, 'running');
  assert.equal(cstatus(early, 'c')?.started, false);
  assert.equal(cstatus(early, 'c')?.ready, false);
  const later = await waitForPod(env, 'startup', (p) => cstatus(p, 'c')?.ready === true, 'ready');
  assert.equal(cstatus(later, 'c')?.started, true);
  assert.equal(cstatus(later, 'c')?.restartCount, 0);
  assert.equal((await getPod(env, 'startup')).status?.phase, 'Running');
});
