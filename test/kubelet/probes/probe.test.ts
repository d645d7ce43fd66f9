import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { runProbe, resolvePort, PROBE_USER_AGENT } from '../../../src/kubelet/probes/probe.js';
import { decodeHealthCheckResponse, encodeHealthCheckRequest } from '../../../src/kubelet/probes/grpc-health.js';
import type { RuntimeDriver } from '../../../src/kubelet/runtime.js';
import type { Container } from '../../../src/kubelet/types.js';

const container: Container = { name: 'c', ports: [{ name: 'http', containerPort: 0 }] };
const runtime = {
  execSync: async (_id: string, cmd: string[]) => {
    if (cmd[0] === 'slow') throw new Error('command timed out');
    return { exitCode: cmd[0] === 'ok' ? 0 : 1, stdout: Buffer.from('out '), stderr: Buffer.from('err') };
  },
} as unknown as RuntimeDriver;
const target = { container, containerId: 'x', podIP: '127.0.0.1', runtime };

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}
/** A port nothing listens on: bound then closed. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  const p = await listen(s);
  await new Promise((r) => s.close(r));
  return p;
}

test('exec probes: exit code decides, output is the message', async () => {
  assert.deepEqual(await runProbe({ exec: { command: ['ok'] } }, 1, target), { result: 'success', output: 'out err' });
  assert.deepEqual(await runProbe({ exec: { command: ['fail'] } }, 1, target), { result: 'failure', output: 'out err' });
  assert.deepEqual(await runProbe({ exec: { command: ['slow', 'x'] } }, 1, target), { result: 'failure', output: 'command "slow x" timed out' });
});

test('httpGet probes: 2xx/3xx succeed, others fail with the status, refused and slow servers fail', async () => {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 3000);
    res.statusCode = req.url === '/healthz' ? 200 : req.url === '/moved' ? 302 : 503;
    res.end('x'.repeat(20_000));
  });
  const port = await listen(server);
  try {
    const c: Container = { name: 'c', ports: [{ name: 'http', containerPort: port }] };
    const t = { ...target, container: c };
    assert.equal(resolvePort('http', c), port);
    assert.throws(() => resolvePort('nope', c), /couldn't find port: nope in container/);
    assert.equal((await runProbe({ httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X-Probe', value: '1' }] } }, 1, t)).result, 'success');
    assert.equal(seen[0]['user-agent'], PROBE_USER_AGENT);
    assert.equal(seen[0]['x-probe'], '1');
    assert.equal((await runProbe({ httpGet: { path: '/moved', port } }, 1, t)).result, 'success');
    assert.deepEqual(await runProbe({ httpGet: { path: '/bad', port } }, 1, t), { result: 'failure', output: 'HTTP probe failed with statuscode: 503' });
    const slow = await runProbe({ httpGet: { path: '/slow', port } }, 1, t);
    assert.equal(slow.result, 'failure');
    assert.equal(slow.output, `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
    const closed = await freePort();
    assert.deepEqual(await runProbe({ httpGet: { path: '/', port: closed } }, 1, t), {
      result: 'failure', output: `Get "http://127.0.0.1:${closed}/": dial tcp 127.0.0.1:${closed}: connect: connection refused`,
    });
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('tcpSocket probes', async () => {
  const server = net.createServer((s) => s.end());
  const port = await listen(server);
  try {
    assert.deepEqual(await runProbe({ tcpSocket: { port } }, 1, target), { result: 'success', output: '' });
    const closed = await freePort();
    assert.deepEqual(await runProbe({ tcpSocket: { port: closed } }, 1, target), { result: 'failure', output: `dial tcp 127.0.0.1:${closed}: connect: connection refused` });
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('grpc probes speak grpc.health.v1', async () => {
  assert.deepEqual(encodeHealthCheckRequest('svc'), Buffer.from([0x0a, 3, 0x73, 0x76, 0x63]));
  assert.equal(decodeHealthCheckResponse(Buffer.from([0x08, 1])), 'SERVING');
  assert.equal(decodeHealthCheckResponse(Buffer.alloc(0)), 'UNKNOWN');
  const statuses: Record<string, number> = { '': 1, sick: 2 };
  const server = new grpc.Server();
  server.addService({
    Check: {
      path: '/grpc.health.v1.Health/Check', requestStream: false, responseStream: false,
      requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b,
      responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b,
    },
  } as grpc.ServiceDefinition, {
    Check: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
      const req = call.request;
      const service = req.length ? req.subarray(2).toString() : '';
      cb(null, Buffer.from([0x08, statuses[service] ?? 3]));
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  try {
    assert.deepEqual(await runProbe({ grpc: { port } }, 1, target), { result: 'success', output: '' });
    assert.deepEqual(await runProbe({ grpc: { port, service: 'sick' } }, 1, target), { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    const closed = await freePort();
    const down = await runProbe({ grpc: { port: closed } }, 1, target);
    assert.equal(down.result, 'failure');
    assert.match(down.output, /^timeout: failed to connect service "127\.0\.0\.1:\d+" within 1s|^timeout: health rpc did not complete within 1s/);
  } finally {
    server.forceShutdown();
  }
});
