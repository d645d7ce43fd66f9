// Volumes end to end with the real kubectl on simulated nodes: a claim of the default
// local-path class waits for its first consumer, is provisioned on the node the scheduler picks
// and bound, and its volume goes with it (reclaim policy Delete); a static volume binds to a
// matching claim and is Released, not deleted, when the claim goes (Retain).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { getJSON } from '../../helpers/kubectl-json.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestServer;

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '3'] });
});

after(async () => {
  await server?.stop();
});

test('a local-path claim binds once a pod using it is scheduled, on that pod\'s node', { timeout: 60_000 }, async () => {
  // The provisioner makes its default class when the controllers start, a moment after the server.
  const classes = await waitFor('the local-path class', () => server.kubectl(['get', 'storageclass']), { until: (r) => r.stdout.includes('local-path') });
  assert.match(classes.stdout, /local-path \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer/);

  await server.kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' },
      spec: { storageClassName: 'local-path', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    }),
  });
  const pending = await waitFor('the WaitForFirstConsumer event', () => server.kubectl(['describe', 'pvc', 'data']),
    { until: (r) => /WaitForFirstConsumer\s+.*waiting for first consumer to be created before binding/.test(r.stdout) });
  assert.match(pending.stdout, /Status:\s+Pending/);

  await server.kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'writer' },
      spec: { containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'd', mountPath: '/data' }] }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] },
    }),
  });
  await server.kubectl(['wait', '--for=condition=Ready', 'pod/writer', '--timeout=40s']);
  const pvc = await waitFor('the claim Bound', () => getJSON(server, ['pvc', 'data']), { until: (c) => c?.status?.phase === 'Bound' });
  const node = (await getJSON(server, ['pod', 'writer'])).spec.nodeName as string;
  assert.equal(pvc.metadata.annotations['volume.kubernetes.io/selected-node'], node);
  assert.equal(pvc.spec.volumeName, `pvc-${pvc.metadata.uid}`);
  assert.deepEqual(pvc.status.capacity, { storage: '1Gi' });

  const pv = await getJSON(server, ['pv', pvc.spec.volumeName]);
  assert.equal(pv.status.phase, 'Bound');
  assert.equal(pv.spec.storageClassName, 'local-path');
  assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Delete');
  assert.match(pv.spec.hostPath.path, new RegExp(`/${pv.metadata.name}$`));
  assert.deepEqual(pv.spec.nodeAffinity.required.nodeSelectorTerms, [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }]);
  assert.deepEqual([pv.spec.claimRef.namespace, pv.spec.claimRef.name, pv.spec.claimRef.uid], ['default', 'data', pvc.metadata.uid]);
  const described = await server.kubectl(['describe', 'pvc', 'data']);
  assert.match(described.stdout, /ProvisioningSucceeded\s+.*Successfully provisioned volume pvc-/);

  await server.kubectl(['delete', 'pod', 'writer', '--timeout=30s']);
  await server.kubectl(['delete', 'pvc', 'data', '--timeout=30s']);
  await waitFor('the released volume deleted', () => getJSON(server, ['pv', pv.metadata.name]), { until: (v) => v === undefined });
});

test('a static volume binds a matching claim and is Released, and kept, when the claim goes', { timeout: 40_000 }, async () => {
  await server.kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'gold', labels: { tier: 'gold' } }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: '/srv/gold' } } },
        { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'plain' }, spec: { capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: '/srv/plain' } } },
        {
          apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'wants-gold' },
          spec: { storageClassName: 'manual', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, selector: { matchLabels: { tier: 'gold' } } },
        },
      ],
    }),
  });
  const claim = await waitFor('the claim Bound to gold', () => getJSON(server, ['pvc', 'wants-gold']), { until: (c) => c?.status?.phase === 'Bound' });
  assert.equal(claim.spec.volumeName, 'gold');
  assert.deepEqual(claim.status.capacity, { storage: '5Gi' });
  const table = await server.kubectl(['get', 'pv', 'gold']);
  assert.match(table.stdout, /gold\s+5Gi\s+RWO\s+Retain\s+Bound\s+default\/wants-gold\s+manual/);
  assert.equal((await getJSON(server, ['pv', 'plain'])).status.phase, 'Available');

  await server.kubectl(['delete', 'pvc', 'wants-gold']);
  await waitFor('gold Released', () => getJSON(server, ['pv', 'gold']), { until: (v) => v?.status?.phase === 'Released' });
  await sleep(500);
  assert.ok(await getJSON(server, ['pv', 'gold']), 'Retain keeps the volume');
});
