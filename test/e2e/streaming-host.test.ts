// kubectl logs, exec, attach, port-forward and cp through the API server and the kubelet's HTTPS
// endpoint, against pods of the host runtime driver (plain processes, no root needed).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HostRuntime } from '../../src/kubelet/host/host-runtime.js';
import { collectOutput, startStreamingCluster, type StreamingCluster } from '../kubelet/server/cluster.js';
import { waitFor } from '../helpers/wait.js';

const run = promisify(execFile);
let c: StreamingCluster;
let work: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function podRunning(name: string): Promise<void> {
  await waitFor(`pod ${name} running`, async () => {
    const r = await c.kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.phase}'], { allowFail: true });
    return r.stdout === 'Running';
  }, { timeoutMs: 30_000 });
}

async function apply(yaml: string): Promise<void> {
  await c.kubectl(['apply', '-f', '-'], { input: yaml });
}

before(async () => {
  c = await startStreamingCluster({
    runtime: async (dir) => {
      const runtime = new HostRuntime({ rootDir: join(dir, 'host') });
      return { runtime, stop: () => runtime.close() };
    },
  });
  work = join(c.dataDir, 'work');
  await mkdir(join(work, 'www'), { recursive: true });
  await apply(`
apiVersion: v1
kind: Pod
metadata:
  name: talker
  annotations: {kubectl.kubernetes.io/default-container: main}
spec:
  nodeName: node-a
  containers:
  - name: main
    image: busybox
    env: [{name: GREETING, value: hello-from-env}]
    command: [sh, -c, 'for i in 1 2 3 4 5; do echo "out $i"; done; echo "err 1" >&2; exec sleep 3600']
  - name: side
    image: busybox
    command: [sh, -c, 'echo side-1; exec sleep 3600']
`);
  await podRunning('talker');
  await waitFor('talker logs', async () => (await c.kubectl(['logs', 'talker', '-c', 'side'])).stdout === 'side-1\n');
});

after(async () => {
  await c?.stop();
});

test('kubectl logs: whole log, --tail, --timestamps, -c, --all-containers, --limit-bytes, --since-time', async () => {
  const all = await c.kubectl(['logs', 'talker']);
  assert.deepEqual(all.stdout.trim().split('\n').sort(), ['err 1', 'out 1', 'out 2', 'out 3', 'out 4', 'out 5']);
  assert.equal((await c.kubectl(['logs', 'talker', '-c', 'side'])).stdout, 'side-1\n');
  const tail = (await c.kubectl(['logs', 'talker', '-c', 'side', '--tail=1', '--timestamps'])).stdout;
  assert.match(tail, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z side-1\n$/);
  assert.equal((await c.kubectl(['logs', 'talker', '-c', 'main', '--limit-bytes=9'])).stdout.length, 9);
  assert.equal((await c.kubectl(['logs', 'talker', '-c', 'main', '--since-time=2099-01-01T00:00:00Z'])).stdout, '');
  assert.equal((await c.kubectl(['logs', 'talker', '-c', 'main', '--since=1h', '--tail=0'])).stdout, '');
  const both = (await c.kubectl(['logs', 'talker', '--all-containers', '--prefix'])).stdout;
  assert.match(both, /\[pod\/talker\/main\] out 5/);
  assert.match(both, /\[pod\/talker\/side\] side-1/);
});

test('pods/log errors read as kube-apiserver words them', async () => {
  // kubectl picks a default container itself; the raw API shows the server's own choice and errors.
  const raw = (path: string) => c.kubectl(['get', '--raw', path], { allowFail: true });
  assert.match((await raw('/api/v1/namespaces/default/pods/talker/log')).stdout, /out 5/, 'the default-container annotation picks main');
  const bad = await c.kubectl(['logs', 'talker', '-c', 'nope'], { allowFail: true });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /container nope is not valid for pod talker/);
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - {name: a, image: busybox, command: [sleep, '1']}
  - {name: b, image: busybox, command: [sleep, '1']}
`);
  const two = await raw('/api/v1/namespaces/default/pods/two/log');
  assert.match(two.stderr, /BadRequest.*a container name must be specified for pod two, choose one of: \[a b\]/);
  const neg = await raw('/api/v1/namespaces/default/pods/talker/log?tailLines=-1');
  assert.match(neg.stderr, /PodLogOptions "talker" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0/);
  // Not scheduled: an empty log, as kube-apiserver answers; exec needs a host.
  assert.equal((await c.kubectl(['logs', 'two', '-c', 'a'])).stdout, '');
  const exec = await c.kubectl(['exec', 'two', '-c', 'a', '--', 'true'], { allowFail: true });
  assert.notEqual(exec.code, 0);
  assert.match(exec.stderr, /pod two does not have a host assigned/);
  // A node whose kubelet has no endpoint (a simulated node, say) cannot serve logs.
  await apply(`
apiVersion: v1
kind: Node
metadata: {name: ghost}
`);
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: haunted}
spec:
  nodeName: ghost
  containers: [{name: a, image: busybox}]
`);
  const ghost = await c.kubectl(['logs', 'haunted'], { allowFail: true });
  assert.match(ghost.stderr, /ServiceUnavailable.*no kubelet endpoint for node "ghost"/);
  await c.kubectl(['delete', 'pod', 'two', 'haunted', '--wait=false']);
  await c.kubectl(['delete', 'node', 'ghost']);
});

test('kubectl logs -f follows the container until it exits; --previous reads the instance before', async () => {
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: counter}
spec:
  nodeName: node-a
  restartPolicy: Never
  containers:
  - {name: c, image: busybox, command: [sh, -c, 'for i in 1 2 3; do echo "tick $i"; sleep 0.4; done']}
`);
  await podRunning('counter').catch(() => undefined);
  const follow = c.spawnKubectl(['logs', '-f', 'counter']);
  let out = '';
  follow.stdout!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((r) => follow.once('exit', r));
  assert.equal(code, 0);
  assert.equal(out, 'tick 1\ntick 2\ntick 3\n');

  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: crasher}
spec:
  nodeName: node-a
  restartPolicy: Always
  containers:
  - {name: c, image: busybox, command: [sh, -c, 'echo "started at $(date +%s%N)"; sleep 0.3; exit 1']}
`);
  await waitFor('a restart', async () => Number((await c.kubectl(['get', 'pod', 'crasher', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])).stdout) >= 1, { timeoutMs: 30_000 });
  const prev = await c.kubectl(['logs', 'crasher', '--previous']);
  assert.match(prev.stdout, /^started at \d+\n$/);
  const none = await c.kubectl(['logs', 'talker', '-c', 'side', '--previous'], { allowFail: true });
  assert.match(none.stderr, /previous terminated container "side" in pod "talker" not found/);
  await c.kubectl(['delete', 'pod', 'counter', 'crasher', '--wait=false']);
});

test('kubectl exec: output, exit codes, the container environment, stdin, and the SPDY fallback', async () => {
  const r = await c.kubectl(['exec', 'talker', '--', 'sh', '-c', 'echo "$GREETING"; echo oops >&2; exit 3'], { allowFail: true });
  assert.equal(r.code, 3);
  assert.equal(r.stdout, 'hello-from-env\n');
  assert.match(r.stderr, /oops\ncommand terminated with exit code 3/);
  const ok = await c.kubectl(['exec', 'talker', '-c', 'side', '--', 'echo', 'fine']);
  assert.equal(ok.stdout, 'fine\n');
  const stdin = await c.kubectl(['exec', '-i', 'talker', '--', 'sh', '-c', 'wc -l; cat >/dev/null; echo done'], { input: 'a\nb\nc\n' });
  assert.equal(stdin.stdout.replace(/ +/g, ''), '3\ndone\n');
  const spdy = await c.kubectl(['exec', '-i', 'talker', '--', 'sh', '-c', 'cat; exit 7'], { input: 'over spdy\n', allowFail: true, env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } });
  assert.equal(spdy.code, 7);
  assert.equal(spdy.stdout, 'over spdy\n');
  const missing = await c.kubectl(['exec', 'talker', '--', 'no-such-command-here'], { allowFail: true });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /executable file not found/);
  const big = await c.kubectl(['exec', 'talker', '--', 'sh', '-c', 'head -c 2000000 /dev/zero | tr "\\0" x']);
  assert.equal(big.stdout.length, 2_000_000);
});

test('kubectl exec into a container that is not running is refused by the kubelet', async () => {
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: half}
spec:
  nodeName: node-a
  restartPolicy: Never
  containers:
  - {name: done, image: busybox, command: ['true']}
  - {name: up, image: busybox, command: [sleep, '3600']}
`);
  await waitFor('container done to finish', async () => (await c.kubectl(['get', 'pod', 'half', '-o', 'jsonpath={.status.containerStatuses[?(@.name=="done")].state.terminated.reason}'])).stdout === 'Completed');
  const r = await c.kubectl(['exec', 'half', '-c', 'done', '--', 'true'], { allowFail: true });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unable to upgrade connection: container not found \("done"\)/);
  assert.equal((await c.kubectl(['exec', 'half', '-c', 'up', '--', 'echo', 'alive'])).stdout, 'alive\n');
  await c.kubectl(['delete', 'pod', 'half', '--wait=false']);
});

test('kubectl exec -it gets a terminal', async () => {
  const cmd = `/usr/bin/kubectl --kubeconfig ${c.kubeconfig} exec -it talker -- sh -c 'tty; echo rows=$(stty size)'`;
  const { stdout } = await run('script', ['-qfec', cmd, '/dev/null'], { timeout: 30_000 });
  assert.match(stdout, /\/dev\/pts\/\d+/);
  assert.match(stdout, /rows=\d+ \d+/);
});

test('kubectl attach streams what the container writes', async () => {
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: ticker}
spec:
  nodeName: node-a
  containers:
  - {name: c, image: busybox, command: [sh, -c, 'i=0; while true; do i=$((i+1)); echo "beat $i"; sleep 0.2; done']}
`);
  await podRunning('ticker');
  const attach = c.spawnKubectl(['attach', 'ticker']);
  const out = await collectOutput(attach).wait(/beat \d+\n[^]*beat \d+\n/);
  attach.kill('SIGINT');
  assert.match(out, /beat \d+/);
  await c.kubectl(['delete', 'pod', 'ticker', '--wait=false']);
});

test('kubectl run -i: piped input reaches the container\'s stdin, all output and the exit code come back, --rm deletes the pod', async () => {
  const r = await c.kubectl([
    'run', 'reader', '-i', '--rm', '--restart=Never', '--image=busybox', '--overrides={"spec":{"nodeName":"node-a"}}',
    '--', 'sh', '-c', 'cat; echo done; exit 3',
  ], { input: 'hello\nworld\n', allowFail: true });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, 'hello\nworld\ndone\npod "reader" deleted\n');
  assert.doesNotMatch(r.stderr, /falling back to streaming logs/);
  await waitFor('pod reader gone', async () => (await c.kubectl(['get', 'pod', 'reader'], { allowFail: true })).code !== 0);
});

test('kubectl attach -i to a container with stdin: input goes in; without stdinOnce the end of input ends only the attach', async () => {
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: echoer}
spec:
  nodeName: node-a
  containers:
  - {name: c, image: busybox, stdin: true, command: [sh, -c, 'while read line; do echo "got $line"; done; echo "stdin closed"']}
`);
  await podRunning('echoer');
  // Output after the end of input may or may not make it (containerd detaches at once too): the log says.
  for (const word of ['one', 'two']) await c.kubectl(['attach', '-i', 'echoer'], { input: `${word}\n` });
  await waitFor('both lines in the log', async () => (await c.kubectl(['logs', 'echoer'])).stdout === 'got one\ngot two\n');
  assert.equal((await c.kubectl(['get', 'pod', 'echoer', '-o', 'jsonpath={.status.phase}'])).stdout, 'Running');
  await c.kubectl(['delete', 'pod', 'echoer', '--wait=false']);
});

test('kubectl port-forward over the WebSocket tunnel and over SPDY', async () => {
  const port = await freePort();
  const www = join(work, 'www');
  await writeFile(join(www, 'index.html'), 'hello through the tunnel\n');
  const blob = Buffer.alloc(1024 * 1024 + 17, 'k');
  await writeFile(join(www, 'blob.bin'), blob);
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: node-a
  containers:
  - {name: httpd, image: busybox, command: [busybox, httpd, -f, -p, '127.0.0.1:${port}', -h, '${www}']}
`);
  await podRunning('web');
  const envs: Array<Record<string, string>> = [{}, { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }];
  for (const env of envs) {
    const pf = c.spawnKubectl(['port-forward', 'pod/web', `:${port}`], env);
    const out = await collectOutput(pf).wait(/Forwarding from 127\.0\.0\.1:(\d+)/);
    const local = Number(/127\.0\.0\.1:(\d+)/.exec(out)![1]);
    const base = `http://127.0.0.1:${local}`;
    await waitFor('the forwarded server', async () => (await fetch(base)).ok);
    assert.equal(await (await fetch(base)).text(), 'hello through the tunnel\n');
    const got = Buffer.from(await (await fetch(`${base}/blob.bin`)).arrayBuffer());
    assert.equal(got.length, blob.length);
    assert.ok(got.equals(blob));
    const many = await Promise.all(Array.from({ length: 5 }, () => fetch(base).then((r) => r.text())));
    assert.deepEqual(many, Array(5).fill('hello through the tunnel\n'));
    pf.kill('SIGINT');
    await new Promise((r) => pf.once('exit', r));
  }
  // Nothing listens on the port: the connection fails and kubectl reports the pod's side.
  const closed = await freePort();
  const pf = c.spawnKubectl(['port-forward', 'pod/web', `:${closed}`]);
  const pfOut = collectOutput(pf);
  const out = await pfOut.wait(/Forwarding from 127\.0\.0\.1:(\d+)/);
  const local = Number(/127\.0\.0\.1:(\d+)/.exec(out)![1]);
  await fetch(`http://127.0.0.1:${local}`).catch(() => undefined);
  const err = await pfOut.wait(/connection refused/);
  assert.match(err, new RegExp(`error forwarding port ${closed} to pod web_default`));
  pf.kill('SIGKILL');
  await c.kubectl(['delete', 'pod', 'web', '--wait=false']);
});

test('kubectl cp copies files in and out through exec and tar', async () => {
  const src = join(work, 'to-pod.txt');
  await writeFile(src, 'copied into the pod\n');
  const dest = join(work, 'in-pod');
  await mkdir(dest, { recursive: true });
  // The host driver's containers see the host's files: the pod path is a host path.
  await c.kubectl(['cp', src, `talker:${dest}/file.txt`, '-c', 'main']);
  assert.equal(await readFile(join(dest, 'file.txt'), 'utf8'), 'copied into the pod\n');
  const back = join(work, 'back.txt');
  await c.kubectl(['cp', `talker:${dest}/file.txt`, back, '-c', 'main']);
  assert.equal(await readFile(back, 'utf8'), 'copied into the pod\n');
  await rm(dest, { recursive: true, force: true });
});

test('nodes/proxy reaches the kubelet; only the API server may call the kubelet', async () => {
  assert.equal((await c.kubectl(['get', '--raw', '/api/v1/nodes/node-a/proxy/healthz'])).stdout, 'ok');
  const pods = JSON.parse((await c.kubectl(['get', '--raw', '/api/v1/nodes/node-a/proxy/pods'])).stdout) as { items: Array<{ metadata: { name: string } }> };
  assert.ok(pods.items.some((p) => p.metadata.name === 'talker'));
  // Straight to the kubelet: no client certificate, then the admin's (system:masters) is let in.
  const url = `https://127.0.0.1:${c.kubeletServer.port}/healthz`;
  const anon = await run('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', url]).catch((e) => e);
  assert.equal(anon.stdout, '401');
});
