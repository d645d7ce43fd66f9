// The schemas and declarations of every built-in group hold together: each $ref names a
// definition, each resource's schema exists, and each printer row fits its columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources, definitions } from '../../../src/api/index.js';
import { refName, type Schema } from '../../../src/machinery/schema.js';

function refs(s: unknown, out: string[]): void {
  if (!s || typeof s !== 'object') return;
  if (Array.isArray(s)) { s.forEach((x) => refs(x, out)); return; }
  const schema = s as Schema & Record<string, unknown>;
  if (typeof schema.$ref === 'string') out.push(refName(schema.$ref));
  for (const v of Object.values(schema)) refs(v, out);
}

test('every $ref in every definition resolves', () => {
  const missing: string[] = [];
  for (const [name, schema] of definitions) {
    const found: string[] = [];
    refs(schema, found);
    for (const r of found) if (!definitions.has(r)) missing.push(`${name} -> ${r}`);
  }
  assert.deepEqual(missing, []);
});

test('every resource names an existing schema with its group/version/kind', () => {
  for (const r of builtinResources) {
    const schema = definitions.get(r.schemaName);
    assert.ok(schema, `${r.group}/${r.plural}: ${r.schemaName}`);
    const gvk = schema!['x-kubernetes-group-version-kind'];
    if (gvk) assert.ok(gvk.some((g) => g.group === r.group && g.version === r.version && g.kind === r.kind), `${r.schemaName} gvk`);
  }
});

test('printer rows have one cell per column and begin with a Name column', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  // Create-only resources (SelfSubjectReview ...) are never listed, so they have nothing to print.
  for (const r of builtinResources.filter((x) => x.group !== '' && (x.verbs ?? ['list']).includes('list'))) {
    assert.ok(r.columns && r.row, `${r.group}/${r.plural} prints`);
    const names = r.columns!.map((c) => c.name);
    assert.ok(names.includes('Name'), `${r.plural} has a Name column`);
    const row = r.row!({ metadata: { name: 'x', creationTimestamp: '2024-12-31T00:00:00Z' } }, now);
    assert.equal(row.length, r.columns!.length, `${r.group}/${r.plural} row length`);
  }
});

test('defaults and validate survive an empty object of every non-core kind', () => {
  for (const r of builtinResources.filter((x) => x.group !== '')) {
    const obj = { metadata: { name: 'x', namespace: r.namespaced ? 'default' : undefined } };
    r.defaults?.(obj);
    assert.ok(Array.isArray(r.validate?.(obj, {}) ?? []), `${r.group}/${r.plural}`);
  }
});
