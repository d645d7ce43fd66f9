// A kubelet that restarts finds its pods' containers in the runtime again and leaves them running;
// what belongs to pods deleted meanwhile is removed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../src/client/index.js';
import { startKubelet } from '../../src/kubelet/index.js';
import { createPod, cstatus, FAST, sleep, startKubeletEnv, waitForPod, type KubeletEnv } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

let env: KubeletEnv;
before(async () => {
  env = await startKubeletEnv();
});
after(async () => {
  await env?.stop();
});

test('running pods survive a kubelet restart; pods deleted while it was down are cleaned up', async () => {
  await createPod(env, { metadata: { name: 'keeper' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'] }] } });
  await createPod(env, { metadata: { name: 'goner' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'] }] } });
  const before = await waitForPod(env, 'keeper', (p) => p.status?.phase === 'Running', 'Running');
  const goner = await waitForPod(env, 'goner', (p) => p.status?.phase === 'Running', 'Running');
  const id = cstatus(before, 'c')!.containerID;

  await env.kubelet.stop();
  // Deleted with no grace while no kubelet watches: the API server removes it at once.
  await env.client.delete(resources.pods, 'default', 'goner', { gracePeriodSeconds: 0 });
  await sleep(300);
  assert.ok((await env.runtime.listPodSandboxes()).some((s) => s.labels['io.kubernetes.pod.uid'] === goner.metadata.uid), 'still in the runtime while the kubelet is down');

  env.kubelet = await startKubelet({ client: env.client, nodeName: env.nodeName, runtime: env.runtime, rootDir: env.rootDir, ...FAST });
  await waitFor('the deleted pod\'s sandbox removed', async () => !(await env.runtime.listPodSandboxes()).some((s) => s.labels['io.kubernetes.pod.uid'] === goner.metadata.uid));
  await sleep(1000);
  const after = await env.client.get<any>(resources.pods, 'default', 'keeper');
  assert.equal(cstatus(after, 'c')?.containerID, id, 'the same container, not a new one');
  assert.equal(cstatus(after, 'c')?.restartCount, 0);
  assert.equal(after.status.phase, 'Running');
});
