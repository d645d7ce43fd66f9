// The default node address: the source address of the route to the API server.
import { enterNetns } from '../../helpers/netns.js';
await enterNetns();

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { sourceAddressFor } from '../../../src/kubelet/network/index.js';

test('the node address is the one this machine reaches the server from', async () => {
  const sh = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });
  sh('link', 'add', 'k8ts-ip0', 'type', 'veth', 'peer', 'name', 'k8ts-ip1');
  try {
    sh('addr', 'add', '172.31.9.1/30', 'dev', 'k8ts-ip0');
    sh('addr', 'add', '172.31.9.5/30', 'dev', 'k8ts-ip1');
    sh('link', 'set', 'k8ts-ip0', 'up');
    sh('link', 'set', 'k8ts-ip1', 'up');
    assert.equal(await sourceAddressFor('https://172.31.9.2:6443'), '172.31.9.1');
    assert.equal(await sourceAddressFor('https://172.31.9.6:6443'), '172.31.9.5');
    assert.equal(await sourceAddressFor('https://127.0.0.1:6443'), '127.0.0.1');
    assert.equal(await sourceAddressFor('https://[::1]:6443'), '::1');
    await assert.rejects(sourceAddressFor('https://10.255.255.1:6443'), /no route to the server 10\.255\.255\.1 .*pass --node-ip/);
  } finally {
    sh('link', 'del', 'k8ts-ip0');
  }
});
