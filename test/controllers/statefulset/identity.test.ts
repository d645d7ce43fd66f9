// StatefulSet pod identity, claims and claim ownership under each retention policy; the
// ControllerRevision helpers the StatefulSet and DaemonSet controllers share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  claimsFor, identityMatches, newStatefulSetPod, parentAndOrdinal, storageMatches,
} from '../../../src/controllers/statefulset/identity.js';
import { claimOwnerUpToDate, ownerRefsForPolicy } from '../../../src/controllers/statefulset/retention.js';
import { applyRevision, newRevision } from '../../../src/controllers/statefulset/revisions.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../../../src/controllers/statefulset/types.js';
import { hashPodTemplate, hashRevisionData } from '../../../src/controllers/history/hash.js';
import { equalRevision, nextRevision, revisionName, revisionTemplate, sortRevisions, type ControllerRevision } from '../../../src/controllers/history/revision.js';

function makeSet(policy?: { whenDeleted?: string; whenScaled?: string }, replicas = 2): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'prod', uid: 'set-uid', annotations: { note: 'x' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'db' } },
      serviceName: 'db-headless',
      template: {
        metadata: { labels: { app: 'db' } },
        spec: { containers: [{ name: 'c', image: 'pg' }], volumes: [{ name: 'data', emptyDir: {} }, { name: 'config', configMap: { name: 'cfg' } }] },
      },
      volumeClaimTemplates: [
        { metadata: { name: 'data', labels: { tier: 'storage' }, annotations: { a: 'b' } }, spec: { accessModes: ['ReadWriteOnce'] }, status: { phase: 'Pending' } },
        { metadata: { name: 'logs' }, spec: {} },
      ],
      ...(policy ? { persistentVolumeClaimRetentionPolicy: policy } : {}),
    },
  };
}

test('pod names parse into parent and ordinal', () => {
  const p = (name: string) => parentAndOrdinal({ metadata: { name } } as Pod);
  assert.deepEqual(p('web-0'), { parent: 'web', ordinal: 0 });
  assert.deepEqual(p('my-app-12'), { parent: 'my-app', ordinal: 12 });
  assert.deepEqual(p('web'), { parent: '', ordinal: -1 });
  assert.deepEqual(p('web-x1'), { parent: '', ordinal: -1 });
  assert.equal(p('web-99999999999').ordinal, -1, 'beyond int32');
});

test('a new pod has its identity, and mounts its own claims in place of template volumes of the same name', () => {
  const set = makeSet();
  const pod = newStatefulSetPod(set, 1);
  assert.equal(pod.metadata.name, 'db-1');
  assert.equal(pod.metadata.namespace, 'prod');
  assert.equal(pod.metadata.generateName, undefined);
  assert.deepEqual(pod.metadata.labels, { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-1', 'apps.kubernetes.io/pod-index': '1' });
  assert.equal((pod.spec as { hostname?: string }).hostname, 'db-1');
  assert.equal((pod.spec as { subdomain?: string }).subdomain, 'db-headless');
  assert.deepEqual((pod.spec as { volumes?: unknown[] }).volumes, [
    { name: 'data', persistentVolumeClaim: { claimName: 'data-db-1' } },
    { name: 'logs', persistentVolumeClaim: { claimName: 'logs-db-1' } },
    { name: 'config', configMap: { name: 'cfg' } },
  ]);
  assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'set-uid', controller: true, blockOwnerDeletion: true }]);
  assert.ok(identityMatches(set, pod));
  assert.ok(storageMatches(set, pod));
  const other = structuredClone(pod);
  delete other.metadata.labels!['statefulset.kubernetes.io/pod-name'];
  assert.equal(identityMatches(set, other), false);
  (other.spec as { volumes: unknown[] }).volumes = [];
  assert.equal(storageMatches(set, other), false);
});

test('claims are named <template>-<set>-<ordinal> and carry the template labels plus the selector', () => {
  const set = makeSet();
  const [data, logs] = claimsFor(set, { metadata: { name: 'db-3' } } as Pod);
  assert.equal(data.metadata.name, 'data-db-3');
  assert.equal(data.metadata.namespace, 'prod');
  assert.deepEqual(data.metadata.labels, { tier: 'storage', app: 'db' });
  assert.deepEqual(data.metadata.annotations, { a: 'b' });
  assert.deepEqual(data.spec, { accessModes: ['ReadWriteOnce'] });
  assert.equal(data.status, undefined, 'the template status is not copied');
  assert.equal(logs.metadata.name, 'logs-db-3');
  assert.deepEqual(logs.metadata.labels, { app: 'db' });
});

function claimWith(refs: PersistentVolumeClaim['metadata']['ownerReferences']): PersistentVolumeClaim {
  return { metadata: { name: 'data-db-0', namespace: 'prod', ownerReferences: refs } };
}
const pod0: Pod = { metadata: { name: 'db-0', namespace: 'prod', uid: 'pod0-uid' } };
const pod5: Pod = { metadata: { name: 'db-5', namespace: 'prod', uid: 'pod5-uid' } };

test('retention policy: who owns a claim of a kept pod and of a scaled-down pod', () => {
  const owners = (policy: { whenDeleted: string; whenScaled: string }, pod: Pod) =>
    ownerRefsForPolicy(claimWith(undefined), makeSet(policy), pod).map((r) => `${r.kind}/${r.name}${r.controller ? '' : '?'}`);
  assert.deepEqual(owners({ whenDeleted: 'Retain', whenScaled: 'Retain' }, pod0), []);
  assert.deepEqual(owners({ whenDeleted: 'Retain', whenScaled: 'Retain' }, pod5), []);
  assert.deepEqual(owners({ whenDeleted: 'Delete', whenScaled: 'Retain' }, pod0), ['StatefulSet/db']);
  assert.deepEqual(owners({ whenDeleted: 'Delete', whenScaled: 'Retain' }, pod5), ['StatefulSet/db']);
  assert.deepEqual(owners({ whenDeleted: 'Retain', whenScaled: 'Delete' }, pod0), []);
  assert.deepEqual(owners({ whenDeleted: 'Retain', whenScaled: 'Delete' }, pod5), ['Pod/db-5']);
  assert.deepEqual(owners({ whenDeleted: 'Delete', whenScaled: 'Delete' }, pod0), ['StatefulSet/db']);
  assert.deepEqual(owners({ whenDeleted: 'Delete', whenScaled: 'Delete' }, pod5), ['Pod/db-5']);
});

test('retention policy: up to date claims are left alone; stale and foreign owners are respected', () => {
  const del = makeSet({ whenDeleted: 'Delete', whenScaled: 'Retain' });
  const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'set-uid', controller: true, blockOwnerDeletion: true };
  assert.equal(claimOwnerUpToDate(claimWith([setRef]), del, pod0), true);
  assert.equal(claimOwnerUpToDate(claimWith(undefined), del, pod0), false);
  assert.equal(claimOwnerUpToDate(claimWith([{ ...setRef, controller: false }]), del, pod0), false, 'a non-controller reference is fixed');
  assert.equal(claimOwnerUpToDate(claimWith([{ ...setRef, uid: 'old-set' }]), del, pod0), true, 'a claim of an earlier set of the same name is not touched');
  const foreign = { apiVersion: 'v1', kind: 'Thing', name: 'x', uid: 'x-uid', controller: true };
  assert.deepEqual(ownerRefsForPolicy(claimWith([foreign, setRef]), del, pod0), [foreign], 'another controller keeps the claim; ours is removed');
  const retain = makeSet();
  assert.equal(claimOwnerUpToDate(claimWith([setRef]), retain, pod0), false, 'Retain removes our reference');
  assert.deepEqual(ownerRefsForPolicy(claimWith([setRef, foreign]), retain, pod0), [foreign]);
});

test('revisions: names, hashes, equality, ordering and the template they restore', () => {
  const set = makeSet();
  const rev = newRevision(set, 3, 0);
  assert.equal(rev.revision, 3);
  assert.match(rev.metadata.name!, /^db-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.equal(rev.metadata.labels?.['controller.kubernetes.io/hash'], rev.metadata.name!.slice(3));
  assert.equal(rev.metadata.labels?.app, 'db');
  assert.deepEqual(rev.metadata.annotations, { note: 'x' });
  assert.equal(rev.metadata.ownerReferences?.[0]?.controller, true);
  assert.equal((rev.data as { spec: { template: { $patch: string } } }).spec.template.$patch, 'replace');
  assert.deepEqual(revisionTemplate(rev), set.spec.template);
  assert.equal(newRevision(set, 4, 0).metadata.name, rev.metadata.name, 'the same template, the same name');
  assert.notEqual(newRevision(set, 4, 1).metadata.name, rev.metadata.name, 'a collision count moves the name');
  const changed = structuredClone(set);
  (changed.spec.template.spec as { containers: Array<{ image: string }> }).containers[0].image = 'pg:17';
  const rev2 = newRevision(changed, 4, 0);
  assert.notEqual(rev2.metadata.name, rev.metadata.name);
  assert.ok(equalRevision(rev, newRevision(set, 9, 0)));
  assert.ok(!equalRevision(rev, rev2));
  const restored = applyRevision(changed, rev);
  assert.equal((restored.spec.template.spec as { containers: Array<{ image: string }> }).containers[0].image, 'pg');
  assert.equal((changed.spec.template.spec as { containers: Array<{ image: string }> }).containers[0].image, 'pg:17', 'the set itself is not changed');
  const sorted = sortRevisions([{ ...rev2, revision: 2 }, { ...rev, revision: 1 }] as ControllerRevision[]);
  assert.deepEqual(sorted.map((r) => r.revision), [1, 2]);
  assert.equal(nextRevision(sorted), 3);
  assert.equal(nextRevision([]), 1);
  assert.equal(revisionName('x'.repeat(300), 'abc').length, 223 + 4);
});

test('hashes are stable, key-order independent and use the safe alphabet', () => {
  assert.equal(hashRevisionData({ a: 1, b: [1, 2] }), hashRevisionData({ b: [1, 2], a: 1 }));
  assert.notEqual(hashRevisionData({ a: 1 }), hashRevisionData({ a: 2 }));
  const t = { metadata: { labels: { app: 'x' } }, spec: { containers: [] } };
  assert.equal(hashPodTemplate(t), hashPodTemplate(structuredClone(t)));
  assert.notEqual(hashPodTemplate(t, 0), hashPodTemplate(t, 1));
  assert.match(hashPodTemplate(t), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
});
