// The kubelet running real containers: containerd through CRI, images from a local registry, pod
// networks on the CNI bridge, all inside this file's own network namespace. Needs root and the
// packages of scripts/install-deps.sh.
import { enterNetns } from '../helpers/netns.js';
await enterNetns();

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resources } from '../../src/client/index.js';
import { readContainerLog } from '../../src/kubelet/logs.js';
import type { Pod } from '../../src/kubelet/types.js';
import { startCriKubeletEnv, type CriKubeletEnv } from './cri-env.js';
import { condition, createPod, cstatus, getPod, podEvents, waitForPod } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

let env: CriKubeletEnv;
before(async () => {
  env = await startCriKubeletEnv();
});
after(async () => {
  await env?.stop();
});

const logOf = (p: Pod, container: string, attempt = 0) =>
  readContainerLog(join(env.rootDir, 'logs', 'pods', `${p.metadata.namespace}_${p.metadata.name}_${p.metadata.uid}`, container, `${attempt}.log`));
const b64 = (s: string) => Buffer.from(s).toString('base64');
const done = (name: string, timeoutMs = 30000) => waitForPod(env, name, (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed', 'finished', timeoutMs);

test('a busybox pod runs in containerd on the pod network, and its logs are read back', async () => {
  await createPod(env, {
    metadata: { name: 'hello' },
    spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: env.busybox, command: ['sh', '-c', 'echo hello from busybox; hostname; ip -4 addr show eth0 | grep -o "inet [0-9.]*"'] }] },
  });
  const p = await done('hello');
  assert.equal(p.status?.phase, 'Succeeded');
  const cs = cstatus(p, 'c')!;
  assert.match(cs.containerID!, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.match(cs.imageID, /sha256:[0-9a-f]{64}/);
  assert.match(p.status!.podIP!, /^10\.42\.0\.\d+$/);
  assert.equal(await logOf(p, 'c'), `hello from busybox\nhello\ninet ${p.status!.podIP}\n`);
  const reasons = await waitFor('the Started event', async () => {
    const r = (await podEvents(env, 'hello')).map((e) => e.reason);
    return r.includes('Started') ? r : undefined;
  });
  assert.deepEqual(reasons.filter((r) => ['Pulling', 'Pulled', 'Created', 'Started'].includes(r)), ['Pulling', 'Pulled', 'Created', 'Started']);
  const node = await env.client.get<any>(resources.nodes, undefined, env.nodeName);
  assert.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/v?1\./);
  assert.equal(node.metadata.labels['node.k8ts.io/isolated'], undefined);
});

test('an init container writes a file the main container reads', async () => {
  await createPod(env, {
    metadata: { name: 'init-file' },
    spec: {
      restartPolicy: 'Never',
      volumes: [{ name: 'work', emptyDir: {} }],
      initContainers: [{ name: 'init', image: env.busybox, command: ['sh', '-c', 'echo written by init > /work/msg'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      containers: [{ name: 'main', image: env.busybox, command: ['cat', '/work/msg'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
    },
  });
  const p = await done('init-file');
  assert.equal(p.status?.phase, 'Succeeded');
  assert.equal(await logOf(p, 'main'), 'written by init\n');
});

test('a sidecar reads the main container\'s log through a shared emptyDir', async () => {
  await createPod(env, {
    metadata: { name: 'sidecar' },
    spec: {
      restartPolicy: 'Never',
      volumes: [{ name: 'logs', emptyDir: {} }],
      initContainers: [{ name: 'shipper', image: env.busybox, restartPolicy: 'Always', command: ['tail', '-F', '/logs/app.log'], volumeMounts: [{ name: 'logs', mountPath: '/logs' }] }],
      containers: [{ name: 'app', image: env.busybox, command: ['sh', '-c', 'for i in 1 2 3; do echo event $i >> /logs/app.log; sleep 0.5; done'], volumeMounts: [{ name: 'logs', mountPath: '/logs' }] }],
    },
  });
  const p = await done('sidecar');
  assert.equal(p.status?.phase, 'Succeeded');
  assert.ok(cstatus(p, 'shipper')?.state.terminated, 'the sidecar is stopped after the app completes');
  const shipped = (await logOf(p, 'shipper')).split('\n').filter((l) => l.startsWith('event'));
  assert.deepEqual(shipped, ['event 1', 'event 2', 'event 3']);
});

test('ConfigMaps and Secrets as environment variables and as files', async () => {
  await env.client.create(resources.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'production', 'app.properties': 'threads=4' } } as never);
  await env.client.create(resources.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: b64('s3cret') } } as never);
  await createPod(env, {
    metadata: { name: 'config' },
    spec: {
      restartPolicy: 'Never',
      volumes: [{ name: 'cfg', configMap: { name: 'settings' } }, { name: 'sec', secret: { secretName: 'db' } }],
      containers: [{
        name: 'c', image: env.busybox,
        command: ['sh', '-c', 'echo "mode=$MODE password=$DB_PASSWORD"; cat /etc/app/app.properties; echo; cat /etc/db/password; echo; readlink /etc/app/mode'],
        env: [
          { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
        volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }, { name: 'sec', mountPath: '/etc/db' }],
      }],
    },
  });
  const p = await done('config');
  assert.equal(p.status?.phase, 'Succeeded', JSON.stringify(p.status));
  assert.equal(await logOf(p, 'c'), 'mode=production password=s3cret\nthreads=4\ns3cret\n..data/mode\n');
});

test('a crashing container backs off (CrashLoopBackOff)', async () => {
  await createPod(env, { metadata: { name: 'crash' }, spec: { containers: [{ name: 'c', image: env.busybox, command: ['sh', '-c', 'echo crashing; exit 3'] }] } });
  const p = await waitForPod(env, 'crash', (x) => cstatus(x, 'c')?.state.waiting?.reason === 'CrashLoopBackOff' && (cstatus(x, 'c')?.restartCount ?? 0) >= 2, 'CrashLoopBackOff', 30000);
  const cs = cstatus(p, 'c')!;
  assert.deepEqual([cs.lastState.terminated?.exitCode, cs.lastState.terminated?.reason], [3, 'Error']);
  assert.match(cs.state.waiting!.message!, /^back-off \d+s restarting failed container=c pod=crash_default\(/);
  assert.equal(await logOf(p, 'c', cs.restartCount), 'crashing\n');
  await env.client.delete(resources.pods, 'default', 'crash', { gracePeriodSeconds: 0 });
});

test('a failing httpGet liveness probe restarts the container', async () => {
  await createPod(env, {
    metadata: { name: 'liveness' },
    spec: {
      containers: [{
        name: 'web', image: env.busybox, ports: [{ name: 'http', containerPort: 8080 }],
        command: ['sh', '-c', 'mkdir -p /www; echo ok > /www/healthz; (sleep 2; rm /www/healthz) & exec httpd -f -p 8080 -h /www'],
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 2 },
      }],
    },
  });
  const p = await waitForPod(env, 'liveness', (x) => (cstatus(x, 'web')?.restartCount ?? 0) >= 1, 'restarted', 30000);
  assert.ok(cstatus(p, 'web')?.lastState.terminated);
  const events = await waitFor('the Killing event', async () => {
    const e = await podEvents(env, 'liveness');
    return e.some((x) => x.reason === 'Killing') ? e : undefined;
  });
  assert.ok(events.some((e) => e.reason === 'Unhealthy' && e.message === 'Liveness probe failed: HTTP probe failed with statuscode: 404'), JSON.stringify(events));
  assert.ok(events.some((e) => e.reason === 'Killing' && e.message === 'Container web failed liveness probe, will be restarted'));
  await env.client.delete(resources.pods, 'default', 'liveness', { gracePeriodSeconds: 0 });
});

test('a readiness probe gates Ready', async () => {
  await createPod(env, {
    metadata: { name: 'readiness' },
    spec: {
      containers: [{
        name: 'c', image: env.busybox, command: ['sh', '-c', 'sleep 2; touch /tmp/ready; exec sleep 3600'],
        readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1 },
      }],
    },
  });
  const running = await waitForPod(env, 'readiness', (x) => !!cstatus(x, 'c')?.state.running, 'running');
  assert.equal(condition(running, 'Ready')?.status, 'False');
  const ready = await waitForPod(env, 'readiness', (x) => condition(x, 'Ready')?.status === 'True', 'Ready', 20000);
  assert.equal(cstatus(ready, 'c')?.ready, true);
  await env.client.delete(resources.pods, 'default', 'readiness', { gracePeriodSeconds: 0 });
});

test('a container allocating past its memory limit is OOMKilled (exit code 137)', async () => {
  await createPod(env, {
    metadata: { name: 'oom' },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'hog', image: env.busybox, command: ['sh', '-c', 'sleep 0.5; exec dd if=/dev/zero of=/dev/null bs=64M count=1'], resources: { limits: { memory: '16Mi' } } }],
    },
  });
  const p = await done('oom');
  assert.equal(p.status?.phase, 'Failed');
  const t = cstatus(p, 'hog')?.state.terminated;
  assert.deepEqual([t?.reason, t?.exitCode], ['OOMKilled', 137]);
});

test('an Indexed Job\'s pods print their completion index', async () => {
  await env.client.create(resources.jobs, 'default', {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'indexed' },
    spec: {
      completionMode: 'Indexed', completions: 3, parallelism: 3,
      template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'worker', image: env.busybox, command: ['sh', '-c', 'echo "index $JOB_COMPLETION_INDEX"'] }] } },
    },
  } as never);
  await waitFor('the Job to complete', async () => {
    const job = await env.client.get<any>(resources.jobs, 'default', 'indexed');
    return job.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Complete' && c.status === 'True');
  }, { timeoutMs: 60000, intervalMs: 250 });
  const pods = await env.client.list<Pod>(resources.pods, 'default', { labelSelector: 'batch.kubernetes.io/job-name=indexed' });
  const lines: string[] = [];
  for (const p of pods.items.filter((x) => x.status?.phase === 'Succeeded')) {
    const index = p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];
    const log = await logOf(p, 'worker');
    assert.equal(log, `index ${index}\n`);
    lines.push(log.trim());
  }
  assert.deepEqual(lines.sort(), ['index 0', 'index 1', 'index 2']);
  assert.equal((await getPod(env, pods.items[0].metadata.name!)).spec?.nodeName, env.nodeName);
});

test('a container\'s termination message comes from its terminationMessagePath', async () => {
  await createPod(env, {
    metadata: { name: 'message' },
    spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: env.busybox, command: ['sh', '-c', 'echo -n "config file missing" > /dev/termination-log; exit 4'] }] },
  });
  const p = await done('message');
  assert.deepEqual([cstatus(p, 'c')?.state.terminated?.exitCode, cstatus(p, 'c')?.state.terminated?.message], [4, 'config file missing']);
});

test('an image the registry does not have: ErrImagePull, then ImagePullBackOff', async () => {
  const missing = `${env.registry.host}/no-such-image:v1`;
  await createPod(env, { metadata: { name: 'badimage' }, spec: { containers: [{ name: 'c', image: missing }] } });
  const first = await waitForPod(env, 'badimage', (x) => !!cstatus(x, 'c')?.state.waiting?.reason?.match(/ErrImagePull|ImagePullBackOff/), 'a pull error', 30000);
  assert.equal(first.status?.phase, 'Pending');
  await waitForPod(env, 'badimage', (x) => cstatus(x, 'c')?.state.waiting?.reason === 'ImagePullBackOff', 'ImagePullBackOff', 30000);
  const events = await waitFor('BackOff event', async () => {
    const e = await podEvents(env, 'badimage');
    return e.some((x) => x.reason === 'BackOff') ? e : undefined;
  });
  assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'Failed' && e.message.startsWith(`Failed to pull image "${missing}": `)));
  assert.ok(events.some((e) => e.reason === 'Failed' && e.message === 'Error: ErrImagePull'));
  assert.ok(events.some((e) => e.reason === 'BackOff' && e.message === `Back-off pulling image "${missing}"`));
  await env.client.delete(resources.pods, 'default', 'badimage', { gracePeriodSeconds: 0 });
});
