import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, createMergePatch } from '../../src/machinery/merge-patch.js';
import { StatusError } from '../../src/machinery/status.js';

test('RFC 7386 examples', () => {
  // The test cases of RFC 7386 appendix A.
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [doc, patch, want] of cases) assert.deepEqual(applyMergePatch(doc, patch), want, JSON.stringify(patch));
  assert.deepEqual(applyMergePatch({ a: 'foo' }, ['c']), ['c']);
});

test('lists replace whole; nulls inside list elements of new values are pruned from objects only', () => {
  const doc = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } };
  assert.deepEqual(applyMergePatch(doc, { spec: { containers: [{ name: 'c', image: null }] } }), { spec: { containers: [{ name: 'c' }] } });
  assert.deepEqual(applyMergePatch({}, { l: [null, 1] }), { l: [null, 1] });
  assert.deepEqual(doc, { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } }, 'input untouched');
});

test('a null patch is 400 Invalid JSON Patch', () => {
  assert.throws(() => applyMergePatch({}, null), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'Invalid JSON Patch');
});

test('createMergePatch yields modified when applied to original', () => {
  const original = { metadata: { labels: { a: '1', b: '2' } }, spec: { replicas: 1, ports: [80], x: { y: 1 } }, gone: true };
  const modified = { metadata: { labels: { a: '1', c: '3' } }, spec: { replicas: 3, ports: [80, 443], x: { y: 1 } }, added: 'z' };
  const patch = createMergePatch(original, modified);
  assert.deepEqual(patch, { metadata: { labels: { c: '3', b: null } }, spec: { replicas: 3, ports: [80, 443] }, added: 'z', gone: null });
  assert.deepEqual(applyMergePatch(original, patch), modified);
  assert.deepEqual(createMergePatch(modified, modified), {});
});

test('"__proto__" is an ordinary key, not a prototype', () => {
  const out = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')) as Record<string, unknown>;
  assert.equal(JSON.stringify(out), '{"__proto__":{"polluted":true},"a":1}');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
