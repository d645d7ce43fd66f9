// Group commit acknowledges writers, and publishes their batch, only once the batch is durable,
// in the order the batches were applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit } from '../../../src/store/sqlite/group-commit.js';

/** A durability barrier the test releases by hand, like an fdatasync that takes its time. */
function manualDisk() {
  const waiting: Array<{ resolve(): void; reject(e: Error): void }> = [];
  return {
    durable: () => new Promise<void>((resolve, reject) => waiting.push({ resolve, reject })),
    finishOne: () => waiting.shift()!.resolve(),
    failOne: (e: Error) => waiting.shift()!.reject(e),
    get pending() { return waiting.length; },
  };
}

const turn = () => new Promise((r) => setImmediate(r));

test('writers hear of their write only after it is durable, and batches settle in order', async () => {
  const disk = manualDisk();
  const log: string[] = [];
  const gc = new GroupCommit<string, string>((ops) => ({
    outcomes: ops.map((op) => ({ ok: true as const, value: op.toUpperCase() })),
    onDurable: () => log.push(`durable ${ops.join(',')}`),
  }), { durable: disk.durable });

  const first = [gc.submit('a'), gc.submit('b')].map((p) => p.then((v) => log.push(`ack ${v}`)));
  await turn();
  const second = gc.submit('c').then((v) => log.push(`ack ${v}`));
  await turn();
  assert.equal(disk.pending, 2, 'both batches were applied and wait for the disk');
  assert.deepEqual(log, [], 'nothing is acknowledged before the disk confirms');

  disk.finishOne();
  await Promise.all(first);
  assert.deepEqual(log, ['durable a,b', 'ack A', 'ack B']);
  disk.finishOne();
  await second;
  assert.deepEqual(log, ['durable a,b', 'ack A', 'ack B', 'durable c', 'ack C']);
  await gc.idle();
});

test('a failed sync fails the batch and publishes nothing', async () => {
  const disk = manualDisk();
  let published = false;
  const gc = new GroupCommit<string, string>((ops) => ({
    outcomes: ops.map((op) => ({ ok: true as const, value: op })),
    onDurable: () => { published = true; },
  }), { durable: disk.durable });
  const write = gc.submit('x');
  await turn();
  disk.failOne(new Error('EIO'));
  await assert.rejects(write, /EIO/);
  assert.equal(published, false);
});

test('a refused op fails alone, the rest of its batch commits', async () => {
  const gc = new GroupCommit<number, number>((ops) => ({
    outcomes: ops.map((n) => (n < 0 ? { ok: false as const, error: new Error(`bad ${n}`) } : { ok: true as const, value: n * 2 })),
    onDurable: () => {},
  }));
  const [a, b] = await Promise.allSettled([gc.submit(1), gc.submit(-1)]);
  assert.deepEqual(a, { status: 'fulfilled', value: 2 });
  assert.equal(b.status, 'rejected');
});
