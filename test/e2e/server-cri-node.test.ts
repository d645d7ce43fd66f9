// One command gives a real node: `k8ts server --disable-agent=false --node-driver cri` starts
// its own containerd (pulling through --private-registry), the pod network and the kubelet, and a
// Deployment of real containers heals itself: a container whose process is killed with SIGKILL is
// restarted in place, a deleted pod is replaced. Everything runs in this file's own network
// namespace; images come from a registry on 127.0.0.1. Needs root and scripts/install-deps.sh.
import { enterNetns } from '../helpers/netns.js';
await enterNetns();

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { isAlive, podCgroupDirs, processesUnder, startCriNodeServer, type CriNodeServer } from '../helpers/cri-node.js';
import type { TestServer } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';

let node: CriNodeServer;
let server: TestServer;
let busybox: string;
let dataDir: string;
const context = () => node.context();
const containerPid = (id: string) => node.containerPid(id);

interface PodView {
  name: string;
  uid: string;
  phase: string;
  containerID: string;
  restartCount: number;
  ready: boolean;
  lastTerminated?: { exitCode: number; reason: string };
}

async function webPods(): Promise<PodView[]> {
  const r = await server.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json']);
  const list = JSON.parse(r.stdout) as { items: any[] };
  return list.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => {
      const cs = p.status?.containerStatuses?.[0];
      return {
        name: p.metadata.name,
        uid: p.metadata.uid,
        phase: p.status?.phase ?? '',
        containerID: cs?.containerID ?? '',
        restartCount: cs?.restartCount ?? 0,
        ready: cs?.ready === true,
        lastTerminated: cs?.lastState?.terminated,
      };
    });
}

/** The Deployment's available replicas, once it has observed its latest spec. */
async function available(): Promise<number> {
  const r = await server.kubectl(['get', 'deployment', 'web', '-o', 'json']);
  const d = JSON.parse(r.stdout);
  if (d.status?.observedGeneration !== d.metadata.generation) return -1;
  return d.status?.availableReplicas ?? 0;
}

async function waitAvailable(n: number): Promise<void> {
  await waitFor(`deployment web ${n}/3 available`, async () => (await available()) === n, { timeoutMs: 60_000, context });
}

before(async () => {
  node = await startCriNodeServer({ imageTag: 'web' });
  ({ server, busybox } = node);
  dataDir = server.dataDir;
  await server.kubectl(['apply', '-f', '-'], {
    input: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${busybox}
        command: [sh, -c, 'mkdir -p /www; hostname > /www/index.html; echo "serving $(hostname)"; exec httpd -f -p 8080 -h /www']
        ports: [{containerPort: 8080}]
        readinessProbe:
          httpGet: {path: /, port: 8080}
          periodSeconds: 1
`,
  });
});

after(async () => {
  await node?.stop();
});

test('a Deployment of real containers survives kill -9 of a container process and a deleted pod', async () => {
  await waitAvailable(3);
  const initial = await webPods();
  assert.equal(initial.length, 3);
  for (const p of initial) {
    assert.equal(p.phase, 'Running');
    assert.match(p.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
    assert.equal(p.restartCount, 0);
  }

  const victim = initial[0];
  const pid = await containerPid(victim.containerID);
  const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
  assert.match(cmdline, /httpd -f -p 8080/, 'the pid is the container\'s main process');
  process.kill(pid, 'SIGKILL');

  const restarted = await waitFor(`pod ${victim.name} restarted`, async () => {
    const p = (await webPods()).find((x) => x.name === victim.name);
    return p && p.restartCount === 1 && p.ready ? p : undefined;
  }, { timeoutMs: 60_000, context });
  assert.deepEqual(restarted.lastTerminated && { exitCode: restarted.lastTerminated.exitCode, reason: restarted.lastTerminated.reason }, { exitCode: 137, reason: 'Error' });
  assert.notEqual(restarted.containerID, victim.containerID, 'a new container replaced the killed one');
  assert.equal(restarted.uid, victim.uid);
  const row = await server.kubectl(['get', 'pod', victim.name]);
  assert.match(row.stdout, new RegExp(`${victim.name}\\s+1/1\\s+Running\\s+1 \\(`));

  await waitAvailable(3);
  const afterKill = await webPods();
  assert.deepEqual(afterKill.map((p) => p.uid).sort(), initial.map((p) => p.uid).sort(), 'the same three pods, none replaced');
  assert.deepEqual(afterKill.filter((p) => p.name !== victim.name).map((p) => p.restartCount), [0, 0]);

  const doomed = initial[1];
  await server.kubectl(['delete', 'pod', doomed.name]);
  await waitFor('a replacement pod running and ready', async () => {
    const pods = await webPods();
    return pods.length === 3 && !pods.some((p) => p.uid === doomed.uid) && pods.every((p) => p.phase === 'Running' && p.ready);
  }, { timeoutMs: 60_000, context });
  await waitAvailable(3);
  const final = await webPods();
  assert.equal(final.length, 3);
  assert.ok(final.some((p) => p.uid === victim.uid) && final.some((p) => p.uid === initial[2].uid));
});

test('kubectl logs and exec reach a pod of the Deployment', async () => {
  const [pod] = await webPods();
  const logs = await waitFor('its log line', async () => {
    const r = await server.kubectl(['logs', pod.name]);
    return r.stdout.includes('serving') ? r.stdout : undefined;
  }, { context });
  assert.equal(logs, `serving ${pod.name}\n`);
  const exec = await server.kubectl(['exec', pod.name, '--', 'sh', '-c', 'wget -qO- http://127.0.0.1:8080/; exit 5'], { allowFail: true });
  assert.equal(exec.code, 5);
  assert.equal(exec.stdout, `${pod.name}\n`);
});

test('stopping the server leaves no containerd, shim, runc or container process behind, nor pod cgroups', async () => {
  const running = await processesUnder(dataDir);
  assert.ok(running.some((p) => /containerd-shim/.test(p.cmdline)), `shims run while pods do: ${JSON.stringify(running)}`);
  const pods = await webPods();
  const containerPids = await Promise.all(pods.map((p) => containerPid(p.containerID)));
  assert.equal(containerPids.length, 3);
  const cgroupsBefore = (await Promise.all(pods.map((p) => podCgroupDirs(p.uid)))).flat();
  assert.ok(cgroupsBefore.length >= 3, `each running pod has its cgroup: ${JSON.stringify(cgroupsBefore)}`);
  // SIGTERM and wait, longer than the helper's grace: the server stops its pods through CRI first.
  const exited = new Promise((r) => server.proc.once('exit', r));
  server.proc.kill('SIGTERM');
  const timer = setTimeout(() => server.proc.kill('SIGKILL'), 30_000);
  const code = await exited;
  clearTimeout(timer);
  assert.equal(code, 0, context());
  const left = await waitFor('no process left under the data dir', async () => {
    const ps = await processesUnder(dataDir);
    return ps.length === 0 ? ps : undefined;
  }, { timeoutMs: 10_000 }).catch(async (err) => {
    const ps = await processesUnder(dataDir);
    // Clean up what a failure left, by PID, so the suite does not leak; then fail.
    for (const p of ps) process.kill(p.pid, 'SIGKILL');
    throw new Error(`${(err as Error).message}: ${JSON.stringify(ps)}`);
  });
  assert.deepEqual(left, []);
  assert.deepEqual(containerPids.filter(isAlive), [], 'the containers\' processes ended with their pods');
  assert.deepEqual((await Promise.all(pods.map((p) => podCgroupDirs(p.uid)))).flat(), [], 'the pods\' cgroups went with them');
});
