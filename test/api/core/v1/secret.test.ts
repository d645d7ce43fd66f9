// Secrets: stringData folded into data, type defaults and rules, size limit, immutability.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';

const secrets = resources.find((r) => r.plural === 'secrets')!;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (fields: Record<string, unknown>): KObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' }, ...fields } as KObject);
const errs = (s: KObject, old?: KObject) => {
  secrets.defaults!(s);
  return secrets.validate!(s, { old }).map((e) => `${e.field}: ${e.message}`);
};

test('type defaults to Opaque; stringData is merged into data and not stored', () => {
  const s = secret({ data: { user: b64('old'), pass: b64('x') }, stringData: { user: 'admin' } });
  assert.deepEqual(errs(s), []);
  assert.equal(s.type, 'Opaque');
  assert.equal(s.stringData, undefined);
  assert.deepEqual(s.data, { user: b64('admin'), pass: b64('x') });
  assert.deepEqual(secrets.row!(s, Date.parse('2025-01-01T00:00:30Z')), ['s', 'Opaque', 2, '30s']);
  assert.deepEqual(secrets.selectableFields!(s), { type: 'Opaque' });
});

test('keys, encoding and the 1 MiB limit', () => {
  assert.deepEqual(errs(secret({ data: { 'bad key': b64('x'), ok: 'not base64!' } })), [
    'data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, \'-\', \'_\' or \'.\' (e.g. \'key.name\',  or \'KEY_NAME\',  or \'key-name\', regex used for validation is \'[-._a-zA-Z0-9]+\')',
    'data[ok]: Invalid value: "<secret contents redacted>": must be base64 encoded',
  ]);
  const big = Buffer.alloc(1024 * 1024 + 1).toString('base64');
  assert.deepEqual(errs(secret({ data: { big } })), ['data: Too long: may not be more than 1048576 bytes']);
});

test('typed secrets need their keys', () => {
  assert.deepEqual(errs(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } })), ['data[tls.key]: Required value']);
  assert.deepEqual(errs(secret({ type: 'kubernetes.io/dockerconfigjson', data: {} })), ['data[.dockerconfigjson]: Required value']);
  assert.deepEqual(errs(secret({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{}}' } })), []);
  assert.deepEqual(errs(secret({ type: 'kubernetes.io/basic-auth' })), ['data[username]: Required value', 'data[password]: Required value']);
  assert.deepEqual(errs(secret({ type: 'kubernetes.io/service-account-token' })), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
});

test('type is immutable; immutable secrets keep their data', () => {
  const old = secret({ immutable: true, data: { a: b64('1') } });
  secrets.defaults!(old);
  assert.deepEqual(errs(secret({ type: 'kubernetes.io/tls', immutable: true, data: { a: b64('1'), 'tls.crt': b64('c'), 'tls.key': b64('k') } }), old), [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
  assert.deepEqual(errs(secret({ data: { a: b64('1') } }), old), ['immutable: Forbidden: field is immutable when `immutable` is set']);
});
