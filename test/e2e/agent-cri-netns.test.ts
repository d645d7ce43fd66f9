// `k8ts agent --node-driver cri` joins a cluster from its own network namespace, like a second
// machine on a link to the first, and runs real pods there: the API server reaches its kubelet
// over the link for logs and exec, and pods on the two nodes reach each other by pod IP through
// the host-gw routes each node keeps from the Node objects. The server and the first node run in
// this file's namespace, the second node in a namespace joined to it by a veth pair; nothing here
// has a route off the machine. Needs root and the Debian packages of scripts/install-deps.sh.
import { enterNetns } from '../helpers/netns.js';
await enterNetns();

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cidrContains, parseCidr } from '../../src/kubelet/network/cidr.js';
import { k8tsCommand, startServer, type TestServer } from '../helpers/cluster.js';
import { buildImage } from '../helpers/images.js';
import { createPeerNetns, type PeerNetns } from '../helpers/peer-netns.js';
import { startRegistry, type LocalRegistry } from '../helpers/registry.js';
import { forwardTcp, type TcpForward } from '../helpers/tcp-forward.js';
import { waitFor } from '../helpers/wait.js';

interface Agent {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

let peer: PeerNetns;
let registry: LocalRegistry;
let registryForward: TcpForward;
let server: TestServer;
let work: string;
let busybox: string;
const agents: Agent[] = [];

/** Starts `k8ts agent`; without `nodeIP` it finds its address from its route to the server. */
function startAgent(name: string, nodeIP: string | undefined, registriesFile: string, inPeer: boolean): Agent {
  const { cmd, args } = k8tsCommand();
  const agentArgs = [
    ...args, 'agent', '--server', server.url, '--token-file', join(server.dataDir, 'token'), '--node-driver', 'cri',
    '--node-name', name, ...(nodeIP ? ['--node-ip', nodeIP] : []), '--private-registry', registriesFile, '--data-dir', join(work, name), '--kubelet-port', '0',
  ];
  // nsenter execs the command, so the PID is the agent's own.
  const line = inPeer ? peer.wrap(cmd, agentArgs) : { cmd, args: agentArgs };
  const proc = spawn(line.cmd, line.args, { env: { ...process.env, K8TS_LOG: process.env.K8TS_LOG ?? 'quiet' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out = (out + d).slice(-20_000); });
  proc.stderr!.on('data', (d) => { out = (out + d).slice(-20_000); });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const agent: Agent = {
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        // Stopping takes the pods down through CRI first; give it time before forcing.
        const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(t);
      }
    },
  };
  agents.push(agent);
  return agent;
}

const context = () => [`server:\n${server?.output().slice(-3000)}`, ...agents.map((a, i) => `agent ${i}:\n${a.output().slice(-3000)}`)].join('\n');

async function kubectl(args: string[], input?: string): Promise<string> {
  return (await server.kubectl(args, input === undefined ? {} : { input })).stdout;
}

async function jsonpath(kind: string, name: string, path: string): Promise<string> {
  return (await server.kubectl(['get', kind, name, '-o', `jsonpath=${path}`], { allowFail: true })).stdout;
}

/**
 * An HTTP GET from inside `pod` with busybox nc (the static busybox's wget crashes without the
 * resolver files of a full image); resolves to the exit code and the response body.
 */
async function httpGetFrom(pod: string, ip: string, path: string): Promise<{ code: number; body: string }> {
  const r = await server.kubectl(['exec', pod, '--', 'sh', '-c', `printf 'GET ${path} HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} 8080`], { allowFail: true });
  // A CGI's own headers end with a bare \n\n, httpd's with \r\n\r\n.
  const m = /\r?\n\r?\n/.exec(r.stdout);
  return { code: r.code, body: m ? r.stdout.slice(m.index + m[0].length) : '' };
}

/** Processes still running that name this test's folder: containerd, its shims, agents. */
function leftovers(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(work)) found.push(`${pid}: ${cmdline}`);
    } catch { /* gone meanwhile */ }
  }
  return found;
}

async function stopAll(): Promise<void> {
  await Promise.all(agents.map((a) => a.stop()));
  await server?.stop();
  await registryForward?.close();
  await registry?.stop();
  peer?.remove();
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'k8ts-agent-netns-'));
  peer = createPeerNetns(7);
  registry = await startRegistry();
  // The registry listens on 127.0.0.1 here; the second node pulls through the link.
  registryForward = await forwardTcp({ host: peer.localIP }, { host: '127.0.0.1', port: Number(registry.host.split(':')[1]) });
  const [image] = await Promise.all([
    buildImage(registry, 'busybox', 'netns', {}),
    writeFile(join(work, 'registries-n1.yaml'), `mirrors:\n  "${registry.host}":\n    endpoint: ["${registry.url}"]\n`),
    writeFile(join(work, 'registries-n2.yaml'), `mirrors:\n  "${registry.host}":\n    endpoint: ["http://${registryForward.host}:${registryForward.port}"]\n`),
  ]);
  busybox = image;
  server = await startServer({ args: ['--bind-address', peer.localIP, '--tls-san', peer.localIP] });
  startAgent('n1', peer.localIP, join(work, 'registries-n1.yaml'), false);
  startAgent('n2', undefined, join(work, 'registries-n2.yaml'), true);
});

after(async () => {
  await stopAll();
  await rm(work, { recursive: true, force: true });
});

test('the agent in its own namespace joins: node n2 is Ready with the address it reaches the server from, and a pod range', async () => {
  for (const n of ['n1', 'n2']) {
    await waitFor(`node ${n} Ready`, async () => (await jsonpath('node', n, '{.status.conditions[?(@.type=="Ready")].status}')) === 'True', { timeoutMs: 60_000, context });
  }
  assert.equal(await jsonpath('node', 'n2', '{.status.addresses[?(@.type=="InternalIP")].address}'), peer.peerIP);
  assert.match(await jsonpath('node', 'n2', '{.spec.podCIDR}'), /^10\.42\.\d+\.0\/24$/);
  assert.notEqual(await jsonpath('node', 'n2', '{.spec.podCIDR}'), await jsonpath('node', 'n1', '{.spec.podCIDR}'));
});

test('a pod pinned to n2 runs there with an IP of n2\'s range; logs and exec reach it over the link', async () => {
  // httpd's CGI tells the caller what address it came from.
  const script = [
    'mkdir -p /www/cgi-bin',
    'echo "served by $(hostname) on n2" > /www/index.html',
    `printf '#!/bin/sh\\necho "Content-Type: text/plain"\\necho\\necho "$REMOTE_ADDR"\\n' > /www/cgi-bin/peer`,
    'chmod +x /www/cgi-bin/peer',
    'echo "web up"',
    'exec httpd -f -p 0.0.0.0:8080 -h /www',
  ].join('\n');
  const pod = (name: string, node: string, command: string[]) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { nodeSelector: { 'kubernetes.io/hostname': node }, containers: [{ name: 'c', image: busybox, command }] },
  });
  await kubectl(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1', kind: 'List', items: [pod('web', 'n2', ['sh', '-c', script]), pod('client', 'n1', ['sleep', '3600'])],
  }));
  for (const p of ['web', 'client']) {
    await waitFor(`pod ${p} Running`, async () => (await jsonpath('pod', p, '{.status.phase}')) === 'Running', { timeoutMs: 60_000, context });
  }
  assert.equal(await jsonpath('pod', 'web', '{.spec.nodeName}'), 'n2');
  assert.equal(await jsonpath('pod', 'web', '{.status.hostIP}'), peer.peerIP);
  const podIP = await jsonpath('pod', 'web', '{.status.podIP}');
  const range = parseCidr(await jsonpath('node', 'n2', '{.spec.podCIDR}'))!;
  assert.ok(cidrContains(range, parseCidr(`${podIP}/32`)!), `pod IP ${podIP} is in n2's range`);

  await waitFor('web logs', async () => (await kubectl(['logs', 'web'])) === 'web up\n', { context });
  assert.equal(await kubectl(['exec', 'web', '--', 'cat', '/www/index.html']), 'served by web on n2\n');
  assert.equal(await kubectl(['exec', '-i', 'web', '--', 'tr', 'a-z', 'A-Z'], 'through the link\n'), 'THROUGH THE LINK\n');
});

test('a pod on n1 reaches the pod on n2 by pod IP through the host-gw routes', async () => {
  const n1Range = await jsonpath('node', 'n1', '{.spec.podCIDR}');
  const n2Range = await jsonpath('node', 'n2', '{.spec.podCIDR}');
  // Each node routes the other's pod range via the other's InternalIP, and only that.
  assert.equal(execFileSync('ip', ['route', 'show', 'proto', '75'], { encoding: 'utf8' }).trim(), `${n2Range} via ${peer.peerIP} dev k8tsv7a`);
  assert.equal(peer.ip(['route', 'show', 'proto', '75']).trim(), `${n1Range} via ${peer.localIP} dev k8tsv7b`);

  const podIP = await jsonpath('pod', 'web', '{.status.podIP}');
  const body = await waitFor('web reachable from client', async () => {
    const r = await httpGetFrom('client', podIP, '/');
    return r.code === 0 && r.body ? r.body : undefined;
  }, { timeoutMs: 20_000, context });
  assert.equal(body, 'served by web on n2\n');
  // The n2 pod sees the n1 pod's own address: routed, not masqueraded as the node.
  const clientIP = await jsonpath('pod', 'client', '{.status.podIP}');
  assert.equal((await httpGetFrom('client', podIP, '/cgi-bin/peer')).body, `${clientIP}\n`);
});

test('stopping the agents leaves no containerd or shim behind', async () => {
  // With their pods still running: an agent stops its pods through CRI before containerd goes.
  await Promise.all(agents.map((a) => a.stop()));
  assert.deepEqual(agents.map((a) => a.proc.exitCode), [0, 0], context());
  assert.deepEqual(leftovers(), []);
});
