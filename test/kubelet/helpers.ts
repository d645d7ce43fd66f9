// A real API server (k8ts server --disable-agent) with a kubelet on the host driver in the test
// process: the whole pod lifecycle runs as plain child processes, fast and without root.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestClient, isNotFound, resources } from '../../src/client/index.js';
import { HostRuntime, startKubelet, type Kubelet, type KubeletOptions } from '../../src/kubelet/index.js';
import type { Pod } from '../../src/kubelet/types.js';
import type { RuntimeDriver } from '../../src/kubelet/runtime.js';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';

export interface KubeletEnv {
  server: TestServer;
  client: RestClient;
  runtime: RuntimeDriver;
  kubelet: Kubelet;
  rootDir: string;
  nodeName: string;
  stop(): Promise<void>;
}

/** Timings short enough for tests: relist every 100 ms, back-off from 1 s. */
export const FAST: Partial<KubeletOptions> = {
  relistPeriodMs: 100,
  resyncIntervalMs: 2000,
  housekeepingIntervalMs: 2000,
  leaseRenewIntervalMs: 2000,
  statusUpdateIntervalMs: 2000,
  crashLoopBackOff: { initialMs: 1000, maxMs: 4000 },
  imagePullBackOff: { initialMs: 1000, maxMs: 4000 },
};

export async function startKubeletEnv(opts: Partial<KubeletOptions> = {}): Promise<KubeletEnv> {
  const server = await startServer();
  const rootDir = await mkdtemp(join(tmpdir(), 'k8ts-kubelet-'));
  const client = RestClient.fromKubeconfig(server.kubeconfig);
  const runtime = new HostRuntime({ rootDir: join(rootDir, 'host-runtime') });
  const nodeName = opts.nodeName ?? 'node-1';
  let kubelet: Kubelet;
  try {
    kubelet = await startKubelet({ client, nodeName, runtime, rootDir, ...FAST, ...opts });
  } catch (err) {
    await runtime.close();
    await server.stop();
    await rm(rootDir, { recursive: true, force: true });
    throw err;
  }
  const env: KubeletEnv = {
    server, client, runtime, kubelet, rootDir, nodeName,
    async stop() {
      // The test may have replaced the kubelet (a restart): stop the one running now.
      await env.kubelet.stop();
      await runtime.close();
      client.close();
      await server.stop();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
  return env;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function createPod(env: KubeletEnv, pod: Partial<Pod> & { metadata: Pod['metadata'] }): Promise<Pod> {
  const body = { apiVersion: 'v1', kind: 'Pod', ...pod, metadata: { namespace: 'default', ...pod.metadata } };
  body.spec = { nodeName: env.nodeName, terminationGracePeriodSeconds: 2, ...(pod.spec ?? {}) };
  return env.client.create<Pod>(resources.pods, body.metadata.namespace, body as Pod);
}

export function getPod(env: KubeletEnv, name: string, ns = 'default'): Promise<Pod> {
  return env.client.get<Pod>(resources.pods, ns, name);
}

/** Waits until the pod satisfies `pred`; returns it. */
export function waitForPod(env: KubeletEnv, name: string, pred: (p: Pod) => boolean, what = 'pod condition', timeoutMs = 15000): Promise<Pod> {
  return waitFor(`${name}: ${what}`, () => getPod(env, name), { until: pred, timeoutMs });
}

export async function waitForPodGone(env: KubeletEnv, name: string, timeoutMs = 20000): Promise<void> {
  await waitFor(`${name} to be deleted`, async () => {
    try {
      await getPod(env, name);
      return false;
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
  }, { timeoutMs });
}

export interface EventLite { reason: string; message: string; type: string; fieldPath?: string; count?: number }

export async function podEvents(env: KubeletEnv, name: string, ns = 'default'): Promise<EventLite[]> {
  const list = await env.client.list<any>(resources.events, ns, { fieldSelector: `involvedObject.name=${name}` });
  return list.items
    .sort((a, b) => String(a.firstTimestamp).localeCompare(String(b.firstTimestamp)))
    .map((e) => ({ reason: e.reason, message: e.message, type: e.type, fieldPath: e.involvedObject?.fieldPath, count: e.count }));
}

export const condition = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type);
export const cstatus = (p: Pod, name: string) => [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find((c) => c.name === name);
