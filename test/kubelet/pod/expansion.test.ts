import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand, lookupIn } from '../../../src/kubelet/pod/expansion.js';

const vars = lookupIn({ A: 'a', EMPTY: '', B: '$(A)' });

test('$(VAR) references expand to defined values and stay as written when undefined', () => {
  assert.equal(expand('x$(A)y', vars), 'xay');
  assert.equal(expand('$(A)$(A)', vars), 'aa');
  assert.equal(expand('$(MISSING)', vars), '$(MISSING)');
  assert.equal(expand('[$(EMPTY)]', vars), '[]');
  // A value is not expanded again.
  assert.equal(expand('$(B)', vars), '$(A)');
});

test('$$ escapes a dollar, and other $ sequences are left alone', () => {
  assert.equal(expand('$$(A)', vars), '$(A)');
  assert.equal(expand('$$$(A)', vars), '$a');
  assert.equal(expand('cost: $5', vars), 'cost: $5');
  assert.equal(expand('end$', vars), 'end$');
  assert.equal(expand('open $(A', vars), 'open $(A');
  assert.equal(expand('', vars), '');
});

test('the first map holding a name wins', () => {
  const l = lookupIn(new Map([['X', '1']]), { X: '2', Y: '3' });
  assert.equal(expand('$(X)$(Y)', l), '13');
});
