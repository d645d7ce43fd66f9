// The cri driver against a real containerd supervised by k8ts, inside a fresh network namespace:
// image pulls from a local registry, a sandbox on the CNI bridge with an address from the
// podCIDR, containers that log, exec and get OOM-killed, and a clean stop with no shims left.
// Needs root and the Debian packages of scripts/install-deps.sh.
import { enterNetns } from '../../helpers/netns.js';
await enterNetns();

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startContainerd, listShims, type Containerd } from '../../../src/kubelet/cri/containerd.js';
import { CriRuntime } from '../../../src/kubelet/cri/cri-runtime.js';
import { ensurePauseImage, PAUSE_IMAGE } from '../../../src/kubelet/cri/pause-image.js';
import { writeCniConfig } from '../../../src/kubelet/network/cni-config.js';
import { installUnreachableRoutes } from '../../../src/kubelet/network/routes.js';
import type { ContainerConfig, ContainerStatus, SandboxConfig } from '../../../src/kubelet/runtime.js';
import { buildImage } from '../../helpers/images.js';
import { registriesYaml, startRegistry, type LocalRegistry } from '../../helpers/registry.js';
import { waitFor } from '../../helpers/wait.js';

const POD_CIDR = '10.42.0.0/24';

let dir: string;
let registry: LocalRegistry | undefined;
let containerd: Containerd | undefined;
let rt: CriRuntime;
let image: string;
const timings: Record<string, number> = {};

const exited = (id: string) => waitFor(`container ${id} to exit`, async () => {
  const s = await rt.containerStatus(id);
  return s?.state === 'exited' ? s : undefined;
}, { intervalMs: 50 });

function sandboxConfig(name: string): SandboxConfig {
  const uid = `uid-${name}`;
  const logDirectory = join(dir, 'pods', `default_${name}_${uid}`);
  mkdirSync(logDirectory, { recursive: true });
  return {
    name, namespace: 'default', uid, attempt: 0, hostname: name, logDirectory,
    labels: { 'io.kubernetes.pod.name': name }, annotations: {}, portMappings: [], hostNetwork: false,
    dns: { servers: ['10.43.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] },
  };
}

function containerConfig(name: string, command: string[], resources: ContainerConfig['resources'] = {}): ContainerConfig {
  return {
    name, attempt: 0, image, command, args: [], env: [{ key: 'GREETING', value: 'hello from k8ts' }], mounts: [],
    labels: { 'io.kubernetes.container.name': name }, annotations: {}, logPath: `${name}/0.log`,
    stdin: false, stdinOnce: false, tty: false, resources,
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-cri-'));
  registry = await startRegistry();
  image = await buildImage(registry, 'busybox', 'test', {});
  assert.deepEqual(
    (await installUnreachableRoutes(['10.42.0.0/16', '10.43.0.0/16'])).map((r) => r.action),
    ['added', 'added'],
  );
  const t0 = performance.now();
  // The registry comes in as k3s takes it: a registries.yaml given as --private-registry.
  const registriesFile = join(dir, 'registries.yaml');
  writeFileSync(registriesFile, registriesYaml(registry));
  containerd = await startContainerd({ root: join(dir, 'containerd'), privateRegistry: registriesFile, logLevel: 'warn' });
  timings.containerdStart = performance.now() - t0;
  await writeCniConfig(containerd.layout!.cniConfDir, POD_CIDR);
  rt = new CriRuntime({ socket: containerd.socket });
  // The CRI plugin reloads its network config when the conf dir changes.
  await waitFor('NetworkReady', async () => (await rt.status()).find((c) => c.type === 'NetworkReady')?.status);
});

after(async () => {
  // Pods first, through CRI: containerd's shims outlive it.
  if (rt && containerd?.pid()) {
    for (const s of await rt.listPodSandboxes().catch(() => [])) {
      await rt.stopPodSandbox(s.id).catch(() => {});
      await rt.removePodSandbox(s.id).catch(() => {});
    }
  }
  await rt?.close();
  await containerd?.stop();
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`cri timings (ms): ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])))}\n`);
});

test('containerd starts under k8ts and answers CRI as containerd 1.x', async () => {
  const v = await rt.version();
  assert.equal(v.runtimeName, 'containerd');
  assert.match(v.runtimeVersion, /^v?1\.\d+/);
  assert.ok(containerd!.pid(), 'a supervised containerd has a PID');
  const config = readFileSync(containerd!.layout!.config, 'utf8');
  assert.match(config, /restrict_oom_score_adj = true/);
  assert.match(config, new RegExp(`endpoint = \\["http://${registry!.host.replace(/\./g, '\\.')}"\\]`));
});

test('the pause image was built and imported once, and is reused', async () => {
  const pause = await rt.imageStatus(PAUSE_IMAGE);
  assert.ok(pause, 'the pause image is in the k8s.io namespace');
  assert.ok(pause.repoTags.includes(PAUSE_IMAGE));
  const again = await ensurePauseImage({ socket: containerd!.socket, workDir: join(containerd!.layout!.root, 'images') });
  assert.equal(again.imported, false);
});

test('pulls a busybox test image from the local registry', async () => {
  assert.equal(await rt.imageStatus(image), null, 'not present before the pull');
  const ref = await rt.pullImage(image);
  assert.match(ref, /^sha256:[0-9a-f]{64}$/);
  const status = await rt.imageStatus(image);
  assert.equal(status?.id, ref);
  assert.ok(status.repoTags.includes(image));
  assert.ok(status.size > 500_000, `busybox is in the image (${status.size} bytes)`);
  assert.ok((await rt.listImages()).some((i) => i.id === ref));
  await assert.rejects(rt.pullImage(`${registry!.host}/no-such-image:1`), /not found|failed to resolve/i);
});

let sandboxId = '';
let sandbox: SandboxConfig;

test('a sandbox runs on the bridge with an address from the podCIDR', async () => {
  sandbox = sandboxConfig('web');
  const t0 = performance.now();
  sandboxId = await rt.runPodSandbox(sandbox);
  timings.runPodSandbox = performance.now() - t0;
  const s = await rt.podSandboxStatus(sandboxId);
  assert.equal(s?.state, 'ready');
  assert.match(s!.ip ?? '', /^10\.42\.0\.\d+$/);
  assert.equal(s!.labels['io.kubernetes.pod.name'], 'web');
  assert.deepEqual((await rt.listPodSandboxes()).map((x) => x.id), [sandboxId]);
  // containerd filters by label: one pod's read does not list the node.
  assert.deepEqual((await rt.listPodSandboxes({ labels: { 'io.kubernetes.pod.name': 'web' } })).map((x) => x.id), [sandboxId]);
  assert.deepEqual(await rt.listPodSandboxes({ labels: { 'io.kubernetes.pod.name': 'other' } }), []);
  // The node reaches its pod over cni0; the rest of the cluster range is unreachable, not routed out.
  assert.match(execFileSync('ip', ['route', 'get', s!.ip!], { encoding: 'utf8' }), /dev cni0/);
  assert.throws(() => execFileSync('ip', ['route', 'get', '10.42.9.9'], { stdio: 'pipe' }), /unreachable|No route to host/);
  assert.throws(() => execFileSync('ip', ['route', 'get', '10.43.0.1'], { stdio: 'pipe' }), /unreachable|No route to host/);
  assert.equal(await rt.podSandboxStatus('0123456789abcdef'), null);
});

test('a container echoes into its CRI log file and exits 0', async () => {
  const t0 = performance.now();
  const id = await rt.createContainer(sandboxId, containerConfig('echo', ['sh', '-c', 'echo "$GREETING"; echo oops >&2']), sandbox);
  await rt.startContainer(id);
  timings.createAndStart = performance.now() - t0;
  const s = await exited(id);
  assert.equal(s.exitCode, 0);
  assert.equal(s.reason, 'Completed');
  assert.equal(s.name, 'echo');
  assert.equal(s.image, image);
  assert.match(s.imageRef, /sha256:/);
  // containerd stamps startedAt when the start call returns, which a short process can outlive.
  assert.ok(s.startedAt! >= s.createdAt && s.finishedAt! >= s.createdAt, JSON.stringify(s));
  const log = readFileSync(join(sandbox.logDirectory, 'echo', '0.log'), 'utf8').trim().split('\n');
  const lines = log.map((l) => /^(\S+) (stdout|stderr) ([FP]) (.*)$/.exec(l)?.slice(2));
  assert.deepEqual(lines.sort(), [['stderr', 'F', 'oops'], ['stdout', 'F', 'hello from k8ts']]);
  assert.ok(!Number.isNaN(Date.parse(log[0].split(' ')[0])), 'lines start with an RFC 3339 time');
});

test('listed containers show their state as it changes: running, then exited with its code and reason, then gone', async () => {
  const id = await rt.createContainer(sandboxId, containerConfig('short', ['sh', '-c', 'sleep 1; exit 3']), sandbox);
  await rt.startContainer(id);
  const listed = async (filter?: { sandboxId: string }) => (await rt.listContainers(filter)).find((c) => c.id === id);
  const running = await listed({ sandboxId });
  assert.equal(running?.state, 'running');
  assert.ok(running.startedAt, 'a running container has a start time');
  assert.deepEqual(await listed(), running, 'a second list shows the same status');
  const done = await waitFor('the container to be listed as exited', () => listed(), { until: (c) => c?.state === 'exited', intervalMs: 50 });
  assert.equal(done?.exitCode, 3);
  assert.equal(done?.reason, 'Error');
  assert.equal(done?.startedAt, running.startedAt);
  assert.deepEqual(await listed({ sandboxId }), done);
  const byName = async (name: string) => (await rt.listContainers({ labels: { 'io.kubernetes.container.name': name } })).map((c) => c.id);
  assert.deepEqual(await byName('short'), [id], 'a label filter finds the container');
  assert.deepEqual(await byName('nobody'), [], 'and nothing without the label');
  await rt.removeContainer(id);
  assert.equal(await listed(), undefined);
});

test('ExecSync runs in a running container with the pod network, resources and streaming URLs', async () => {
  const id = await rt.createContainer(sandboxId, containerConfig('sleeper', ['sleep', '3600'], {
    cpuPeriod: 100_000, cpuQuota: 50_000, cpuShares: 512, memoryLimitInBytes: 64 * 1024 * 1024,
  }), sandbox);
  await rt.startContainer(id);
  const running = await rt.containerStatus(id);
  assert.equal(running?.state, 'running');
  assert.equal(running!.exitCode, undefined);
  const r = await rt.execSync(id, ['sh', '-c', 'echo out; echo err >&2; exit 3'], 10);
  assert.deepEqual([r.exitCode, r.stdout.toString(), r.stderr.toString()], [3, 'out\n', 'err\n']);
  const ip = (await rt.podSandboxStatus(sandboxId))!.ip!;
  const addr = await rt.execSync(id, ['ip', '-4', 'addr', 'show'], 10);
  assert.match(addr.stdout.toString(), new RegExp(`inet ${ip.replace(/\./g, '\\.')}/24 .* eth0`));
  assert.match(addr.stdout.toString(), /inet 127\.0\.0\.1\/8/, 'loopback is up in the pod');
  const resolv = await rt.execSync(id, ['cat', '/etc/resolv.conf'], 10);
  assert.match(resolv.stdout.toString(), /nameserver 10\.43\.0\.10/);
  assert.match(resolv.stdout.toString(), /search default\.svc\.cluster\.local/);
  // Linux resources reach the container's cgroups (v1 here), and can be changed while it runs.
  const cgroup = async (file: string) => (await rt.execSync(id, ['cat', `/sys/fs/cgroup/${file}`], 10)).stdout.toString().trim();
  assert.deepEqual(
    [await cgroup('memory/memory.limit_in_bytes'), await cgroup('cpu/cpu.cfs_quota_us'), await cgroup('cpu/cpu.cfs_period_us'), await cgroup('cpu/cpu.shares')],
    [String(64 * 1024 * 1024), '50000', '100000', '512'],
  );
  await rt.updateContainerResources(id, { cpuPeriod: 100_000, cpuQuota: 20_000, cpuShares: 256, memoryLimitInBytes: 96 * 1024 * 1024 });
  assert.deepEqual([await cgroup('memory/memory.limit_in_bytes'), await cgroup('cpu/cpu.cfs_quota_us')], [String(96 * 1024 * 1024), '20000']);
  // Streaming calls answer a URL on containerd's streaming server, on loopback.
  assert.match((await rt.exec({ containerId: id, cmd: ['sh'], tty: true, stdin: true, stdout: true, stderr: false })).url, /^http:\/\/127\.0\.0\.1:\d+\/exec\/\w+/);
  assert.match((await rt.attach({ containerId: id, tty: false, stdin: false, stdout: true, stderr: true })).url, /^http:\/\/127\.0\.0\.1:\d+\/attach\/\w+/);
  assert.match((await rt.portForward({ sandboxId, port: [80] })).url, /^http:\/\/127\.0\.0\.1:\d+\/portforward\/\w+/);
  const listed = await rt.listContainers({ sandboxId });
  assert.deepEqual(listed.map((c) => [c.name, c.state]).sort(), [['echo', 'exited'], ['sleeper', 'running']]);
  const t0 = performance.now();
  await rt.stopContainer(id, 1);
  timings.stopContainer = performance.now() - t0;
  const s = await rt.containerStatus(id);
  assert.equal(s?.state, 'exited');
  // As PID 1 of its namespace, sleep has no SIGTERM handler to die of: SIGKILL ends it after the grace period.
  assert.equal(s!.exitCode, 137);
});

test('a container over its memory limit is OOMKilled with exit code 137', async () => {
  const id = await rt.createContainer(
    sandboxId,
    // containerd 1.6's shim watches the cgroup for OOM only once the task has started, so a
    // process killed within its first milliseconds reads as Error/137; real OOMs come later.
    containerConfig('hog', ['sh', '-c', 'sleep 0.5; exec dd if=/dev/zero of=/dev/null bs=64M count=1'], { memoryLimitInBytes: 16 * 1024 * 1024 }),
    sandbox,
  );
  await rt.startContainer(id);
  const s: ContainerStatus = await exited(id);
  assert.equal(s.reason, 'OOMKilled');
  assert.equal(s.exitCode, 137);
});

test('a hostPort reaches the pod through portmap', async () => {
  const cfg = { ...sandboxConfig('ports'), portMappings: [{ protocol: 'TCP' as const, containerPort: 8080, hostPort: 18080 }] };
  const id = await rt.runPodSandbox(cfg);
  try {
    const c = await rt.createContainer(id, containerConfig('httpd', ['sh', '-c', 'mkdir /www && echo "$GREETING" > /www/index.html && exec httpd -f -p 8080 -h /www']), cfg);
    await rt.startContainer(c);
    // The node's own address on the bridge: portmap DNATs locally sent packets for the host port.
    const body = await waitFor('the host port to answer', () => fetch('http://10.42.0.1:18080/').then((r) => r.text()));
    assert.equal(body, 'hello from k8ts\n');
  } finally {
    await rt.stopPodSandbox(id);
    await rt.removePodSandbox(id);
  }
});

test('containerd is restarted when it dies, and finds its running sandbox again', async () => {
  const before = containerd!.pid()!;
  process.kill(before, 'SIGKILL');
  await waitFor('a restarted containerd', async () => containerd!.restarts() === 1 && containerd!.pid() !== undefined && containerd!.pid() !== before);
  await waitFor('CRI to answer again', () => rt.version());
  assert.equal((await rt.podSandboxStatus(sandboxId))?.state, 'ready');
});

test('stopping and removing everything leaves no containers, sandboxes or shims', async () => {
  for (const c of await rt.listContainers()) {
    await rt.stopContainer(c.id, 0);
    await rt.removeContainer(c.id);
  }
  await rt.stopPodSandbox(sandboxId);
  assert.equal((await rt.podSandboxStatus(sandboxId))?.state, 'notready');
  await rt.removePodSandbox(sandboxId);
  await rt.removePodSandbox(sandboxId); // idempotent, as CRI asks
  assert.deepEqual(await rt.listContainers(), []);
  assert.deepEqual(await rt.listPodSandboxes(), []);
  const socket = containerd!.socket;
  await containerd!.stop();
  assert.equal(containerd!.pid(), undefined);
  await waitFor('shims to exit', async () => listShims(socket).length === 0, { timeoutMs: 5000, intervalMs: 50 });
});
