import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, recordUpdate, LAST_APPLIED, type ManagedObject } from '../../../src/machinery/apply/index.js';
import { StatusError } from '../../../src/machinery/status.js';
import { any, obj, ref, str } from '../../../src/machinery/schema.js';
import { defs, deploymentSchema, managersOf, nginx, ownedBy, stored, T0, T1, T2 } from './fixtures.js';

type Obj = ManagedObject & { spec?: any; status?: any };

function applyAs(live: Obj | null, config: Obj, manager: string, time: string, extra: { force?: boolean; resetFields?: string[] } = {}): Obj {
  return apply(live, config, { manager, force: extra.force ?? false, apiVersion: 'apps/v1', time, resetFields: extra.resetFields }, deploymentSchema, defs);
}

/** A non-apply write: the client sends the object it read, changed. */
function updateAs(live: Obj | null, updated: Obj, manager: string, time: string): Obj {
  const managedFields = recordUpdate(live, updated, { manager, apiVersion: 'apps/v1', time }, deploymentSchema, defs);
  return { ...updated, metadata: { ...updated.metadata, managedFields } };
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${e}`);
    return e;
  }
  assert.fail('expected the apply to fail');
}

const containersOf = (o: Obj) => o.spec.template.spec.containers as Array<{ name: string; image?: string; args?: string[] }>;

test('applying to nothing creates the object, owned by the applier', () => {
  const created = applyAs(null, nginx({ replicas: 3 }), 'kubectl', T0);
  assert.equal(created.spec.replicas, 3);
  assert.equal(created.metadata?.name, 'nginx');
  assert.deepEqual(managersOf(created), ['kubectl/Apply']);
  const entry = created.metadata!.managedFields![0];
  assert.equal(entry.apiVersion, 'apps/v1');
  assert.equal(entry.time, T0);
  assert.equal(entry.fieldsType, 'FieldsV1');
  assert.ok(!ownedBy(created, 'kubectl').includes('.metadata.name'), 'name, namespace, apiVersion and kind are nobody\'s');
});

test('re-applying without a field removes it from the object', () => {
  const first = stored(applyAs(null, nginx({ replicas: 3, labels: { app: 'nginx', tier: 'web' } }), 'kubectl', T0));
  const second = applyAs(first, nginx({ labels: { app: 'nginx' } }), 'kubectl', T1);
  assert.equal(second.spec.replicas, undefined);
  assert.deepEqual(second.metadata?.labels, { app: 'nginx' });
  assert.ok(!ownedBy(second, 'kubectl').includes('.spec.replicas'));
  assert.equal(second.metadata!.managedFields![0].time, T1);
  // Removing the last container port removes the (now empty) list too.
  const third = applyAs(stored(second), nginx({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }), 'kubectl', T2);
  assert.deepEqual(containersOf(third), [{ name: 'nginx', image: 'nginx:1.27' }]);
});

test('two managers setting spec.replicas conflict; force moves ownership', () => {
  // `kubectl apply` (client-side) created it; the server-side apply then changes replicas.
  const live = stored(updateAs(null, nginx({ replicas: 3 }), 'kubectl-client-side-apply', T0));
  const err = conflictOf(() => applyAs(live, nginx({ replicas: 5 }), 'kubectl', T1));
  assert.equal(err.code, 409);
  assert.equal(err.reason, 'Conflict');
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  assert.deepEqual(err.details?.causes, [
    { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' },
  ]);
  assert.equal(err.toStatus().code, 409);

  const forced = applyAs(live, nginx({ replicas: 5 }), 'kubectl', T1, { force: true });
  assert.equal(forced.spec.replicas, 5);
  assert.ok(ownedBy(forced, 'kubectl').includes('.spec.replicas'));
  assert.ok(!ownedBy(forced, 'kubectl-client-side-apply', 'Update').includes('.spec.replicas'));
  // Fields both set to the same value are shared, not taken.
  assert.ok(ownedBy(forced, 'kubectl-client-side-apply', 'Update').includes('.spec.template.spec.containers[name="nginx"].image'));
  assert.ok(ownedBy(forced, 'kubectl').includes('.spec.template.spec.containers[name="nginx"].image'));
  assert.deepEqual(managersOf(forced), ['kubectl/Apply', 'kubectl-client-side-apply/Update']);
});

test('conflicts with several managers are listed per manager', () => {
  let live = stored(updateAs(null, nginx({ replicas: 3 }), 'deployer', T0));
  live = stored(applyAs(live, { ...nginx(), spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } }, 'helm', T1));
  const err = conflictOf(() => applyAs(live, nginx({ replicas: 5, containers: [{ name: 'nginx', image: 'nginx:1.28' }] }), 'kubectl', T2));
  assert.equal(err.message, [
    'Apply failed with 3 conflicts: conflicts with "deployer" using apps/v1:',
    '- .spec.replicas',
    '- .spec.template.spec.containers[name="nginx"].image',
    'conflicts with "helm":',
    '- .spec.template.spec.containers[name="nginx"].image',
  ].join('\n'));
  assert.equal(err.details?.causes?.length, 3);
  assert.deepEqual(err.details?.causes?.map((c) => c.message), [
    'conflict with "deployer" using apps/v1', 'conflict with "deployer" using apps/v1', 'conflict with "helm"',
  ]);
});

test('a container applied by another manager merges by name with the first manager\'s', () => {
  const base = stored(applyAs(null, nginx({ replicas: 2 }), 'kubectl', T0));
  const sidecar = { ...nginx(), spec: { template: { spec: { containers: [{ name: 'envoy', image: 'envoy:1.31' }] } } } };
  delete (sidecar.metadata as Record<string, unknown>).labels;
  const both = stored(applyAs(base, sidecar, 'injector', T1));
  assert.deepEqual(containersOf(both).map((c) => c.name), ['nginx', 'envoy']);
  assert.equal(both.spec.replicas, 2);
  assert.deepEqual(ownedBy(both, 'injector').filter((p) => p.includes('containers')), [
    '.spec.template.spec.containers[name="envoy"]',
    '.spec.template.spec.containers[name="envoy"].image',
    '.spec.template.spec.containers[name="envoy"].name',
  ]);
  // The first manager changes its own container; the other one's stays.
  const next = applyAs(both, nginx({ replicas: 2, containers: [{ name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80 }] }] }), 'kubectl', T2);
  assert.deepEqual(containersOf(next).map((c) => `${c.name}=${c.image}`), ['nginx=nginx:1.28', 'envoy=envoy:1.31']);
  // Each removes only its own container.
  const withoutEnvoy = applyAs(stored(next), { ...sidecar, spec: { template: { spec: { containers: [] } } } }, 'injector', T2);
  assert.deepEqual(containersOf(withoutEnvoy).map((c) => c.name), ['nginx']);
});

test('an Update by a second manager takes ownership of what it changed', () => {
  const applied = stored(applyAs(null, nginx({ replicas: 3 }), 'kubectl', T0));
  const scaled = stored(updateAs(applied, { ...applied, spec: { ...applied.spec, replicas: 6 } }, 'kube-controller-manager', T1));
  assert.deepEqual(ownedBy(scaled, 'kube-controller-manager', 'Update'), ['.spec.replicas']);
  assert.ok(!ownedBy(scaled, 'kubectl').includes('.spec.replicas'));
  assert.equal(scaled.metadata!.managedFields![0].time, T0, 'the applier\'s entry keeps its time');

  const err = conflictOf(() => applyAs(scaled, nginx({ replicas: 3 }), 'kubectl', T2));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kube-controller-manager" using apps/v1: .spec.replicas');
  // Dropping replicas from the configuration leaves the controller's value alone.
  const released = applyAs(scaled, nginx(), 'kubectl', T2);
  assert.equal(released.spec.replicas, 6);
});

test('a field owned by two appliers stays until both stop applying it', () => {
  const a = stored(applyAs(null, nginx({ replicas: 3 }), 'a', T0));
  const ab = stored(applyAs(a, nginx({ replicas: 3 }), 'b', T1));
  assert.ok(ownedBy(ab, 'a').includes('.spec.replicas') && ownedBy(ab, 'b').includes('.spec.replicas'));
  const bOnly = stored(applyAs(ab, nginx(), 'a', T2));
  assert.equal(bOnly.spec.replicas, 3);
  const none = applyAs(bOnly, nginx(), 'b', T2);
  assert.equal(none.spec.replicas, undefined);
});

test('finalizers are a set: each applier adds and removes only its own', () => {
  const withFinalizer = (name: string, config: Obj): Obj => ({ ...config, metadata: { ...config.metadata, finalizers: [name] } as Obj['metadata'] });
  const a = stored(applyAs(null, withFinalizer('a.example.com/cleanup', nginx()), 'a', T0));
  const minimal: Obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default' } };
  const ab = stored(applyAs(a, withFinalizer('b.example.com/backup', minimal), 'b', T1));
  assert.deepEqual((ab.metadata as { finalizers?: string[] }).finalizers, ['a.example.com/cleanup', 'b.example.com/backup']);
  const entry = ab.metadata!.managedFields!.find((e) => e.manager === 'b')!;
  assert.deepEqual(entry.fieldsV1, { 'f:metadata': { 'f:finalizers': { 'v:"b.example.com/backup"': {} } } });
  const aGone = applyAs(ab, nginx(), 'a', T2);
  assert.deepEqual((aGone.metadata as { finalizers?: string[] }).finalizers, ['b.example.com/backup']);
});

test('an atomic list is replaced whole and owned whole', () => {
  const withArgs = (args: string[]) => nginx({ containers: [{ name: 'nginx', image: 'nginx:1.27', args }] });
  const a = stored(applyAs(null, withArgs(['--a', '--b']), 'a', T0));
  assert.ok(ownedBy(a, 'a').includes('.spec.template.spec.containers[name="nginx"].args'));
  const other: Obj = { ...nginx(), spec: { template: { spec: { containers: [{ name: 'nginx', args: ['--c'] }] } } } };
  const err = conflictOf(() => applyAs(a, other, 'b', T1));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "a": .spec.template.spec.containers[name="nginx"].args');
  const forced = applyAs(a, other, 'b', T1, { force: true });
  assert.deepEqual(containersOf(forced)[0].args, ['--c']);
  assert.ok(!ownedBy(forced, 'a').includes('.spec.template.spec.containers[name="nginx"].args'));
});

test('keyed elements shared with the configuration follow its order, others keep their place', () => {
  const c = (name: string) => ({ name, image: `${name}:1` });
  const live = stored(updateAs(null, nginx({ containers: [c('a'), c('b'), c('c')] }), 'creator', T0));
  const applied = applyAs(live, nginx({ containers: [c('c'), c('a')] }), 'kubectl', T1);
  assert.deepEqual(containersOf(applied).map((x) => x.name), ['b', 'c', 'a']);
});

test('re-applying the same configuration changes nothing, not even the time', () => {
  const first = stored(applyAs(null, nginx({ replicas: 3 }), 'kubectl', T0));
  const again = applyAs(first, nginx({ replicas: 3 }), 'kubectl', T1);
  assert.deepEqual(again, first);
});

test('an object written before tracking is owned by "before-first-apply"', () => {
  const untracked = stored(nginx({ replicas: 3 }));
  const err = conflictOf(() => applyAs(untracked, nginx({ replicas: 5 }), 'kubectl', T1));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
  const same = applyAs(untracked, nginx({ replicas: 3 }), 'kubectl', T1);
  assert.deepEqual(managersOf(same), ['kubectl/Apply', 'before-first-apply/Update']);
});

test('kubectl may take over fields its client-side apply set, and keeps the annotation current', () => {
  const annotate = (o: Obj, config: Obj): Obj => ({
    ...o, metadata: { ...o.metadata, annotations: { [LAST_APPLIED]: JSON.stringify(config) + '\n' } } as Obj['metadata'],
  });
  const config = nginx({ replicas: 3 });
  const live = stored(updateAs(null, annotate(config, config), 'kubectl-client-side-apply', T0));
  const upgraded = applyAs(live, nginx({ replicas: 5 }), 'kubectl', T1);
  assert.equal(upgraded.spec.replicas, 5);
  assert.equal(JSON.parse(upgraded.metadata!.annotations![LAST_APPLIED]).spec.replicas, 5);
  assert.ok(upgraded.metadata!.annotations![LAST_APPLIED].endsWith('\n'));
  // Another manager name gets no such pass.
  const err = conflictOf(() => applyAs(live, nginx({ replicas: 5 }), 'argocd', T1));
  assert.equal(err.code, 409);
  // Nor does kubectl for a value someone changed since the client-side apply.
  const edited = stored(updateAs(live, { ...live, spec: { ...live.spec, replicas: 4 } }, 'kubectl-edit', T1));
  const err2 = conflictOf(() => applyAs(edited, nginx({ replicas: 5 }), 'kubectl', T2));
  assert.equal(err2.message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
});

test('reset fields are merged but credited to no one', () => {
  const config: Obj = { ...nginx({ replicas: 1 }), status: { replicas: 7 } };
  const applied = applyAs(null, config, 'kubectl', T0, { resetFields: ['status'] });
  assert.equal(applied.status.replicas, 7, 'the caller resets status; apply only merges');
  assert.ok(!ownedBy(applied, 'kubectl').some((p) => p.startsWith('.status')));
});

test('configurations that do not fit the schema are 400s', () => {
  const badRequest = (config: unknown, message: string | RegExp) => {
    const err = conflictOf(() => apply(null, config as Obj, { manager: 'kubectl', force: false, apiVersion: 'apps/v1', time: T0 }, deploymentSchema, defs));
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
  };
  badRequest('replicas: 3', /must be an object/);
  badRequest([nginx()], /must be an object/);
  badRequest({ ...nginx(), metadata: { name: 'nginx', managedFields: [] } }, 'metadata.managedFields must be nil');
  badRequest(nginx({ containers: [{ name: 'nginx' }, { name: 'nginx', image: 'x' }] }),
    'failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="nginx"]');
  badRequest({ ...nginx(), spec: { replicaz: 3 } },
    'failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): .spec.replicaz: field not declared in schema');
  badRequest(nginx({ containers: [{ image: 'x' } as never] }),
    /\.spec\.template\.spec\.containers: element 0: associative list with keys has an element that omits all key fields \["name"\]/);
  badRequest({ ...nginx(), metadata: { name: 'x', finalizers: [{ a: 1 }] } }, /\.metadata\.finalizers: element 0: associative list without keys has an element that's a map type/);
});

test('conflicting applies leave the live object untouched', () => {
  const live = stored(updateAs(null, nginx({ replicas: 3 }), 'deployer', T0));
  const before = JSON.stringify(live);
  conflictOf(() => applyAs(live, nginx({ replicas: 5 }), 'kubectl', T1));
  applyAs(live, nginx({ replicas: 5 }), 'kubectl', T1, { force: true });
  assert.equal(JSON.stringify(live), before);
});

test('custom resources without a structural schema below spec merge maps key by key', () => {
  const crd = obj({ apiVersion: str(), kind: str(), metadata: ref('test.ObjectMeta'), spec: any() });
  const cr = (spec: Record<string, unknown>): Obj => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
  const opts = (manager: string, time: string) => ({ manager, force: false, apiVersion: 'example.com/v1', time });
  const a = stored(apply(null, cr({ size: { width: 1 }, tags: ['x'] }), opts('a', T0), crd, defs));
  const ab = stored(apply(a, cr({ size: { height: 2 } }), opts('b', T1), crd, defs));
  assert.deepEqual(ab.spec, { size: { width: 1, height: 2 }, tags: ['x'] });
  const err = conflictOf(() => apply(ab, cr({ tags: ['y'] }), opts('b', T2), crd, defs));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "a": .spec.tags');
  const bOnly = apply(ab, cr({}), opts('a', T2), crd, defs);
  assert.deepEqual(bOnly.spec, { size: { height: 2 } });
});
