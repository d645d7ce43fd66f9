import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, decodePointerToken, encodePointerToken } from '../../src/machinery/json-patch.js';
import { StatusError } from '../../src/machinery/status.js';

const pod = () => ({
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'a/b': 'x', 'm~n': 'y' } },
  spec: { containers: [{ name: 'c1', image: 'nginx' }, { name: 'c2', image: 'redis' }] },
});

/** A 422 whose cause carries Kubernetes' patch error text. */
const notApplied = (cause: string) => (e: unknown) =>
  e instanceof StatusError && e.code === 422 && e.reason === 'Invalid' &&
  e.message === 'the server rejected our request due to an error in our request' &&
  e.details?.causes?.[0]?.message === cause;

test('add, remove, replace, move, copy, test', () => {
  const doc = pod();
  const out = applyJsonPatch(doc, [
    { op: 'add', path: '/metadata/labels/tier', value: 'fe' },
    { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' },
    { op: 'add', path: '/spec/containers/-', value: { name: 'c3', image: 'busybox' } },
    { op: 'add', path: '/spec/containers/0', value: { name: 'c0', image: 'alpine' } },
    { op: 'remove', path: '/spec/containers/2' },
    { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name' },
    { op: 'copy', from: '/metadata/name', path: '/metadata/labels/copied' },
    { op: 'test', path: '/metadata/labels/name', value: 'web' },
  ]) as ReturnType<typeof pod>;
  assert.deepEqual(out.metadata.labels, { tier: 'fe', name: 'web', copied: 'web' });
  assert.deepEqual(out.spec.containers.map((c) => `${c.name}=${c.image}`), ['c0=alpine', 'c1=nginx:1.27', 'c3=busybox']);
  assert.deepEqual(doc, pod(), 'the input is not changed');
});

test('RFC 6901 escapes: ~1 is "/", ~0 is "~"', () => {
  const out = applyJsonPatch(pod(), [
    { op: 'replace', path: '/metadata/annotations/a~1b', value: 'X' },
    { op: 'remove', path: '/metadata/annotations/m~0n' },
  ]) as ReturnType<typeof pod>;
  assert.deepEqual(out.metadata.annotations, { 'a/b': 'X' });
  assert.equal(decodePointerToken('~01'), '~1');
  assert.equal(encodePointerToken('a/b~c'), 'a~1b~0c');
});

test('Kubernetes leniencies: negative indices, replace adds a missing key, replace of the root', () => {
  const out = applyJsonPatch(pod(), [
    { op: 'replace', path: '/spec/containers/-1/image', value: 'valkey' },
    { op: 'replace', path: '/metadata/namespace', value: 'default' },
    { op: 'remove', path: '/spec/containers/-2' },
  ]) as ReturnType<typeof pod> & { metadata: { namespace: string } };
  assert.deepEqual(out.spec.containers, [{ name: 'c2', image: 'valkey' }]);
  assert.equal(out.metadata.namespace, 'default');
  assert.deepEqual(applyJsonPatch(pod(), [{ op: 'replace', path: '', value: { a: 1 } }]), { a: 1 });
  assert.deepEqual(applyJsonPatch({ a: null }, [{ op: 'test', path: '/a', value: null }]), { a: null });
  assert.deepEqual(applyJsonPatch({}, [{ op: 'test', path: '/missing', value: null }]), {});
});

test('operations that do not apply are 422 with Kubernetes messages', () => {
  const cases: Array<[object, string]> = [
    [{ op: 'test', path: '/metadata/name', value: 'db' }, 'testing value /metadata/name failed: test failed'],
    [{ op: 'remove', path: '/metadata/nope' }, "error in remove for path: '/metadata/nope': Unable to remove nonexistent key: nope: missing value"],
    [{ op: 'add', path: '/nope/x', value: 1 }, 'add operation does not apply: doc is missing path: "/nope/x": missing value'],
    [{ op: 'add', path: '/spec/containers/5', value: {} }, "error in add for path: '/spec/containers/5': Unable to access invalid index: 5: invalid index referenced"],
    [{ op: 'add', path: '/spec/containers/x', value: {} }, "error in add for path: '/spec/containers/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax"],
    [{ op: 'replace', path: '/spec/containers/9', value: {} }, 'replace operation does not apply: doc is missing key: /spec/containers/9: missing value'],
    [{ op: 'replace', path: '/a/b/c', value: 1 }, 'replace operation does not apply: doc is missing path: /a/b/c: missing value'],
    [{ op: 'move', from: '/nope/x', path: '/a' }, 'move operation does not apply: doc is missing from path: /nope/x: missing value'],
    [{ op: 'copy', from: '/spec/containers/7', path: '/a' }, "error in copy for from: '/spec/containers/7': Unable to access invalid index: 7: invalid index referenced"],
    [{ op: 'frob', path: '/a' }, 'Unexpected kind: frob'],
    [{ path: '/a' }, 'Unexpected kind: unknown'],
    [{ op: 'add', value: 1 }, 'add operation failed to decode path: missing value'],
    [{ op: 'add', path: '', value: {} }, 'add operation does not apply: doc is missing path: "": missing value'],
    [{ op: 'test', path: '/metadata/name' }, 'testing value /metadata/name failed: test failed'],
  ];
  for (const [op, cause] of cases) assert.throws(() => applyJsonPatch(pod(), [op]), notApplied(cause), JSON.stringify(op));
});

test('a failed operation leaves nothing half-applied in the input', () => {
  const doc = pod();
  assert.throws(() => applyJsonPatch(doc, [{ op: 'remove', path: '/metadata/labels' }, { op: 'test', path: '/x', value: 1 }]), StatusError);
  assert.deepEqual(doc, pod());
});

test('malformed patch documents are 400; too many operations is 413', () => {
  assert.throws(() => applyJsonPatch({}, { op: 'add' }), (e: unknown) => e instanceof StatusError && e.code === 400 &&
    e.message === 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  assert.throws(() => applyJsonPatch({}, ['add']), (e: unknown) => e instanceof StatusError && e.code === 400 &&
    e.message === 'json: cannot unmarshal string into Go value of type jsonpatch.Operation');
  const many = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a', value: 1 }));
  assert.throws(() => applyJsonPatch({ a: 1 }, many), (e: unknown) => e instanceof StatusError && e.code === 413 &&
    e.message === 'The allowed maximum operations in a JSON patch is 10000, got 10001');
});

test('copy growth is limited', () => {
  const big = { a: 'x'.repeat(1024 * 1024) };
  const ops = [1, 2, 3, 4].map((i) => ({ op: 'copy', from: '/a', path: `/b${i}` }));
  assert.throws(() => applyJsonPatch(big, ops), (e: unknown) => e instanceof StatusError && e.code === 422 &&
    /^Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 3145728$/.test(e.details?.causes?.[0]?.message ?? ''));
});

test('"__proto__" is an ordinary key, not a prototype', () => {
  const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]);
  assert.equal(JSON.stringify(out), '{"__proto__":{"polluted":true}}');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
