import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HostRuntime } from '../../../src/kubelet/host/host-runtime.js';
import { readContainerLog } from '../../../src/kubelet/logs.js';
import type { ContainerConfig, SandboxConfig } from '../../../src/kubelet/runtime.js';
import { waitFor } from '../../helpers/wait.js';

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-host-'));
  const rt = new HostRuntime({ rootDir: join(dir, 'rt') });
  const sb: SandboxConfig = {
    name: 'p', namespace: 'd', uid: 'u1', attempt: 0, hostname: 'p', logDirectory: join(dir, 'logs'),
    labels: { 'io.kubernetes.pod.uid': 'u1' }, annotations: {}, portMappings: [], hostNetwork: false,
  };
  const sandboxId = await rt.runPodSandbox(sb);
  const cfg = (name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
    name, attempt: 0, image: 'busybox', command, args: [], env: [], mounts: [], labels: { 'io.kubernetes.container.name': name },
    annotations: {}, logPath: `${name}/0.log`, stdin: false, stdinOnce: false, tty: false, resources: {}, ...extra,
  });
  return { dir, rt, sb, sandboxId, cfg, async done() { await rt.close(); await rm(dir, { recursive: true, force: true }); } };
}

test('containers are processes: logs in CRI format, exit codes, env, mounts in the rootfs view', async () => {
  const s = await setup();
  try {
    assert.equal(s.rt.isolated, false);
    assert.deepEqual(await s.rt.version(), { runtimeName: 'host', runtimeVersion: '0.1.0' });
    const host = join(s.dir, 'vol');
    await rm(host, { force: true, recursive: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(host));
    await writeFile(join(host, 'greeting'), 'hi from a volume');
    const id = await s.rt.createContainer(s.sandboxId, s.cfg('c', ['sh', '-c', 'echo "$GREETING"; cat etc/cfg/greeting; echo oops >&2; exit 3'], {
      env: [{ key: 'GREETING', value: 'hello' }], mounts: [{ containerPath: '/etc/cfg', hostPath: host, readonly: true }],
    }), s.sb);
    assert.equal((await s.rt.containerStatus(id))?.state, 'created');
    await s.rt.startContainer(id);
    const st = await waitFor('the container to exit', async () => {
      const x = await s.rt.containerStatus(id);
      return x?.state === 'exited' ? x : undefined;
    }, { timeoutMs: 5000, intervalMs: 20 });
    assert.equal(st.exitCode, 3);
    assert.equal(st.reason, 'Error');
    assert.ok(st.finishedAt! >= st.startedAt!);
    assert.equal(st.labels['io.kubernetes.container.name'], 'c');
    // stdout and stderr are separate pipes: only each stream's own order is certain.
    assert.deepEqual((await readContainerLog(st.logPath)).split('\n').filter(Boolean).sort(), ['hello', 'hi from a volume', 'oops']);
    assert.match(await readFile(st.logPath, 'utf8'), /^\d{4}-\d\d-\d\dT\S+Z stdout F hello$/m);
  } finally {
    await s.done();
  }
});

test('stop: SIGTERM, then SIGKILL after the timeout; exec runs beside the container', async () => {
  const s = await setup();
  try {
    const polite = await s.rt.createContainer(s.sandboxId, s.cfg('polite', ['sh', '-c', 'trap "echo bye; exit 0" TERM; while true; do sleep 0.1; done']), s.sb);
    const stubborn = await s.rt.createContainer(s.sandboxId, s.cfg('stubborn', ['sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done']), s.sb);
    await s.rt.startContainer(polite);
    await s.rt.startContainer(stubborn);
    await sleep(200);
    const r = await s.rt.execSync(polite, ['sh', '-c', 'echo out; echo err >&2; exit 4'], 5);
    assert.deepEqual([r.exitCode, r.stdout.toString(), r.stderr.toString()], [4, 'out\n', 'err\n']);
    await assert.rejects(s.rt.execSync(polite, ['sleep', '5'], 1), /timed out/);
    await assert.rejects(s.rt.execSync(polite, ['no-such-binary-k8ts'], 1), /executable file not found/);

    let t = Date.now();
    await s.rt.stopContainer(polite, 10);
    assert.ok(Date.now() - t < 3000, 'a container that exits on SIGTERM stops at once');
    const p = await s.rt.containerStatus(polite);
    assert.deepEqual([p?.state, p?.exitCode], ['exited', 0]);
    assert.match(await readContainerLog(p!.logPath), /bye/);

    t = Date.now();
    await s.rt.stopContainer(stubborn, 1);
    assert.ok(Date.now() - t >= 900, 'waited for the grace period');
    const q = await s.rt.containerStatus(stubborn);
    assert.deepEqual([q?.state, q?.exitCode], ['exited', 137]);

    await assert.rejects(s.rt.createContainer(s.sandboxId, s.cfg('noop', []), s.sb), /needs a command/);
    const bad = await s.rt.createContainer(s.sandboxId, s.cfg('bad', ['no-such-binary-k8ts']), s.sb);
    await assert.rejects(s.rt.startContainer(bad), /executable file not found in \$PATH/);
    assert.deepEqual([(await s.rt.containerStatus(bad))?.reason, (await s.rt.containerStatus(bad))?.exitCode], ['StartError', 128]);

    assert.equal((await s.rt.listContainers({ sandboxId: s.sandboxId })).length, 3);
    assert.deepEqual((await s.rt.listContainers({ labels: { 'io.kubernetes.container.name': 'polite' } })).map((c) => c.id), [polite]);
    assert.deepEqual(await s.rt.listContainers({ sandboxId: s.sandboxId, labels: { 'io.kubernetes.container.name': 'nobody' } }), []);
    assert.deepEqual((await s.rt.listPodSandboxes({ labels: { 'io.kubernetes.pod.uid': 'u1' } })).map((x) => x.id), [s.sandboxId]);
    assert.deepEqual(await s.rt.listPodSandboxes({ labels: { 'io.kubernetes.pod.uid': 'u2' } }), []);
    await s.rt.removePodSandbox(s.sandboxId);
    assert.deepEqual(await s.rt.listContainers(), []);
    assert.deepEqual(await s.rt.listPodSandboxes(), []);
  } finally {
    await s.done();
  }
});

test('images are names only: present once pulled; close kills what still runs', async () => {
  const s = await setup();
  try {
    assert.equal(await s.rt.imageStatus('busybox:1.36'), null);
    const ref = await s.rt.pullImage('busybox:1.36');
    assert.match(ref, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual((await s.rt.imageStatus('busybox:1.36'))?.repoTags, ['busybox:1.36']);
    const id = await s.rt.createContainer(s.sandboxId, s.cfg('long', ['sleep', '60']), s.sb);
    await s.rt.startContainer(id);
    await s.rt.close();
    const st = await s.rt.containerStatus(id);
    assert.equal(st?.state, 'exited');
    await assert.rejects(s.rt.runPodSandbox(s.sb), /closed/);
  } finally {
    await s.done();
  }
});
