// `k8ts agent` joins a running server as a node, with the join token, and runs its pods.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { k8tsCommand, startServer, type TestServer } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';

function runAgent(args: string[]): { proc: ChildProcess; output: () => string } {
  const { cmd, args: base } = k8tsCommand();
  const proc = spawn(cmd, [...base, 'agent', ...args], { env: { ...process.env, K8TS_LOG: 'quiet' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  return { proc, output: () => out };
}

async function exitCode(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return proc.exitCode;
  return new Promise((r) => proc.once('exit', (code) => r(code)));
}

describe('k8ts agent', () => {
  let server: TestServer;
  let agentDir: string;
  const agents: ChildProcess[] = [];

  before(async () => {
    server = await startServer();
    agentDir = await mkdtemp(join(tmpdir(), 'k8ts-agent-'));
  });
  after(async () => {
    for (const a of agents) if (a.exitCode === null) a.kill('SIGTERM');
    await Promise.all(agents.map((a) => exitCode(a)));
    await server.stop();
    await rm(agentDir, { recursive: true, force: true });
  });

  it('refuses a wrong token', async () => {
    const a = runAgent(['--server', server.url, '--token', 'not-the-token', '--node-name', 'intruder', '--data-dir', join(agentDir, 'bad'), '--node-driver', 'sim']);
    agents.push(a.proc);
    assert.equal(await exitCode(a.proc), 1);
    assert.match(a.output(), /join token is not valid/);
    const nodes = await server.kubectl(['get', 'nodes', '-o', 'name']);
    assert.doesNotMatch(nodes.stdout, /intruder/);
  });

  it('refuses a server whose CA does not match the token', async () => {
    const token = (await readFile(join(server.dataDir, 'token'), 'utf8')).trim();
    const forged = token.replace(/^K10[0-9a-f]{64}/, 'K10' + '0'.repeat(64));
    const a = runAgent(['--server', server.url, '--token', forged, '--node-name', 'x', '--data-dir', join(agentDir, 'x'), '--node-driver', 'sim']);
    agents.push(a.proc);
    assert.equal(await exitCode(a.proc), 1);
    assert.match(a.output(), /does not match the join token/);
  });

  it('joins with the token file and runs pods scheduled to its node', async () => {
    const a = runAgent(['--server', server.url, '--token-file', join(server.dataDir, 'token'), '--node-name', 'worker', '--data-dir', join(agentDir, 'w'), '--node-driver', 'sim']);
    agents.push(a.proc);
    const node = await waitFor('the joined node to be Ready', async () => {
      const r = await server.kubectl(['get', 'nodes', 'worker-100', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'], { allowFail: true });
      return r.stdout === 'True' ? r.stdout : undefined;
    });
    assert.equal(node, 'True');
    await server.kubectl(['run', 'on-worker', '--image=busybox', '--restart=Never', '--overrides', JSON.stringify({ spec: { nodeSelector: { 'kubernetes.io/hostname': 'worker-100' } } }), '--', 'sleep', '3600']);
    const phase = await waitFor('the pod to run on the joined node', async () => {
      const r = await server.kubectl(['get', 'pod', 'on-worker', '-o', 'jsonpath={.spec.nodeName} {.status.phase}'], { allowFail: true });
      return r.stdout === 'worker-100 Running' ? r.stdout : undefined;
    });
    assert.equal(phase, 'worker-100 Running');
  });
});
