import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startCompactor } from '../../src/store/compactor.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { CompactedError } from '../../src/store/types.js';
import { waitFor as waitUntil } from '../helpers/wait.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `cond` holds or `ms` pass. */
const until = (cond: () => Promise<boolean>, ms = 3000): Promise<unknown> => waitUntil('the condition', cond, { timeoutMs: ms, intervalMs: 5 });

async function writes(store: MemoryStore, n: number, key = '/c/k'): Promise<void> {
  let rev = (await store.get(key)).kv?.modRevision;
  for (let i = 0; i < n; i++) {
    rev = rev === undefined ? (await store.create(key, String(i))).revision : (await store.update(key, String(i), rev)).revision;
  }
}

describe('compactor', () => {
  it('compacts to keepRevisions behind the current revision, then waits for more history', async () => {
    const store = new MemoryStore();
    await writes(store, 20);
    const compactions: number[] = [];
    const c = startCompactor(store, { intervalMs: 10, keepRevisions: 5, onCompact: (r) => compactions.push(r) });
    try {
      await until(async () => (await store.compactedRevision()) === 15);
      await assert.rejects(store.get('/c/k', { revision: 14 }), CompactedError);
      assert.equal((await store.get('/c/k', { revision: 15 })).kv?.value, '14');
      // Without new writes, later rounds find nothing to discard.
      await sleep(50);
      assert.deepEqual(compactions, [15], 'nothing to do while current - keep <= compacted');
      await writes(store, 3);
      await until(async () => (await store.compactedRevision()) === 18);
      assert.deepEqual(compactions, [15, 18]);
    } finally {
      c.stop();
      await store.close();
    }
  });

  it('does nothing while the history is shorter than the window', async () => {
    const store = new MemoryStore();
    await writes(store, 4);
    let calls = 0;
    const c = startCompactor(store, { intervalMs: 5, keepRevisions: 10, onCompact: () => calls++ });
    await sleep(60);
    c.stop();
    assert.equal(calls, 0);
    assert.equal(await store.compactedRevision(), 0);
    assert.equal((await store.get('/c/k', { revision: 1 })).kv?.value, '0');
    await store.close();
  });

  it('stops compacting once stopped', async () => {
    const store = new MemoryStore();
    await writes(store, 10);
    const c = startCompactor(store, { intervalMs: 10, keepRevisions: 2 });
    await until(async () => (await store.compactedRevision()) === 8);
    c.stop();
    await writes(store, 10);
    await sleep(60);
    assert.equal(await store.compactedRevision(), 8);
    await store.close();
  });

  it('reports a failed round and keeps trying', async () => {
    const store = new MemoryStore();
    await writes(store, 10);
    await store.close();
    const errors: Error[] = [];
    const c = startCompactor(store, { intervalMs: 5, keepRevisions: 1, onError: (e) => errors.push(e) });
    await until(async () => errors.length >= 2);
    c.stop();
    assert.match(errors[0].message, /closed/);
  });

  it('refuses nonsense settings', () => {
    const store = new MemoryStore();
    assert.throws(() => startCompactor(store, { intervalMs: 0, keepRevisions: 1 }), RangeError);
    assert.throws(() => startCompactor(store, { intervalMs: 10, keepRevisions: -1 }), RangeError);
  });
});
