// Deployments under a real `k8ts server` with simulated nodes, driven by the real kubectl: a rolling
// update watched pod by pod stays within maxSurge and maxUnavailable, `kubectl rollout
// status|history|undo|pause|resume|restart` and `kubectl scale` work, Recreate never runs old and
// new pods together, old ReplicaSets beyond revisionHistoryLimit go, and a stuck rollout reports
// ProgressDeadlineExceeded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient, resources, type WatchHandle } from '../../../src/client/index.js';
import type { KObject } from '../../../src/api/resource.js';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { waitFor as waitUntil } from '../../helpers/wait.js';

let server: TestServer;
let client: RestClient;

const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> =>
  waitUntil(what, fn, { timeoutMs, intervalMs: 150, context: () => server.output().slice(-2000) });

const json = async (args: string[]) => JSON.parse((await server.kubectl([...args, '-o', 'json'])).stdout);
const apply = (yaml: string) => server.kubectl(['apply', '-f', '-'], { input: yaml });
const rolloutStatus = (name: string) => server.kubectl(['rollout', 'status', `deployment/${name}`, '--timeout=40s']);
const isReady = (p: any) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const isLive = (p: any) => !p.metadata.deletionTimestamp && !['Failed', 'Succeeded'].includes(p.status?.phase);
const imageOf = (p: any) => p.spec.containers[0].image as string;

function deployment(name: string, opts: { replicas: number; image: string; strategy?: string; extraSpec?: string; startDelay?: string }): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${opts.replicas}
  selector:
    matchLabels:
      app: ${name}
  strategy:
${(opts.strategy ?? 'type: RollingUpdate').split('\n').map((l) => `    ${l}`).join('\n')}
${opts.extraSpec ?? ''}  template:
    metadata:
      labels:
        app: ${name}
      annotations:
        sim.k8ts.io/start-delay: ${opts.startDelay ?? '150ms'}
    spec:
      containers:
      - name: web
        image: ${opts.image}
`;
}

/** Follows the pods of `app` through a watch, calling `check` with the live set after every event. */
async function watchPods(app: string, check: (pods: Map<string, any>) => void): Promise<WatchHandle> {
  const list = await client.list(resources.pods, 'default', { labelSelector: `app=${app}` });
  const pods = new Map<string, any>(list.items.map((p) => [p.metadata.name!, p]));
  check(pods);
  return client.watch<KObject>(resources.pods, 'default', { labelSelector: `app=${app}`, resourceVersion: list.metadata.resourceVersion }, (e) => {
    if (e.type === 'ERROR' || e.type === 'BOOKMARK') return;
    if (e.type === 'DELETED') pods.delete(e.object.metadata.name!);
    else pods.set(e.object.metadata.name!, e.object);
    check(pods);
  });
}

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '3'] });
  client = RestClient.fromKubeconfig(server.kubeconfig);
});

after(async () => {
  client?.close();
  await server?.stop();
});

test('a rolling update stays within maxSurge and maxUnavailable at every observation', async () => {
  const replicas = 6;
  const maxSurge = 2;
  const maxUnavailable = 1;
  await apply(deployment('roll', { replicas, image: 'nginx:1.25', strategy: `type: RollingUpdate\nrollingUpdate:\n  maxSurge: ${maxSurge}\n  maxUnavailable: ${maxUnavailable}` }));
  await rolloutStatus('roll');
  const d = await json(['get', 'deploy', 'roll']);
  assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '1');
  const avail = d.status.conditions.find((c: any) => c.type === 'Available');
  assert.deepEqual([avail.status, avail.reason, avail.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
  const prog = d.status.conditions.find((c: any) => c.type === 'Progressing');
  assert.equal(prog.reason, 'NewReplicaSetAvailable');
  const [rs1] = (await json(['get', 'rs', '-l', 'app=roll'])).items;
  const hash = rs1.metadata.labels['pod-template-hash'];
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  assert.equal(rs1.metadata.name, `roll-${hash}`);
  assert.equal(rs1.spec.selector.matchLabels['pod-template-hash'], hash);
  assert.deepEqual(
    [rs1.metadata.annotations['deployment.kubernetes.io/desired-replicas'], rs1.metadata.annotations['deployment.kubernetes.io/max-replicas']],
    [String(replicas), String(replicas + maxSurge)],
  );

  const violations: string[] = [];
  let maxLive = 0;
  let minReady = Infinity;
  const images = new Set<string>();
  const watch = await watchPods('roll', (pods) => {
    const live = [...pods.values()].filter(isLive);
    const ready = live.filter(isReady).length;
    for (const p of live) images.add(imageOf(p));
    maxLive = Math.max(maxLive, live.length);
    minReady = Math.min(minReady, ready);
    if (live.length > replicas + maxSurge) violations.push(`${live.length} pods exist (limit ${replicas + maxSurge})`);
    if (ready < replicas - maxUnavailable) violations.push(`only ${ready} pods ready (minimum ${replicas - maxUnavailable})`);
  });
  try {
    await server.kubectl(['set', 'image', 'deployment/roll', 'web=nginx:1.26']);
    const out = (await rolloutStatus('roll')).stdout;
    assert.match(out, /deployment "roll" successfully rolled out/);
  } finally {
    watch.stop();
  }
  assert.deepEqual(violations, []);
  assert.ok(maxLive > replicas, `the rollout surged (at most ${maxLive} pods)`);
  assert.deepEqual([...images].sort(), ['nginx:1.25', 'nginx:1.26']);
  const pods = (await json(['get', 'pods', '-l', 'app=roll'])).items.filter(isLive);
  assert.equal(pods.length, replicas);
  assert.ok(pods.every((p: any) => imageOf(p) === 'nginx:1.26'));

  const events = (await json(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=roll,reason=ScalingReplicaSet'])).items;
  assert.ok(events.some((e: any) => e.message === `Scaled up replica set ${rs1.metadata.name} from 0 to ${replicas}`));
  assert.ok(events.some((e: any) => e.message.startsWith(`Scaled down replica set ${rs1.metadata.name} from ${replicas} to `)));
  assert.ok(events.every((e: any) => e.source.component === 'deployment-controller'));
});

test('kubectl rollout history and undo go back to the previous template', async () => {
  const history = (await server.kubectl(['rollout', 'history', 'deployment/roll'])).stdout;
  assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  const rev1 = (await server.kubectl(['rollout', 'history', 'deployment/roll', '--revision=1'])).stdout;
  assert.match(rev1, /Image:\s+nginx:1\.25/);

  await server.kubectl(['rollout', 'undo', 'deployment/roll']);
  await rolloutStatus('roll');
  const pods = (await json(['get', 'pods', '-l', 'app=roll'])).items.filter(isLive);
  assert.equal(pods.length, 6);
  assert.ok(pods.every((p: any) => imageOf(p) === 'nginx:1.25'));
  assert.match((await server.kubectl(['rollout', 'history', 'deployment/roll'])).stdout, /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
  // The first ReplicaSet is the new one again, its old revision remembered.
  const rss = (await json(['get', 'rs', '-l', 'app=roll'])).items;
  assert.equal(rss.length, 2);
  const current = rss.find((r: any) => r.spec.replicas === 6);
  assert.equal(current.metadata.annotations['deployment.kubernetes.io/revision'], '3');
  assert.equal(current.metadata.annotations['deployment.kubernetes.io/revision-history'], '1');
  const d = await json(['get', 'deploy', 'roll']);
  assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '3');
});

test('kubectl scale resizes a deployment through its ReplicaSet', async () => {
  await server.kubectl(['scale', 'deployment/roll', '--replicas=3']);
  await rolloutStatus('roll');
  const d = await json(['get', 'deploy', 'roll']);
  assert.deepEqual([d.status.replicas, d.status.readyReplicas, d.status.availableReplicas, d.status.updatedReplicas], [3, 3, 3, 3]);
  const rs = (await json(['get', 'rs', '-l', 'app=roll'])).items.find((r: any) => r.spec.replicas > 0);
  assert.equal(rs.spec.replicas, 3);
  assert.equal(rs.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '3');
  const scale = JSON.parse((await server.kubectl(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/roll/scale'])).stdout);
  assert.deepEqual([scale.kind, scale.spec.replicas, scale.status.replicas, scale.status.selector], ['Scale', 3, 3, 'app=roll']);
  // Past ten distinct messages the event recorder folds them into one, as Kubernetes' does.
  const events = (await json(['get', 'events', '--field-selector', 'involvedObject.name=roll,reason=ScalingReplicaSet'])).items;
  assert.ok(events.some((e: any) => e.message.endsWith(`Scaled down replica set ${rs.metadata.name} from 6 to 3`)), JSON.stringify(events.map((e: any) => e.message)));
});

test('a paused deployment does not roll until resumed; restart rolls new pods', async () => {
  await server.kubectl(['rollout', 'pause', 'deployment/roll']);
  await server.kubectl(['set', 'image', 'deployment/roll', 'web=nginx:1.27']);
  const paused = await waitFor('the Progressing condition to say paused', async () => {
    const d = await json(['get', 'deploy', 'roll']);
    const c = d.status.conditions.find((x: any) => x.type === 'Progressing');
    return c?.reason === 'DeploymentPaused' && d.status.observedGeneration === d.metadata.generation ? d : undefined;
  });
  assert.equal(paused.status.conditions.find((x: any) => x.type === 'Progressing').status, 'Unknown');
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await json(['get', 'rs', '-l', 'app=roll'])).items.length, 2, 'no ReplicaSet for the new template while paused');
  assert.ok((await json(['get', 'pods', '-l', 'app=roll'])).items.filter(isLive).every((p: any) => imageOf(p) === 'nginx:1.25'));
  // A paused deployment still scales.
  await server.kubectl(['scale', 'deployment/roll', '--replicas=4']);
  await waitFor('4 pods while paused', async () => (await json(['get', 'pods', '-l', 'app=roll'])).items.filter(isLive).length === 4);

  await server.kubectl(['rollout', 'resume', 'deployment/roll']);
  await rolloutStatus('roll');
  const pods = (await json(['get', 'pods', '-l', 'app=roll'])).items.filter(isLive);
  assert.equal(pods.length, 4);
  assert.ok(pods.every((p: any) => imageOf(p) === 'nginx:1.27'));

  await server.kubectl(['rollout', 'restart', 'deployment/roll']);
  await rolloutStatus('roll');
  const d = await json(['get', 'deploy', 'roll']);
  assert.ok(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
  const restarted = (await json(['get', 'pods', '-l', 'app=roll'])).items.filter(isLive);
  assert.equal(restarted.length, 4);
  assert.ok(restarted.every((p: any) => p.metadata.annotations['kubectl.kubernetes.io/restartedAt'] && !pods.some((old: any) => old.metadata.name === p.metadata.name)));
  assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '5');
});

test('Recreate stops every old pod before starting new ones; history is trimmed to revisionHistoryLimit', async () => {
  await apply(deployment('redo', { replicas: 3, image: 'nginx:1.25', strategy: 'type: Recreate', extraSpec: '  revisionHistoryLimit: 1\n' }));
  await rolloutStatus('redo');
  const mixed: string[] = [];
  const watch = await watchPods('redo', (pods) => {
    const live = [...pods.values()].filter((p) => !['Failed', 'Succeeded'].includes(p.status?.phase));
    const imgs = new Set(live.map(imageOf));
    if (imgs.size > 1) mixed.push([...live].map((p) => `${p.metadata.name}:${imageOf(p)}`).join(' '));
  });
  try {
    await server.kubectl(['set', 'image', 'deployment/redo', 'web=nginx:1.26']);
    await rolloutStatus('redo');
  } finally {
    watch.stop();
  }
  assert.deepEqual(mixed, [], 'old and new pods never exist together');
  await server.kubectl(['set', 'image', 'deployment/redo', 'web=nginx:1.27']);
  await rolloutStatus('redo');
  const rss = await waitFor('old ReplicaSets beyond the limit deleted', async () => {
    const items = (await json(['get', 'rs', '-l', 'app=redo'])).items;
    return items.length === 2 ? items : undefined;
  });
  const revisions = rss.map((r: any) => r.metadata.annotations['deployment.kubernetes.io/revision']).sort();
  assert.deepEqual(revisions, ['2', '3']);
  const events = (await json(['get', 'events', '--field-selector', 'involvedObject.name=redo,reason=ScalingReplicaSet'])).items;
  assert.ok(events.some((e: any) => /^Scaled down replica set redo-\w+ from 3 to 0$/.test(e.message)));
});

test('a rollout that makes no progress reports ProgressDeadlineExceeded', async () => {
  await apply(deployment('stuck', { replicas: 2, image: 'nginx:1.25', startDelay: '1h', extraSpec: '  progressDeadlineSeconds: 2\n' }));
  const res = await server.kubectl(['rollout', 'status', 'deployment/stuck', '--timeout=20s'], { allowFail: true });
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, /deployment "stuck" exceeded its progress deadline/);
  const d = await json(['get', 'deploy', 'stuck']);
  const prog = d.status.conditions.find((c: any) => c.type === 'Progressing');
  assert.deepEqual([prog.status, prog.reason], ['False', 'ProgressDeadlineExceeded']);
  assert.match(prog.message, /^ReplicaSet "stuck-\w+" has timed out progressing\.$/);
  const avail = d.status.conditions.find((c: any) => c.type === 'Available');
  assert.deepEqual([avail.status, avail.reason], ['False', 'MinimumReplicasUnavailable']);
  assert.equal(d.status.unavailableReplicas, 2);
});

test('a deployment re-created after an orphaning delete adopts the ReplicaSet and its pods', async () => {
  await apply(deployment('adopt', { replicas: 2, image: 'nginx:1.25' }));
  await rolloutStatus('adopt');
  const podsBefore = (await json(['get', 'pods', '-l', 'app=adopt'])).items.map((p: any) => p.metadata.name).sort();
  await server.kubectl(['delete', 'deployment', 'adopt', '--cascade=orphan']);
  await waitFor('the ReplicaSet orphaned', async () => {
    const items = (await json(['get', 'rs', '-l', 'app=adopt'])).items;
    return items.length === 1 && !items[0].metadata.ownerReferences?.length;
  });
  await apply(deployment('adopt', { replicas: 2, image: 'nginx:1.25' }));
  await rolloutStatus('adopt');
  const d = await json(['get', 'deploy', 'adopt']);
  const rss = (await json(['get', 'rs', '-l', 'app=adopt'])).items;
  assert.equal(rss.length, 1, 'no second ReplicaSet for the same template');
  assert.equal(rss[0].metadata.ownerReferences[0].uid, d.metadata.uid);
  const podsAfter = (await json(['get', 'pods', '-l', 'app=adopt'])).items.map((p: any) => p.metadata.name).sort();
  assert.deepEqual(podsAfter, podsBefore, 'the same pods');
});
