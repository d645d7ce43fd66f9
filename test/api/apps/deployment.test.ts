import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW, update } from './helpers.js';

const deployments = def('apps', 'deployments');

const web = (): any => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(90) },
  spec: {
    selector: { matchLabels: { app: 'web' } } as any,
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'sidecar', image: 'busybox' }] } } as any,
  } as any,
});

test('deployment defaults: replicas, RollingUpdate 25%/25%, history, progress deadline, pod template', () => {
  const d = web();
  assert.deepEqual(create(deployments, d), []);
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
});

test('deployment defaults leave a Recreate strategy without rollingUpdate and keep set values', () => {
  const d = web();
  d.spec.strategy = { type: 'Recreate' };
  d.spec.replicas = 0;
  assert.deepEqual(create(deployments, d), []);
  assert.deepEqual(d.spec.strategy, { type: 'Recreate' });
  assert.equal(d.spec.replicas, 0);
});

test('a deployment without a selector gets both errors apps/v1 reports', () => {
  const d = web();
  delete d.spec.selector;
  assert.deepEqual(create(deployments, d), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
});

test('deployment spec validation: replicas, empty selector, strategy, deadlines', () => {
  const d = web();
  d.spec.replicas = -1;
  d.spec.selector = {};
  assert.deepEqual(create(deployments, d), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
  ]);
  const r = web();
  r.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } };
  assert.deepEqual(create(deployments, r), ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]);
  const z = web();
  z.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } };
  assert.deepEqual(create(deployments, z), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
  ]);
  const p = web();
  p.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '120%', maxSurge: 'x' } };
  const errs = create(deployments, p);
  assert.ok(errs.includes('spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%'), errs.join('\n'));
  assert.ok(errs.some((e) => e.startsWith('spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"x"}: a valid percent string')), errs.join('\n'));
  const dl = web();
  dl.spec.minReadySeconds = 30;
  dl.spec.progressDeadlineSeconds = 30;
  assert.deepEqual(create(deployments, dl), ['spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds']);
});

test('deployment pod templates must restart Always and have no deadline; the pod spec is validated', () => {
  const d = web();
  d.spec.template.spec.restartPolicy = 'Never';
  d.spec.template.spec.activeDeadlineSeconds = 5;
  const errs = create(deployments, d);
  assert.ok(errs.includes('spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'), errs.join('\n'));
  assert.ok(errs.includes('spec.template.spec.activeDeadlineSeconds: Invalid value: 5: activeDeadlineSeconds in ReplicaSet is not Supported'), errs.join('\n'));
  const noContainers = web();
  noContainers.spec.template.spec.containers = [];
  assert.ok(create(deployments, noContainers).some((e) => e.startsWith('spec.template.spec.containers')));
});

test('the selector of an apps/v1 deployment is immutable', () => {
  const old = web();
  create(deployments, old);
  const next = clone(old);
  next.spec.selector = { matchLabels: { app: 'web2' } };
  next.spec.template.metadata.labels = { app: 'web2' };
  assert.deepEqual(update(deployments, next, old), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  const scaled = clone(old);
  scaled.spec.replicas = 5;
  assert.deepEqual(update(deployments, scaled, old), []);
});

test('deployment printer: READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR', () => {
  assert.deepEqual(deployments.columns!.map((c) => [c.name, c.priority]), [
    ['Name', 0], ['Ready', 0], ['Up-to-date', 0], ['Available', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1],
  ]);
  const d = web();
  create(deployments, d);
  d.spec.replicas = 3;
  d.spec.selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] };
  d.status = { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
  assert.deepEqual(cells(deployments, d, NOW), {
    Name: 'web', Ready: '2/3', 'Up-to-date': 3, Available: 2, Age: '90s',
    Containers: 'nginx,sidecar', Images: 'nginx:1.27,busybox', Selector: 'app=web,tier in (a,b)',
  });
});

test('deployments: short name, categories, status and scale subresources', () => {
  assert.deepEqual(deployments.shortNames, ['deploy']);
  assert.deepEqual(deployments.categories, ['all']);
  assert.equal(deployments.subresources?.status, true);
  assert.deepEqual(deployments.subresources?.scale, { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' });
});
