import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePayloadPath, writeAtomically, PayloadError, type FileProjection } from '../../../src/kubelet/volumes/atomic-writer.js';

const payload = (entries: Record<string, string | [string, number]>) =>
  new Map<string, FileProjection>(Object.entries(entries).map(([k, v]) => [k, Array.isArray(v) ? { data: Buffer.from(v[0]), mode: v[1] } : { data: Buffer.from(v), mode: 0o644 }]));

test('files appear through ..data, are swapped atomically, and stale names go away', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-aw-'));
  try {
    assert.equal(await writeAtomically(dir, payload({ a: 'one', 'sub/b': ['two', 0o400] })), true);
    const first = await readlink(join(dir, '..data'));
    assert.match(first, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/);
    assert.equal(await readlink(join(dir, 'a')), '..data/a');
    assert.equal(await readlink(join(dir, 'sub')), '..data/sub');
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'one');
    assert.equal(await readFile(join(dir, 'sub/b'), 'utf8'), 'two');
    assert.equal((await stat(join(dir, 'sub/b'))).mode & 0o777, 0o400);

    assert.equal(await writeAtomically(dir, payload({ a: 'one', 'sub/b': ['two', 0o400] })), false, 'an unchanged payload writes nothing');
    assert.equal(await readlink(join(dir, '..data')), first);

    assert.equal(await writeAtomically(dir, payload({ a: 'uno', c: 'three' })), true);
    const second = await readlink(join(dir, '..data'));
    assert.notEqual(second, first);
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'uno');
    assert.equal(await readFile(join(dir, 'c'), 'utf8'), 'three');
    await assert.rejects(lstat(join(dir, 'sub')), 'names no longer in the payload are removed');
    await assert.rejects(lstat(join(dir, first)), 'the old timestamped directory is removed');
    assert.deepEqual((await readdir(dir)).sort(), [second, '..data', 'a', 'c'].sort());

    assert.equal(await writeAtomically(dir, payload({})), true);
    assert.deepEqual((await readdir(dir)).filter((n) => !n.startsWith('..')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('payload paths must stay inside the volume', () => {
  for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', '..hidden']) assert.throws(() => validatePayloadPath(bad), PayloadError, bad);
  validatePayloadPath('a/b.c');
  validatePayloadPath('.dot');
});
