// How often the kubelet asks the runtime about a new pod. A CRI call costs the node CPU, and a
// pod's start used to read its state three times over and sync twice: once for the pod, once more
// for the PLEG relist that saw its sandbox come up while that sync still ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestClient, resources } from '../../src/client/index.js';
import { HostRuntime, startKubelet } from '../../src/kubelet/index.js';
import type { RuntimeDriver, RuntimeListFilter } from '../../src/kubelet/runtime.js';
import { startServer } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';
import { createPod, FAST, waitForPod, type KubeletEnv } from './helpers.js';

/**
 * The host runtime, counting the reads made for one pod (label-filtered lists, the way a pod sync
 * asks; the PLEG lists everything) and holding each container start for a while, so that relists
 * every 10 ms surely see the pod half made while its sync runs.
 */
function countingRuntime(inner: HostRuntime) {
  const counts = { syncReads: 0, podContainerLists: 0, containerStatus: 0 };
  const filtered = (f?: RuntimeListFilter) => f?.labels !== undefined;
  const runtime = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (prop === 'listPodSandboxes' && filtered(args[0] as RuntimeListFilter)) counts.syncReads++;
        if (prop === 'listContainers' && filtered(args[0] as RuntimeListFilter)) counts.podContainerLists++;
        if (prop === 'containerStatus') counts.containerStatus++;
        if (prop === 'startContainer') await new Promise((r) => setTimeout(r, 150));
        return value.apply(target, args);
      };
    },
  }) as RuntimeDriver;
  return { runtime, counts };
}

test('a new pod is read once and synced once, though relists see it half made while its sync runs', async () => {
  const server = await startServer();
  const rootDir = await mkdtemp(join(tmpdir(), 'k8ts-reads-'));
  const client = RestClient.fromKubeconfig(server.kubeconfig);
  const host = new HostRuntime({ rootDir: join(rootDir, 'host-runtime') });
  const { runtime, counts } = countingRuntime(host);
  const kubelet = await startKubelet({ client, nodeName: 'node-1', runtime, rootDir, ...FAST, relistPeriodMs: 10, resyncIntervalMs: 60_000 });
  const env = { server, client, runtime, kubelet, rootDir, nodeName: 'node-1' } as KubeletEnv;
  try {
    // The token volume's CA: were it published after the pods came, they would all sync again.
    await waitFor('kube-root-ca.crt', () => client.get(resources.configmaps, 'default', 'kube-root-ca.crt').then(() => true, () => false));
    const names = ['r1', 'r2', 'r3'];
    for (const name of names) {
      await createPod(env, { metadata: { name }, spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '30'] }] } });
    }
    for (const name of names) await waitForPod(env, name, (p) => p.status?.phase === 'Running', 'Running');
    // Relists go on; any second sync would read again.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(counts.syncReads, names.length, 'one state read per pod: the one its sync starts with');
    assert.equal(counts.podContainerLists, 0, 'no pod is listed again after its container started');
    assert.ok(counts.containerStatus >= names.length, 'each started container is read by its id');
  } finally {
    await kubelet.stop();
    await host.close();
    client.close();
    await server.stop();
    await rm(rootDir, { recursive: true, force: true });
  }
});
