// The CRI client's wire handling against a small gRPC-shaped HTTP/2 server on a unix socket:
// status codes and messages, deadlines, a runtime that is not there, and reconnecting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { connectCri, CriError, GrpcStatus, isNotFound } from '../../../src/kubelet/cri/grpc.js';
import { CRI_PROTO } from '../../../src/kubelet/cri/proto.js';

const root = protobuf.parse(CRI_PROTO, { keepCase: true }).root;
const VersionResponse = root.lookupType('runtime.v1.VersionResponse');

function frame(msg: Uint8Array): Buffer {
  const b = Buffer.alloc(5 + msg.length);
  b.writeUInt32BE(msg.length, 1);
  b.set(msg, 5);
  return b;
}

async function serve(socket: string, handle: (path: string, stream: ServerHttp2Stream, body: Buffer) => void): Promise<{ stop(): Promise<void> }> {
  const server = createServer();
  // Closing the server ends its sessions, as a runtime that exits does.
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('end', () => handle(String(headers[':path']), stream, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sessions) s.destroy();
    }),
  };
}


test('answers, gRPC errors with their code and message, deadlines, and a runtime that comes back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-grpc-'));
  const socket = join(dir, 'cri.sock');
  const conn = connectCri(socket, 5000);
  try {
    // Nobody listens yet: unavailable, at once.
    const t0 = Date.now();
    await assert.rejects(conn.runtime('Version', { version: 'v1' }), (e: unknown) => e instanceof CriError && e.code === GrpcStatus.UNAVAILABLE);
    assert.ok(Date.now() - t0 < 2000);
    await assert.rejects(conn.runtime('NoSuchMethod', {}), /CRI has no method NoSuchMethod/);

    const paths: string[] = [];
    let server = await serve(socket, (path, stream, body) => {
      paths.push(path);
      if (path.endsWith('/Version')) {
        assert.equal(body.readUInt32BE(1), body.length - 5);
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(frame(VersionResponse.encode(VersionResponse.fromObject({ version: 'v1', runtime_name: 'fake', runtime_version: '9.9' })).finish()));
      } else if (path.endsWith('/PodSandboxStatus')) {
        // Trailers-only answer, as Go's gRPC sends an error.
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'an error occurred when try to find sandbox %22x%22: not found' }, { endStream: true });
      }
      // Anything else is never answered.
    });
    const v = await conn.runtime('Version', { version: 'v1' });
    assert.deepEqual([v.runtime_name, v.runtime_version, v.runtime_api_version], ['fake', '9.9', '']);
    const err = await conn.runtime('PodSandboxStatus', { pod_sandbox_id: 'x' }).catch((e: unknown) => e);
    assert.ok(isNotFound(err));
    assert.equal((err as CriError).message, 'CRI PodSandboxStatus: an error occurred when try to find sandbox "x": not found');
    const t1 = Date.now();
    await assert.rejects(conn.image('ListImages', {}, 300), (e: unknown) => e instanceof CriError && e.code === GrpcStatus.DEADLINE_EXCEEDED);
    assert.ok(Date.now() - t1 < 2000);
    assert.deepEqual(paths, ['/runtime.v1.RuntimeService/Version', '/runtime.v1.RuntimeService/PodSandboxStatus', '/runtime.v1.ImageService/ListImages']);

    // The runtime restarts: the next call opens a new session.
    await server.stop();
    rmSync(socket, { force: true });
    server = await serve(socket, (_path, stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '14', 'grpc-message': 'starting' }, { endStream: true });
    });
    await assert.rejects(conn.runtime('Version', { version: 'v1' }), /CRI Version: starting/);
    conn.close();
    await assert.rejects(conn.runtime('Version', { version: 'v1' }), /closed/);
    await server.stop();
  } finally {
    conn.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
