// The generic registry's semantics, on the memory store: what every resource gets for free.
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { Registry, type RequestContext } from '../../src/apiserver/registry.js';
import { ResourceTable } from '../../src/apiserver/resource-table.js';
import { builtinResources, definitions, type KObject, type ResourceDef } from '../../src/api/index.js';
import { StatusError } from '../../src/machinery/status.js';
import { namespaceLifecycle } from '../../src/apiserver/admission/namespace-lifecycle.js';
import { bootstrap } from '../../src/apiserver/bootstrap.js';

const ctx = (over: Partial<RequestContext> = {}): RequestContext => ({
  user: { name: 'test', groups: [] }, dryRun: false, fieldManager: 'test', warnings: [], ...over,
});

function def(group: string, plural: string): ResourceDef {
  const d = builtinResources.find((r) => r.group === group && r.plural === plural);
  assert.ok(d, `${group}/${plural} is declared`);
  return d;
}

async function rejects(p: Promise<unknown>, code: number, reason?: string): Promise<StatusError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StatusError, `expected a StatusError, got ${err}`);
    assert.equal(err.code, code, err.message);
    if (reason) assert.equal(err.reason, reason);
    return err;
  }
  assert.fail(`expected ${code}`);
}

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

describe('generic registry', () => {
  let store: MemoryStore;
  let reg: Registry;
  const cms = () => def('', 'configmaps');
  const deploy = () => def('apps', 'deployments');

  beforeEach(async () => {
    store = new MemoryStore();
    reg = new Registry(store, new ResourceTable(builtinResources, new Map(definitions)), [namespaceLifecycle()]);
    await bootstrap(reg);
  });

  it('refuses objects in a namespace that does not exist', async () => {
    const err = await rejects(reg.create(cms(), 'nope', cm('a'), ctx()), 404, 'NotFound');
    assert.equal(err.message, 'namespaces "nope" not found');
  });

  it('create fills server fields; resourceVersion is the store revision', async () => {
    const o = await reg.create(cms(), 'default', cm('a', { k: 'v' }), ctx());
    assert.match(o.metadata.uid!, /^[0-9a-f-]{36}$/);
    assert.match(o.metadata.creationTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(o.metadata.resourceVersion, String(await store.currentRevision()));
    assert.equal((await reg.get(cms(), 'default', 'a')).metadata.uid, o.metadata.uid);
    assert.equal(o.metadata.namespace, 'default');
    await rejects(reg.create(cms(), 'default', cm('a'), ctx()), 409, 'AlreadyExists');
  });

  it('generateName makes a unique name', async () => {
    const a = await reg.create(cms(), 'default', { metadata: { generateName: 'x-' }, data: {} } as KObject, ctx());
    assert.match(a.metadata.name!, /^x-[a-z0-9]{5}$/);
  });

  it('refuses a namespace in the body that differs from the URL, and bad names with 422', async () => {
    await rejects(reg.create(cms(), 'default', { metadata: { name: 'a', namespace: 'other' } } as KObject, ctx()), 400, 'BadRequest');
    const err = await rejects(reg.create(cms(), 'default', cm('Bad_Name'), ctx()), 422, 'Invalid');
    assert.match(err.message, /ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"/);
  });

  it('update with a stale resourceVersion is a 409 Conflict; without one it applies', async () => {
    const a = await reg.create(cms(), 'default', cm('a', { k: '1' }), ctx());
    const b = await reg.update(cms(), 'default', 'a', { ...a, data: { k: '2' } }, ctx());
    assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
    const err = await rejects(reg.update(cms(), 'default', 'a', { ...a, data: { k: '3' } }, ctx()), 409, 'Conflict');
    assert.match(err.message, /the object has been modified; please apply your changes to the latest version and try again/);
    const c = await reg.update(cms(), 'default', 'a', { metadata: { name: 'a' }, data: { k: '4' } } as KObject, ctx());
    assert.deepEqual(c.data, { k: '4' });
    assert.equal(c.metadata.uid, a.metadata.uid, 'uid is kept');
  });

  it('a no-op update writes nothing', async () => {
    const a = await reg.create(cms(), 'default', cm('a', { k: '1' }), ctx());
    const rev = await store.currentRevision();
    const b = await reg.update(cms(), 'default', 'a', a, ctx());
    assert.equal(await store.currentRevision(), rev);
    assert.equal(b.metadata.resourceVersion, a.metadata.resourceVersion);
  });

  it('spec changes bump generation; status goes only through the status subresource', async () => {
    const d: KObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
      status: { replicas: 99 },
    };
    const created = await reg.create(deploy(), 'default', d, ctx());
    assert.equal(created.metadata.generation, 1);
    assert.equal((created.status as { replicas?: number } | undefined)?.replicas, undefined, 'status is reset on create');
    const scaled = await reg.update(deploy(), 'default', 'd', { ...created, spec: { ...(created.spec as object), replicas: 3 }, status: { replicas: 5 } }, ctx());
    assert.equal(scaled.metadata.generation, 2);
    assert.equal((scaled.status as { replicas?: number } | undefined)?.replicas, undefined, 'main endpoint ignores status');
    const st = await reg.update(deploy(), 'default', 'd', { ...scaled, spec: { replicas: 7 }, status: { replicas: 3 } }, ctx(), 'status');
    assert.equal((st.status as { replicas: number }).replicas, 3);
    assert.equal((st.spec as { replicas: number }).replicas, 3, 'status endpoint ignores spec');
    assert.equal(st.metadata.generation, 2);
  });

  it('lists page with limit/continue at one revision and filter by labels', async () => {
    for (let i = 0; i < 7; i++) await reg.create(cms(), 'default', cm(`c${i}`, {}, { even: String(i % 2 === 0) }), ctx());
    const p1 = await reg.list(cms(), 'default', { limit: 3 });
    assert.equal(p1.items.length, 3);
    assert.equal(p1.remainingItemCount, 4);
    await reg.create(cms(), 'default', cm('c9'), ctx());
    const p2 = await reg.list(cms(), 'default', { limit: 10, continue: p1.continue });
    assert.deepEqual(p2.items.map((o) => o.metadata.name), ['c3', 'c4', 'c5', 'c6'], 'the continued list is consistent with the first page');
    assert.equal(p2.continue, undefined);
    const even = await reg.list(cms(), 'default', { labelSelector: 'even=true', limit: 2 });
    assert.deepEqual(even.items.map((o) => o.metadata.name), ['c0', 'c2']);
    const rest = await reg.list(cms(), 'default', { labelSelector: 'even=true', limit: 2, continue: even.continue });
    assert.deepEqual(rest.items.map((o) => o.metadata.name), ['c4', 'c6']);
    await rejects(reg.list(cms(), 'default', { labelSelector: 'a in (' }), 400, 'BadRequest');
    await rejects(reg.list(cms(), 'default', { fieldSelector: 'spec.foo=bar' }), 400, 'BadRequest');
    await rejects(reg.list(cms(), 'default', { continue: 'garbage' }), 400, 'BadRequest');
  });

  it('a continue token whose revision was compacted is 410 Gone', async () => {
    for (let i = 0; i < 3; i++) await reg.create(cms(), 'default', cm(`c${i}`), ctx());
    const p1 = await reg.list(cms(), 'default', { limit: 1 });
    assert.ok(p1.continue);
    await reg.create(cms(), 'default', cm('later'), ctx());
    await store.compact(await store.currentRevision());
    await rejects(reg.list(cms(), 'default', { limit: 1, continue: p1.continue }), 410, 'Expired');
  });

  it('delete honours finalizers and propagation policies', async () => {
    await reg.create(cms(), 'default', { ...cm('f'), metadata: { name: 'f', finalizers: ['example.com/hold'] } }, ctx());
    const r = await reg.delete(cms(), 'default', 'f', {}, ctx());
    assert.equal(r.deleted, false);
    assert.ok(r.obj.metadata.deletionTimestamp);
    // Removing the last finalizer removes the object.
    const cur = await reg.get(cms(), 'default', 'f');
    await reg.update(cms(), 'default', 'f', { ...cur, metadata: { ...cur.metadata, finalizers: [] } }, ctx());
    await rejects(reg.get(cms(), 'default', 'f'), 404, 'NotFound');

    await reg.create(cms(), 'default', cm('o'), ctx());
    const orphan = await reg.delete(cms(), 'default', 'o', { propagationPolicy: 'Orphan' }, ctx());
    assert.deepEqual(orphan.obj.metadata.finalizers, ['orphan']);
    await reg.create(cms(), 'default', cm('g'), ctx());
    const fg = await reg.delete(cms(), 'default', 'g', { propagationPolicy: 'Foreground' }, ctx());
    assert.deepEqual(fg.obj.metadata.finalizers, ['foregroundDeletion']);
    await reg.create(cms(), 'default', cm('b'), ctx());
    const bg = await reg.delete(cms(), 'default', 'b', { propagationPolicy: 'Background' }, ctx());
    assert.equal(bg.deleted, true);
    await rejects(reg.delete(cms(), 'default', 'b', {}, ctx()), 404);
  });

  it('delete preconditions are checked', async () => {
    const a = await reg.create(cms(), 'default', cm('a'), ctx());
    await rejects(reg.delete(cms(), 'default', 'a', { preconditions: { uid: 'nope' } }, ctx()), 409, 'Conflict');
    await rejects(reg.delete(cms(), 'default', 'a', { preconditions: { resourceVersion: '999' } }, ctx()), 409, 'Conflict');
    const ok = await reg.delete(cms(), 'default', 'a', { preconditions: { uid: a.metadata.uid } }, ctx());
    assert.equal(ok.deleted, true);
  });

  it('dry-run validates and answers without writing', async () => {
    const rev = await store.currentRevision();
    const o = await reg.create(cms(), 'default', cm('dry'), ctx({ dryRun: true }));
    assert.equal(o.metadata.name, 'dry');
    assert.equal(await store.currentRevision(), rev);
    await rejects(reg.get(cms(), 'default', 'dry'), 404);
  });

  it('mutate retries on conflict (as patches do)', async () => {
    await reg.create(cms(), 'default', cm('m', { n: '0' }), ctx());
    await Promise.all(Array.from({ length: 10 }, () => reg.mutate(cms(), 'default', 'm', ctx(), '', (cur) => {
      const data = cur.data as Record<string, string>;
      data.n = String(Number(data.n) + 1);
      return cur;
    })));
    assert.deepEqual((await reg.get(cms(), 'default', 'm')).data, { n: '10' });
  });

  it('records who changed what in managedFields', async () => {
    const a = await reg.create(cms(), 'default', cm('mf', { k: 'v' }), ctx({ fieldManager: 'alice' }));
    assert.equal(a.metadata.managedFields?.[0].manager, 'alice');
    assert.equal(a.metadata.managedFields?.[0].operation, 'Update');
    assert.ok(JSON.stringify(a.metadata.managedFields?.[0].fieldsV1).includes('f:k'));
  });
});
