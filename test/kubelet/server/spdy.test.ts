import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { constants as zc, createDeflate, inflateSync } from 'node:zlib';
import { SPDY_DICTIONARY } from '../../../src/kubelet/server/spdy/dictionary.js';
import {
  controlFrame, dataFrame, decodeHeaderBlock, encodeHeaderBlock, FLAG_FIN, FrameParser, FrameType, HeaderCompressor,
  pingFrame, synStreamFrame,
} from '../../../src/kubelet/server/spdy/frames.js';
import { SpdySession, type SpdyStream } from '../../../src/kubelet/server/spdy/session.js';

function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  for (const byte of b) {
    a = (a + byte) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

/** Two sessions wired back to back, as client and server of one connection. */
function pair() {
  const wire = { toServer: [] as Buffer[], toClient: [] as Buffer[] };
  let server!: SpdySession;
  const client = new SpdySession({ server: false, write: (b) => { wire.toServer.push(b); queueMicrotask(() => server.receive(b)); }, end: () => queueMicrotask(() => server.transportClosed()) });
  server = new SpdySession({ server: true, write: (b) => { wire.toClient.push(b); queueMicrotask(() => client.receive(b)); }, end: () => queueMicrotask(() => client.transportClosed()) });
  return { client, server, wire };
}

/** Reads a stream's readable side to its end without destroying it (its writable side lives on). */
const readAll = (s: SpdyStream): Promise<string> => new Promise((resolve) => {
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  s.once('end', () => resolve(Buffer.concat(chunks).toString()));
});

test('the SPDY/3 header dictionary is the one the spec defines (Adler-32 0xe3c6a7c2)', () => {
  assert.equal(SPDY_DICTIONARY.length, 1423);
  assert.equal(adler32(SPDY_DICTIONARY), 0xe3c6a7c2);
});

test('frames split across chunks are reassembled; header blocks round-trip', () => {
  const block = encodeHeaderBlock({ StreamType: 'data', port: '8080', multi: ['a', 'b'] });
  assert.deepEqual(decodeHeaderBlock(block), { streamtype: 'data', port: '8080', multi: 'a\0b' });
  const bytes = Buffer.concat([dataFrame(5, FLAG_FIN, Buffer.from('hello')), pingFrame(7)]);
  const p = new FrameParser();
  assert.deepEqual(p.push(bytes.subarray(0, 3)), []);
  const frames = p.push(bytes.subarray(3));
  assert.equal(frames.length, 2);
  assert.deepEqual(frames[0], { control: false, streamId: 5, flags: FLAG_FIN, payload: Buffer.from('hello') });
  assert.equal(frames[1].control && frames[1].type, FrameType.Ping);
  assert.throws(() => new FrameParser(10).push(dataFrame(1, 0, Buffer.alloc(11))), /exceeds the limit/);
});

test('stored-block header compression inflates with a dictionary-preset zlib reader, block after block', () => {
  const c = new HeaderCompressor();
  const a = c.compress(encodeHeaderBlock({ streamtype: 'error' }));
  const second = encodeHeaderBlock({ streamtype: 'data', port: '80' });
  const b = c.compress(second);
  // Each block ends with a sync-flush marker, after which Go's inflater releases the data.
  assert.deepEqual([...a.subarray(-5)], [0, 0, 0, 0xff, 0xff]);
  assert.deepEqual([...b.subarray(0, 3)], [0, second.length, 0]);
  const out = inflateSync(Buffer.concat([a, b]), { dictionary: SPDY_DICTIONARY, finishFlush: zc.Z_SYNC_FLUSH });
  const first = encodeHeaderBlock({ streamtype: 'error' });
  assert.deepEqual(decodeHeaderBlock(out.subarray(0, first.length)), { streamtype: 'error' });
  assert.deepEqual(decodeHeaderBlock(out.subarray(first.length)), { streamtype: 'data', port: '80' });
});

test('streams carry headers, data both ways, half-closes and replies', async () => {
  const { client, server } = pair();
  const accepted = once(server, 'stream');
  const s = client.openStream({ streamtype: 'data', port: '80', requestid: '0' });
  assert.equal(s.id, 1);
  const [peer] = (await accepted) as [SpdyStream];
  assert.deepEqual(peer.headers, { streamtype: 'data', port: '80', requestid: '0' });
  const replied = once(s, 'reply');
  peer.reply();
  await replied;
  s.end('ping from client');
  assert.equal(await readAll(peer), 'ping from client');
  peer.end('pong from server');
  assert.equal(await readAll(s), 'pong from server');
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(client.streamCount, 0);
  assert.equal(server.streamCount, 0);
  // A second stream gets the next odd id; its headers inflate with the session's shared state.
  const next = once(server, 'stream');
  const s2 = client.openStream({ streamtype: 'error' }, { fin: true });
  assert.equal(s2.id, 3);
  const [p2] = (await next) as [SpdyStream];
  assert.equal(p2.headers.streamtype, 'error');
  p2.end('bad port');
  assert.equal(await readAll(s2), 'bad port');
});

test('a reset ends the stream on both sides; the peer\'s pings are echoed; GOAWAY closes an idle session', async () => {
  const { client, server, wire } = pair();
  const accepted = once(server, 'stream');
  const s = client.openStream({ streamtype: 'data' });
  const [peer] = (await accepted) as [SpdyStream];
  const reset = once(peer, 'reset');
  s.abort();
  await reset;
  assert.equal(peer.reset, true);

  const before = wire.toClient.length;
  server.receive(pingFrame(9));
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(wire.toClient.slice(before), [pingFrame(9)]);

  const closed = once(client, 'close');
  server.goAway();
  await closed;
  assert.equal(client.closed, true);
  assert.throws(() => client.openStream({}), /closed/);
});

test('headers compressed by a real zlib deflater with the SPDY dictionary are read (as Go peers send them)', async () => {
  const server = new SpdySession({ server: true, write: () => {}, end: () => {} });
  const deflate = createDeflate({ dictionary: SPDY_DICTIONARY });
  const compress = async (h: Record<string, string>) => {
    const chunks: Buffer[] = [];
    const onData = (c: Buffer) => chunks.push(c);
    deflate.on('data', onData);
    deflate.write(encodeHeaderBlock(h));
    await new Promise<void>((r) => deflate.flush(zc.Z_SYNC_FLUSH, () => r()));
    deflate.off('data', onData);
    return Buffer.concat(chunks);
  };
  const got: SpdyStream[] = [];
  server.on('stream', (s: SpdyStream) => got.push(s));
  server.receive(synStreamFrame(1, 0, await compress({ streamtype: 'error', port: '8080', requestid: '0' })));
  server.receive(synStreamFrame(3, FLAG_FIN, await compress({ streamtype: 'data', port: '8080', requestid: '0' })));
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(got.map((s) => s.headers.streamtype), ['error', 'data']);
  assert.equal(got[1].headers.port, '8080');
  // A stream id that goes backwards is refused rather than trusted.
  server.receive(synStreamFrame(1, 0, await compress({ streamtype: 'x' })));
  server.receive(controlFrame(FrameType.WindowUpdate, 0, Buffer.alloc(8)));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(got.length, 2);
  deflate.close();
  server.close();
});

test('a full transport holds writers back until it drains; a lagging reader pauses the transport', async () => {
  let full = true;
  const sent: Buffer[] = [];
  const calls: string[] = [];
  const session = new SpdySession({
    server: true, write: (b) => { sent.push(b); return !full; }, end: () => {},
    pause: () => calls.push('pause'), resume: () => calls.push('resume'),
  });
  const s = session.openStream({ streamtype: 'data' });
  let second = false;
  s.write(Buffer.from('first'));
  s.write(Buffer.from('second'), () => (second = true));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(second, false, 'the second write waits for the transport');
  assert.equal(sent.length, 2, 'SYN_STREAM and the first DATA went out');
  full = false;
  session.drained();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(second, true);
  assert.equal(sent.length, 3);

  // The peer sends more than the stream buffers while nobody reads: reading pauses, then resumes.
  s.pause();
  session.receive(dataFrame(s.id, 0, Buffer.alloc(64 * 1024)));
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(calls, ['pause']);
  s.resume();
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(calls, ['pause', 'resume']);
  session.close();
});

test('what the peer sent before it closed the connection is read to its end (replies and data behind header inflation)', async () => {
  // containerd answers an attach to a container that exits at once with the SYN_REPLYs, the output,
  // the status and a closed connection, all in one read.
  const client = new SpdySession({ server: false, write: () => {}, end: () => {} });
  const out = client.openStream({ streamtype: 'stdout' });
  const error = client.openStream({ streamtype: 'error' });
  const replies: number[] = [];
  out.on('reply', () => replies.push(out.id));
  error.on('reply', () => replies.push(error.id));
  const text = Promise.all([readAll(out), readAll(error)]);
  const c = new HeaderCompressor();
  client.receive(Buffer.concat([
    controlFrame(FrameType.SynReply, 0, Buffer.concat([Buffer.from([0, 0, 0, out.id]), c.compress(encodeHeaderBlock({}))])),
    controlFrame(FrameType.SynReply, 0, Buffer.concat([Buffer.from([0, 0, 0, error.id]), c.compress(encodeHeaderBlock({}))])),
    dataFrame(out.id, 0, Buffer.from('hello\n')),
    dataFrame(out.id, FLAG_FIN, Buffer.from('done\n')),
    dataFrame(error.id, FLAG_FIN, Buffer.from('{"status":"Success"}')),
  ]));
  const closed = once(client, 'close');
  client.transportClosed();
  assert.deepEqual(await text, ['hello\ndone\n', '{"status":"Success"}']);
  await closed;
  assert.deepEqual(replies, [out.id, error.id]);
  assert.equal(client.closed, true);
  assert.throws(() => client.openStream({}), /closed/);
});
