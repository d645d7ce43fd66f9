// StatefulSets end to end: a k8ts server with simulated nodes, driven by the real kubectl. The
// order in which pods come and go is read from a `kubectl get pods --watch` running alongside.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { watch, type Watch } from './watch.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestServer;
let pods: Watch;

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '3'] });
  // TYPE NAME DELETING READY IMAGE REVISION
  pods = watch(server, ['pods', '-l', 'app=web'],
    '{.type} {.object.metadata.name} del={.object.metadata.deletionTimestamp} ready={.object.status.conditions[?(@.type=="Ready")].status} {.object.spec.containers[0].image} {.object.metadata.labels.controller-revision-hash}{"\\n"}');
});

after(async () => {
  await pods?.stop();
  await server?.stop();
});

const statefulSet = (image: string) => JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: {
        serviceName: 'web',
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          // A visible start-up time, so that "one at a time" is a claim a watch can check.
          metadata: { labels: { app: 'web' }, annotations: { 'sim.k8ts.io/start-delay': '400ms' } },
          spec: { containers: [{ name: 'nginx', image, volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }] },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'www', labels: { tier: 'content' } },
          spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '1Gi' } } },
        }],
      },
    },
  ],
});

async function jsonpath(resource: string, path: string): Promise<string> {
  return (await server.kubectl(['get', ...resource.split(' '), '-o', `jsonpath=${path}`])).stdout;
}

/** Index of the first watch line matching `re`; -1 when none. */
const at = (re: RegExp, from = 0) => pods.lines.findIndex((l, i) => i >= from && re.test(l));

test('web-0, web-1 and web-2 are created in order, each once the one before is Ready, with their claims', { timeout: 50_000 }, async () => {
  await server.kubectl(['apply', '-f', '-'], { input: statefulSet('nginx:1.27') });
  await server.kubectl(['rollout', 'status', 'statefulset/web', '--timeout=40s']);
  await pods.waitFor(/^MODIFIED web-2 del= ready=True/);
  for (const [prev, next] of [['web-0', 'web-1'], ['web-1', 'web-2']]) {
    const ready = at(new RegExp(`^MODIFIED ${prev} del= ready=True`));
    const added = at(new RegExp(`^ADDED ${next} `));
    assert.ok(ready >= 0 && added > ready, `${next} was created after ${prev} became Ready:\n${pods.lines.join('\n')}`);
  }
  assert.ok(at(/^ADDED web-0 /) < at(/^ADDED web-1 /));

  const claims = await jsonpath('pvc -l app=web', '{range .items[*]}{.metadata.name} {.metadata.labels.tier} {.spec.storageClassName}{"\\n"}{end}');
  assert.deepEqual(claims.trim().split('\n').sort(), ['www-web-0 content local-path', 'www-web-1 content local-path', 'www-web-2 content local-path']);

  const pod = JSON.parse((await server.kubectl(['get', 'pod', 'web-1', '-o', 'json'])).stdout);
  assert.equal(pod.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-1');
  assert.equal(pod.metadata.labels['apps.kubernetes.io/pod-index'], '1');
  assert.equal(pod.spec.hostname, 'web-1');
  assert.equal(pod.spec.subdomain, 'web');
  assert.deepEqual(pod.spec.volumes.find((v: { name: string }) => v.name === 'www'), { name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } });
  assert.deepEqual(pod.metadata.ownerReferences.map((r: { kind: string; name: string; controller: boolean }) => [r.kind, r.name, r.controller]), [['StatefulSet', 'web', true]]);

  const status = JSON.parse((await server.kubectl(['get', 'statefulset', 'web', '-o', 'jsonpath={.status}'])).stdout);
  assert.equal(status.replicas, 3);
  assert.equal(status.readyReplicas, 3);
  assert.equal(status.availableReplicas, 3);
  assert.equal(status.currentReplicas, 3);
  assert.equal(status.updatedReplicas, 3);
  assert.equal(status.observedGeneration, 1);
  assert.equal(status.collisionCount, 0);
  assert.equal(status.currentRevision, status.updateRevision);
  assert.equal(pod.metadata.labels['controller-revision-hash'], status.currentRevision);
  assert.match(await jsonpath('controllerrevisions', '{range .items[*]}{.metadata.name} {.revision}{"\\n"}{end}'), new RegExp(`^${status.currentRevision} 1\\n$`));

  const events = await jsonpath('events --field-selector involvedObject.kind=StatefulSet,involvedObject.name=web', '{range .items[*]}{.reason}: {.message}{"\\n"}{end}');
  for (const i of [0, 1, 2]) {
    assert.match(events, new RegExp(`SuccessfulCreate: create Claim www-web-${i} Pod web-${i} in StatefulSet web success`));
    assert.match(events, new RegExp(`SuccessfulCreate: create Pod web-${i} in StatefulSet web successful`));
  }
  assert.match((await server.kubectl(['get', 'statefulset', 'web'])).stdout, /web\s+3\/3\s/);
});

test('scaling down to 1 removes web-2 before web-1 and keeps their claims', { timeout: 40_000 }, async () => {
  const from = pods.lines.length;
  await server.kubectl(['scale', 'statefulset/web', '--replicas=1']);
  await waitFor('web-1 and web-2 to be gone', async () => (await jsonpath('pods -l app=web', '{.items[*].metadata.name}')) === 'web-0');
  await pods.waitFor(/^DELETED web-1 /, from);
  const web2 = at(/^(MODIFIED|DELETED) web-2 del=\S+/, from);
  const web1 = at(/^(MODIFIED|DELETED) web-1 del=\S+/, from);
  assert.ok(web2 >= 0 && web1 > web2, `web-2 went first:\n${pods.lines.slice(from).join('\n')}`);
  const gone2 = at(/^DELETED web-2 /, from);
  assert.ok(gone2 >= 0 && gone2 < web1, 'web-1 was deleted only after web-2 was gone');
  assert.match(await jsonpath('pvc', '{.items[*].metadata.name}'), /www-web-1 www-web-2/);
  const events = await jsonpath('events --field-selector involvedObject.kind=StatefulSet,involvedObject.name=web,reason=SuccessfulDelete', '{range .items[*]}{.message}{"\\n"}{end}');
  assert.match(events, /delete Pod web-2 in StatefulSet web successful/);
  assert.match(events, /delete Pod web-1 in StatefulSet web successful/);
  await server.kubectl(['scale', 'statefulset/web', '--replicas=3']);
  await server.kubectl(['rollout', 'status', 'statefulset/web', '--timeout=30s']);
});

test('a rolling update with partition 1 replaces web-2 then web-1 and leaves web-0 at the old revision', { timeout: 40_000 }, async () => {
  const oldRevision = await jsonpath('statefulset web', '{.status.currentRevision}');
  const from = pods.lines.length;
  await server.kubectl(['patch', 'statefulset/web', '--type=merge', '-p', '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":1}}}}']);
  await server.kubectl(['set', 'image', 'statefulset/web', 'nginx=nginx:1.28']);
  const rollout = await server.kubectl(['rollout', 'status', 'statefulset/web', '--timeout=30s']);
  assert.match(rollout.stdout, /partitioned roll out complete: 2 new pods have been updated/);
  await pods.waitFor(/^MODIFIED web-1 del= ready=True nginx:1\.28/, from);
  const images = await jsonpath('pods -l app=web', '{range .items[*]}{.metadata.name} {.spec.containers[0].image}{"\\n"}{end}');
  assert.deepEqual(images.trim().split('\n').sort(), ['web-0 nginx:1.27', 'web-1 nginx:1.28', 'web-2 nginx:1.28']);
  const del2 = at(/^MODIFIED web-2 del=\S+/, from);
  const new2Ready = at(/^MODIFIED web-2 del= ready=True nginx:1\.28/, from);
  const del1 = at(/^MODIFIED web-1 del=\S+/, from);
  assert.ok(del2 >= 0 && new2Ready > del2 && del1 > new2Ready, `web-2 was replaced and Ready before web-1 went:\n${pods.lines.slice(from).join('\n')}`);
  assert.equal(at(/^MODIFIED web-0 del=\S+/, from), -1, 'web-0 was not touched');

  const status = JSON.parse(await jsonpath('statefulset web', '{.status}'));
  assert.equal(status.currentRevision, oldRevision);
  assert.notEqual(status.updateRevision, oldRevision);
  assert.equal(status.updatedReplicas, 2);
  assert.equal(status.currentReplicas, 1);
  assert.equal(await jsonpath('pod web-0', '{.metadata.labels.controller-revision-hash}'), oldRevision);
  assert.equal(await jsonpath('pod web-2', '{.metadata.labels.controller-revision-hash}'), status.updateRevision);
  const revisions = await jsonpath('controllerrevisions', '{range .items[*]}{.metadata.name}={.revision} {end}');
  assert.deepEqual(revisions.trim().split(' ').sort(), [`${oldRevision}=1`, `${status.updateRevision}=2`].sort());
});

test('Parallel pods with retention policy Delete: claims are owned by the set, and a scaled-away pod takes its claim along', { timeout: 40_000 }, async () => {
  await server.kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        replicas: 2,
        podManagementPolicy: 'Parallel',
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:17' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '1Gi' } } } }],
      },
    }),
  });
  await server.kubectl(['rollout', 'status', 'statefulset/db', '--timeout=30s']);
  const setUID = await jsonpath('statefulset db', '{.metadata.uid}');
  const owners = (claim: string) => jsonpath(`pvc ${claim}`, '{range .metadata.ownerReferences[*]}{.kind}/{.name}/{.uid}/{.controller} {end}');
  await waitFor('data-db-0 owned by the set', async () => (await owners('data-db-0')).trim() === `StatefulSet/db/${setUID}/true`);
  await waitFor('data-db-1 owned by the set', async () => (await owners('data-db-1')).trim() === `StatefulSet/db/${setUID}/true`);
  await server.kubectl(['scale', 'statefulset/db', '--replicas=1']);
  await waitFor('data-db-1 to be deleted with db-1', async () => (await jsonpath('pvc -l app=db', '{.items[*].metadata.name}')) === 'data-db-0');
  assert.equal((await owners('data-db-0')).trim(), `StatefulSet/db/${setUID}/true`);
});
