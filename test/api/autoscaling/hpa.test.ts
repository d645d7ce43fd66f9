import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW } from '../apps/helpers.js';
import { hpaV1ToV2, hpaV2ToV1 } from '../../../src/api/autoscaling/v1/hpa.js';
import { formatHPAMetrics } from '../../../src/api/autoscaling/v2/hpa.js';

const v2 = def('autoscaling', 'horizontalpodautoscalers', 'v2');
const v1 = def('autoscaling', 'horizontalpodautoscalers', 'v1');

const web = (): any => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(600) },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10 },
});

test('hpa v2 defaults: minReplicas 1 and an 80% CPU utilization metric; behavior rules filled', () => {
  const h = web();
  assert.deepEqual(create(v2, h), []);
  assert.equal(h.spec.minReplicas, 1);
  assert.deepEqual(h.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  const b = web();
  b.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 60 } };
  create(v2, b);
  assert.deepEqual(b.spec.behavior, {
    scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
  });
});

test('hpa validation: replica bounds, target, metrics, behavior', () => {
  const h = web();
  h.spec.minReplicas = 0;
  h.spec.maxReplicas = 0;
  assert.deepEqual(create(v2, h), [
    'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
    'spec.maxReplicas: Invalid value: 0: must be greater than 0',
  ]);
  const m = web();
  m.spec.minReplicas = 5;
  m.spec.maxReplicas = 3;
  assert.deepEqual(create(v2, m), ['spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`']);
  const t = web();
  t.spec.scaleTargetRef = { kind: '', name: 'a/b' };
  assert.deepEqual(create(v2, t), ['spec.scaleTargetRef.kind: Required value', "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'"]);
  const metric = web();
  metric.spec.metrics = [
    { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 0 } } },
    { type: 'Pods', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
  ];
  assert.deepEqual(create(v2, metric), [
    'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    'spec.metrics[1].pods: Required value: must populate information for the given metric source',
  ]);
  const beh = web();
  beh.spec.behavior = { scaleUp: { stabilizationWindowSeconds: 4000, policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }] } };
  assert.deepEqual(create(v2, beh), [
    'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600',
    'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
    'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800',
  ]);
});

test('hpa printer: REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE', () => {
  assert.deepEqual(v2.columns!.map((c) => c.name), ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
  const h = web();
  create(v2, h);
  assert.deepEqual(cells(v2, h, NOW), { Name: 'web', Reference: 'Deployment/web', Targets: 'cpu: <unknown>/80%', MinPods: '1', MaxPods: 10, Replicas: 0, Age: '10m' });
  h.status = { currentReplicas: 3, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '90m' } } }] };
  assert.equal(cells(v2, h, NOW).Targets, 'cpu: 45%/80%');
  assert.equal(formatHPAMetrics([
    { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
    { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
    { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1024Mi' } } },
  ], [{ type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '1500m' } } }]), '1500m/1k, <unknown>/30 (avg) + 1 more...');
  assert.equal(formatHPAMetrics([], []), '<none>');
});

test('autoscaling/v1 targetCPUUtilizationPercentage is a CPU Utilization metric in v2, and back', () => {
  const one: any = {
    apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    status: { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 70 },
  };
  const stored = v1.storage!.toStorage(clone(one));
  assert.equal(stored.apiVersion, 'autoscaling/v2');
  assert.deepEqual((stored.spec as any).metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
  assert.deepEqual((stored.status as any).currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70 } } }]);
  const back = v1.storage!.fromStorage(stored);
  // Like Kubernetes, v1 also carries the current metrics in full in an annotation.
  assert.deepEqual(back.metadata.annotations, { 'autoscaling.alpha.kubernetes.io/current-metrics': '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":70}}]' });
  delete back.metadata.annotations;
  assert.deepEqual(back, one);
  assert.deepEqual(v1.storage!.toStorage(v1.storage!.fromStorage(stored)), stored);
});

test('a v1 HPA without a target reads back with the 80% default', () => {
  const one: any = { metadata: { name: 'w', namespace: 'default' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'w' }, maxReplicas: 3 } };
  v1.defaults!(one);
  const back = hpaV2ToV1(hpaV1ToV2(one));
  assert.equal((back.spec as any).targetCPUUtilizationPercentage, 80);
  assert.equal((back.spec as any).minReplicas, 1);
});

test('v2 → v1 → v2 keeps other metrics, behavior, current metrics and conditions through annotations', () => {
  const two = web();
  two.spec.metrics = [
    { type: 'Pods', pods: { metric: { name: 'rps', selector: { matchLabels: { a: 'b' } } }, target: { type: 'AverageValue', averageValue: '100' } } },
    { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, metric: { name: 'hits' }, target: { type: 'Value', value: '10k' } } },
    { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
    { type: 'ContainerResource', containerResource: { name: 'memory', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } },
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } },
  ];
  two.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 60 } };
  create(v2, two);
  two.status = {
    currentReplicas: 2, desiredReplicas: 4, lastScaleTime: ago(5),
    currentMetrics: [
      { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '120' } } },
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '450m' } } },
    ],
    conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'ok', lastTransitionTime: ago(50) }],
  };
  const one = v1.storage!.fromStorage(clone(two));
  const spec = one.spec as any;
  assert.equal(spec.targetCPUUtilizationPercentage, 75);
  assert.equal((one.status as any).currentCPUUtilizationPercentage, 90);
  const ann = one.metadata.annotations!;
  assert.deepEqual(JSON.parse(ann['autoscaling.alpha.kubernetes.io/metrics'])[0], { type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '100', selector: { matchLabels: { a: 'b' } } } });
  assert.ok(ann['autoscaling.alpha.kubernetes.io/behavior'] && ann['autoscaling.alpha.kubernetes.io/conditions'] && ann['autoscaling.alpha.kubernetes.io/current-metrics']);
  const again = v1.storage!.toStorage(one);
  assert.deepEqual(again.metadata.annotations, undefined);
  assert.deepEqual(again.spec, two.spec);
  assert.deepEqual(again.status, two.status);
});

test('v1 validation reports the v2 field paths, as Kubernetes validates the internal form', () => {
  const one: any = { metadata: { name: 'w', namespace: 'default' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'w' }, maxReplicas: 3, targetCPUUtilizationPercentage: 0 } };
  assert.deepEqual(create(v1, one), ['spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0']);
  assert.equal(v1.row!(one, NOW)[2], 'cpu: <unknown>/0%');
  assert.deepEqual(v1.categories, ['all']);
});
