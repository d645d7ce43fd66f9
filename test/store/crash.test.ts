// Durability under kill -9: a child process writes with many concurrent writers and is SIGKILLed
// mid-burst; whatever it acknowledged must be on disk, whole, and the revision must never go back.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { collect } from './contract.js';

interface Ack {
  op: 'create' | 'update' | 'delete';
  key: string;
  revision: number;
  hash: string;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A value is `<sha256 of body>:<body>`; anything else is a torn or foreign write. */
function intact(value: string): boolean {
  const i = value.indexOf(':');
  return i === 64 && sha(value.slice(i + 1)) === value.slice(0, i);
}

// Runs from test/ under tsx and from dist/test/ once compiled: spawn the fixture the same way.
const underTsx = import.meta.url.endsWith('.ts');
const fixture = fileURLToPath(new URL(`./fixtures/crash-writer.${underTsx ? 'ts' : 'js'}`, import.meta.url));
const repoRoot = fileURLToPath(new URL(underTsx ? '../../' : '../../../', import.meta.url));

/** Runs the writer until it has acknowledged `killAfter` writes, then SIGKILLs it. */
function runAndKill(path: string, tag: string, killAfter: number): Promise<{ ready: number; acks: Ack[] }> {
  const args = [...(underTsx ? ['--import', 'tsx'] : []), fixture, path, tag, '48'];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    let stderr = '';
    let ready = -1;
    const acks: Ack[] = [];
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).split(' ');
        buf = buf.slice(nl + 1);
        if (line[0] === 'ready') ready = Number(line[1]);
        else acks.push({ op: line[1] as Ack['op'], key: line[2], revision: Number(line[3]), hash: line[4] });
      }
      if (acks.length >= killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    // 'close' comes after stdout has drained: every line written before the kill has been read.
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL' || acks.length < killAfter) {
        reject(new Error(`writer ended with ${signal ?? code} after ${acks.length} acks: ${stderr}`));
      } else {
        resolve({ ready, acks });
      }
    });
  });
}

describe('SqliteStore crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-crash-'));
  const path = join(dir, 'db', 'state.db');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged write, whole, across repeated kill -9', { timeout: 20_000 }, async () => {
    const all: Ack[] = [];
    let highest = 0;
    for (let round = 0; round < 3; round++) {
      const killAfter = 300 + Math.floor(Math.random() * 500);
      const { ready, acks } = await runAndKill(path, `r${round}`, killAfter);
      assert.ok(ready >= highest, `round ${round}: reopened at revision ${ready}, below ${highest} acknowledged earlier`);
      assert.ok(acks.every((a) => a.revision > highest), `round ${round}: a revision was handed out again`);
      all.push(...acks);
      highest = Math.max(highest, ...acks.map((a) => a.revision));
      assert.equal(new Set(all.map((a) => a.revision)).size, all.length, 'no two acknowledged writes share a revision');

      const store = await SqliteStore.open(path);
      try {
        const current = await store.currentRevision();
        assert.ok(current >= highest, `current revision ${current} is below acknowledged ${highest}`);
        // Every acknowledged write, read back at its own revision.
        for (const a of all) {
          const { kv } = await store.get(a.key, { revision: a.revision });
          if (a.op === 'delete') {
            assert.equal(kv, null, `${a.key} deleted at ${a.revision}`);
          } else {
            assert.ok(kv, `${a.key} written at ${a.revision} is missing`);
            assert.equal(kv.modRevision, a.revision);
            assert.equal(sha(kv.value), a.hash, `${a.key}@${a.revision} has another value`);
          }
        }
        // Now: each key holds its last acknowledged value or a later one that was committed
        // but not yet acknowledged when the kill came; never an older one.
        const last = new Map<string, Ack>();
        for (const a of all) if ((last.get(a.key)?.revision ?? 0) < a.revision) last.set(a.key, a);
        for (const [key, a] of last) {
          const { kv } = await store.get(key);
          if (kv) assert.ok(kv.modRevision >= a.revision, `${key} went back from ${a.revision} to ${kv.modRevision}`);
          if (kv?.modRevision === a.revision) assert.equal(sha(kv.value), a.hash);
          if (!kv && a.op !== 'delete') {
            // Gone: only a later (committed, unacknowledged) delete may explain that.
            const w = collect(store, key, a.revision);
            const evs = await w.waitFor(1);
            w.cancel();
            assert.ok(evs.some((e) => e.type === 'DELETE' && e.kv.key === key), `${key} vanished without a delete`);
          }
        }
        const listed = await store.list('/crash/');
        assert.ok(listed.kvs.length > 0);
        for (const kv of listed.kvs) assert.ok(intact(kv.value), `${kv.key}@${kv.modRevision} is torn`);
        // New writes continue above everything seen.
        const fresh = await store.create(`/after-crash/${round}`, 'x');
        assert.equal(fresh.revision, current + 1);
        highest = fresh.revision;
      } finally {
        await store.close();
      }
    }
  });
});
