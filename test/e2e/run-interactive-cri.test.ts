// A cri node under the real kubectl, for what a user types interactively and for stopping it:
//  - `echo ... | kubectl run -i --rm`: the container (stdin and stdinOnce set, so containerd holds
//    its stdin open until the attach closes it) gets all of the input, all of its output comes
//    back, kubectl exits with the container's code and deletes the pod;
//  - SIGTERM to `k8ts server` while a pod that ignores SIGTERM is in its 30 s grace period: the
//    server exits within seconds, and no containerd, shim or container process outlives it.
// Everything runs in this file's own network namespace; images come from a registry on 127.0.0.1.
import { enterNetns } from '../helpers/netns.js';
await enterNetns();

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isAlive, processesUnder, startCriNodeServer, type CriNodeServer } from '../helpers/cri-node.js';
import type { TestServer } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';

let node: CriNodeServer;
let server: TestServer;
let busybox: string;
let dataDir: string;
const context = () => node.context();
const containerPid = (id: string) => node.containerPid(id);

before(async () => {
  node = await startCriNodeServer({ imageTag: 'run' });
  ({ server, busybox } = node);
  dataDir = server.dataDir;
  // Pulled once here, so the runs below race only their attaches.
  await server.kubectl(['run', 'warm', '--restart=Never', `--image=${busybox}`, '--', 'true']);
  await waitFor('image pulled', async () => (await server.kubectl(['get', 'pod', 'warm', '-o', 'jsonpath={.status.phase}'])).stdout === 'Succeeded', { timeoutMs: 60_000, context });
  await server.kubectl(['delete', 'pod', 'warm', '--wait=false']);
});

after(async () => {
  await node?.stop();
});

test('echo ... | kubectl run -i --rm: all input in, all output out, the exit code, the pod deleted', async () => {
  // A container that answers at once and exits ends its attach right behind its output; several
  // at a time make that race show if the output were ever dropped.
  const big = 'x'.repeat(999) + '\n';
  const runs = [
    { name: 'cat0', script: 'cat; echo done; exit 3', input: 'hello\nworld\n', stdout: 'hello\nworld\ndone\n', code: 3 },
    { name: 'cat1', script: 'cat; echo done; exit 3', input: 'hello\nworld\n', stdout: 'hello\nworld\ndone\n', code: 3 },
    { name: 'cat2', script: 'tr a-z A-Z', input: 'shout\n', stdout: 'SHOUT\n', code: 0 },
    { name: 'count', script: 'wc -c; echo done', input: big.repeat(300), stdout: '300000\ndone\n', code: 0 },
  ];
  const results = await Promise.all(runs.map((r) => server.kubectl(
    ['run', r.name, '-i', '--rm', '--restart=Never', `--image=${busybox}`, '--', 'sh', '-c', r.script],
    { input: r.input, allowFail: true },
  )));
  runs.forEach((r, i) => {
    const got = results[i];
    assert.equal(got.code, r.code, `${r.name}: ${JSON.stringify(got)}`);
    assert.equal(got.stdout.replace(/^ +/gm, ''), `${r.stdout}pod "${r.name}" deleted\n`, `${r.name}: ${JSON.stringify(got)}`);
    assert.doesNotMatch(got.stderr, /falling back to streaming logs/, r.name);
  });
  const left = await server.kubectl(['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}']);
  assert.deepEqual(left.stdout.split(' ').filter((n) => runs.some((r) => r.name === n)), []);
});

test('SIGTERM during a 30 s grace period: the server exits in seconds and leaves no containerd, shim or container', async (t) => {
  await server.kubectl(['run', 'stubborn', '--restart=Never', `--image=${busybox}`, '--', 'sh', '-c', "trap '' TERM; sleep 3600"]);
  const containerID = await waitFor('stubborn running', async () => {
    const r = await server.kubectl(['get', 'pod', 'stubborn', '-o', 'jsonpath={.status.phase} {.status.containerStatuses[0].containerID}']);
    const [phase, id] = r.stdout.split(' ');
    return phase === 'Running' && id ? id : undefined;
  }, { timeoutMs: 60_000, context });
  const pid = await containerPid(containerID);
  await server.kubectl(['delete', 'pod', 'stubborn', '--wait=false']);
  // The kubelet is now waiting out the grace period on a container that ignores SIGTERM.
  await waitFor('the kubelet stopping stubborn', async () => {
    const r = await server.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=stubborn,reason=Killing', '-o', 'name']);
    return r.stdout.trim() !== '';
  }, { timeoutMs: 30_000, context });
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(isAlive(pid), 'the container still runs, ignoring SIGTERM');

  const exited = new Promise<number | null>((r) => server.proc.once('exit', (code) => r(code)));
  const t0 = Date.now();
  server.proc.kill('SIGTERM');
  const timer = setTimeout(() => server.proc.kill('SIGKILL'), 25_000);
  const code = await exited;
  clearTimeout(timer);
  const tookMs = Date.now() - t0;
  t.diagnostic(`the server stopped ${tookMs} ms after SIGTERM`);
  assert.equal(code, 0, context());
  assert.ok(tookMs < 10_000, `the server took ${tookMs} ms to stop`);
  const left = await waitFor('no process left under the data dir', async () => {
    const ps = await processesUnder(dataDir);
    return ps.length === 0 ? ps : undefined;
  }, { timeoutMs: 5_000 }).catch(async (err) => {
    // Clean up what a failure left, by PID, so the suite does not leak; then fail.
    const ps = await processesUnder(dataDir);
    for (const p of [pid, ...ps.map((x) => x.pid)]) if (isAlive(p)) process.kill(p, 'SIGKILL');
    throw new Error(`${(err as Error).message}: ${JSON.stringify(ps)}`);
  });
  assert.deepEqual(left, []);
  assert.equal(isAlive(pid), false, 'the container\'s process ended with its pod');
});
