// A pool of simulated nodes run from this process against a real server (as a second agent
// process would run more nodes): naming and addressing by startIndex, taking over nodes left by an
// earlier pool without handing out IPs its pods still hold, and a clean stop.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient, resources } from '../../../src/client/index.js';
import { startSimNodes } from '../../../src/kubelet/sim/index.js';
import type { Node, Pod } from '../../../src/kubelet/sim/types.js';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { waitFor as waitUntil } from '../../helpers/wait.js';

let server: TestServer;
let client: RestClient;

before(async () => {
  server = await startServer({ args: ['--disable-controllers', '--disable-scheduler'] });
  client = RestClient.fromKubeconfig(server.kubeconfig);
});

after(async () => {
  client?.close();
  await server?.stop();
});

const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> =>
  waitUntil(what, fn, { timeoutMs });

const runningPod = (name: string, node: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }] },
});

async function running(name: string): Promise<Pod> {
  return waitFor(`${name} Running`, async () => {
    const p = await client.get<Pod>(resources.pods, 'default', name);
    return p.status?.phase === 'Running' ? p : undefined;
  });
}

test('a pool with a prefix and start index names and addresses its nodes by global index', async () => {
  const pool = startSimNodes({ client, count: 2, namePrefix: 'edge-', startIndex: 10, labels: { pool: 'edge' } });
  try {
    assert.deepEqual(pool.nodeNames, ['edge-10', 'edge-11']);
    await pool.ready();
    const node = await client.get<Node>(resources.nodes, undefined, 'edge-11');
    assert.equal(node.metadata.labels?.pool, 'edge');
    assert.equal(node.spec?.podCIDR, '10.42.11.0/24');
    assert.deepEqual(node.status?.addresses?.[0], { type: 'InternalIP', address: '127.1.0.12' });
    await client.create(resources.pods, 'default', runningPod('on-edge', 'edge-11'));
    const p = await running('on-edge');
    assert.equal(p.status?.podIP, '10.42.11.2');
    assert.equal(p.status?.hostIP, '127.1.0.12');
  } finally {
    await pool.stop();
  }
});

test('a new pool takes over existing nodes and keeps the IPs their pods hold', async () => {
  const first = startSimNodes({ client, count: 1 });
  await first.ready();
  await client.create(resources.pods, 'default', runningPod('old', 'sim-0'));
  const old = await running('old');
  assert.equal(old.status?.podIP, '10.42.0.2');
  await first.stop();

  // Someone added a label meanwhile; it survives re-registration.
  await client.patch(resources.nodes, undefined, 'sim-0', { metadata: { labels: { team: 'a' } } }, 'merge');
  const second = startSimNodes({ client, count: 1, labels: { extra: 'yes' } });
  try {
    await second.ready();
    const node = await client.get<Node>(resources.nodes, undefined, 'sim-0');
    assert.equal(node.metadata.labels?.team, 'a');
    assert.equal(node.metadata.labels?.extra, 'yes');
    await client.create(resources.pods, 'default', runningPod('new', 'sim-0'));
    const fresh = await running('new');
    assert.equal(fresh.status?.podIP, '10.42.0.3', 'the IP of the running pod is not handed out again');
    const again = await client.get<Pod>(resources.pods, 'default', 'old');
    assert.equal(again.status?.podIP, '10.42.0.2');
  } finally {
    await second.stop();
  }
});

test('pods bound to nodes of another pool are left alone', async () => {
  const pool = startSimNodes({ client, count: 1, namePrefix: 'mine-' });
  try {
    await pool.ready();
    await client.create(resources.pods, 'default', runningPod('theirs', 'someone-else-0'));
    await client.create(resources.pods, 'default', runningPod('ours', 'mine-0'));
    await running('ours');
    const theirs = await client.get<Pod>(resources.pods, 'default', 'theirs');
    assert.equal(theirs.status?.phase, 'Pending');
  } finally {
    await pool.stop();
  }
});
