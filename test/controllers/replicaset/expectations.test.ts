// Controller expectations: a controller waits to see its own creates and deletes before acting again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Expectations } from '../../../src/controllers/util/expectations.js';

test('creations must all be observed before the controller may act again', () => {
  const e = new Expectations();
  assert.ok(e.satisfied('ns/rs'), 'no record: act');
  e.expectCreations('ns/rs', 2);
  assert.ok(!e.satisfied('ns/rs'));
  e.creationObserved('ns/rs');
  assert.ok(!e.satisfied('ns/rs'));
  e.creationObserved('ns/rs');
  assert.ok(e.satisfied('ns/rs'));
});

test('a deletion counts once however often the informer reports it', () => {
  const e = new Expectations();
  e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/a'); // marked for deletion, then deleted
  assert.deepEqual(e.pending('ns/rs'), { add: 0, del: 1 });
  e.deletionObserved('ns/rs', 'ns/other');
  assert.ok(!e.satisfied('ns/rs'));
  e.deletionObserved('ns/rs', 'ns/b');
  assert.ok(e.satisfied('ns/rs'));
});

test('creations that fail are lowered; expectations expire after five minutes', () => {
  let now = 0;
  const e = new Expectations(() => now);
  e.expectCreations('ns/rs', 5);
  e.lowerCreations('ns/rs', 3);
  assert.deepEqual(e.pending('ns/rs'), { add: 2, del: 0 });
  now += 5 * 60_000;
  assert.ok(!e.satisfied('ns/rs'));
  now += 1;
  assert.ok(e.satisfied('ns/rs'), 'expired');
  e.delete('ns/rs');
  assert.equal(e.pending('ns/rs'), undefined);
});
