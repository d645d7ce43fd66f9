import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW, update } from './helpers.js';

const daemonSets = def('apps', 'daemonsets');
const replicaSets = def('apps', 'replicasets');
const revisions = def('apps', 'controllerrevisions');

const agent = (): any => ({
  metadata: { name: 'agent', namespace: 'kube-system', creationTimestamp: ago(30) },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:1' }] } },
  },
});

test('daemonset defaults: RollingUpdate maxUnavailable 1 maxSurge 0, history 10', () => {
  const ds = agent();
  assert.deepEqual(create(daemonSets, ds), []);
  assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(ds.spec.revisionHistoryLimit, 10);
});

test('daemonset rolling updates need exactly one of maxUnavailable and maxSurge non-zero', () => {
  const both = agent();
  both.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } };
  assert.deepEqual(create(daemonSets, both), [
    'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}: may not be set when maxUnavailable is non-zero',
  ]);
  const none = agent();
  none.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } };
  assert.deepEqual(create(daemonSets, none), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']);
  const odd = agent();
  odd.spec.updateStrategy = { type: 'Sometimes' };
  assert.deepEqual(create(daemonSets, odd), [
    'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Sometimes", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
  ]);
});

test('daemonset selector: empty is invalid, immutable on update', () => {
  const ds = agent();
  ds.spec.selector = {};
  assert.ok(create(daemonSets, ds).some((e) => e.endsWith('empty selector is invalid for daemonset')));
  const old = agent();
  create(daemonSets, old);
  const next = clone(old);
  next.spec.selector = { matchLabels: { app: 'agent', tier: 'x' } };
  next.spec.template.metadata.labels.tier = 'x';
  assert.ok(update(daemonSets, next, old).some((e) => e.startsWith('spec.selector: Invalid value: v1.LabelSelector{') && e.endsWith('field is immutable')));
});

test('daemonset printer shows node selector, <none> without one', () => {
  assert.deepEqual(daemonSets.columns!.map((c) => c.name), ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers', 'Images', 'Selector']);
  const ds = agent();
  create(daemonSets, ds);
  ds.status = { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberMisscheduled: 0 };
  assert.deepEqual(cells(daemonSets, ds, NOW), {
    Name: 'agent', Desired: 3, Current: 3, Ready: 2, 'Up-to-date': 3, Available: 2, 'Node Selector': '<none>', Age: '30s',
    Containers: 'a', Images: 'agent:1', Selector: 'app=agent',
  });
  ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux', disk: 'ssd' };
  assert.equal(cells(daemonSets, ds, NOW)['Node Selector'], 'disk=ssd,kubernetes.io/os=linux');
});

test('replicaset: replicas default 1, DESIRED CURRENT READY, selector immutable', () => {
  const rs: any = agent();
  assert.deepEqual(create(replicaSets, rs), []);
  assert.equal(rs.spec.replicas, 1);
  rs.status = { replicas: 1, readyReplicas: 0 };
  assert.deepEqual(cells(replicaSets, rs, NOW), { Name: 'agent', Desired: 1, Current: 1, Ready: 0, Age: '30s', Containers: 'a', Images: 'agent:1', Selector: 'app=agent' });
  const next = clone(rs);
  next.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Exists' }] };
  assert.deepEqual(update(replicaSets, next, rs), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Exists", Values:[]string(nil)}}}: field is immutable',
  ]);
  const bad: any = agent();
  bad.spec.selector.matchExpressions = [{ key: 'x', operator: 'In' }];
  assert.ok(create(replicaSets, bad).includes("spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"));
});

test('controllerrevision: data is mandatory and immutable; CONTROLLER names the owner', () => {
  const cr: any = {
    metadata: { name: 'web-6d4cf56db6', namespace: 'default', creationTimestamp: ago(10), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] },
    revision: 2,
  };
  assert.deepEqual(create(revisions, cr), ['data: Required value: data is mandatory']);
  cr.data = { spec: { template: {} } };
  assert.deepEqual(create(revisions, cr), []);
  assert.deepEqual(cells(revisions, cr, NOW), { Name: 'web-6d4cf56db6', Controller: 'statefulset.apps/web', Revision: 2, Age: '10s' });
  const next = clone(cr);
  next.data = { spec: { template: { x: 1 } } };
  assert.equal(update(revisions, next, cr).length, 1);
  delete cr.metadata.ownerReferences;
  assert.equal(cells(revisions, cr, NOW).Controller, '<none>');
});
