// A node that dies and comes back, seen through the real kubectl: a simulated node annotated
// stopped goes silent; the node lifecycle controller marks it NotReady and taints it, the taint
// eviction controller deletes the pods that tolerate that only briefly, and when the node comes
// back its taints go and the deletions it missed are finished.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { waitFor as waitUntil } from '../../helpers/wait.js';

let server: TestServer;

const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> =>
  waitUntil(what, fn, { timeoutMs, context: () => server.output().slice(-3000) });

const json = async (args: string[]) => JSON.parse((await server.kubectl([...args, '-o', 'json'])).stdout);
const condition = (obj: { status?: { conditions?: Array<{ type: string }> } }, type: string) =>
  obj.status?.conditions?.find((c) => c.type === type) as { status: string; reason?: string; message?: string } | undefined;

before(async () => {
  server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', '3', '--node-monitor-grace-period', '4s'] });
  await waitFor('3 Ready nodes', async () => ((await server.kubectl(['get', 'nodes'])).stdout.match(/ Ready /g) ?? []).length === 3);
});

after(async () => {
  await server?.stop();
});

test('a stopped node turns NotReady, is tainted, loses its pods, and recovers', { timeout: 60_000 }, async () => {
  const t0 = Date.now();
  await server.kubectl(['apply', '-f', '-'], {
    input: `apiVersion: v1
kind: Pod
metadata: {name: brief}
spec:
  nodeName: sim-1
  containers: [{name: app, image: nginx}]
  tolerations:
  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1}
  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: patient}
spec:
  nodeName: sim-1
  containers: [{name: app, image: nginx}]
  tolerations:
  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}
  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute}
---
apiVersion: v1
kind: Pod
metadata: {name: elsewhere}
spec:
  nodeName: sim-2
  containers: [{name: app, image: nginx}]
  tolerations:
  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1}
`,
  });
  for (const name of ['brief', 'patient', 'elsewhere']) {
    await waitFor(`${name} Running`, async () => (await json(['get', 'pod', name])).status.phase === 'Running');
  }

  await server.kubectl(['annotate', 'node', 'sim-1', 'sim.k8ts.io/stopped=true']);
  const stoppedAt = Date.now();
  await waitFor('sim-1 NotReady', async () => /^sim-1\s+NotReady\s/m.test((await server.kubectl(['get', 'nodes'])).stdout));
  const notReadyAfter = Date.now() - stoppedAt;
  // The last renewal may precede the annotation by up to the 1 s renew interval, and kubectl's
  // answer may come late under load: well after 0 is what shows the grace period was waited.
  assert.ok(notReadyAfter >= 2000, `marked NotReady after ${notReadyAfter} ms, before the 4 s grace period`);

  const node = await waitFor('the unreachable taints', async () => {
    const n = await json(['get', 'node', 'sim-1']);
    const taints = (n.spec.taints ?? []).map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`).sort();
    return taints.join() === 'node.kubernetes.io/unreachable:NoExecute,node.kubernetes.io/unreachable:NoSchedule' ? n : undefined;
  });
  const ready = condition(node, 'Ready')!;
  assert.equal(ready.status, 'Unknown');
  assert.equal(ready.reason, 'NodeStatusUnknown');
  assert.equal(ready.message, 'Kubelet stopped posting node status.');
  assert.equal(condition(node, 'MemoryPressure')?.status, 'Unknown');
  for (const t of node.spec.taints) assert.ok(t.timeAdded, 'taints carry timeAdded');

  // The pod that tolerates unreachable for 1 s is deleted; the dead node cannot confirm, so it
  // stays Terminating, marked as a disruption target.
  const brief = await waitFor('brief marked for deletion', async () => {
    const p = await json(['get', 'pod', 'brief']);
    return p.metadata.deletionTimestamp ? p : undefined;
  });
  assert.equal(condition(brief, 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
  assert.equal(condition(brief, 'Ready')?.status, 'False');
  assert.match((await server.kubectl(['get', 'pod', 'brief'])).stdout, /brief\s+\S+\s+Terminating/);

  // The pod that tolerates it forever stays, marked not ready; the pod elsewhere is untouched.
  const patient = await json(['get', 'pod', 'patient']);
  assert.equal(patient.metadata.deletionTimestamp, undefined);
  assert.equal(condition(patient, 'Ready')?.status, 'False');
  const elsewhere = await json(['get', 'pod', 'elsewhere']);
  assert.equal(elsewhere.metadata.deletionTimestamp, undefined);
  assert.equal(condition(elsewhere, 'Ready')?.status, 'True');

  const events = (await server.kubectl(['get', 'events', '-A'])).stdout;
  assert.match(events, /NodeNotReady\s+node\/sim-1\s+Node sim-1 status is now: NodeNotReady/);
  assert.match(events, /Warning\s+NodeNotReady\s+pod\/patient\s+Node is not ready/);
  assert.match(events, /TaintManagerEviction\s+pod\/brief\s+Marking for deletion Pod default\/brief/);
  assert.match(events, /RegisteredNode\s+node\/sim-1\s+Node sim-1 event: Registered Node sim-1 in Controller/);

  // A dead node starts nothing: a pod bound to it stays Pending.
  await server.kubectl(['run', 'late', '--image=nginx', '--overrides', '{"spec":{"nodeName":"sim-1"}}']);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await json(['get', 'pod', 'late'])).status.phase, 'Pending');

  // Back to life: Ready, untainted, the missed deletion finished, the others running and ready.
  await server.kubectl(['annotate', 'node', 'sim-1', 'sim.k8ts.io/stopped-']);
  await waitFor('sim-1 Ready and untainted', async () => {
    const n = await json(['get', 'node', 'sim-1']);
    return condition(n, 'Ready')?.status === 'True' && !(n.spec.taints ?? []).length;
  });
  await waitFor('brief gone', async () => /NotFound/.test((await server.kubectl(['get', 'pod', 'brief'], { allowFail: true })).stderr));
  await waitFor('patient ready again', async () => condition(await json(['get', 'pod', 'patient']), 'Ready')?.status === 'True');
  await waitFor('late Running', async () => (await json(['get', 'pod', 'late'])).status.phase === 'Running');
  assert.ok(Date.now() - t0 < 60_000);
});
