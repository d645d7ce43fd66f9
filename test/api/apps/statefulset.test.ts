import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW, update } from './helpers.js';

const statefulSets = def('apps', 'statefulsets');

const db = (): any => ({
  metadata: { name: 'db', namespace: 'default', creationTimestamp: ago(3600) },
  spec: {
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'postgres:16', volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql' }] }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
});

test('statefulset defaults: OrderedReady, RollingUpdate partition 0, Retain/Retain, replicas, history, claim templates', () => {
  const s = db();
  assert.deepEqual(create(statefulSets, s), []);
  assert.equal(s.spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(s.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(s.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(s.spec.replicas, 1);
  assert.equal(s.spec.revisionHistoryLimit, 10);
  assert.equal(s.spec.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
  assert.deepEqual(s.spec.volumeClaimTemplates[0].status, { phase: 'Pending' });
});

test('statefulset validation: policies, selector and template', () => {
  const s = db();
  s.spec.podManagementPolicy = 'Sometimes';
  s.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } };
  s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep' };
  s.spec.template.spec.restartPolicy = 'OnFailure';
  const errs = create(statefulSets, s);
  assert.ok(errs.includes("spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'"), errs.join('\n'));
  assert.ok(errs.some((e) => e.startsWith('spec.updateStrategy.rollingUpdate: Invalid value') && e.endsWith("only allowed for updateStrategy 'RollingUpdate'")), errs.join('\n'));
  assert.ok(errs.includes('spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"'), errs.join('\n'));
  assert.ok(errs.includes('spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'), errs.join('\n'));
  const e = db();
  e.spec.selector = {};
  assert.ok(create(statefulSets, e).some((x) => x.endsWith('empty selector is invalid for statefulset')));
  const m = db();
  m.spec.selector = { matchLabels: { app: 'other' } };
  assert.deepEqual(create(statefulSets, m), ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"db"}: `selector` does not match template `labels`']);
});

test('statefulset updates may change only replicas, ordinals, template, updateStrategy, retention and minReadySeconds', () => {
  const old = db();
  create(statefulSets, old);
  const ok = clone(old);
  ok.spec.replicas = 3;
  ok.spec.template.spec.containers[0].image = 'postgres:17';
  ok.spec.minReadySeconds = 5;
  assert.deepEqual(update(statefulSets, ok, old), []);
  const bad = clone(old);
  bad.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi';
  assert.deepEqual(update(statefulSets, bad, old), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
});

test('statefulset printer: NAME READY AGE, wide CONTAINERS IMAGES', () => {
  assert.deepEqual(statefulSets.columns!.map((c) => [c.name, c.priority]), [['Name', 0], ['Ready', 0], ['Age', 0], ['Containers', 1], ['Images', 1]]);
  const s = db();
  create(statefulSets, s);
  s.spec.replicas = 3;
  s.status = { replicas: 3, readyReplicas: 1 };
  assert.deepEqual(cells(statefulSets, s, NOW), { Name: 'db', Ready: '1/3', Age: '60m', Containers: 'pg', Images: 'postgres:16' });
  assert.deepEqual(statefulSets.shortNames, ['sts']);
  assert.ok(statefulSets.subresources?.scale);
});
