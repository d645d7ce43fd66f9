import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, cidrsOverlap, formatCidr, isLocalOnlyIP, parseCidr, parseIP } from '../../../src/kubelet/network/cidr.js';

test('IPv6 addresses written compressed, in full or with an IPv4 tail are the same number', () => {
  assert.equal(parseIP('fd00::1')!.value, parseIP('fd00:0:0:0:0:0:0:1')!.value);
  assert.equal(parseIP('::ffff:10.0.0.1')!.value, parseIP('::ffff:a00:1')!.value);
  assert.equal(parseIP('::')!.value, 0n);
  assert.equal(parseIP('10.1.2.3')!.value, 0x0a010203n);
  assert.equal(parseIP('10.1.2'), undefined);
  assert.equal(parseIP('fd00:::1'), undefined);
});

test('ranges are masked to their network and checked for containment and overlap', () => {
  assert.equal(formatCidr(parseCidr('10.42.3.77/24')!), '10.42.3.0/24');
  assert.equal(formatCidr(parseCidr('fd00:42:0:1::5/64')!), 'fd00:42:0:1:0:0:0:0/64');
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
  assert.equal(parseCidr('10.0.0.0'), undefined);
  const cluster = parseCidr('10.42.0.0/16')!;
  assert.ok(cidrContains(cluster, parseCidr('10.42.9.0/24')!));
  assert.ok(!cidrContains(cluster, parseCidr('10.43.9.0/24')!));
  assert.ok(!cidrContains(cluster, parseCidr('10.0.0.0/8')!));
  assert.ok(!cidrContains(cluster, parseCidr('fd00::/64')!));
  assert.ok(cidrsOverlap(parseCidr('10.0.0.0/8')!, cluster));
  assert.ok(isLocalOnlyIP(4, parseIP('127.0.0.9')!.value));
  assert.ok(isLocalOnlyIP(6, parseIP('::1')!.value));
  assert.ok(!isLocalOnlyIP(4, parseIP('172.31.0.1')!.value));
});
