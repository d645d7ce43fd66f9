// Admission plugins as a user sees them: what a created object ends up with.
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { Registry, type RequestContext } from '../../src/apiserver/registry.js';
import { ResourceTable } from '../../src/apiserver/resource-table.js';
import { builtinResources, definitions, type KObject } from '../../src/api/index.js';
import { namespaceLifecycle } from '../../src/apiserver/admission/namespace-lifecycle.js';
import { defaultTolerationSeconds } from '../../src/apiserver/admission/default-tolerations.js';
import { defaultStorageClass } from '../../src/apiserver/admission/default-storage-class.js';
import { bootstrap } from '../../src/apiserver/bootstrap.js';
import { priority } from '../../src/apiserver/admission/priority.js';
import { StatusError } from '../../src/machinery/status.js';

const ctx = (): RequestContext => ({ user: { name: 't', groups: [] }, dryRun: false, fieldManager: 't', warnings: [] });

describe('admission', () => {
  let reg: Registry;
  const def = (group: string, plural: string) => reg.resources.lookup(group, 'v1', plural)!;

  beforeEach(async () => {
    reg = new Registry(new MemoryStore(), new ResourceTable(builtinResources, new Map(definitions)), [namespaceLifecycle(), defaultTolerationSeconds(), defaultStorageClass(), priority()]);
    await bootstrap(reg);
  });

  it('pods tolerate not-ready and unreachable nodes for 300 s unless they say otherwise, on create and update', async () => {
    const pod: KObject = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }] } };
    const created = await reg.create(def('', 'pods'), 'default', pod, ctx());
    const tol = (created.spec as { tolerations: Array<{ key: string; tolerationSeconds: number }> }).tolerations;
    assert.deepEqual(tol.map((t) => [t.key, t.tolerationSeconds]), [['node.kubernetes.io/unreachable', 5], ['node.kubernetes.io/not-ready', 300]]);
    // A re-apply of the same manifest (without the added toleration) is accepted, as kubectl apply needs.
    const again = await reg.update(def('', 'pods'), 'default', 'p', { ...pod, metadata: { name: 'p' } }, ctx());
    assert.equal((again.spec as { tolerations: unknown[] }).tolerations.length, 2);
  });

  it('claims without a storage class get the default class; an explicit "" stays', async () => {
    const pvc = (name: string, cls?: string): KObject => ({
      metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(cls !== undefined ? { storageClassName: cls } : {}) },
    });
    const none = await reg.create(def('', 'persistentvolumeclaims'), 'default', pvc('before'), ctx());
    assert.equal((none.spec as { storageClassName?: string }).storageClassName, undefined, 'no default class exists yet');
    await reg.create(def('storage.k8s.io', 'storageclasses'), '', {
      metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path',
    }, ctx());
    const got = await reg.create(def('', 'persistentvolumeclaims'), 'default', pvc('a'), ctx());
    assert.equal((got.spec as { storageClassName: string }).storageClassName, 'local-path');
    const empty = await reg.create(def('', 'persistentvolumeclaims'), 'default', pvc('b', ''), ctx());
    assert.equal((empty.spec as { storageClassName: string }).storageClassName, '');
  });

  it('pods get the priority of their PriorityClass, the global default, or 0; an unknown class is refused', async () => {
    const pod = (name: string, cls?: string): KObject => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...(cls ? { priorityClassName: cls } : {}) } });
    const prio = (o: KObject) => (o.spec as { priority?: number }).priority;
    assert.equal(prio(await reg.create(def('', 'pods'), 'default', pod('zero'), ctx())), 0);
    await reg.create(reg.resources.lookup('scheduling.k8s.io', 'v1', 'priorityclasses')!, '', { metadata: { name: 'high' }, value: 1000 } as KObject, ctx());
    assert.equal(prio(await reg.create(def('', 'pods'), 'default', pod('hi', 'high'), ctx())), 1000);
    assert.equal(prio(await reg.create(def('', 'pods'), 'default', pod('crit', 'system-node-critical'), ctx())), 2000001000);
    await assert.rejects(reg.create(def('', 'pods'), 'default', pod('x', 'nope'), ctx()), (e: unknown) => e instanceof StatusError && e.code === 403 && /no PriorityClass with name nope was found/.test(e.message));
    await reg.create(reg.resources.lookup('scheduling.k8s.io', 'v1', 'priorityclasses')!, '', { metadata: { name: 'dflt' }, value: 7, globalDefault: true } as KObject, ctx());
    const d = await reg.create(def('', 'pods'), 'default', pod('d'), ctx());
    assert.deepEqual([prio(d), (d.spec as { priorityClassName: string }).priorityClassName], [7, 'dflt']);
  });
});
