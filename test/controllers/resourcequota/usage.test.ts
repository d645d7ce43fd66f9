// What a namespace uses, as a ResourceQuota reports it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeUsage, podResources, podUsage, type QuotaPod, type UsageSources } from '../../../src/controllers/resourcequota/index.js';

function pod(containers: Array<{ requests?: Record<string, string>; limits?: Record<string, string> }>, extra: Partial<NonNullable<QuotaPod['spec']>> = {}, status: QuotaPod['status'] = { phase: 'Running' }): QuotaPod {
  return { metadata: {}, spec: { containers: containers.map((r) => ({ resources: r })), ...extra }, status };
}

const str = (m: Map<string, { toString(): string }>) => Object.fromEntries([...m].map(([k, v]) => [k, v.toString()]));

test('effective requests: app containers summed, an init container counted when it needs more, sidecars on top, plus overhead', () => {
  const p = pod([{ requests: { cpu: '100m', memory: '64Mi' } }, { requests: { cpu: '200m', memory: '64Mi' } }], {
    initContainers: [
      { resources: { requests: { cpu: '1', memory: '32Mi' } } },
      { restartPolicy: 'Always', resources: { requests: { cpu: '50m', memory: '16Mi' } } },
      { resources: { requests: { cpu: '100m', memory: '512Mi' } } },
    ],
    overhead: { cpu: '10m' },
  });
  // app 300m + sidecar 50m = 350m < first init 1 → 1; memory: app 128Mi + sidecar 16Mi = 144Mi < last init 512Mi + sidecar 16Mi = 528Mi.
  assert.deepEqual(str(podResources(p, 'requests')), { cpu: '1010m', memory: '528Mi' });
});

test('a running pod charges pods, requests and limits; a finished one nothing', () => {
  const p = pod([{ requests: { cpu: '250m', memory: '1Gi', 'nvidia.com/gpu': '1' }, limits: { cpu: '500m', memory: '2Gi' } }]);
  assert.deepEqual(str(podUsage(p, 0)), {
    pods: '1', 'count/pods': '1', 'requests.cpu': '250m', cpu: '250m', 'requests.memory': '1Gi', memory: '1Gi', 'requests.nvidia.com/gpu': '1', 'limits.cpu': '500m', 'limits.memory': '2Gi',
  });
  assert.equal(podUsage(pod([{}], {}, { phase: 'Succeeded' }), 0).size, 0);
  const leaving: QuotaPod = { ...pod([{}]), metadata: { deletionTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 } };
  assert.equal(podUsage(leaving, Date.parse('2024-01-01T00:00:10Z')).size > 0, true, 'still within its grace period');
  assert.equal(podUsage(leaving, Date.parse('2024-01-01T00:01:00Z')).size, 0);
});

function sources(over: Partial<UsageSources> = {}): UsageSources {
  return { pods: () => [], services: () => [], claims: () => [], count: () => 0, ...over };
}

test('used is reported for exactly the resources in hard', () => {
  const src = sources({
    pods: () => [pod([{ requests: { cpu: '100m' } }]), pod([{ requests: { cpu: '300m' } }]), pod([{}], {}, { phase: 'Failed' })],
    services: () => [
      { spec: { type: 'ClusterIP', ports: [{}] } },
      { spec: { type: 'NodePort', ports: [{ nodePort: 30001 }, { nodePort: 30002 }] } },
      { spec: { type: 'LoadBalancer', ports: [{ nodePort: 30003 }] } },
    ],
    claims: () => [
      { metadata: {}, spec: { storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } },
      { metadata: {}, spec: { storageClassName: 'slow', resources: { requests: { storage: '500Mi' } } } },
    ],
    count: (res) => ({ configmaps: 4, 'deployments.apps': 2 } as Record<string, number>)[res],
  });
  const hard = Object.fromEntries([
    'pods', 'requests.cpu', 'limits.memory', 'services', 'services.nodeports', 'services.loadbalancers', 'persistentvolumeclaims',
    'requests.storage', 'fast.storageclass.storage.k8s.io/requests.storage', 'slow.storageclass.storage.k8s.io/persistentvolumeclaims',
    'configmaps', 'count/deployments.apps', 'count/widgets.example.com',
  ].map((k) => [k, '100']));
  const { used, pending } = computeUsage({ hard }, src, 0);
  assert.deepEqual(pending, ['count/widgets.example.com'], 'a resource that cannot be counted yet is not reported as 0');
  assert.deepEqual(used, {
    pods: '2', 'requests.cpu': '400m', 'limits.memory': '0', services: '3', 'services.nodeports': '3', 'services.loadbalancers': '1',
    persistentvolumeclaims: '2', 'requests.storage': '10740Mi', 'fast.storageclass.storage.k8s.io/requests.storage': '10Gi',
    'slow.storageclass.storage.k8s.io/persistentvolumeclaims': '1', configmaps: '4', 'count/deployments.apps': '2',
  });
});

test('scopes: a scoped quota counts only the pods it matches', () => {
  const bestEffort = pod([{}]);
  const burstable = pod([{ requests: { cpu: '100m' } }], { activeDeadlineSeconds: 60, priorityClassName: 'high' });
  const src = sources({ pods: () => [bestEffort, burstable], services: () => [{ spec: {} }] });
  const hard = { pods: '10', services: '10' };
  assert.deepEqual(computeUsage({ hard, scopes: ['BestEffort'] }, src, 0).used, { pods: '1', services: '0' });
  assert.deepEqual(computeUsage({ hard, scopes: ['NotBestEffort', 'Terminating'] }, src, 0).used.pods, '1');
  assert.deepEqual(computeUsage({ hard, scopes: ['NotTerminating', 'NotBestEffort'] }, src, 0).used.pods, '0');
  const byClass = (operator: string, values?: string[]) => computeUsage({ hard, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator, values }] } }, src, 0).used.pods;
  assert.deepEqual([byClass('In', ['high']), byClass('NotIn', ['high']), byClass('Exists'), byClass('DoesNotExist')], ['1', '1', '1', '1']);
  assert.equal(byClass('In', ['low']), '0');
});
