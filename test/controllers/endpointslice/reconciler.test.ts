// EndpointSlices from desired endpoints: conditions, chunking, low churn, placeholders, tracking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from '../../../src/controllers/endpoints/index.js';
import {
  desiredEndpoints, planSlices, SliceTracker, CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, type EndpointSlice,
} from '../../../src/controllers/endpointslice/index.js';

const svc: Service = {
  apiVersion: 'v1', kind: 'Service',
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', labels: { team: 'a' } },
  spec: { selector: { app: 'web' }, clusterIP: '10.43.0.10', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
};

function pod(i: number, opts: { ready?: boolean; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}`, labels: { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: i % 2 ? 'n1' : 'n2' },
    status: { phase: 'Running', podIP: `10.42.${Math.floor(i / 200)}.${(i % 200) + 1}`, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

const zones = (node: string) => (node === 'n1' ? 'zone-a' : undefined);
const pods = (n: number) => Array.from({ length: n }, (_, i) => pod(i));

/** Applies a plan the way the API server would, naming created slices. */
function apply(existing: EndpointSlice[], plan: ReturnType<typeof planSlices>, seq: { n: number }): EndpointSlice[] {
  const gone = new Set(plan.delete.map((s) => s.metadata.name));
  const updated = new Map(plan.update.map((s) => [s.metadata.name, s]));
  const out = existing.filter((s) => !gone.has(s.metadata.name)).map((s) => updated.get(s.metadata.name) ?? s);
  for (const s of plan.create) out.push({ ...s, metadata: { ...s.metadata, name: `web-${seq.n++}`, uid: `slice-${seq.n}` } });
  return out;
}

test('endpoint conditions: ready, serving and terminating; zone and node from the pod\'s node', () => {
  const groups = desiredEndpoints(svc, [pod(1), pod(2, { ready: false }), pod(3, { deleting: true })], zones);
  assert.equal(groups.size, 1);
  const [group] = groups.values();
  assert.deepEqual(group.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
  const byName = new Map([...group.endpoints.values()].map((e) => [e.targetRef!.name, e]));
  assert.deepEqual(byName.get('p1'), {
    addresses: ['10.42.0.2'], conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'default', name: 'p1', uid: 'u1' }, nodeName: 'n1', zone: 'zone-a',
  });
  assert.deepEqual(byName.get('p2')!.conditions, { ready: false, serving: false, terminating: false });
  assert.deepEqual(byName.get('p3')!.conditions, { ready: false, serving: true, terminating: true }, 'a terminating pod is kept, not ready');
  const published = desiredEndpoints({ ...svc, spec: { ...svc.spec, publishNotReadyAddresses: true } }, [pod(2, { ready: false })], zones);
  assert.equal([...[...published.values()][0].endpoints.values()][0].conditions.ready, true);
});

test('250 endpoints make three slices of at most 100, labelled and owned by the Service', () => {
  const plan = planSlices(svc, desiredEndpoints(svc, pods(250), zones), []);
  assert.deepEqual(plan.create.map((s) => s.endpoints!.length), [100, 100, 50]);
  const s = plan.create[0];
  assert.equal(s.addressType, 'IPv4');
  assert.equal(s.metadata.generateName, 'web-');
  assert.deepEqual(s.metadata.labels, { team: 'a', [LABEL_SERVICE_NAME]: 'web', [LABEL_MANAGED_BY]: CONTROLLER_NAME });
  assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(s.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
});

test('a change touches only the slices holding changed endpoints; a converged state plans nothing', () => {
  const seq = { n: 0 };
  let slices = apply([], planSlices(svc, desiredEndpoints(svc, pods(150), zones), []), seq);
  assert.equal(slices.length, 2);
  const noop = planSlices(svc, desiredEndpoints(svc, pods(150), zones), slices);
  assert.deepEqual([noop.create.length, noop.update.length, noop.delete.length], [0, 0, 0]);
  // One pod turns unready: only its slice is updated.
  const changed = pods(150);
  changed[120] = pod(120, { ready: false });
  const plan = planSlices(svc, desiredEndpoints(svc, changed, zones), slices);
  assert.deepEqual([plan.create.length, plan.update.length, plan.delete.length], [0, 1, 0]);
  const holder = slices.find((s) => s.endpoints!.some((e) => e.targetRef!.name === 'p120'))!;
  assert.equal(plan.update[0].metadata.name, holder.metadata.name);
  // New pods fill the slice with room before a new one is made.
  slices = apply(slices, plan, seq);
  const grown = planSlices(svc, desiredEndpoints(svc, pods(170), zones), slices);
  assert.deepEqual([grown.create.length, grown.update.length], [0, 1]);
  assert.equal(grown.update[0].endpoints!.length, 70);
});

test('without endpoints one placeholder slice stays; slices not owned by this Service go', () => {
  const seq = { n: 0 };
  const plan = planSlices(svc, desiredEndpoints(svc, [], zones), []);
  assert.equal(plan.create.length, 1);
  assert.deepEqual([plan.create[0].endpoints, plan.create[0].ports], [[], []]);
  let slices = apply([], plan, seq);
  const again = planSlices(svc, desiredEndpoints(svc, [], zones), slices);
  assert.deepEqual([again.create.length, again.update.length, again.delete.length], [0, 0, 0], 'the placeholder is kept, not recreated');
  slices = apply(slices, planSlices(svc, desiredEndpoints(svc, pods(3), zones), slices), seq);
  assert.deepEqual(slices.map((s) => s.endpoints!.length), [3], 'the placeholder gave way to a real slice');
  const stranger: EndpointSlice = { ...slices[0], metadata: { ...slices[0].metadata, name: 'old', ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'previous-incarnation' }] } };
  const cleanup = planSlices(svc, desiredEndpoints(svc, pods(3), zones), [...slices, stranger]);
  assert.deepEqual(cleanup.delete.map((s) => s.metadata.name), ['old']);
});

test('the tracker holds a sync back until the cache shows the controller\'s writes, and gives up after a while', () => {
  let now = 0;
  const t = new SliceTracker(() => now, 10_000);
  const cache = new Map<string, { metadata: { name: string; resourceVersion?: string } }>();
  const get = (n: string) => cache.get(n);
  t.written('default/web', 'web-1', '20');
  assert.equal(t.caughtUp('default/web', get), false, 'not in the cache yet');
  cache.set('web-1', { metadata: { name: 'web-1', resourceVersion: '19' } });
  assert.equal(t.caughtUp('default/web', get), false, 'an older version');
  cache.set('web-1', { metadata: { name: 'web-1', resourceVersion: '20' } });
  assert.equal(t.caughtUp('default/web', get), true);
  t.deleted('default/web', 'web-1');
  assert.equal(t.caughtUp('default/web', get), false, 'still cached after its deletion');
  now = 11_000;
  assert.equal(t.caughtUp('default/web', get), true, 'expired');
});
