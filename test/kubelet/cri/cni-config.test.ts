// The node's CNI conflist: bridge + host-local on the podCIDR, no masquerade, portmap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCidr, CniConfigError, writeCniConfig } from '../../../src/kubelet/network/cni-config.js';

test('writeCniConfig writes a bridge conflist on the podCIDR, replacing any earlier one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-cni-'));
  try {
    const conf = join(dir, 'net.d');
    const file = await writeCniConfig(conf, '10.42.3.0/24');
    assert.equal(file, join(conf, '10-k8ts.conflist'));
    const list = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(list.name, 'k8ts');
    assert.equal(list.cniVersion, '1.0.0');
    const [bridge, portmap] = list.plugins;
    assert.equal(bridge.type, 'bridge');
    assert.equal(bridge.bridge, 'cni0');
    assert.equal(bridge.isGateway, true);
    assert.equal(bridge.ipMasq, false, 'pod traffic is never NATed off the machine');
    assert.deepEqual(bridge.ipam.ranges, [[{ subnet: '10.42.3.0/24' }]]);
    assert.equal(bridge.ipam.type, 'host-local');
    assert.equal(bridge.ipam.dataDir, join(dir, 'networks'), 'leases stay under the data dir');
    assert.deepEqual(portmap, { type: 'portmap', capabilities: { portMappings: true } });

    await writeCniConfig(conf, '10.42.4.0/24', { bridge: 'k8ts0', mtu: 1400 });
    assert.deepEqual(readdirSync(conf), ['10-k8ts.conflist'], 'one file, no temporaries left');
    const again = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual([again.plugins[0].bridge, again.plugins[0].mtu, again.plugins[0].ipam.ranges[0][0].subnet], ['k8ts0', 1400, '10.42.4.0/24']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a podCIDR that is not a CIDR is refused before anything is written', async () => {
  for (const bad of ['10.42.0.0', '10.42.0.0/33', '10.42.0/24', 'fd00::/129', '', 'x/8']) {
    assert.throws(() => checkCidr(bad), CniConfigError, bad);
  }
  assert.deepEqual(checkCidr('fd00:42::/64'), { address: 'fd00:42::', prefix: 64, family: 6 });
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-cni-'));
  try {
    await assert.rejects(writeCniConfig(join(dir, 'net.d'), '10.42.0.0/40'), /is not a CIDR such as 10\.42\.0\.0\/24/);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
