// The kubelet's HTTPS endpoint on its own: who may call it, the errors it answers with, and the
// remotecommand WebSocket protocol spoken by a plain client (v4 and v5 channel framing).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ensurePki, issueClientCert, issueServingCert, type CertAndKey, type Pki } from '../../../src/apiserver/pki.js';
import { HostRuntime } from '../../../src/kubelet/host/host-runtime.js';
import type { Pod } from '../../../src/kubelet/types.js';
import { startKubeletServer, type KubeletServer } from '../../../src/kubelet/server/index.js';

let dir: string;
let pki: Pki;
let apiserver: CertAndKey;
let runtime: HostRuntime;
let server: KubeletServer;
const pods = new Map<string, Pod>();

const POD: Pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', uid: 'uid-p' },
  spec: { containers: [{ name: 'main' }, { name: 'later' }] },
  status: { phase: 'Running' },
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-kubelet-server-'));
  pki = await ensurePki(dir);
  apiserver = await issueClientCert(pki, { commonName: 'system:apiserver', organizations: ['system:masters'] });
  runtime = new HostRuntime({ rootDir: join(dir, 'host') });
  const logDirectory = join(dir, 'logs');
  const sandbox = {
    name: 'p', namespace: 'ns', uid: 'uid-p', attempt: 0, hostname: 'p', logDirectory,
    labels: { 'io.kubernetes.pod.uid': 'uid-p', 'io.kubernetes.pod.name': 'p', 'io.kubernetes.pod.namespace': 'ns' },
    annotations: {}, portMappings: [], hostNetwork: true,
  };
  const sb = await runtime.runPodSandbox(sandbox);
  const id = await runtime.createContainer(sb, {
    name: 'main', attempt: 0, image: 'busybox', command: ['sh', '-c', 'echo ready; exec sleep 60'], args: [],
    env: [{ key: 'WHO', value: 'the container' }], mounts: [], labels: { 'io.kubernetes.container.name': 'main', 'io.kubernetes.pod.uid': 'uid-p', 'io.kubernetes.pod.name': 'p', 'io.kubernetes.pod.namespace': 'ns' }, annotations: {},
    logPath: 'main/0.log', stdin: false, stdinOnce: false, tty: false, resources: {},
  }, sandbox);
  await runtime.startContainer(id);
  pods.set('ns/p', POD);
  const serving = await issueServingCert(pki, { commonName: 'node-a', sans: ['127.0.0.1'] });
  server = await startKubeletServer({
    port: 0, tls: { cert: serving.cert, key: serving.key, ca: pki.caCert }, runtime, getPod: (ns, name) => pods.get(`${ns}/${name}`),
  });
});

after(async () => {
  await server?.close();
  await runtime?.close();
  await rm(dir, { recursive: true, force: true });
});

function get(path: string, cred?: CertAndKey): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: server.port, path, ca: pki.caCert, ...(cred ? { cert: cred.cert, key: cred.key } : {}),
    }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface WsResult {
  protocol: string;
  channels: Map<number, string>;
  status?: { status: string; reason?: string; message?: string; details?: { causes?: Array<{ reason?: string; message?: string }> } };
}

function execWs(query: string, protocol: string, send: (ws: WebSocket) => void = () => {}): Promise<WsResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}/exec/ns/p/main?${query}`, [protocol], {
      ca: pki.caCert, cert: apiserver.cert, key: apiserver.key,
    });
    const out: WsResult = { protocol: '', channels: new Map() };
    ws.on('open', () => {
      out.protocol = ws.protocol;
      send(ws);
    });
    ws.on('message', (data: Buffer) => {
      const ch = data[0];
      const text = data.subarray(1).toString();
      if (ch === 3) out.status = JSON.parse(text);
      else out.channels.set(ch, (out.channels.get(ch) ?? '') + text);
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('close', () => resolve(out));
  });
}

test('only the API server is let in: no certificate is 401, a node\'s certificate 403', async () => {
  assert.equal((await get('/healthz')).status, 401);
  const node = await issueClientCert(pki, { commonName: 'system:node:node-b', organizations: ['system:nodes'] });
  const denied = await get('/healthz', node);
  assert.equal(denied.status, 403);
  assert.match(denied.body, /Forbidden \(user=system:node:node-b, verb=get, resource=nodes, subresource=proxy\)/);
  // A certificate from another CA is not trusted, whatever it claims.
  const otherDir = await mkdtemp(join(tmpdir(), 'k8ts-other-ca-'));
  try {
    const other = await ensurePki(otherDir);
    const forged = await issueClientCert(other, { commonName: 'system:apiserver', organizations: ['system:masters'] });
    assert.equal((await get('/healthz', forged)).status, 401);
  } finally {
    await rm(otherDir, { recursive: true, force: true });
  }
  assert.deepEqual(await get('/healthz', apiserver), { status: 200, body: 'ok' });
});

test('errors answer as the kubelet words them', async () => {
  assert.equal((await get('/containerLogs/ns/p/main', apiserver)).body, 'ready\n');
  const nopod = await get('/containerLogs/ns/nope/main', apiserver);
  assert.equal(nopod.status, 404);
  assert.match(nopod.body, /pod "nope" in namespace "ns" does not exist/);
  const nocontainer = await get('/containerLogs/ns/p/ghost', apiserver);
  assert.equal(nocontainer.status, 404);
  assert.match(nocontainer.body, /container "ghost" not found in pod "p"/);
  const waiting = await get('/containerLogs/ns/p/later', apiserver);
  assert.equal(waiting.status, 400);
  assert.match(waiting.body, /container "later" in pod "p" is waiting to start: ContainerCreating/);
  const prev = await get('/containerLogs/ns/p/main?previous=true', apiserver);
  assert.match(prev.body, /previous terminated container "main" in pod "p" not found/);
  const plain = await get('/exec/ns/p/main?command=true&output=1', apiserver);
  assert.equal(plain.status, 400);
  assert.match(plain.body, /Upgrade request required/);
  assert.equal((await get('/nowhere', apiserver)).status, 404);
});

test('remotecommand over WebSocket: v5 half-closes stdin, v4 reports exit codes as Status', async () => {
  const v5 = await execWs('command=sh&command=-c&command=cat%3B%20echo%20%24WHO%20%3E%262&input=1&output=1&error=1', 'v5.channel.k8s.io', (ws) => {
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('typed in\n')]));
    ws.send(Buffer.from([4, ...Buffer.from('{"Width":80,"Height":24}\n')]));
    ws.send(Buffer.from([255, 0]));
  });
  assert.equal(v5.protocol, 'v5.channel.k8s.io');
  assert.equal(v5.channels.get(1), 'typed in\n');
  assert.equal(v5.channels.get(2), 'the container\n');
  assert.deepEqual(v5.status, { metadata: {}, status: 'Success' });

  const v4 = await execWs('command=sh&command=-c&command=exit%205&output=1', 'v4.channel.k8s.io');
  assert.equal(v4.protocol, 'v4.channel.k8s.io');
  assert.equal(v4.status?.status, 'Failure');
  assert.equal(v4.status?.reason, 'NonZeroExitCode');
  assert.deepEqual(v4.status?.details?.causes, [{ reason: 'ExitCode', message: '5' }]);

  // A client offering only protocols the kubelet does not speak gets an HTTP error (kubectl then falls back to SPDY).
  await assert.rejects(execWs('command=true&output=1', 'base64.channel.k8s.io'), /HTTP 400/);
});
