// The scheduler in-process against a real API server: profiles by schedulerName, leader election
// on the kube-scheduler Lease, scheduling gates, and pods deleted while pending.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient, resources } from '../../src/client/index.js';
import type { KObject } from '../../src/api/resource.js';
import { startScheduler, Scheduler } from '../../src/scheduler/index.js';
import type { Pod } from '../../src/scheduler/types.js';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { createNodes, makeNode, makePod } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

process.env.K8TS_LOG ??= 'quiet';

let server: TestServer;
let client: RestClient;
before(async () => {
  server = await startServer({ args: ['--disable-scheduler', '--disable-controllers'] });
  client = RestClient.fromKubeconfig(server.kubeconfig);
  await createNodes(client, [makeNode('n1'), makeNode('n2'), makeNode('n3')]);
});
after(async () => {
  client?.close();
  await server?.stop();
});

const get = (name: string) => client.get<Pod>(resources.pods, 'default', name);
const bound = (name: string) => waitFor(`${name} bound`, async () => (await get(name)).spec.nodeName);

test('profiles: each schedulerName gets its own plugins; pods for other schedulers are left alone', async () => {
  const s = new Scheduler({
    client,
    profiles: [
      { schedulerName: 'default-scheduler' },
      { schedulerName: 'packer', disabled: ['NodeResourcesBalancedAllocation'], pluginArgs: { NodeResourcesFit: { scoringStrategy: { type: 'MostAllocated' } } } },
    ],
  });
  await s.start();
  try {
    const nodes = new Set<string>();
    for (let i = 0; i < 4; i++) {
      await client.create(resources.pods, 'default', makePod(`pack-${i}`, { cpu: '500m', memory: '512Mi', spec: { schedulerName: 'packer' } }));
      nodes.add(await bound(`pack-${i}`));
    }
    assert.equal(nodes.size, 1, `MostAllocated packs onto one node, got ${[...nodes]}`);
    await client.create(resources.pods, 'default', makePod('elsewhere', { spec: { schedulerName: 'someone-else' } }));
    await new Promise((r) => setTimeout(r, 500));
    const p = await get('elsewhere');
    assert.equal(p.spec.nodeName, undefined);
    assert.equal(p.status?.conditions?.find((c) => c.type === 'PodScheduled'), undefined, 'not ours: no condition written');
    const events = await client.list<KObject & { reason?: string; source?: { component?: string }; involvedObject?: { name?: string } }>(resources.events, 'default');
    const scheduled = events.items.find((e) => e.involvedObject?.name === 'pack-0' && e.reason === 'Scheduled');
    assert.equal(scheduled?.source?.component, 'packer', 'events name the profile that scheduled the pod');
  } finally {
    await s.stop();
  }
});

test('scheduling gates hold a pod with reason SchedulingGated until removed', async () => {
  const s = new Scheduler({ client });
  await s.start();
  try {
    await client.create(resources.pods, 'default', makePod('gated', { spec: { schedulingGates: [{ name: 'example.com/quota' }] } }));
    const cond = await waitFor('SchedulingGated', async () => (await get('gated')).status?.conditions?.find((c) => c.reason === 'SchedulingGated'));
    assert.equal(cond.message, 'Scheduling is blocked due to non-empty scheduling gates');
    assert.equal((await get('gated')).spec.nodeName, undefined);
    await server.kubectl(['patch', 'pod', 'gated', '--type=json', '-p', '[{"op":"remove","path":"/spec/schedulingGates"}]']);
    assert.ok(await bound('gated'));
  } finally {
    await s.stop();
  }
});

test('leader election: of two schedulers only the Lease holder schedules; the other takes over when it stops', async () => {
  const a = startScheduler({ client, identity: 'sched-a' });
  const lease = await waitFor('the kube-scheduler Lease', async () => {
    const l = await client.get<KObject & { spec?: { holderIdentity?: string } }>(resources.leases, 'kube-system', 'kube-scheduler');
    return l.spec?.holderIdentity ? l : undefined;
  });
  assert.equal(lease.spec?.holderIdentity, 'sched-a');
  const b = startScheduler({ client, identity: 'sched-b' });
  await client.create(resources.pods, 'default', makePod('led-1'));
  assert.ok(await bound('led-1'));
  await a.stop();
  // a released the lease on stop, so b acquires it at its next try.
  await waitFor('sched-b to lead', async () => (await client.get<KObject & { spec?: { holderIdentity?: string } }>(resources.leases, 'kube-system', 'kube-scheduler')).spec?.holderIdentity === 'sched-b', { timeoutMs: 15000 });
  await client.create(resources.pods, 'default', makePod('led-2'));
  assert.ok(await bound('led-2'));
  await b.stop();
});
