import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseQuantity, isValidQuantity, Quantity, canonicalQuantity, quantityFromJSON,
  ERR_QUANTITY_FORMAT, ERR_QUANTITY_SUFFIX,
} from '../../src/machinery/quantity.js';
import { StatusError } from '../../src/machinery/status.js';

// input → the string kube-apiserver stores and returns for it
const canonical: Array<[string, string]> = [
  ['0', '0'], ['0n', '0'], ['0m', '0'], ['0Ki', '0'], ['0Gi', '0'], ['00', '0'], ['0e5', '0'],
  ['1', '1'], ['9', '9'], ['1000m', '1'], ['1500m', '1500m'], ['0.5', '500m'], ['.5', '500m'],
  ['100m', '100m'], ['0.1', '100m'], ['250m', '250m'], ['2.5', '2500m'], ['1.08', '1080m'],
  ['1000', '1k'], ['1500', '1500'], ['1000000', '1M'], ['1000M', '1G'], ['8k', '8k'], ['50k', '50k'],
  ['12E', '12E'], ['1.01E', '1010P'], ['100.0350k', '100035'], ['10.0350M', '10035k'],
  // already canonical in shape (whole digits at a multiple-of-3 exponent): Kubernetes echoes them as written
  ['100.035k', '100.035k'], ['10.035M', '10.035M'],
  ['1Ki', '1Ki'], ['1024Mi', '1Gi'], ['1536Mi', '1536Mi'], ['1.5Gi', '1536Mi'], ['0.5Gi', '512Mi'],
  ['300Mi', '300Mi'], ['307200Ki', '300Mi'], ['1024Gi', '1Ti'], ['1025024Mi', '1001Gi'],
  ['0.5Ki', '512'], ['1.5Ki', '1536'], ['1.1Ki', '1126400m'], ['100.035Ki', '102435840m'],
  ['.001Ki', '1024m'], ['.000001Ki', '1024u'], ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
  ['1e3', '1e3'], ['1E6', '1E6'], ['10E5', '1e6'], ['1E-3', '1E-3'], ['0.001E0', '1e-3'], ['1.2e3', '1200'], ['1.3E+6', '1300e3'],
  ['0.5e0', '500e-3'], ['.001e12', '1e9'], ['1000e-12', '1e-9'], ['80e-3', '80e-3'],
  ['3.001n', '4n'], ['0.9n', '1n'], ['0.0000000001', '1n'], ['0.00000012345', '124n'], ['1.1E-9', '2e-9'],
  ['1.', '1.'], ['1.G', '1.G'], ['1.0', '1'], ['+1', '+1'], ['-1', '-1'], ['-1000m', '-1'], ['-1Ki', '-1Ki'],
  ['-0.5', '-500m'], ['-1536Mi', '-1536Mi'], ['1000E', '1e21'], ['9Ei', '9223372036854775807'],
  ['9223372036854775807Ki', '9223372036854775807'],
];

test('quantities print in Kubernetes canonical form', () => {
  for (const [input, want] of canonical) {
    assert.equal(parseQuantity(input).toString(), want, input);
  }
});

test('canonical output parses back to the same value and prints the same', () => {
  for (const [input] of canonical) {
    const q = parseQuantity(input);
    const again = parseQuantity(q.toString());
    assert.equal(again.cmp(q), 0, input);
    assert.equal(again.toString(), q.toString(), input);
  }
});

test('formats follow the input suffix; tiny binary amounts become decimal', () => {
  assert.equal(parseQuantity('1Gi').format, 'BinarySI');
  assert.equal(parseQuantity('0.5Mi').format, 'BinarySI');
  assert.equal(parseQuantity('0.000000000001Ki').format, 'DecimalSI');
  assert.equal(parseQuantity('1k').format, 'DecimalSI');
  assert.equal(parseQuantity('1e3').format, 'DecimalExponent');
  assert.equal(parseQuantity('1E').format, 'DecimalSI');
});

test('bad quantities throw 400 BadRequest with Kubernetes messages', () => {
  const cases: Array<[string, string]> = [
    ['', ERR_QUANTITY_FORMAT], ['1.1.M', ERR_QUANTITY_FORMAT], ['1+1.0M', ERR_QUANTITY_FORMAT],
    ['aoeu', ERR_QUANTITY_FORMAT], ['-3.01e-', ERR_QUANTITY_SUFFIX], [' 1', ERR_QUANTITY_FORMAT],
    ['1 ', ERR_QUANTITY_FORMAT], ['0.1mi', ERR_QUANTITY_SUFFIX], ['0.1am', ERR_QUANTITY_FORMAT],
    ['.5i', ERR_QUANTITY_SUFFIX], ['1i', ERR_QUANTITY_SUFFIX], ['1K', ERR_QUANTITY_SUFFIX],
    ['1e', ERR_QUANTITY_SUFFIX], ['1Gi5', ERR_QUANTITY_SUFFIX], ['1e3.5', ERR_QUANTITY_FORMAT], ['1ki', ERR_QUANTITY_SUFFIX],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseQuantity(input), (e: unknown) => e instanceof StatusError && e.code === 400 && e.reason === 'BadRequest' && e.message === message, input);
    assert.equal(isValidQuantity(input), false, input);
  }
  assert.throws(() => parseQuantity(Number.NaN), StatusError);
  assert.equal(isValidQuantity('100m'), true);
  assert.equal(isValidQuantity({}), false);
});

test('numbers parse as their decimal text', () => {
  assert.equal(parseQuantity(1).toString(), '1');
  assert.equal(parseQuantity(0.5).toString(), '500m');
  assert.equal(parseQuantity(1000).toString(), '1k');
  assert.equal(parseQuantity(2048).toString(), '2048');
  assert.equal(parseQuantity(1e21).toString(), '1e+21');
  assert.equal(parseQuantity(1.5e21).toString(), '1500e18');
  assert.equal(quantityFromJSON(' 100m ')?.toString(), '100m');
  assert.equal(quantityFromJSON(null), undefined);
  assert.equal(canonicalQuantity('2000m'), '2');
});

test('value and milliValue round away from zero', () => {
  assert.equal(parseQuantity('100m').milliValue(), 100n);
  assert.equal(parseQuantity('100m').value(), 1n);
  assert.equal(parseQuantity('1.5').value(), 2n);
  assert.equal(parseQuantity('-1.5').value(), -2n);
  assert.equal(parseQuantity('1Gi').value(), 1073741824n);
  assert.equal(parseQuantity('1n').milliValue(), 1n);
  assert.equal(parseQuantity('2').milliValue(), 2000n);
  assert.equal(parseQuantity('1u').scaledValue(-9), 1000n);
  assert.equal(parseQuantity('1').scaledValue(-9), 1000000000n);
  assert.equal(parseQuantity('1k').scaledValue(3), 1n);
  // beyond int64 is still exact
  assert.equal(parseQuantity('18446744073709551616').value(), 18446744073709551616n);
});

test('arithmetic is exact and keeps the format of the first non-zero term', () => {
  const sum = parseQuantity('100m').add(parseQuantity('200m'));
  assert.equal(sum.toString(), '300m');
  assert.equal(parseQuantity('0.1').add(parseQuantity('0.2')).toString(), '300m');
  assert.equal(parseQuantity('1Gi').sub(parseQuantity('512Mi')).toString(), '512Mi');
  assert.equal(parseQuantity('1Gi').add(parseQuantity('1k')).toString(), '1073742824');
  assert.equal(parseQuantity('0').add(parseQuantity('1Ki')).toString(), '1Ki');
  assert.equal(parseQuantity('0').sub(parseQuantity('1Ki')).toString(), '-1Ki');
  assert.equal(parseQuantity('1').sub(parseQuantity('1')).toString(), '0');
  assert.equal(parseQuantity('1500m').neg().toString(), '-1500m');
  assert.equal(parseQuantity('250m').mul(4).toString(), '1');
  assert.equal(Quantity.fromMilli(1500).toString(), '1500m');
  assert.equal(Quantity.fromValue(2048, 'BinarySI').toString(), '2Ki');
});

test('comparison and zero checks', () => {
  assert.equal(parseQuantity('1').cmp(parseQuantity('1000m')), 0);
  assert.equal(parseQuantity('1Ki').cmp(parseQuantity('1k')), 1);
  assert.equal(parseQuantity('999m').cmp(parseQuantity('1')), -1);
  assert.ok(parseQuantity('0Gi').isZero());
  assert.ok(!parseQuantity('1n').isZero());
  assert.equal(parseQuantity('-5').sign(), -1);
  assert.ok(parseQuantity('1G').equals(parseQuantity('1000M')));
  assert.equal(JSON.stringify({ cpu: parseQuantity('1000m') }), '{"cpu":"1"}');
});

test('huge exponents are rejected rather than exhausting memory; tiny ones round up', () => {
  assert.throws(() => parseQuantity('1e999999999'), StatusError);
  assert.equal(parseQuantity('1e-999999999').toString(), '1e-9');
  assert.equal(parseQuantity('0e-999999999').toString(), '0');
});
