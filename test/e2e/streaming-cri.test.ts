// kubectl logs, exec, attach, port-forward and cp against real containers: containerd supervised
// by k8ts, images from a local registry, pods on the CNI bridge, all inside this file's own
// network namespace. The kubelet bridges kubectl's WebSocket streams to containerd's SPDY
// streaming server. Needs root and the Debian packages of scripts/install-deps.sh.
import { enterNetns } from '../helpers/netns.js';
await enterNetns();

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CriRuntime, startContainerd } from '../../src/kubelet/cri/index.js';
import { installUnreachableRoutes, writeCniConfig } from '../../src/kubelet/network/index.js';
import { buildImage } from '../helpers/images.js';
import { registriesFor, startRegistry, type LocalRegistry } from '../helpers/registry.js';
import { waitFor } from '../helpers/wait.js';
import { collectOutput, startStreamingCluster, type StreamingCluster } from '../kubelet/server/cluster.js';

const run = promisify(execFile);
const POD_CIDR = '10.42.0.0/24';
let c: StreamingCluster;
let registry: LocalRegistry;
let busybox: string;

async function apply(yaml: string): Promise<void> {
  await c.kubectl(['apply', '-f', '-'], { input: yaml });
}

async function podRunning(name: string): Promise<void> {
  await waitFor(`pod ${name} running`, async () => {
    const r = await c.kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.phase}'], { allowFail: true });
    return r.stdout === 'Running';
  }, { timeoutMs: 60_000 });
}

before(async () => {
  await installUnreachableRoutes(['10.42.0.0/16', '10.43.0.0/16']);
  registry = await startRegistry();
  busybox = await buildImage(registry, 'busybox', 'test', {});
  c = await startStreamingCluster({
    podCIDR: POD_CIDR,
    runtime: async (dir) => {
      const containerd = await startContainerd({ root: join(dir, 'containerd'), registries: registriesFor(registry), logLevel: 'warn' });
      await writeCniConfig(containerd.layout!.cniConfDir, POD_CIDR);
      const cri = new CriRuntime({ socket: containerd.socket });
      await waitFor('containerd NetworkReady', async () => (await cri.status()).find((s) => s.type === 'NetworkReady')?.status);
      return {
        runtime: cri,
        async stop() {
          // Pods go through CRI before containerd stops: its shims outlive it.
          for (const s of await cri.listPodSandboxes().catch(() => [])) {
            await cri.stopPodSandbox(s.id).catch(() => undefined);
            await cri.removePodSandbox(s.id).catch(() => undefined);
          }
          await cri.close();
          await containerd.stop();
        },
      };
    },
  });
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: box}
spec:
  nodeName: node-a
  containers:
  - name: main
    image: ${busybox}
    env: [{name: GREETING, value: hello-from-a-container}]
    command: [sh, -c, 'echo "started"; echo "warned" >&2; mkdir -p /www; echo "served from the pod" > /www/index.html; exec httpd -f -p 8080 -h /www']
`);
  await podRunning('box');
});

after(async () => {
  await c?.stop();
  await registry?.stop();
});

test('kubectl logs reads what containerd wrote; -f ends with the container', async () => {
  await waitFor('box logs', async () => (await c.kubectl(['logs', 'box'])).stdout.includes('warned'));
  assert.deepEqual((await c.kubectl(['logs', 'box'])).stdout.split('\n').filter(Boolean).sort(), ['started', 'warned']);
  assert.match((await c.kubectl(['logs', 'box', '--timestamps', '--tail=1'])).stdout, /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d) \w+\n$/);
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: counter}
spec:
  nodeName: node-a
  restartPolicy: Never
  containers:
  - {name: c, image: ${busybox}, command: [sh, -c, 'for i in 1 2 3; do echo "tick $i"; sleep 0.5; done']}
`);
  await waitFor('counter started', async () => (await c.kubectl(['logs', 'counter'], { allowFail: true })).stdout.includes('tick 1'), { timeoutMs: 60_000 });
  const follow = c.spawnKubectl(['logs', '-f', 'counter']);
  const out = collectOutput(follow);
  const code = await new Promise<number | null>((r) => follow.once('exit', r));
  assert.equal(code, 0);
  assert.equal(out.text(), 'tick 1\ntick 2\ntick 3\n');
  await c.kubectl(['delete', 'pod', 'counter', '--wait=false']);
});

test('kubectl exec runs in the container: its filesystem, environment, exit codes and stdin', async () => {
  const r = await c.kubectl(['exec', 'box', '--', 'sh', '-c', 'cat /www/index.html; echo "$GREETING"; hostname; exit 4'], { allowFail: true });
  assert.equal(r.code, 4);
  assert.equal(r.stdout, 'served from the pod\nhello-from-a-container\nbox\n');
  assert.match(r.stderr, /command terminated with exit code 4/);
  const stdin = await c.kubectl(['exec', '-i', 'box', '--', 'sh', '-c', 'tr a-z A-Z; echo end'], { input: 'shout this\n' });
  assert.equal(stdin.stdout, 'SHOUT THIS\nend\n');
  const spdy = await c.kubectl(['exec', '-i', 'box', '--', 'sh', '-c', 'cat; exit 9'], { input: 'legacy path\n', allowFail: true, env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } });
  assert.equal(spdy.code, 9);
  assert.equal(spdy.stdout, 'legacy path\n');
  const missing = await c.kubectl(['exec', 'box', '--', '/no/such/binary'], { allowFail: true });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /no such file or directory|not found/);
});

test('kubectl exec -it gets the container a terminal of the client\'s size', async () => {
  // CRI starts the process before the first size reaches it (as in Kubernetes): ask a moment later.
  const cmd = `stty cols 91 rows 33; /usr/bin/kubectl --kubeconfig ${c.kubeconfig} exec -it box -- sh -c 'tty; sleep 1; stty size'`;
  const r = await run('script', ['-qfec', cmd, '/dev/null'], { timeout: 60_000 }).catch((e) => e as { stdout: string; stderr: string });
  const stdout = r.stdout;
  assert.match(stdout, /\/dev\/pts\/\d+/, JSON.stringify(r));
  assert.match(stdout, /33 91/);
});

test('kubectl attach streams the container\'s output', async () => {
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: ticker}
spec:
  nodeName: node-a
  containers:
  - {name: c, image: ${busybox}, command: [sh, -c, 'i=0; while true; do i=$((i+1)); echo "beat $i"; sleep 0.2; done']}
`);
  await podRunning('ticker');
  const attach = c.spawnKubectl(['attach', 'ticker']);
  const out = await collectOutput(attach).wait(/beat \d+\n[^]*beat \d+\n/, 30_000);
  attach.kill('SIGINT');
  assert.match(out, /beat \d+/);
  await c.kubectl(['delete', 'pod', 'ticker', '--wait=false']);
});

test('kubectl run -i attaches to the new container\'s stdin', async () => {
  const run = c.spawnKubectl([
    'run', 'asker', '-i', '--rm', '--restart=Never', `--image=${busybox}`, '--overrides={"spec":{"nodeName":"node-a"}}',
    '--', 'sh', '-c', 'read answer; echo "you said $answer"; read more',
  ]);
  const out = collectOutput(run);
  await out.wait(/If you don't see a command prompt/, 60_000);
  // Typed once the attach is up, as a user would (run-interactive-cri.test.ts pipes input in).
  await new Promise((r) => setTimeout(r, 500));
  run.stdin!.write('forty-two\n');
  await out.wait(/you said forty-two/, 30_000);
  run.stdin!.end('done\n');
  assert.equal(await new Promise((r) => run.once('exit', r)), 0);
  assert.match(out.text(), /pod "asker" deleted/);
});

test('kubectl port-forward reaches a server in the pod network (tunnel and SPDY)', async () => {
  const envs: Array<Record<string, string>> = [{}, { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }];
  await c.kubectl(['exec', 'box', '--', 'sh', '-c', 'head -c 1048593 /dev/zero | tr "\\0" q > /www/blob.bin']);
  for (const env of envs) {
    const pf = c.spawnKubectl(['port-forward', 'pod/box', ':8080'], env);
    const out = await collectOutput(pf).wait(/Forwarding from 127\.0\.0\.1:(\d+)/);
    const base = `http://127.0.0.1:${/127\.0\.0\.1:(\d+)/.exec(out)![1]}`;
    assert.equal(await (await fetch(base)).text(), 'served from the pod\n');
    const blob = Buffer.from(await (await fetch(`${base}/blob.bin`)).arrayBuffer());
    assert.equal(blob.length, 1048593);
    assert.ok(blob.every((b) => b === 0x71));
    const many = await Promise.all(Array.from({ length: 4 }, () => fetch(base).then((r) => r.text())));
    assert.deepEqual(many, Array(4).fill('served from the pod\n'));
    pf.kill('SIGINT');
    await new Promise((r) => pf.once('exit', r));
  }
});

test('kubectl cp in and out of a container', async () => {
  const work = join(c.dataDir, 'cp');
  await mkdir(work, { recursive: true });
  await writeFile(join(work, 'in.txt'), 'into the container\n');
  await c.kubectl(['cp', join(work, 'in.txt'), 'box:/tmp/in.txt']);
  assert.equal((await c.kubectl(['exec', 'box', '--', 'cat', '/tmp/in.txt'])).stdout, 'into the container\n');
  await c.kubectl(['cp', 'box:/www/index.html', join(work, 'out.html')]);
  assert.equal(await readFile(join(work, 'out.html'), 'utf8'), 'served from the pod\n');
});
