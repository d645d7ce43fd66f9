// The arithmetic behind a PodDisruptionBudget's status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../src/controllers/endpoints/index.js';
import {
  buildDisruptedPodMap, countHealthyPods, DELETION_TIMEOUT_MS, disruptionAllowedCondition, scaledValue, setCondition, syncFailedCondition,
} from '../../../src/controllers/disruption/index.js';

const pod = (name: string, ready = true, deleting = false): Pod => ({
  metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('percentages scale up, integers and integer strings stand, anything else is an error', () => {
  assert.equal(scaledValue('50%', 3), 2);
  assert.equal(scaledValue('10%', 5), 1);
  assert.equal(scaledValue('0%', 5), 0);
  assert.equal(scaledValue(2, 100), 2);
  assert.equal(scaledValue('3', 100), 3);
  assert.throws(() => scaledValue('lots', 3), /invalid value "lots"/);
});

test('recently evicted pods do not count as healthy until they are deleted or their record expires', () => {
  const now = Date.parse('2024-01-01T00:10:00Z');
  const pods = [pod('a'), pod('b'), pod('c'), pod('d', false), pod('e', true, true)];
  const recent = new Date(now - 30_000).toISOString();
  const overdue = new Date(now - DELETION_TIMEOUT_MS - 1000).toISOString();
  const overdueSeen: string[] = [];
  const { disrupted, recheckAt } = buildDisruptedPodMap(pods, { a: recent, b: overdue, e: recent, gone: recent }, now, (p) => overdueSeen.push(p.metadata.name!));
  assert.deepEqual(disrupted, { a: recent });
  assert.deepEqual(overdueSeen, ['b']);
  assert.equal(recheckAt, Date.parse(recent) + DELETION_TIMEOUT_MS);
  // a: evicted; d: not ready; e: deleting. b and c are healthy.
  assert.equal(countHealthyPods(pods, disrupted), 2);
});

test('the DisruptionAllowed condition keeps its transition time while its status holds', () => {
  const c1 = setCondition(undefined, disruptionAllowedCondition(1, 3), 't1');
  assert.deepEqual(c1, [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 3, lastTransitionTime: 't1' }]);
  assert.equal(setCondition(c1, disruptionAllowedCondition(2, 3), 't2')[0].lastTransitionTime, 't1');
  const c2 = setCondition(c1, disruptionAllowedCondition(0, 3), 't3');
  assert.deepEqual([c2[0].status, c2[0].reason, c2[0].lastTransitionTime], ['False', 'InsufficientPods', 't3']);
  const failed = setCondition(c2, syncFailedCondition('found no controllers for pod "x"', 3), 't4');
  assert.deepEqual([failed[0].status, failed[0].reason, failed[0].message, failed[0].lastTransitionTime], ['False', 'SyncFailed', 'found no controllers for pod "x"', 't3']);
});
