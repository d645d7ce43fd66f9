// Completion index sets as Kubernetes writes them in status.completedIndexes / failedIndexes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  firstFreeIndexes, formatIntervals, hasIndex, mergeIntervals, parseIntervals, totalIndexes, withIndexes,
} from '../../../src/controllers/job/indexes.js';

test('intervals are written compressed, two neighbours as a pair', () => {
  assert.equal(formatIntervals(withIndexes([], [4, 0, 2, 1])), '0-2,4');
  assert.equal(formatIntervals(withIndexes([], [0, 1])), '0,1');
  assert.equal(formatIntervals(withIndexes([], [7])), '7');
  assert.equal(formatIntervals([]), '');
});

test('parsing reads what formatting writes and tolerates a damaged status', () => {
  assert.deepEqual(parseIntervals('0-2,4,6,7', 10), [{ first: 0, last: 2 }, { first: 4, last: 4 }, { first: 6, last: 7 }]);
  assert.deepEqual(parseIntervals('0,1,2', 10), [{ first: 0, last: 2 }]);
  // Beyond completions (after scaling an elastic job down) is cut off; garbage is skipped.
  assert.deepEqual(parseIntervals('1-8,9', 5), [{ first: 1, last: 4 }]);
  assert.deepEqual(parseIntervals('x,3,a-b', 5), [{ first: 3, last: 3 }]);
  assert.deepEqual(parseIntervals(undefined, 5), []);
});

test('membership, totals, unions and the first free indexes', () => {
  const iv = parseIntervals('1-3,7', 10);
  assert.equal(totalIndexes(iv), 4);
  assert.ok(hasIndex(iv, 2) && hasIndex(iv, 7));
  assert.ok(!hasIndex(iv, 0) && !hasIndex(iv, 4) && !hasIndex(iv, 8));
  assert.equal(formatIntervals(mergeIntervals(iv, parseIntervals('4-5,9', 10))), '1-5,7,9');
  assert.deepEqual(firstFreeIndexes(iv, 3, 10), [0, 4, 5]);
  assert.deepEqual(firstFreeIndexes(iv, 10, 5), [0, 4]);
  assert.deepEqual(firstFreeIndexes([], 2, 1), [0]);
});
