// DaemonSets end to end: a k8ts server with three simulated nodes, driven by the real kubectl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { watch } from '../statefulset/watch.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestServer;
let nodes: string[];

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '3'] });
  nodes = await waitFor('three Ready nodes', async () => {
    const out = (await server.kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}'])).stdout;
    const ready = out.trim().split('\n').filter((l) => l.endsWith(' True')).map((l) => l.split(' ')[0]);
    return ready.length === 3 ? ready.sort() : undefined;
  });
});

after(async () => {
  await server?.stop();
});

const daemonSet = (name: string, podSpec: Record<string, unknown> = {}) => JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'busybox:1.36' }], ...podSpec } },
  },
});

async function jsonpath(args: string, path: string): Promise<string> {
  return (await server.kubectl(['get', ...args.split(' '), '-o', `jsonpath=${path}`])).stdout;
}

/** node → the image of the one live pod there, for the DaemonSet's pods. */
async function podsByNode(app: string): Promise<Record<string, string>> {
  const out = await jsonpath(`pods -l app=${app}`, '{range .items[*]}{.spec.nodeName} del={.metadata.deletionTimestamp} {.spec.containers[0].image}{"\\n"}{end}');
  const m: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const [node, del, image] = line.split(' ');
    if (node && del === 'del=') m[node] = image;
  }
  return m;
}

/** desired current ready updated available misscheduled, zeros included (the API leaves some out). */
async function statusLine(app: string): Promise<string> {
  const st = JSON.parse((await jsonpath(`daemonset ${app}`, '{.status}')) || '{}');
  return ['desiredNumberScheduled', 'currentNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberMisscheduled']
    .map((k) => st[k] ?? 0).join(' ');
}

test('one pod on each node, except one tainted NoSchedule that the pods do not tolerate', { timeout: 40_000 }, async () => {
  const tainted = nodes[2];
  await server.kubectl(['taint', 'node', tainted, 'dedicated=infra:NoSchedule']);
  await server.kubectl(['apply', '-f', '-'], { input: daemonSet('agent') });
  await waitFor('2 of 2 pods ready', async () => (await statusLine('agent')) === '2 2 2 2 2 0');
  assert.deepEqual(Object.keys(await podsByNode('agent')).sort(), [nodes[0], nodes[1]]);

  const pod = JSON.parse((await server.kubectl(['get', 'pods', '-l', 'app=agent', '-o', 'json'])).stdout).items[0];
  const target = pod.spec.nodeName;
  assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
    [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [target] }] }], 'pinned to its node, bound by the scheduler');
  const tolerations = pod.spec.tolerations.map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`);
  for (const t of ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']) {
    assert.ok(tolerations.includes(t), `${t} in ${tolerations}`);
  }
  const hash = pod.metadata.labels['controller-revision-hash'];
  assert.match(await jsonpath('controllerrevisions', '{range .items[*]}{.metadata.name} {.revision}{"\\n"}{end}'), new RegExp(`^agent-${hash} 1$`, 'm'));
  assert.match(await jsonpath('events --field-selector involvedObject.kind=DaemonSet,involvedObject.name=agent', '{range .items[*]}{.reason}: {.message}{"\\n"}{end}'),
    /SuccessfulCreate: Created pod: agent-/);

  // Lifting the taint brings the third pod.
  await server.kubectl(['taint', 'node', tainted, 'dedicated-']);
  await waitFor('3 of 3 pods ready', async () => (await statusLine('agent')) === '3 3 3 3 3 0');
  assert.deepEqual(Object.keys(await podsByNode('agent')).sort(), nodes);
  assert.match((await server.kubectl(['get', 'daemonset', 'agent'])).stdout, /agent\s+3\s+3\s+3\s+3\s+3\s+<none>/);
});

test('a nodeSelector follows node labels: a pod appears when a node gets the label and goes when it loses it', { timeout: 40_000 }, async () => {
  await server.kubectl(['apply', '-f', '-'], { input: daemonSet('ssd-agent', { nodeSelector: { disk: 'ssd' } }) });
  await waitFor('an observed status', async () => (await jsonpath('daemonset ssd-agent', '{.status.observedGeneration}')) === '1');
  assert.equal(await statusLine('ssd-agent'), '0 0 0 0 0 0');
  await server.kubectl(['label', 'node', nodes[1], 'disk=ssd']);
  await waitFor('a pod on the labelled node', async () => JSON.stringify(await podsByNode('ssd-agent')) === JSON.stringify({ [nodes[1]]: 'busybox:1.36' }));
  await waitFor('1 of 1 ready', async () => (await statusLine('ssd-agent')) === '1 1 1 1 1 0');
  await server.kubectl(['label', 'node', nodes[1], 'disk=hdd', '--overwrite']);
  await waitFor('the pod to go', async () => (await jsonpath('pods -l app=ssd-agent', '{.items[*].metadata.name}')) === '');
  await waitFor('0 desired', async () => (await statusLine('ssd-agent')) === '0 0 0 0 0 0');
  assert.match((await server.kubectl(['get', 'daemonset', 'ssd-agent'])).stdout, /ssd-agent\s+0\s+0\s+0\s+0\s+0\s+disk=ssd/);
});

test('an image change rolls out one node at a time', { timeout: 40_000 }, async () => {
  const before = await jsonpath('pods -l app=agent', '{.items[0].metadata.labels.controller-revision-hash}');
  // TYPE NAME NODE DELETING READY
  const w = watch(server, ['pods', '-l', 'app=agent'],
    '{.type} {.object.metadata.name} {.object.spec.nodeName} del={.object.metadata.deletionTimestamp} ready={.object.status.conditions[?(@.type=="Ready")].status}{"\\n"}');
  try {
    await w.waitFor(/^ADDED /, 0, 10_000);
    await server.kubectl(['set', 'image', 'daemonset/agent', 'agent=busybox:1.37']);
    const rollout = await server.kubectl(['rollout', 'status', 'daemonset/agent', '--timeout=30s']);
    assert.match(rollout.stdout, /daemon set "agent" successfully rolled out/);
    // The watch may trail the API by a moment: wait for it to report every new pod ready.
    const names = (await jsonpath('pods -l app=agent', '{.items[*].metadata.name}')).split(' ');
    for (const name of names) await w.waitFor(new RegExp(`^MODIFIED ${name} \\S+ del= ready=True`));
  } finally {
    await w.stop();
  }
  const images = await podsByNode('agent');
  assert.deepEqual(images, Object.fromEntries(nodes.map((n) => [n, 'busybox:1.37'])));
  const hashes = (await jsonpath('pods -l app=agent', '{.items[*].metadata.labels.controller-revision-hash}')).split(' ');
  assert.equal(new Set(hashes).size, 1);
  assert.notEqual(hashes[0], before);
  assert.equal(await statusLine('agent'), '3 3 3 3 3 0');
  assert.equal(await jsonpath('daemonset agent', '{.status.observedGeneration}'), '2');
  const revisions = await jsonpath('controllerrevisions -l app=agent', '{range .items[*]}{.metadata.name}={.revision} {end}');
  assert.deepEqual(revisions.trim().split(' ').sort(), [`agent-${before}=1`, `agent-${hashes[0]}=2`].sort());

  // Replay the watch: once the rollout began, at least 2 of the 3 nodes kept a ready pod that
  // was not being deleted (maxUnavailable 1), and every node was replaced.
  const live = new Map<string, { node: string; ok: boolean }>();
  let started = false;
  let minServing = Infinity;
  const deletedOn = new Set<string>();
  for (const line of w.lines) {
    const [type, name, node, del, ready] = line.split(' ');
    const ok = del === 'del=' && ready === 'ready=True';
    if (type === 'DELETED') live.delete(name);
    else live.set(name, { node, ok });
    if (del !== 'del=') {
      started = true;
      deletedOn.add(node);
    }
    if (started) minServing = Math.min(minServing, new Set([...live.values()].filter((p) => p.ok).map((p) => p.node)).size);
  }
  assert.deepEqual([...deletedOn].sort(), nodes);
  assert.ok(minServing >= 2, `at some point only ${minServing} nodes had a ready pod:\n${w.lines.join('\n')}`);
});

test('a deleted node loses its pod; a cordoned one keeps it', { timeout: 30_000 }, async () => {
  await server.kubectl(['cordon', nodes[0]]);
  await server.kubectl(['delete', 'node', nodes[2]]);
  await waitFor('the pod of the deleted node to be gone', async () => !(await jsonpath('pods -l app=agent', '{.items[*].spec.nodeName}')).includes(nodes[2]));
  await waitFor('2 desired', async () => (await statusLine('agent')) === '2 2 2 2 2 0');
  assert.deepEqual(Object.keys(await podsByNode('agent')).sort(), [nodes[0], nodes[1]]);
  assert.match(await jsonpath('events --field-selector involvedObject.kind=DaemonSet,involvedObject.name=agent,reason=SuccessfulDelete', '{range .items[*]}{.message}{"\\n"}{end}'),
    /Deleted pod: agent-/);
});
