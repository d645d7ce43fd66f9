import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldSelector, fieldSelectorFromSet, escapeFieldValue, unescapeFieldValue } from '../../src/machinery/fields.js';
import { StatusError } from '../../src/machinery/status.js';

test('terms with =, == and != (sorted as Kubernetes sorts them)', () => {
  const s = parseFieldSelector('status.phase!=Running,metadata.name==web,spec.nodeName=n1');
  assert.deepEqual(s.requirements, [
    { field: 'metadata.name', op: '==', value: 'web' },
    { field: 'spec.nodeName', op: '=', value: 'n1' },
    { field: 'status.phase', op: '!=', value: 'Running' },
  ]);
  assert.equal(s.toString(), 'metadata.name=web,spec.nodeName=n1,status.phase!=Running');
});

test('matching: a missing field is the empty string', () => {
  const fields = { 'metadata.name': 'web', 'status.phase': 'Pending' };
  assert.ok(parseFieldSelector('metadata.name=web').matches(fields));
  assert.ok(!parseFieldSelector('metadata.name=db').matches(fields));
  assert.ok(parseFieldSelector('status.phase!=Running').matches(fields));
  assert.ok(parseFieldSelector('spec.nodeName=').matches(fields));
  assert.ok(!parseFieldSelector('spec.nodeName!=').matches(fields));
  assert.ok(parseFieldSelector('metadata.name=web,status.phase=Pending').matches(fields));
  assert.ok(!parseFieldSelector('metadata.name=web,status.phase=Running').matches(fields));
  assert.ok(parseFieldSelector('').matches(fields));
  assert.equal(parseFieldSelector('').empty, true);
  assert.equal(parseFieldSelector(',,').requirements.length, 0);
});

test('escaped values', () => {
  assert.equal(escapeFieldValue('a,b=c\\d'), 'a\\,b\\=c\\\\d');
  assert.equal(unescapeFieldValue('a\\,b\\=c\\\\d'), 'a,b=c\\d');
  const s = parseFieldSelector('metadata.name=a\\,b,metadata.namespace=x');
  assert.deepEqual(s.requirements.map((r) => r.value), ['a,b', 'x']);
  assert.ok(s.matches({ 'metadata.name': 'a,b', 'metadata.namespace': 'x' }));
});

test('bad selectors are 400 BadRequest with Kubernetes messages', () => {
  const cases: Array<[string, string]> = [
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [sel, message] of cases) {
    assert.throws(() => parseFieldSelector(sel), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === message, sel);
  }
});

test('fieldSelectorFromSet and requiresExactMatch', () => {
  const s = fieldSelectorFromSet({ 'spec.nodeName': 'n1', 'metadata.name': 'a=b' });
  assert.equal(s.toString(), 'metadata.name=a\\=b,spec.nodeName=n1');
  assert.equal(s.requiresExactMatch('spec.nodeName'), 'n1');
  assert.equal(parseFieldSelector('spec.nodeName!=n1').requiresExactMatch('spec.nodeName'), undefined);
  assert.deepEqual(parseFieldSelector(s.toString()).requirements, s.requirements);
});
