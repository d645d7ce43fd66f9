import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  formatTimestamp, parseLogOptions, parseRecord, writeContainerLog, type FollowControl, type LogOptions,
} from '../../../src/kubelet/server/container-logs.js';

const LOG = [
  '2024-05-01T10:00:00.100000000Z stdout F first',
  '2024-05-01T10:00:01.000000000Z stderr F an error',
  '2024-05-01T10:00:02.250000000Z stdout P long ',
  '2024-05-01T10:00:02.300000000Z stdout F line',
  '2024-05-01T10:00:03.000000000Z stdout F ',
  '2024-05-01T10:00:04.123456789Z stdout F last',
].join('\n') + '\n';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-logs-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function read(path: string, opts: Partial<LogOptions>, follow?: FollowControl): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeContainerLog(path, { follow: false, timestamps: false, ...opts }, out, follow);
  return Buffer.concat(chunks).toString();
}

test('CRI records parse; timestamps print as Go RFC3339Nano', () => {
  assert.deepEqual(parseRecord(Buffer.from('2024-05-01T10:00:00.1Z stderr P:x a b')), { time: '2024-05-01T10:00:00.1Z', stream: 'stderr', partial: true, content: Buffer.from('a b') });
  assert.equal(parseRecord(Buffer.from('garbage')), null);
  assert.equal(parseRecord(Buffer.from('2024-05-01T10:00:00Z stdin F x')), null);
  assert.equal(formatTimestamp('2024-05-01T10:00:02.250000000Z'), '2024-05-01T10:00:02.25Z');
  assert.equal(formatTimestamp('2024-05-01T10:00:03.000000000Z'), '2024-05-01T10:00:03Z');
  assert.equal(formatTimestamp('2024-05-01T10:00:04.123456789+02:00'), '2024-05-01T10:00:04.123456789+02:00');
});

test('log options come from the query; bad integers are refused', () => {
  const now = Date.parse('2024-05-01T10:00:10Z');
  assert.deepEqual(parseLogOptions(new URLSearchParams('follow=true&tailLines=3&timestamps=1&limitBytes=10&sinceSeconds=5'), now),
    { follow: true, previous: false, timestamps: true, tailLines: 3, limitBytes: 10, sinceMs: now - 5000 });
  assert.equal(parseLogOptions(new URLSearchParams('sinceTime=2024-05-01T10:00:02Z')).sinceMs, Date.parse('2024-05-01T10:00:02Z'));
  assert.equal(parseLogOptions(new URLSearchParams('previous=true')).previous, true);
  assert.throws(() => parseLogOptions(new URLSearchParams('tailLines=x')), /tailLines: invalid integer value "x"/);
});

test('whole log, tail, since, timestamps and limitBytes read as kubectl logs shows them', () => withDir(async (dir) => {
  const path = join(dir, '0.log');
  await writeFile(path, LOG);
  assert.equal(await read(path, {}), 'first\nan error\nlong line\n\nlast\n');
  assert.equal(await read(path, { tailLines: 2 }), '\nlast\n');
  assert.equal(await read(path, { tailLines: 3 }), 'long line\n\nlast\n');
  assert.equal(await read(path, { tailLines: 0 }), '');
  assert.equal(await read(path, { tailLines: 100 }), 'first\nan error\nlong line\n\nlast\n');
  assert.equal(await read(path, { sinceMs: Date.parse('2024-05-01T10:00:02.9Z') }), '\nlast\n');
  assert.equal(await read(path, { timestamps: true, tailLines: 3 }),
    '2024-05-01T10:00:02.25Z long line\n2024-05-01T10:00:03Z \n2024-05-01T10:00:04.123456789Z last\n');
  assert.equal(await read(path, { limitBytes: 8 }), 'first\nan');
  assert.equal(await read(join(dir, 'missing.log'), {}), '');
}));

test('tail counts a line still being written, and finds its start across read chunks', () => withDir(async (dir) => {
  const path = join(dir, '0.log');
  const lines: string[] = [];
  for (let i = 0; i < 5000; i++) lines.push(`2024-05-01T10:00:00.000000001Z stdout F line-${i} ${'x'.repeat(20)}`);
  await writeFile(path, lines.join('\n') + '\n2024-05-01T10:00:09Z stdout P unfinished\n2024-05-01T10:00:09Z stdout P');
  const out = await read(path, { tailLines: 3 });
  assert.equal(out, `line-4998 ${'x'.repeat(20)}\nline-4999 ${'x'.repeat(20)}\nunfinished`);
  const all = await read(path, { tailLines: 4000 });
  assert.equal(all.split('\n')[0], `line-1001 ${'x'.repeat(20)}`);
}));

test('follow streams what the container writes and ends once it stops', () => withDir(async (dir) => {
  const path = join(dir, '0.log');
  await writeFile(path, '2024-05-01T10:00:00Z stdout F one\n');
  let running = true;
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c));
  const done = writeContainerLog(path, { follow: true, timestamps: false }, out, { isRunning: async () => running, pollMs: 50 });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(text, 'one\n');
  await appendFile(path, '2024-05-01T10:00:01Z stdout F two\n2024-05-01T10:00:01Z stdout P thr');
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(text, 'one\ntwo\n');
  await appendFile(path, '\n2024-05-01T10:00:01Z stdout F ee\n');
  running = false;
  await done;
  assert.equal(text, 'one\ntwo\nthree\n');

  // A client that goes away stops the follow.
  const ac = new AbortController();
  const follow = writeContainerLog(path, { follow: true, timestamps: false }, new PassThrough(), { isRunning: async () => true, signal: ac.signal, pollMs: 50 });
  setTimeout(() => ac.abort(), 100);
  await follow;
}));
