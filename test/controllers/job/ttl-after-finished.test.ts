// The TTL-after-finished controller's sync: when a finished job is deleted, and how.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expiresAt, syncTTL, type TTLDeps } from '../../../src/controllers/job/ttl-after-finished.js';
import type { Job } from '../../../src/controllers/job/types.js';

function finishedJob(ttl: number | undefined, finishedAt: string, rv = '7'): Job {
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'u1', resourceVersion: rv },
    spec: { template: {}, ttlSecondsAfterFinished: ttl },
    status: { conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True', lastTransitionTime: finishedAt }] },
  };
}

function deps(cached: Job | undefined, fresh: Job | undefined, nowMs: number) {
  const deleted: Array<{ name: string; rv?: string }> = [];
  const requeued: number[] = [];
  const d: TTLDeps = {
    now: () => nowMs,
    getJob: () => cached,
    api: {
      getJob: async () => {
        if (!fresh) throw new Error('gone');
        return fresh;
      },
      deleteJob: async (_ns, name, rv) => void deleted.push({ name, rv }),
    },
    requeueAfter: (_key, ms) => void requeued.push(ms),
  };
  return { d, deleted, requeued };
}

test('a finished job is deleted once its TTL has passed, preconditioned on the version read', async () => {
  const job = finishedJob(60, '2025-01-01T00:00:00Z');
  const { d, deleted } = deps(job, finishedJob(60, '2025-01-01T00:00:00Z', '9'), Date.parse('2025-01-01T00:01:00Z'));
  await syncTTL(d, 'default/pi');
  assert.deepEqual(deleted, [{ name: 'pi', rv: '9' }]);
});

test('before its TTL a job is requeued for the moment it expires', async () => {
  const job = finishedJob(60, '2025-01-01T00:00:00Z');
  const { d, deleted, requeued } = deps(job, job, Date.parse('2025-01-01T00:00:45Z'));
  await syncTTL(d, 'default/pi');
  assert.deepEqual(deleted, []);
  assert.deepEqual(requeued, [15_000]);
});

test('a TTL raised since the cache was filled is honoured', async () => {
  const { d, deleted, requeued } = deps(finishedJob(0, '2025-01-01T00:00:00Z'), finishedJob(120, '2025-01-01T00:00:00Z'), Date.parse('2025-01-01T00:01:00Z'));
  await syncTTL(d, 'default/pi');
  assert.deepEqual(deleted, []);
  assert.deepEqual(requeued, [60_000]);
});

test('jobs without TTL, running, or already being deleted never expire', () => {
  assert.equal(expiresAt(finishedJob(undefined, '2025-01-01T00:00:00Z')), undefined);
  const running = finishedJob(10, '2025-01-01T00:00:00Z');
  running.status = {};
  assert.equal(expiresAt(running), undefined);
  const deleting = finishedJob(10, '2025-01-01T00:00:00Z');
  deleting.metadata.deletionTimestamp = '2025-01-01T00:00:05Z';
  assert.equal(expiresAt(deleting), undefined);
  assert.equal(expiresAt(finishedJob(10, '2025-01-01T00:00:00Z')), Date.parse('2025-01-01T00:00:10Z'));
  assert.throws(() => expiresAt(finishedJob(10, '')), /unable to find the time when the Job default\/pi finished/);
});
