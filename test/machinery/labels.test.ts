import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseSelector, selectorFromLabelSelector, selectorFromSet, formatLabelSelector, validateLabelSelector,
  newRequirement, everything, nothing,
} from '../../src/machinery/labels.js';
import { StatusError } from '../../src/machinery/status.js';

const badRequest = (message: string | RegExp) => (e: unknown) =>
  e instanceof StatusError && e.code === 400 && e.reason === 'BadRequest' &&
  (typeof message === 'string' ? e.message === message : message.test(e.message));

test('every operator of the string syntax', () => {
  const s = parseSelector('a=b,c!=d,e in (x,y),f notin (z),g,!h,i==j,n>3,m<10');
  assert.deepEqual(s.requirements.map((r) => [r.key, r.operator, r.values]), [
    ['a', '=', ['b']], ['c', '!=', ['d']], ['e', 'in', ['x', 'y']], ['f', 'notin', ['z']], ['g', 'exists', []],
    ['h', '!', []], ['i', '==', ['j']], ['m', 'lt', ['10']], ['n', 'gt', ['3']],
  ]);
  assert.equal(s.toString(), 'a=b,c!=d,e in (x,y),f notin (z),g,!h,i==j,m<10,n>3');
  assert.equal(s.empty, false);
});

test('matching follows Kubernetes semantics', () => {
  const m = (sel: string, labels: Record<string, string> | undefined) => parseSelector(sel).matches(labels);
  assert.ok(m('app=web', { app: 'web', tier: 'fe' }));
  assert.ok(!m('app=web', { app: 'db' }));
  assert.ok(!m('app=web', undefined));
  assert.ok(m('app!=web', {}), 'a missing key is not equal');
  assert.ok(m('env notin (prod)', {}), 'notin matches a missing key');
  assert.ok(!m('env in (prod,dev)', {}));
  assert.ok(m('env in (prod,dev)', { env: 'dev' }));
  assert.ok(m('gpu', { gpu: '' }));
  assert.ok(!m('!gpu', { gpu: '' }));
  assert.ok(m('!gpu', {}));
  assert.ok(m('n>3', { n: '4' }) && !m('n>3', { n: '3' }) && !m('n>3', { n: 'x' }) && !m('n>3', {}));
  assert.ok(m('n<3', { n: '-5' }));
  assert.ok(m('x=', { x: '' }) && !m('x=', {}));
  assert.ok(m('', { anything: 'at all' }));
  assert.ok(m('a=b , c in ( d , e )', { a: 'b', c: 'e' }), 'whitespace is ignored between tokens');
});

test('empty values and keywords as values', () => {
  assert.deepEqual(parseSelector('x in (foo,,baz)').requirements[0].values, ['', 'baz', 'foo']);
  assert.deepEqual(parseSelector('x in ()').requirements[0].values, ['']);
  assert.deepEqual(parseSelector('x in (a,)').requirements[0].values, ['', 'a']);
  assert.deepEqual(parseSelector('x in (in,notin)').requirements[0].values, ['in', 'notin']);
  assert.deepEqual(parseSelector('in').requirements[0], { key: 'in', operator: 'exists', values: [] });
  assert.deepEqual(parseSelector('x=in').requirements[0].values, ['in']);
  assert.equal(parseSelector('  ').empty, true);
  assert.equal(parseSelector('x in (b,a,b)').toString(), 'x in (a,b)');
});

test('syntax errors are 400 BadRequest with Kubernetes messages', () => {
  const cases: Array<[string, string | RegExp]> = [
    ['x=a,', "found '', expected: identifier after ','"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x y', "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    ['x==(', "unable to parse requirement: found '(', expected: identifier"],
    ['!x=y', "found '=', expected: ',' or 'end of string'"],
    ['a/b/c', /^unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a qualified name must consist/],
    ['x=-a', /^unable to parse requirement: values\[0\]\[x\]: Invalid value: "-a": a valid label must be an empty string/],
    ['n>a', /^unable to parse requirement: values\[0\]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer$/],
    ['x in (,', /^unable to parse requirement: found '', expected: ',', or identifier$/],
  ];
  for (const [sel, msg] of cases) assert.throws(() => parseSelector(sel), badRequest(msg), sel);
});

test('metav1.LabelSelector: null matches nothing, {} matches everything', () => {
  const none = selectorFromLabelSelector(null);
  assert.equal(none.matches({ a: 'b' }), false);
  assert.equal(none.matches({}), false);
  assert.equal(none.empty, false);
  const all = selectorFromLabelSelector({});
  assert.equal(all.empty, true);
  assert.ok(all.matches({}) && all.matches(undefined));
  assert.ok(everything().matches({ x: 'y' }));
  assert.ok(!nothing().matches({ x: 'y' }));
});

test('metav1.LabelSelector: matchLabels and matchExpressions all hold', () => {
  const s = selectorFromLabelSelector({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['fe', 'be'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'env', operator: 'NotIn', values: ['prod'] },
      { key: 'team', operator: 'Exists' },
    ],
  });
  assert.ok(s.matches({ app: 'web', tier: 'fe', team: 'a' }));
  assert.ok(!s.matches({ app: 'web', tier: 'fe', team: 'a', canary: 'true' }));
  assert.ok(!s.matches({ app: 'web', tier: 'db', team: 'a' }));
  assert.ok(!s.matches({ app: 'web', tier: 'fe', team: 'a', env: 'prod' }));
  assert.equal(s.toString(), 'app=web,!canary,env notin (prod),team,tier in (be,fe)');
  assert.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), '<error>');
});

test('metav1.LabelSelector errors', () => {
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), badRequest('"Gt" is not a valid label selector operator'));
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
    badRequest("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"));
  assert.throws(() => selectorFromLabelSelector({ matchLabels: { 'a/b/c': 'x' } }), badRequest(/^key: Invalid value: "a\/b\/c"/));
  assert.throws(() => newRequirement('a', 'exists', ['x']), badRequest("values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist"));
});

test('selectorFromSet and requiresExactMatch', () => {
  const s = selectorFromSet({ b: '2', a: '1' });
  assert.equal(s.toString(), 'a=1,b=2');
  assert.ok(s.matches({ a: '1', b: '2', c: '3' }));
  assert.equal(s.requiresExactMatch('a'), '1');
  assert.equal(parseSelector('x in (y)').requiresExactMatch('x'), 'y');
  assert.equal(parseSelector('x in (y,z)').requiresExactMatch('x'), undefined);
  assert.equal(selectorFromSet({}).empty, true);
  assert.equal(s.add(newRequirement('c', '!', [])).toString(), 'a=1,b=2,!c');
});

test('validateLabelSelector gives field errors with paths', () => {
  assert.deepEqual(validateLabelSelector({ matchLabels: { app: 'web' } }, 'spec.selector'), []);
  const errs = validateLabelSelector({
    matchLabels: { app: '-bad' },
    matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Gt', values: ['1'] }],
  }, 'spec.selector');
  assert.deepEqual(errs.map((e) => [e.type, e.field]), [
    ['FieldValueInvalid', 'spec.selector.matchLabels'],
    ['FieldValueRequired', 'spec.selector.matchExpressions[0].values'],
    ['FieldValueForbidden', 'spec.selector.matchExpressions[1].values'],
    ['FieldValueInvalid', 'spec.selector.matchExpressions[2].operator'],
  ]);
  assert.equal(errs[1].message, "Required value: must be specified when `operator` is 'In' or 'NotIn'");
});
