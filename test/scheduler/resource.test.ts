// Pod requests as kube-scheduler computes them: containers summed, init containers at their
// largest (sidecars alongside), overhead added; non-zero defaults only for scoring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computePodRequests, Resource } from '../../src/scheduler/framework/resource.js';
import type { Pod } from '../../src/scheduler/types.js';

const pod = (spec: Partial<Pod['spec']>): Pod => ({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], ...spec } });
const c = (name: string, requests: Record<string, string>, restartPolicy?: string) => ({ name, resources: { requests }, restartPolicy });

test('containers add up; the largest init container counts when larger than them', () => {
  const r = computePodRequests(pod({
    containers: [c('a', { cpu: '500m', memory: '1Gi' }), c('b', { cpu: '250m', memory: '512Mi', 'nvidia.com/gpu': '1' })],
    initContainers: [c('i1', { cpu: '2', memory: '100Mi' }), c('i2', { cpu: '100m', memory: '3Gi' })],
  }));
  assert.equal(r.milliCPU, 2000);
  assert.equal(r.memory, 3 * 1024 ** 3);
  assert.equal(r.get('nvidia.com/gpu'), 1);
});

test('sidecars (restartPolicy Always) run beside the init containers after them and the main containers', () => {
  const r = computePodRequests(pod({
    containers: [c('main', { cpu: '1' })],
    initContainers: [c('sidecar', { cpu: '500m' }, 'Always'), c('init', { cpu: '1200m' })],
  }));
  // main + sidecar = 1500m; init while the sidecar runs = 1700m.
  assert.equal(r.milliCPU, 1700);
});

test('pod overhead is added', () => {
  const r = computePodRequests(pod({ containers: [c('a', { cpu: '1' })], overhead: { cpu: '250m', memory: '120Mi' } }));
  assert.equal(r.milliCPU, 1250);
  assert.equal(r.memory, 120 * 1024 ** 2);
});

test('containers without requests count nothing for fit but the defaults for scoring', () => {
  const p = pod({ containers: [{ name: 'a' }, c('b', { cpu: '1' })] });
  assert.equal(computePodRequests(p).milliCPU, 1000);
  assert.equal(computePodRequests(p).memory, 0);
  const nz = computePodRequests(p, true);
  assert.equal(nz.milliCPU, 1100);
  assert.equal(nz.memory, 2 * 200 * 1024 ** 2);
});

test('malformed quantities count as zero rather than crashing', () => {
  const r = Resource.fromList({ cpu: 'lots', memory: '1Gi' });
  assert.equal(r.milliCPU, 0);
  assert.equal(r.memory, 1024 ** 3);
});
