import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, FieldPathError, fieldSetOf, type Path } from '../../../src/machinery/apply/index.js';
import { any, obj, str } from '../../../src/machinery/schema.js';
import { defs, deploymentSchema, nginx } from './fixtures.js';

const f = (name: string) => ({ field: name });
const k = (...kv: Array<[string, unknown]>) => ({ key: kv });

test('the field set of an applied Deployment encodes to the FieldsV1 a Kubernetes API server writes', () => {
  const set = fieldSetOf(nginx({ replicas: 3 }), deploymentSchema, defs);
  // Byte for byte what kube-apiserver stores for `kubectl apply --server-side` of this manifest
  // (before it drops apiVersion, kind, metadata.name and metadata.namespace).
  assert.equal(
    JSON.stringify(set.toFieldsV1()),
    '{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:labels":{"f:app":{}},"f:name":{},"f:namespace":{}},'
      + '"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},'
      + '"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},'
      + '"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}',
  );
});

test('toPaths prints paths as Kubernetes prints them in conflicts', () => {
  const set = fieldSetOf(nginx({ replicas: 3 }), deploymentSchema, defs);
  const paths = set.toPaths();
  assert.ok(paths.includes('.spec.replicas'));
  assert.ok(paths.includes('.spec.selector'), 'an atomic map is one path');
  assert.ok(paths.includes('.spec.template.spec.containers[name="nginx"]'));
  assert.ok(paths.includes('.spec.template.spec.containers[name="nginx"].image'));
  assert.ok(paths.includes('.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].containerPort'));
  assert.ok(!paths.includes('.spec'), 'a struct holding fields is not itself a member');
  assert.ok(!paths.includes('.metadata.labels'), 'a map holding entries is not itself a member');
  assert.ok(paths.includes('.metadata.labels.app'));
});

test('set elements are named by value and atomic lists are owned whole', () => {
  const obj = {
    metadata: { finalizers: ['example.com/a', 'example.com/b'] },
    spec: { template: { spec: { containers: [{ name: 'c', args: ['--x', '--y'] }], tolerations: [{ key: 'k', operator: 'Exists' }] } } },
  };
  const doc = fieldSetOf(obj, deploymentSchema, defs).toFieldsV1();
  assert.deepEqual(doc['f:metadata'], { 'f:finalizers': { 'v:"example.com/a"': {}, 'v:"example.com/b"': {} } });
  const podSpec = ((doc['f:spec'] as any)['f:template'] as any)['f:spec'];
  assert.deepEqual(podSpec['f:tolerations'], {}, 'atomic list: a leaf, no i: elements');
  assert.deepEqual(podSpec['f:containers']['k:{"name":"c"}']['f:args'], {});
  assert.ok(!JSON.stringify(doc).includes('i:'));
});

test('FieldsV1 round-trips, with "." marking a node owned itself as well as its children', () => {
  const doc = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:image': {} } }, 'f:replicas': {} },
  };
  const set = FieldSet.fromFieldsV1(doc);
  assert.deepEqual(set.toPaths(), [
    '.metadata.labels', '.metadata.labels.app', '.spec.replicas', '.spec.containers[name="a"]', '.spec.containers[name="a"].image',
  ]);
  assert.deepEqual(set.toFieldsV1(), doc);
  assert.ok(set.has([f('metadata'), f('labels')]));
  assert.ok(!set.has([f('spec')]), 'a node with children but no "." is not a member');
});

test('FieldsV1 keys are written canonically: key fields sorted, Go JSON escaping', () => {
  const set = FieldSet.of([f('ports'), k(['protocol', 'TCP'], ['containerPort', 80])], [f('a'), { value: '<b>&' }]);
  assert.deepEqual(Object.keys(set.toFieldsV1()['f:ports'] as object), ['k:{"containerPort":80,"protocol":"TCP"}']);
  assert.deepEqual(Object.keys(set.toFieldsV1()['f:a'] as object), ['v:"\\u003cb\\u003e\\u0026"']);
  // Reading back a key written with fields in another order names the same element.
  const read = FieldSet.fromFieldsV1({ 'f:ports': { 'k:{"protocol":"TCP","containerPort":80}': {} } });
  assert.ok(read.equals(FieldSet.of([f('ports'), k(['containerPort', 80], ['protocol', 'TCP'])])));
});

test('union, intersection and difference work on members, not on prefixes', () => {
  const p = (...names: string[]): Path => names.map(f);
  const a = FieldSet.of(p('spec', 'replicas'), p('spec', 'paused'), p('metadata', 'labels', 'x'));
  const b = FieldSet.of(p('spec', 'replicas'), p('spec'), p('metadata', 'labels', 'y'));
  assert.deepEqual(a.union(b).toPaths(), ['.spec', '.metadata.labels.x', '.metadata.labels.y', '.spec.paused', '.spec.replicas']);
  assert.deepEqual(a.intersection(b).toPaths(), ['.spec.replicas']);
  assert.deepEqual(a.difference(b).toPaths(), ['.metadata.labels.x', '.spec.paused'], 'the member .spec does not remove .spec.paused');
  assert.deepEqual(a.recursiveDifference(FieldSet.of(p('spec'))).toPaths(), ['.metadata.labels.x']);
  assert.ok(a.difference(a).isEmpty());
  assert.equal(a.size(), 3);
  assert.equal(a.intersects(b), true);
  assert.equal(a.intersects(FieldSet.of(p('spec'), p('metadata', 'labels'))), false, 'prefixes of members are not members');
  assert.equal(FieldSet.of(p('metadata', 'labels', 'y')).intersects(b), true);
  assert.equal(new FieldSet().intersects(a), false);
});

test('malformed FieldsV1 is a typed error, unknown element kinds are skipped', () => {
  assert.throws(() => FieldSet.fromFieldsV1({ 'f:spec': 'x' }), FieldPathError);
  assert.throws(() => FieldSet.fromFieldsV1({ 'k:{bad': {} }), FieldPathError);
  assert.throws(() => FieldSet.fromFieldsV1({ x: {} }), FieldPathError);
  assert.throws(() => FieldSet.fromFieldsV1([]), FieldPathError);
  assert.deepEqual(FieldSet.fromFieldsV1({ 'z:future': {}, 'f:a': {} }).toPaths(), ['.a']);
});

test('under x-kubernetes-preserve-unknown-fields, maps are granular and lists atomic', () => {
  const crd = obj({ apiVersion: str(), kind: str(), spec: any() });
  const set = fieldSetOf({ spec: { a: { b: 1 }, list: [{ x: 1 }, 2], empty: {} } }, crd, defs);
  assert.deepEqual(set.toPaths(), ['.spec.a', '.spec.empty', '.spec.list', '.spec.a.b']);
});
