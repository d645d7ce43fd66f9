import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW, update } from '../apps/helpers.js';

const classes = def('scheduling.k8s.io', 'priorityclasses');

test('priorityclass defaults preemptionPolicy to PreemptLowerPriority', () => {
  const pc: any = { metadata: { name: 'high' }, value: 1000 };
  assert.deepEqual(create(classes, pc), []);
  assert.equal(pc.preemptionPolicy, 'PreemptLowerPriority');
});

test('priorityclass values: at most 1e9 for users; system- names reserved', () => {
  assert.deepEqual(create(classes, { metadata: { name: 'huge' }, value: 1_000_000_001 }), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  assert.deepEqual(create(classes, { metadata: { name: 'system-mine' }, value: 10 }), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
  ]);
  assert.deepEqual(create(classes, { metadata: { name: 'system-node-critical' }, value: 2000001000 }), []);
  assert.deepEqual(create(classes, { metadata: { name: 'x' }, value: 1, preemptionPolicy: 'Sometimes' }), ['preemptionPolicy: Unsupported value: "Sometimes": supported values: "Never", "PreemptLowerPriority"']);
});

test('priorityclass value and preemptionPolicy are immutable', () => {
  const old: any = { metadata: { name: 'high' }, value: 1000 };
  create(classes, old);
  const next = clone(old);
  next.value = 2000;
  next.preemptionPolicy = 'Never';
  assert.deepEqual(update(classes, next, old), ['value: Forbidden: may not be changed in an update.', 'preemptionPolicy: Invalid value: "Never": field is immutable']);
});

test('priorityclass printer: VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY', () => {
  const pc: any = { metadata: { name: 'high', creationTimestamp: ago(86400 * 3) }, value: 1000, globalDefault: true };
  create(classes, pc);
  assert.deepEqual(cells(classes, pc, NOW), { Name: 'high', Value: 1000, 'Global-Default': true, Age: '3d', PreemptionPolicy: 'PreemptLowerPriority' });
  assert.deepEqual(classes.shortNames, ['pc']);
});
