// Environment and volumes through a real API server, on the host driver: values from ConfigMaps,
// Secrets and the pod itself; configMap, secret, downwardAPI and projected volumes written
// atomically and updated when their sources change; emptyDir, hostPath with subPath, and a
// local-path PersistentVolumeClaim.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readlink, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { resources } from '../../src/client/index.js';
import { readContainerLog } from '../../src/kubelet/logs.js';
import type { Pod } from '../../src/kubelet/types.js';
import { createPod, cstatus, getPod, podEvents, startKubeletEnv, waitForPod, type KubeletEnv } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

let env: KubeletEnv;
before(async () => {
  env = await startKubeletEnv();
});
after(async () => {
  await env?.stop();
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const logOf = async (p: Pod, container: string) =>
  readContainerLog(join(env.rootDir, 'logs', 'pods', `default_${p.metadata.name}_${p.metadata.uid}`, container, '0.log'));
const volumeDir = (p: Pod, plugin: string, name: string) => join(env.rootDir, 'pods', p.metadata.uid!, 'volumes', plugin, name);

async function configMap(name: string, data: Record<string, string>) {
  await env.client.create(resources.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data } as never);
}

test('environment: values, ConfigMap and Secret keys, envFrom, the downward API and $(VAR) expansion', async () => {
  await configMap('app-config', { LOG_LEVEL: 'debug', 'color': 'blue' });
  await env.client.create(resources.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-secret' }, data: { password: b64('hunter2') } } as never);
  const created = await createPod(env, {
    metadata: { name: 'env', labels: { tier: 'web' }, annotations: { 'batch.kubernetes.io/job-completion-index': '3' } },
    spec: {
      restartPolicy: 'Never',
      containers: [{
        name: 'c', image: 'busybox', command: ['sh', '-c', 'env; echo "args: $0 $1"'], args: ['$(GREETING)', '$$(GREETING)'],
        resources: { limits: { memory: '64Mi' } },
        envFrom: [{ configMapRef: { name: 'app-config' }, prefix: 'CFG_' }],
        env: [
          { name: 'GREETING', value: 'hello $(CFG_color)' },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'password' } } },
          { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'LOG_LEVEL' } } },
          { name: 'MY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'MY_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'MY_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
          { name: 'MY_TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
          { name: 'JOB_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
          { name: 'MY_NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'MY_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
          { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        ],
      }],
    },
  });
  const p = await waitForPod(env, 'env', (x) => x.status?.phase === 'Succeeded', 'Succeeded');
  const log = await logOf(p, 'c');
  const vars = Object.fromEntries(log.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.equal(vars.CFG_LOG_LEVEL, 'debug');
  assert.equal(vars.CFG_color, 'blue');
  assert.equal(vars.GREETING, 'hello blue');
  assert.equal(vars.PASSWORD, 'hunter2');
  assert.equal(vars.LEVEL, 'debug');
  assert.equal(vars.MY_POD, 'env');
  assert.equal(vars.MY_NS, 'default');
  assert.equal(vars.MY_UID, created.metadata.uid);
  assert.equal(vars.MY_TIER, 'web');
  assert.equal(vars.JOB_INDEX, '3');
  assert.equal(vars.MY_NODE, env.nodeName);
  assert.equal(vars.MY_IP, '127.0.0.1');
  assert.equal(vars.MY_HOST_IP, '127.0.0.1');
  assert.equal(vars.MEM_MI, '64');
  assert.equal(vars.KUBERNETES_SERVICE_PORT, '443', 'service links include the kubernetes service');
  assert.match(log, /^args: hello blue \$\(GREETING\)$/m);
});

test('a missing ConfigMap is CreateContainerConfigError until it is created', async () => {
  await createPod(env, {
    metadata: { name: 'late-config' },
    spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo $V'], env: [{ name: 'V', valueFrom: { configMapKeyRef: { name: 'late', key: 'v' } } }] }] },
  });
  const waiting = await waitForPod(env, 'late-config', (p) => cstatus(p, 'c')?.state.waiting?.reason === 'CreateContainerConfigError', 'CreateContainerConfigError');
  assert.equal(cstatus(waiting, 'c')?.state.waiting?.message, 'configmap "late" not found');
  assert.equal(waiting.status?.phase, 'Pending');
  await waitFor('Failed event', async () => (await podEvents(env, 'late-config')).find((e) => e.reason === 'Failed' && e.message === 'Error: configmap "late" not found'));
  await configMap('late', { v: 'finally' });
  const done = await waitForPod(env, 'late-config', (p) => p.status?.phase === 'Succeeded', 'Succeeded after the ConfigMap appeared');
  assert.equal(await logOf(done, 'c'), 'finally\n');
});

test('configMap, secret, downwardAPI and projected volumes are written atomically and follow changes', async () => {
  await configMap('files', { 'app.conf': 'version=1', other: 'o' });
  await env.client.create(resources.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'files-secret' }, data: { token: b64('t0ken') } } as never);
  const created = await createPod(env, {
    metadata: { name: 'volumes', labels: { app: 'v', rev: '1' } },
    spec: {
      volumes: [
        { name: 'cfg', configMap: { name: 'files', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o600 }] } },
        { name: 'sec', secret: { secretName: 'files-secret', defaultMode: 0o400 } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        { name: 'all', projected: { sources: [{ configMap: { name: 'files', items: [{ key: 'other', path: 'other' }] } }, { secret: { name: 'files-secret' } }] } },
      ],
      containers: [{
        name: 'c', image: 'busybox', command: ['sh', '-c', 'cat cfg/conf/app.conf; echo; cat sec/token; echo; cat all/other; echo; while true; do sleep 0.2; done'],
        volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }, { name: 'sec', mountPath: '/sec' }, { name: 'info', mountPath: '/info' }, { name: 'all', mountPath: '/all' }],
      }],
    },
  });
  const p = await waitForPod(env, 'volumes', (x) => !!cstatus(x, 'c')?.state.running, 'running');
  await waitFor('container output', async () => (await logOf(p, 'c')) === 'version=1\nt0ken\no\n');
  const cfgDir = volumeDir(p, 'kubernetes.io~configmap', 'cfg');
  assert.equal(await readlink(join(cfgDir, 'conf')), '..data/conf');
  assert.equal((await stat(join(cfgDir, 'conf/app.conf'))).mode & 0o777, 0o600);
  assert.equal((await stat(join(volumeDir(p, 'kubernetes.io~secret', 'sec'), 'token'))).mode & 0o777, 0o400);
  assert.equal(await readFile(join(volumeDir(p, 'kubernetes.io~downward-api', 'info'), 'labels'), 'utf8'), 'app="v"\nrev="1"');
  const before = await readlink(join(cfgDir, '..data'));

  await env.client.patch(resources.configmaps, 'default', 'files', { data: { 'app.conf': 'version=2' } }, 'merge');
  await env.client.patch(resources.pods, 'default', 'volumes', { metadata: { labels: { rev: '2' } } }, 'merge');
  await waitFor('configMap file updated', async () => (await readFile(join(cfgDir, 'conf/app.conf'), 'utf8')) === 'version=2', { timeoutMs: 10000 });
  assert.notEqual(await readlink(join(cfgDir, '..data')), before, 'the ..data link was swapped');
  await waitFor('labels file updated', async () => (await readFile(join(volumeDir(p, 'kubernetes.io~downward-api', 'info'), 'labels'), 'utf8')) === 'app="v"\nrev="2"', { timeoutMs: 10000 });
  // The running container sees the new content through the same path.
  const c = (await env.runtime.listContainers()).find((x) => x.labels['io.kubernetes.pod.uid'] === created.metadata.uid && x.state === 'running')!;
  const r = await env.runtime.execSync(c.id, ['cat', 'cfg/conf/app.conf'], 5);
  assert.equal(r.stdout.toString(), 'version=2');
  await env.client.delete(resources.pods, 'default', 'volumes');
});

test('a volume whose ConfigMap is missing fails to mount (FailedMount) until it exists', async () => {
  await createPod(env, {
    metadata: { name: 'mount-wait' },
    spec: { restartPolicy: 'Never', volumes: [{ name: 'cfg', configMap: { name: 'absent' } }], containers: [{ name: 'c', image: 'busybox', command: ['cat', 'cfg/k'], volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }] },
  });
  const ev = await waitFor('FailedMount', async () => (await podEvents(env, 'mount-wait')).find((e) => e.reason === 'FailedMount'));
  assert.equal(ev.message, 'MountVolume.SetUp failed for volume "cfg" : configmap "absent" not found');
  assert.equal(ev.type, 'Warning');
  const pending = await getPod(env, 'mount-wait');
  assert.equal(cstatus(pending, 'c')?.state.waiting?.reason, 'ContainerCreating');
  await configMap('absent', { k: 'here now' });
  const done = await waitForPod(env, 'mount-wait', (p) => p.status?.phase === 'Succeeded', 'Succeeded', 20000);
  assert.equal(await logOf(done, 'c'), 'here now\n');
});

test('emptyDir shared by two containers; hostPath with subPath; a local-path claim', async () => {
  const host = join(env.rootDir, 'host-data');
  await createPod(env, {
    metadata: { name: 'shared' },
    spec: {
      restartPolicy: 'Never',
      volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'host', hostPath: { path: host, type: 'DirectoryOrCreate' } }],
      initContainers: [{ name: 'writer', image: 'busybox', command: ['sh', '-c', 'echo shared > scratch/f; echo per-pod > mine/f'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }, { name: 'host', mountPath: '/mine', subPathExpr: '$(POD)' }], env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }],
      containers: [{ name: 'reader', image: 'busybox', command: ['cat', 'scratch/f'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
    },
  });
  const p = await waitForPod(env, 'shared', (x) => x.status?.phase === 'Succeeded', 'Succeeded');
  assert.equal(await logOf(p, 'reader'), 'shared\n');
  assert.equal(await readFile(join(host, 'shared', 'f'), 'utf8'), 'per-pod\n');

  // A claim of the local-path class: the scheduler places the pod, the provisioner makes a hostPath volume, the kubelet creates its directory.
  await env.client.create(resources.persistentvolumeclaims, 'default', {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '1Gi' } } },
  } as never);
  await env.client.create(resources.pods, 'default', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'claimer' },
    spec: {
      restartPolicy: 'Never', terminationGracePeriodSeconds: 1,
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo persisted > data/file'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    },
  } as never);
  await waitForPod(env, 'claimer', (x) => x.status?.phase === 'Succeeded', 'Succeeded', 30000);
  const pvc = await env.client.get<any>(resources.persistentvolumeclaims, 'default', 'data');
  const pv = await env.client.get<any>(resources.persistentvolumes, undefined, pvc.spec.volumeName);
  const path: string = pv.spec.hostPath.path;
  try {
    assert.equal(await readFile(join(path, 'file'), 'utf8'), 'persisted\n');
  } finally {
    // The provisioner's root lies outside the test's directories: leave nothing behind there.
    await rm(path, { recursive: true, force: true });
    // The provisioner's root and its parent (/var/lib/k8ts/storage), when this run left them empty.
    for (let dir = dirname(path), i = 0; i < 2 && dir !== '/'; dir = dirname(dir), i++) {
      try {
        await rmdir(dir);
      } catch {
        break;
      }
    }
  }
});
