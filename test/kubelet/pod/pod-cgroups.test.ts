// Pod cgroups: the pod's summed limits as Kubernetes computes them, and the cgroupfs files they
// become on cgroup v1 and v2 (on stand-in directory trees; the real hierarchy is exercised by
// test/kubelet/pod-cgroups-cri.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupFiles, PodCgroups, sharesToWeight } from '../../../src/kubelet/pod/pod-cgroups.js';
import { podCgroupConfig, podLimits, podRequests } from '../../../src/kubelet/pod/resources.js';
import type { Container, Pod } from '../../../src/kubelet/types.js';

const Mi = 1024 * 1024;
const c = (name: string, requests: Record<string, string>, limits: Record<string, string> = {}, extra: Partial<Container> = {}): Container =>
  ({ name, resources: { requests, limits }, ...extra });
const pod = (containers: Container[], initContainers: Container[] = [], extra: Record<string, unknown> = {}): Pod =>
  ({ metadata: { name: 'p', uid: 'u1' }, spec: { containers, initContainers, ...extra } } as Pod);

test('two containers limited to 64Mi each make a pod limited to 128Mi; cpu limits add up to a CFS quota', () => {
  const p = pod([c('a', { cpu: '250m', memory: '64Mi' }, { cpu: '500m', memory: '64Mi' }), c('b', { cpu: '100m', memory: '32Mi' }, { cpu: '500m', memory: '64Mi' })]);
  assert.deepEqual(podCgroupConfig(p), { cpuShares: 358, cpuQuota: 100_000, cpuPeriod: 100_000, memoryLimitBytes: 128 * Mi });
});

test('a limit counts only when every container, init containers included, declares it', () => {
  const noMem = pod([c('a', { cpu: '250m', memory: '64Mi' }, { cpu: '500m', memory: '64Mi' }), c('b', { cpu: '100m' }, { cpu: '500m' })]);
  assert.deepEqual(podCgroupConfig(noMem), { cpuShares: 358, cpuQuota: 100_000, cpuPeriod: 100_000 });
  const initNoCpu = pod([c('a', { cpu: '1', memory: '64Mi' }, { cpu: '1', memory: '64Mi' })], [c('init', { memory: '16Mi' }, { memory: '16Mi' })]);
  assert.deepEqual(podCgroupConfig(initNoCpu), { cpuShares: 1024, memoryLimitBytes: 64 * Mi });
  assert.deepEqual(podCgroupConfig(pod([c('a', {})])), { cpuShares: 2 }, 'BestEffort: minimum shares, no limits');
});

test('init containers are a floor, sidecars add up, and the overhead is added', () => {
  const bigInit = pod([c('a', { memory: '64Mi' }, { memory: '64Mi' })], [c('init', { memory: '512Mi' }, { memory: '512Mi' })]);
  assert.equal(podCgroupConfig(bigInit).memoryLimitBytes, 512 * Mi);
  const always = 'Always';
  const sidecar = pod([c('a', { memory: '64Mi' }, { memory: '64Mi' })], [
    c('log', { memory: '32Mi' }, { memory: '32Mi' }, { restartPolicy: always }),
    c('migrate', { memory: '80Mi' }, { memory: '80Mi' }),
  ]);
  // The app runs with the sidecar (96Mi); migrate ran beside the sidecar (112Mi) and sets the floor.
  assert.equal(podLimits(sidecar).get('memory'), 112n * BigInt(Mi) * 1000n);
  assert.equal(podRequests(sidecar).get('memory'), 112n * BigInt(Mi) * 1000n);
  const overhead = pod([c('a', { cpu: '1', memory: '64Mi' }, { cpu: '1', memory: '64Mi' })], [], { overhead: { cpu: '250m', memory: '10Mi' } });
  assert.deepEqual(podCgroupConfig(overhead), { cpuShares: 1280, cpuQuota: 125_000, cpuPeriod: 100_000, memoryLimitBytes: 74 * Mi });
});

test('the files on cgroup v1 and v2', () => {
  const cfg = { cpuShares: 358, cpuQuota: 100_000, cpuPeriod: 100_000, memoryLimitBytes: 128 * Mi };
  assert.deepEqual(cgroupFiles(cfg, 2).map((f) => `${f.file}=${f.value}`), ['cpu.weight=14', 'cpu.max=100000 100000', 'memory.max=134217728']);
  assert.deepEqual(cgroupFiles({ cpuShares: 2 }, 2).map((f) => `${f.file}=${f.value}`), ['cpu.weight=1', 'cpu.max=max 100000', 'memory.max=max']);
  assert.deepEqual(cgroupFiles(cfg, 1).map((f) => `${f.controller}/${f.file}=${f.value}`),
    ['cpu/cpu.shares=358', 'cpu/cpu.cfs_period_us=100000', 'cpu/cpu.cfs_quota_us=100000', 'memory/memory.limit_in_bytes=134217728']);
  assert.equal(sharesToWeight(1024), 39);
  assert.equal(sharesToWeight(262144), 10000);
});

const limited = pod([c('a', { cpu: '250m', memory: '64Mi' }, { cpu: '500m', memory: '64Mi' }), c('b', { cpu: '250m', memory: '64Mi' }, { cpu: '500m', memory: '64Mi' })]);

test('cgroup v1: the pod cgroup in the cpu and memory hierarchies under its QoS level, removed with everything below it', async () => {
  const root = await mkdtemp(join(tmpdir(), 'k8ts-cgv1-'));
  try {
    for (const h of ['cpu', 'memory', 'pids']) await mkdir(join(root, h));
    const cg = new PodCgroups({ mountPoint: root });
    assert.equal(await cg.cgroupVersion(), 1);
    await cg.ensure(limited);
    const podDir = (h: string) => join(root, h, 'k8ts', 'burstable', 'podu1');
    assert.equal(await readFile(join(podDir('memory'), 'memory.limit_in_bytes'), 'utf8'), String(128 * Mi));
    assert.equal(await readFile(join(podDir('cpu'), 'cpu.cfs_quota_us'), 'utf8'), '100000');
    assert.equal(await readFile(join(podDir('cpu'), 'cpu.shares'), 'utf8'), '512');
    assert.equal(await readFile(join(root, 'cpu', 'k8ts', 'besteffort', 'cpu.shares'), 'utf8'), '2');
    // Regular files stand in for control files, which cgroupfs drops with their directory.
    for (const h of ['cpu', 'memory']) {
      await rm(podDir(h), { recursive: true });
      await mkdir(podDir(h));
    }
    // What runc makes under it, in every hierarchy.
    await mkdir(join(podDir('pids'), 'c0ffee'), { recursive: true });
    await mkdir(join(podDir('memory'), 'c0ffee'), { recursive: true });
    await cg.removeByUID('u1');
    for (const h of ['cpu', 'memory', 'pids']) await assert.rejects(stat(podDir(h)), { code: 'ENOENT' });
    await stat(join(root, 'memory', 'k8ts', 'burstable'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('cgroup v2: controllers are handed down from the root, and the pod cgroup gets memory.max', async () => {
  const root = await mkdtemp(join(tmpdir(), 'k8ts-cgv2-'));
  try {
    // A stand-in for cgroupfs, which makes the control files of a new directory itself.
    await writeFile(join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids');
    await writeFile(join(root, 'cgroup.subtree_control'), 'cpu memory pids');
    for (const d of ['k8ts', 'k8ts/burstable', 'k8ts/besteffort']) {
      await mkdir(join(root, d), { recursive: true });
      await writeFile(join(root, d, 'cgroup.subtree_control'), '');
    }
    const cg = new PodCgroups({ mountPoint: root });
    assert.equal(await cg.cgroupVersion(), 2);
    await cg.ensure(limited);
    assert.equal(await readFile(join(root, 'cgroup.subtree_control'), 'utf8'), 'cpu memory pids', 'already on at the root');
    assert.equal(await readFile(join(root, 'k8ts', 'cgroup.subtree_control'), 'utf8'), '+cpu +memory');
    assert.equal(await readFile(join(root, 'k8ts', 'burstable', 'cgroup.subtree_control'), 'utf8'), '+cpu +memory');
    const podDir = join(root, 'k8ts', 'burstable', 'podu1');
    assert.equal(await readFile(join(podDir, 'memory.max'), 'utf8'), '134217728');
    assert.equal(await readFile(join(podDir, 'cpu.max'), 'utf8'), '100000 100000');
    assert.equal(await readFile(join(podDir, 'cpu.weight'), 'utf8'), '20');
    assert.equal(await readFile(join(root, 'k8ts', 'besteffort', 'cpu.weight'), 'utf8'), '1');
    // Regular files stand in for the control files here, so only the (now empty) tree removal is checked.
    await rm(podDir, { recursive: true });
    await mkdir(join(podDir, 'sandbox'), { recursive: true });
    await cg.remove(limited);
    await assert.rejects(stat(podDir), { code: 'ENOENT' });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the burstable level weighs as much as its pods\' cpu requests together, and lighter as they go', async () => {
  const root = await mkdtemp(join(tmpdir(), 'k8ts-cgqos-'));
  const withUID = (p: Pod, uid: string): Pod => ({ ...p, metadata: { ...p.metadata, uid } });
  try {
    for (const h of ['cpu', 'memory']) await mkdir(join(root, h));
    const cg = new PodCgroups({ mountPoint: root });
    const shares = () => readFile(join(root, 'cpu', 'k8ts', 'burstable', 'cpu.shares'), 'utf8');
    const a = withUID(limited, 'a'); // 500m requested
    const b = withUID(pod([c('x', { cpu: '1500m' })]), 'b');
    await cg.ensure(a);
    assert.equal(await shares(), '512');
    await cg.ensure(b);
    assert.equal(await shares(), '2048');
    // A guaranteed pod lives beside the levels and does not count.
    await cg.ensure(withUID(pod([c('g', { cpu: '1', memory: '64Mi' }, { cpu: '1', memory: '64Mi' })]), 'g'));
    assert.equal(await shares(), '2048');
    await cg.remove(a);
    assert.equal(await shares(), '1536');
    // The kubelet's periodic view of its pods wins, e.g. after a restart.
    await cg.updateQOS([a]);
    assert.equal(await shares(), '512');
    await cg.updateQOS([]);
    assert.equal(await shares(), '2');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
