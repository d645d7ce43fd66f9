// The ServiceAccount admission plugin as a user sees it: what a created pod ends up with, and
// which pods are refused.
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { Registry, type RequestContext } from '../../src/apiserver/registry.js';
import { ResourceTable } from '../../src/apiserver/resource-table.js';
import { builtinResources, definitions, type KObject } from '../../src/api/index.js';
import { namespaceLifecycle } from '../../src/apiserver/admission/namespace-lifecycle.js';
import { serviceAccount } from '../../src/apiserver/admission/service-account.js';
import { bootstrap } from '../../src/apiserver/bootstrap.js';
import { StatusError } from '../../src/machinery/status.js';

const ctx = (): RequestContext => ({ user: { name: 't', groups: [] }, dryRun: false, fieldManager: 't', warnings: [] });

interface Mount { name: string; mountPath: string; readOnly?: boolean }
interface Spec {
  serviceAccountName?: string;
  serviceAccount?: string;
  imagePullSecrets?: Array<{ name: string }>;
  volumes?: Array<{ name: string; projected?: unknown; emptyDir?: unknown }>;
  containers: Array<{ name: string; volumeMounts?: Mount[] }>;
  initContainers?: Array<{ name: string; volumeMounts?: Mount[] }>;
}

const PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

describe('ServiceAccount admission', () => {
  let reg: Registry;
  const def = (plural: string) => reg.resources.lookup('', 'v1', plural)!;
  const createPod = async (pod: KObject, ns = 'default') => (await reg.create(def('pods'), ns, pod, ctx())).spec as unknown as Spec;
  const pod = (name: string, spec: Record<string, unknown> = {}): KObject => ({
    metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  });
  const createAccount = (name: string, extra: Record<string, unknown> = {}, ns = 'default') =>
    reg.create(def('serviceaccounts'), ns, { metadata: { name }, ...extra } as KObject, ctx());
  const refused = (re: RegExp, code = 403) => (e: unknown) => e instanceof StatusError && e.code === code && re.test(e.message);

  beforeEach(async () => {
    reg = new Registry(new MemoryStore(), new ResourceTable(builtinResources, new Map(definitions)), [namespaceLifecycle(), serviceAccount({ retryDelayMs: () => 20 })]);
    // Bootstrap makes the default namespace with its default account.
    await bootstrap(reg);
  });

  it('runs a pod as "default" and mounts the API credentials read-only in every container that has nothing at the path', async () => {
    const spec = await createPod(pod('p', {
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [
        { name: 'a', image: 'busybox' },
        { name: 'b', image: 'busybox', volumeMounts: [{ name: 'own', mountPath: PATH }] },
      ],
      volumes: [{ name: 'own', emptyDir: {} }],
    }));
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.serviceAccount, 'default');
    const vol = spec.volumes!.find((v) => v.name.startsWith('kube-api-access-'))!;
    assert.match(vol.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(vol.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    const mount = { name: vol.name, readOnly: true, mountPath: PATH };
    assert.deepEqual(spec.initContainers![0].volumeMounts, [mount]);
    assert.deepEqual(spec.containers[0].volumeMounts, [mount]);
    assert.deepEqual(spec.containers[1].volumeMounts, [{ name: 'own', mountPath: PATH }], 'a container with its own mount at the path keeps it');
  });

  it('adds no volume when no container needs one, and reuses a kube-api-access volume the pod already has', async () => {
    const own = await createPod(pod('own', { containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'x', mountPath: PATH }] }], volumes: [{ name: 'x', emptyDir: {} }] }));
    assert.deepEqual(own.volumes!.map((v) => v.name), ['x']);
    const again = await createPod(pod('again', { volumes: [{ name: 'kube-api-access-abcde', emptyDir: {} }] }));
    assert.deepEqual(again.volumes!.map((v) => v.name), ['kube-api-access-abcde']);
    assert.deepEqual(again.containers[0].volumeMounts, [{ name: 'kube-api-access-abcde', readOnly: true, mountPath: PATH }]);
  });

  it('honours automountServiceAccountToken: the pod\'s choice first, then the account\'s', async () => {
    const none = await createPod(pod('off', { automountServiceAccountToken: false }));
    assert.equal(none.volumes, undefined);
    assert.equal(none.containers[0].volumeMounts, undefined);
    await createAccount('quiet', { automountServiceAccountToken: false });
    const quiet = await createPod(pod('quiet', { serviceAccountName: 'quiet' }));
    assert.equal(quiet.volumes, undefined);
    const wants = await createPod(pod('wants', { serviceAccountName: 'quiet', automountServiceAccountToken: true }));
    assert.equal(wants.volumes!.length, 1);
  });

  it('refuses a pod whose service account does not exist, as kube-apiserver words it', async () => {
    await assert.rejects(createPod(pod('p', { serviceAccountName: 'robot' })),
      refused(/^pods "p" is forbidden: error looking up service account default\/robot: serviceaccount "robot" not found$/));
    await assert.rejects(createPod({ metadata: { generateName: 'web-' }, spec: { serviceAccountName: 'robot', containers: [{ name: 'c', image: 'busybox' }] } }),
      refused(/^pods "web-" is forbidden: error looking up service account/), 'a generated name shows its prefix');
    // The legacy spelling names the account too.
    await assert.rejects(createPod(pod('q', { serviceAccount: 'robot' })), refused(/service account default\/robot/));
  });

  it('waits a moment for "default", which the controller creates just after the namespace, then gives up', async () => {
    await reg.create(def('namespaces'), '', { metadata: { name: 'fresh' } } as KObject, ctx());
    const later = setTimeout(() => void createAccount('default', {}, 'fresh'), 60);
    const spec = await createPod(pod('p'), 'fresh');
    clearTimeout(later);
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.volumes!.length, 1);

    await reg.create(def('namespaces'), '', { metadata: { name: 'empty' } } as KObject, ctx());
    const t0 = Date.now();
    await assert.rejects(createPod(pod('p'), 'empty'), refused(/error looking up service account empty\/default: serviceaccount "default" not found/));
    assert.ok(Date.now() - t0 >= 9 * 20, 'retried before refusing');
  });

  it('leaves a missing namespace to NamespaceLifecycle, without waiting', async () => {
    const t0 = Date.now();
    await assert.rejects(createPod(pod('p'), 'nowhere'), refused(/namespaces "nowhere" not found/, 404));
    assert.ok(Date.now() - t0 < 150);
  });

  it('follows changes of accounts: deleted ones refuse pods, updated ones count at once', async () => {
    await createAccount('robot');
    await createPod(pod('a', { serviceAccountName: 'robot' }));
    await reg.delete(def('serviceaccounts'), 'default', 'robot', {}, ctx());
    await assert.rejects(createPod(pod('b', { serviceAccountName: 'robot' })), refused(/serviceaccount "robot" not found/));
    const cur = await reg.get(def('serviceaccounts'), 'default', 'default');
    await reg.update(def('serviceaccounts'), 'default', 'default', { ...cur, automountServiceAccountToken: false } as KObject, ctx());
    assert.equal((await createPod(pod('c'))).volumes, undefined);
  });

  it('gives the pod the account\'s imagePullSecrets unless it lists its own', async () => {
    await createAccount('puller', { imagePullSecrets: [{ name: 'regcred' }] });
    assert.deepEqual((await createPod(pod('a', { serviceAccountName: 'puller' }))).imagePullSecrets, [{ name: 'regcred' }]);
    assert.deepEqual((await createPod(pod('b', { serviceAccountName: 'puller', imagePullSecrets: [{ name: 'mine' }] }))).imagePullSecrets, [{ name: 'mine' }]);
  });

  it('leaves updates alone: the volume is only added on create', async () => {
    const created = await reg.create(def('pods'), 'default', pod('p'), ctx());
    const updated = await reg.update(def('pods'), 'default', 'p', { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } }, ctx());
    assert.equal((updated.spec as unknown as Spec).volumes!.length, 1);
  });
});
