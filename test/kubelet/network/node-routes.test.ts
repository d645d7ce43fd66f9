// host-gw routes to other nodes' pod ranges: which routes a node wants from the Node objects, the
// plan that gets the kernel there, and that plan carried out on a real routing table (in this
// file's own network namespace).
import { enterNetns } from '../../helpers/netns.js';
await enterNetns();

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  desiredNodeRoutes, listNodeRoutes, planNodeRoutes, reconcileNodeRoutes, installUnreachableRoutes, type RouteNode,
} from '../../../src/kubelet/network/index.js';

const scope = { nodeName: 'n1', podCIDRs: ['10.42.0.0/24'], clusterCIDRs: ['10.42.0.0/16'] };

function node(name: string, podCIDR: string | undefined, ...ips: string[]): RouteNode {
  return {
    metadata: { name },
    spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
    status: { addresses: [...ips.map((address) => ({ type: 'InternalIP', address })), { type: 'Hostname', address: name }] },
  };
}

test('each other node\'s podCIDR is routed via its InternalIP; this node\'s own range is not', () => {
  const routes = desiredNodeRoutes([node('n1', '10.42.0.0/24', '172.31.0.1'), node('n3', '10.42.2.0/24', '172.31.0.3'), node('n2', '10.42.1.0/24', '172.31.0.2')], scope);
  assert.deepEqual(routes, [
    { dst: '10.42.1.0/24', via: '172.31.0.2', family: 4, node: 'n2' },
    { dst: '10.42.2.0/24', via: '172.31.0.3', family: 4, node: 'n3' },
  ]);
});

test('nodes that cannot be routed to are left out', () => {
  const routes = desiredNodeRoutes([
    node('no-range', undefined, '172.31.0.5'),
    node('no-address', '10.42.5.0/24'),
    node('loopback', '10.42.6.0/24', '127.0.0.1'),
    node('outside-cluster', '192.168.7.0/24', '172.31.0.7'),
    node('everything', '0.0.0.0/0', '172.31.0.8'),
    node('overlaps-mine', '10.42.0.128/25', '172.31.0.9'),
    node('garbage', 'not-a-cidr', '172.31.0.10'),
    node('v6-range-v4-address', 'fd00:42::/64', '172.31.0.11'),
  ], scope);
  assert.deepEqual(routes, []);
});

test('a range written with host bits is routed as its network; two nodes claiming one range: the first by name wins', () => {
  const routes = desiredNodeRoutes([node('zeta', '10.42.3.0/24', '172.31.0.9'), node('alpha', '10.42.3.77/24', '172.31.0.4')], scope);
  assert.deepEqual(routes, [{ dst: '10.42.3.0/24', via: '172.31.0.4', family: 4, node: 'alpha' }]);
});

test('dual-stack nodes get a route per family, each via the address of that family', () => {
  const n: RouteNode = { metadata: { name: 'n2' }, spec: { podCIDR: '10.42.1.0/24', podCIDRs: ['10.42.1.0/24', 'fd00:42:0:1::/64'] }, status: { addresses: [{ type: 'InternalIP', address: '172.31.0.2' }, { type: 'InternalIP', address: 'fd00:31::2' }] } };
  const routes = desiredNodeRoutes([n], { ...scope, clusterCIDRs: ['10.42.0.0/16', 'fd00:42::/48'] });
  assert.deepEqual(routes.map((r) => `${r.dst} via ${r.via}`), ['10.42.1.0/24 via 172.31.0.2', 'fd00:42:0:1:0:0:0:0/64 via fd00:31:0:0:0:0:0:2']);
});

test('the plan replaces missing or moved routes and removes routes to nodes that are gone', () => {
  const desired = desiredNodeRoutes([node('n2', '10.42.1.0/24', '172.31.0.2'), node('n3', '10.42.2.0/24', '172.31.0.30'), node('n4', '10.42.4.0/24', '172.31.0.4')], scope);
  const current = [
    { dst: '10.42.1.0/24', via: '172.31.0.2', family: 4 as const },
    { dst: '10.42.2.0/24', via: '172.31.0.3', family: 4 as const },
    { dst: '10.42.9.0/24', via: '172.31.0.9', family: 4 as const },
  ];
  const plan = planNodeRoutes(desired, current);
  assert.deepEqual(plan.replace.map((r) => `${r.dst} via ${r.via}`), ['10.42.2.0/24 via 172.31.0.30', '10.42.4.0/24 via 172.31.0.4']);
  assert.deepEqual(plan.remove.map((r) => r.dst), ['10.42.9.0/24']);
  assert.deepEqual(planNodeRoutes(desired, desired), { replace: [], remove: [] });
});

test('reconciling sets, moves and removes only its own routes in the kernel', async () => {
  const sh = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });
  // A veth pair is this namespace's link to the other nodes (no dummy module on every machine).
  sh('link', 'add', 'k8ts-rt0', 'type', 'veth', 'peer', 'name', 'k8ts-rt1');
  try {
    sh('addr', 'add', '172.31.0.1/24', 'dev', 'k8ts-rt0');
    sh('link', 'set', 'k8ts-rt0', 'up');
    sh('link', 'set', 'k8ts-rt1', 'up');
    await installUnreachableRoutes(['10.42.0.0/16']);
    // Someone else's route inside the cluster range: not ours to touch.
    sh('route', 'add', '10.42.200.0/24', 'via', '172.31.0.200');

    let r = await reconcileNodeRoutes(desiredNodeRoutes([node('n2', '10.42.1.0/24', '172.31.0.2'), node('n3', '10.42.2.0/24', '172.31.0.3')], scope));
    assert.deepEqual(r.failures, []);
    assert.deepEqual((await listNodeRoutes()).map((x) => `${x.dst} via ${x.via}`), ['10.42.1.0/24 via 172.31.0.2', '10.42.2.0/24 via 172.31.0.3']);
    // The /24 wins over the unreachable /16: a pod of n2 goes out to n2, an unknown pod IP dies here.
    assert.match(sh('route', 'get', '10.42.1.7'), /via 172\.31\.0\.2 dev k8ts-rt0/);
    assert.throws(() => execFileSync('ip', ['route', 'get', '10.42.77.7'], { stdio: 'pipe' }), /No route to host/);

    // n3 moved to another address, n2 is gone, n4 has an address no link reaches.
    r = await reconcileNodeRoutes(desiredNodeRoutes([node('n3', '10.42.2.0/24', '172.31.0.33'), node('n4', '10.42.4.0/24', '192.0.2.4')], scope));
    assert.deepEqual(r.remove.map((x) => x.dst), ['10.42.1.0/24']);
    assert.equal(r.failures.length, 1);
    assert.match(r.failures[0], /node n4's pods/);
    assert.deepEqual((await listNodeRoutes()).map((x) => `${x.dst} via ${x.via}`), ['10.42.2.0/24 via 172.31.0.33']);
    assert.match(sh('route', 'show', 'exact', '10.42.200.0/24'), /via 172\.31\.0\.200/);

    r = await reconcileNodeRoutes([]);
    assert.deepEqual(await listNodeRoutes(), []);
    assert.match(sh('route', 'show', 'exact', '10.42.200.0/24'), /via 172\.31\.0\.200/);
  } finally {
    sh('link', 'del', 'k8ts-rt0');
  }
});
