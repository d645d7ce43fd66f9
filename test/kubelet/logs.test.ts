import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CriLogWriter, logTimestamp, parseCriLog, readContainerLog } from '../../src/kubelet/logs.js';

test('CRI log records: timestamps, streams, partial lines joined', async () => {
  assert.match(logTimestamp(Date.parse('2025-01-02T03:04:05.678Z')), /^2025-01-02T03:04:05\.678000000Z$/);
  const entries = parseCriLog([
    '2025-01-02T03:04:05.000000000Z stdout F hello',
    '2025-01-02T03:04:05.100000000Z stderr P par',
    '2025-01-02T03:04:05.200000000Z stdout F world',
    '2025-01-02T03:04:05.300000000Z stderr F tial',
    '2025-01-02T03:04:05.400000000Z stdout F ',
    'garbage',
  ].join('\n'));
  assert.deepEqual(entries.map((e) => [e.stream, e.text]), [['stdout', 'hello'], ['stdout', 'world'], ['stderr', 'partial'], ['stdout', ''], ['stdout', 'garbage']]);
});

test('the writer keeps each stream\'s partial line until its newline', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-log-'));
  try {
    const path = join(dir, '0.log');
    const w = new CriLogWriter(path);
    w.write('stdout', 'a\nb');
    w.write('stderr', 'err\n');
    w.write('stdout', 'c\nd');
    await w.close();
    const text = await readFile(path, 'utf8');
    assert.deepEqual(text.trim().split('\n').map((l) => l.split(' ').slice(1).join(' ')), ['stdout F a', 'stderr F err', 'stdout F bc', 'stdout P d']);
    assert.equal(await readContainerLog(path), 'a\nerr\nbc\nd\n');
    assert.equal(await readContainerLog(path, { tailLines: 2 }), 'bc\nd\n');
    assert.equal(await readContainerLog(join(dir, 'missing.log')), '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
