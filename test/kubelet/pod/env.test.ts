import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerConfigError, expandCommand, isValidEnvName, makeEnvironment, type EnvContext } from '../../../src/kubelet/pod/env.js';
import { serviceEnvFor } from '../../../src/kubelet/pod/service-env.js';
import type { ConfigMap, Container, Pod, Secret } from '../../../src/kubelet/types.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const configMaps: Record<string, ConfigMap> = {
  cfg: { metadata: { name: 'cfg', namespace: 'ns' }, data: { mode: 'fast', 'bad=key': 'x', level: '3' } },
};
const secrets: Record<string, Secret> = {
  creds: { metadata: { name: 'creds', namespace: 'ns' }, data: { password: b64('s3cret') } },
};

function ctx(container: Container, extra: Partial<EnvContext> = {}): EnvContext {
  const pod: Pod = {
    metadata: { name: 'web-0', namespace: 'ns', uid: 'u-1', labels: { app: 'web' }, annotations: { 'batch.kubernetes.io/job-completion-index': '4' } },
    spec: { nodeName: 'n1', serviceAccountName: 'sa', containers: [container] },
  };
  return {
    pod, container,
    addresses: { podIPs: ['10.42.0.7'], hostIPs: ['192.0.2.1'] },
    allocatable: { cpu: '4', memory: '8Gi' },
    configMap: async (_ns, name) => configMaps[name],
    secret: async (_ns, name) => secrets[name],
    ...extra,
  };
}

const asMap = (env: Array<{ key: string; value: string }>) => Object.fromEntries(env.map((e) => [e.key, e.value]));

test('env values, references to ConfigMaps, Secrets and the pod, and $(VAR) expansion', async () => {
  const c: Container = {
    name: 'app',
    resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    env: [
      { name: 'GREETING', value: 'hello' },
      { name: 'MSG', value: '$(GREETING) world $(NOPE) $$(GREETING)' },
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'MEM_LIMIT_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
      { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
      { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'EMPTY' },
    ],
    command: ['echo', '$(MSG)'],
    args: ['$(POD)', '$$(POD)'],
  };
  const env = await makeEnvironment(ctx(c));
  const m = asMap(env);
  assert.equal(m.MSG, 'hello world $(NOPE) $(GREETING)');
  assert.equal(m.MODE, 'fast');
  assert.equal(m.PASSWORD, 's3cret');
  assert.equal(m.POD, 'web-0');
  assert.equal(m.NS, 'ns');
  assert.equal(m.UID, 'u-1');
  assert.equal(m.APP, 'web');
  assert.equal(m.INDEX, '4');
  assert.equal(m.NODE, 'n1');
  assert.equal(m.SA, 'sa');
  assert.equal(m.POD_IP, '10.42.0.7');
  assert.equal(m.HOST_IP, '192.0.2.1');
  assert.equal(m.MEM_LIMIT_MI, '128');
  assert.equal(m.CPU_REQ_M, '250');
  assert.equal(m.CPU_REQ, '1', 'cpu is rounded up to whole cores');
  assert.equal(m.CPU_LIMIT, '4', 'an unset limit is the node allocatable');
  assert.equal(m.EMPTY, '');
  assert.deepEqual(expandCommand(c, env), { command: ['echo', 'hello world $(NOPE) $(GREETING)'], args: ['web-0', '$(POD)'] });
});

test('envFrom with a prefix; invalid names are skipped and reported; env entries override', async () => {
  const skipped: string[][] = [];
  const c: Container = {
    name: 'app',
    envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'creds' } }],
    env: [{ name: 'CFG_level', value: 'override' }],
  };
  const m = asMap(await makeEnvironment(ctx(c, { onInvalidKeys: (_k, _n, keys) => skipped.push(keys) })));
  assert.equal(m.CFG_mode, 'fast');
  assert.equal(m.CFG_level, 'override');
  assert.equal(m.password, 's3cret');
  assert.equal(m['CFG_bad=key'], undefined);
  assert.deepEqual(skipped, [['CFG_bad=key']]);
  assert.ok(isValidEnvName('my.var-1'));
  assert.ok(!isValidEnvName('a=b'));
  assert.ok(!isValidEnvName(''));
});

test('missing sources fail with Kubernetes messages unless optional', async () => {
  const run = (env: Container['env'], envFrom?: Container['envFrom']) => makeEnvironment(ctx({ name: 'x', env, envFrom }));
  await assert.rejects(run([{ name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }]), (e: Error) => e instanceof ContainerConfigError && e.message === 'configmap "nope" not found');
  await assert.rejects(run([{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }]), { message: "couldn't find key k in ConfigMap ns/cfg" });
  await assert.rejects(run([{ name: 'A', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }]), { message: 'secret "nope" not found' });
  await assert.rejects(run([{ name: 'A', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }]), { message: "couldn't find key k in Secret ns/creds" });
  await assert.rejects(run([], [{ configMapRef: { name: 'gone' } }]), { message: 'configmap "gone" not found' });
  const ok = asMap(await run(
    [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } }, { name: 'B', valueFrom: { secretKeyRef: { name: 'creds', key: 'k', optional: true } } }],
    [{ secretRef: { name: 'gone', optional: true } }],
  ));
  assert.deepEqual(ok, {});
});

test('service links: the namespace\'s services and the kubernetes service, pod variables win', async () => {
  const services = [
    { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.43.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } },
    { metadata: { name: 'redis-primary', namespace: 'ns' }, spec: { clusterIP: '10.43.0.9', ports: [{ port: 6379, protocol: 'TCP' }] } },
    { metadata: { name: 'headless', namespace: 'ns' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
    { metadata: { name: 'other', namespace: 'elsewhere' }, spec: { clusterIP: '10.43.0.5', ports: [{ port: 80 }] } },
  ];
  const se = serviceEnvFor(services, 'ns', true);
  assert.equal(se.KUBERNETES_SERVICE_HOST, '10.43.0.1');
  assert.equal(se.KUBERNETES_SERVICE_PORT, '443');
  assert.equal(se.KUBERNETES_SERVICE_PORT_HTTPS, '443');
  assert.equal(se.KUBERNETES_PORT_443_TCP, 'tcp://10.43.0.1:443');
  assert.equal(se.REDIS_PRIMARY_SERVICE_HOST, '10.43.0.9');
  assert.equal(se.REDIS_PRIMARY_PORT, 'tcp://10.43.0.9:6379');
  assert.equal(se.REDIS_PRIMARY_PORT_6379_TCP_ADDR, '10.43.0.9');
  assert.equal(se.HEADLESS_SERVICE_HOST, undefined);
  assert.equal(se.OTHER_SERVICE_HOST, undefined);
  assert.deepEqual(Object.keys(serviceEnvFor(services, 'ns', false)).filter((k) => k.startsWith('REDIS')), []);
  const m = asMap(await makeEnvironment(ctx({ name: 'x', env: [{ name: 'KUBERNETES_SERVICE_HOST', value: 'mine' }, { name: 'R', value: '$(REDIS_PRIMARY_SERVICE_HOST)' }] }, { serviceEnv: se })));
  assert.equal(m.KUBERNETES_SERVICE_HOST, 'mine');
  assert.equal(m.R, '10.43.0.9');
  assert.equal(m.KUBERNETES_SERVICE_PORT, '443');
});
