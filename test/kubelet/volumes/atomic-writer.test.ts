import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetWritten, validatePayloadPath, writeAtomically, PayloadError, type FileProjection } from '../../../src/kubelet/volumes/atomic-writer.js';

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

test('an unchanged payload is rewritten when the directory was removed or its ..data moved behind our back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-aw-'));
  const target = join(dir, 'vol');
  const p = payload({ token: 'abc' });
  try {
    assert.equal(await writeAtomically(target, p), true);
    assert.equal(await writeAtomically(target, p), false);
    await rm(target, { recursive: true, force: true });
    assert.equal(await writeAtomically(target, p), true, 'a removed volume comes back');
    assert.equal(await readFile(join(target, 'token'), 'utf8'), 'abc');
    // Another writer (a restarted kubelet) swapped ..data to a copy of its own.
    const other = join(dir, 'other');
    await writeAtomically(other, payload({ token: 'xyz' }));
    const otherTs = await readlink(join(other, '..data'));
    await rename(join(other, otherTs), join(target, otherTs));
    await symlink(otherTs, join(target, '..data_tmp'));
    await rename(join(target, '..data_tmp'), join(target, '..data'));
    assert.equal(await readFile(join(target, 'token'), 'utf8'), 'xyz');
    assert.equal(await writeAtomically(target, p), true, 'the payload is put back');
    assert.equal(await readFile(join(target, 'token'), 'utf8'), 'abc');
    // Forgotten (the pod's directory was torn down): files that match are still left alone.
    const ts = await readlink(join(target, '..data'));
    forgetWritten(dir);
    assert.equal(await writeAtomically(target, p), false);
    assert.equal(await readlink(join(target, '..data')), ts);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('payload paths must stay inside the volume', () => {
  for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', '..hidden']) assert.throws(() => validatePayloadPath(bad), PayloadError, bad);
  validatePayloadPath('a/b.c');
  validatePayloadPath('.dot');
});
