// ConfigMaps: key rules, the size cap, immutability, the DATA column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';

const configMaps = resources.find((r) => r.plural === 'configmaps')!;
const cm = (fields: Record<string, unknown>): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' }, ...fields } as KObject);
const msgs = (c: KObject, old?: KObject) => configMaps.validate!(c, { old }).map((e) => `${e.field}: ${e.message}`);

test('keys must be config keys and not repeat across data and binaryData', () => {
  assert.deepEqual(msgs(cm({ data: { 'app.conf': 'x', '..': 'y', both: 'z' }, binaryData: { both: 'eg==' } })), [
    'data[..]: Invalid value: "..": must not be \'..\'',
    'data[both]: Invalid value: "both": duplicate of key present in binaryData',
  ]);
  assert.deepEqual(configMaps.row!(cm({ data: { a: '1' }, binaryData: { b: 'eg==' } }), Date.parse('2025-01-01T00:00:05Z')), ['cfg', 2, '5s']);
});

test('at most 1 MiB of data', () => {
  assert.deepEqual(msgs(cm({ data: { big: 'x'.repeat(1024 * 1024 + 1) } })), [': Too long: may not be more than 1048576 bytes']);
});

test('immutable config maps keep their data', () => {
  const old = cm({ immutable: true, data: { a: '1' } });
  assert.deepEqual(msgs(cm({ immutable: true, data: { a: '2' } }), old), ['data: Forbidden: field is immutable when `immutable` is set']);
  assert.deepEqual(msgs(cm({ data: { a: '1' } }), old), ['immutable: Forbidden: field is immutable when `immutable` is set']);
  assert.deepEqual(msgs(cm({ immutable: true, data: { a: '1' } }), old), []);
});
