import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linuxResources, milliCPUToQuota, milliCPUToShares, oomScoreAdj, podCgroupParent } from '../../../src/kubelet/pod/resources.js';
import type { Container, Pod } from '../../../src/kubelet/types.js';

const GiB = 1024 ** 3;
const pod = (containers: Container[]): Pod => ({ metadata: { name: 'p', uid: 'u1' }, spec: { containers } });

test('cpu shares from requests, CFS quota from limits', () => {
  assert.equal(milliCPUToShares(0n), 2);
  assert.equal(milliCPUToShares(1n), 2);
  assert.equal(milliCPUToShares(250n), 256);
  assert.equal(milliCPUToShares(1000n), 1024);
  assert.deepEqual(milliCPUToQuota(0n), { quota: 0, period: 0 });
  assert.deepEqual(milliCPUToQuota(500n), { quota: 50_000, period: 100_000 });
  assert.deepEqual(milliCPUToQuota(5n), { quota: 1000, period: 100_000 });
});

test('LinuxResources and OOM scores by QoS class', () => {
  const guaranteed: Container = { name: 'g', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } } };
  const g = pod([guaranteed]);
  assert.deepEqual(linuxResources(g, guaranteed, 16 * GiB), { cpuShares: 512, cpuQuota: 50_000, cpuPeriod: 100_000, memoryLimitInBytes: GiB, oomScoreAdj: -997 });
  assert.equal(podCgroupParent(g), '/k8ts/podu1');

  const burst: Container = { name: 'b', resources: { requests: { memory: '4Gi' } } };
  const b = pod([burst]);
  assert.equal(oomScoreAdj(b, burst, 16 * GiB), 750);
  assert.equal(podCgroupParent(b), '/k8ts/burstable/podu1');
  assert.deepEqual(linuxResources(b, burst, 16 * GiB), { cpuShares: 2, oomScoreAdj: 750 });
  const huge: Container = { name: 'h', resources: { requests: { memory: '16Gi' } } };
  assert.equal(oomScoreAdj(pod([huge]), huge, 16 * GiB), 3, 'Burstable stays above Guaranteed');

  const be: Container = { name: 'e' };
  assert.equal(oomScoreAdj(pod([be]), be, 16 * GiB), 1000);
  assert.equal(podCgroupParent(pod([be])), '/k8ts/besteffort/podu1');
});
