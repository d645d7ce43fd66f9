// VolumeBinding: bound PVs' node affinity, WaitForFirstConsumer claims matched to local PVs or
// handed to the provisioner with the selected-node annotation, and the messages for the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './harness.js';
import { makeNode, makePod } from './helpers.js';
import type { Pod } from '../../src/scheduler/types.js';

const withClaim = (name: string, claim: string): Pod => makePod(name, { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] } });
const pvc = (name: string, extra: Record<string, unknown> = {}) => ({
  kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default', uid: `pvc-${name}` },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra },
});
const localPV = (name: string, node: string, size = '5Gi', cls = 'local') => ({
  kind: 'PersistentVolume', metadata: { name },
  spec: {
    capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: cls,
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
  },
  status: { phase: 'Available' },
});

const cluster = () => {
  const h = new Harness({ pluginArgs: { VolumeBinding: { bindTimeoutSeconds: 1 } } }).addNode(makeNode('a')).addNode(makeNode('b'));
  h.set({ kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' });
  h.set({ kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'example.com/csi', volumeBindingMode: 'WaitForFirstConsumer' });
  h.set({ kind: 'StorageClass', metadata: { name: 'now' }, provisioner: 'example.com/csi', volumeBindingMode: 'Immediate' });
  return h;
};

test('a claim bound to a PV with node affinity pins the pod to that node', () => {
  const h = cluster();
  h.set(localPV('pv-b', 'b'));
  h.set(pvc('data', { volumeName: 'pv-b', storageClassName: 'local' }));
  assert.equal(h.schedule(withClaim('p', 'data')).node, 'b');
  const pinned = withClaim('q', 'data');
  pinned.spec.nodeSelector = { 'kubernetes.io/hostname': 'a' };
  assert.equal(h.schedule(pinned).message, "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had volume node affinity conflict.");
});

test('missing and unbound Immediate claims are reported before filtering', () => {
  const h = cluster();
  assert.equal(h.schedule(withClaim('p', 'nope')).message, '0/2 nodes are available: persistentvolumeclaim "nope" not found.');
  h.set(pvc('late', { storageClassName: 'now' }));
  assert.equal(h.schedule(withClaim('p', 'late')).message, '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.');
});

test('WaitForFirstConsumer with local PVs: only nodes with a fitting PV; PreBind binds it', async () => {
  const h = cluster();
  h.set(localPV('pv-a-small', 'a', '512Mi'));
  h.set(localPV('pv-b', 'b'));
  h.set(pvc('data', { storageClassName: 'local' }));
  const r = h.schedule(withClaim('p', 'data'));
  assert.equal(r.node, 'b');
  assert.ok(h.fwk.runReserve(r.ctx, 'b').ok);
  // The plugin waits for the claim to be bound; make the claim read back bound.
  h.set(pvc('data', { storageClassName: 'local', volumeName: 'pv-b' }));
  const s = await h.fwk.runPreBind(r.ctx, 'b');
  assert.ok(s.ok, s.message());
  const pvPatch = h.calls.find((c) => c.resource === 'persistentvolumes')!;
  assert.equal(pvPatch.name, 'pv-b');
  assert.deepEqual((pvPatch.body as { spec: { claimRef: { name: string } } }).spec.claimRef.name, 'data');
  assert.equal((h.calls.find((c) => c.resource === 'persistentvolumeclaims')!.body as { spec: { volumeName: string } }).spec.volumeName, 'pv-b');
});

test('a PV promised to one pod is not offered to another while it binds', () => {
  const h = cluster();
  h.set(localPV('pv-a', 'a'));
  h.set(pvc('one', { storageClassName: 'local' }));
  h.set(pvc('two', { storageClassName: 'local' }));
  const r = h.schedule(withClaim('p1', 'one'));
  assert.equal(r.node, 'a');
  h.fwk.runReserve(r.ctx, 'a');
  assert.equal(h.schedule(withClaim('p2', 'two')).message, "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.");
  h.fwk.runUnreserve(r.ctx, 'a');
  assert.equal(h.schedule(withClaim('p2', 'two')).node, 'a');
});

test('WaitForFirstConsumer with a provisioner: the claim gets the selected-node annotation', async () => {
  const h = cluster();
  h.set(pvc('dyn', { storageClassName: 'fast' }));
  const r = h.schedule(withClaim('p', 'dyn'));
  assert.ok(r.node);
  const s = await h.fwk.runPreBind(r.ctx, r.node!);
  // Nothing provisions in this test, so waiting for the binding times out (after 1 s here).
  assert.equal(s.ok, false);
  assert.match(s.message(), /timed out/);
  const patch = h.calls.find((c) => c.resource === 'persistentvolumeclaims')!;
  assert.deepEqual(patch.body, { metadata: { annotations: { 'volume.kubernetes.io/selected-node': r.node } } });
});
