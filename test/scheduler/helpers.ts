// Shared pieces of the scheduler's tests: Node and Pod objects, a client for a test server, and
// waiting for a condition with a deadline.
import { RestClient, resources } from '../../src/client/index.js';
import type { Node, Pod } from '../../src/scheduler/types.js';
import type { KObject } from '../../src/api/resource.js';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';

export function makeNode(name: string, opts: { cpu?: string; memory?: string; pods?: string; gpu?: string; labels?: Record<string, string>; taints?: Node['spec'] extends infer S ? S extends { taints?: infer T } ? T : never : never; unschedulable?: boolean; images?: Array<{ names: string[]; sizeBytes: number }> } = {}): Node {
  const alloc: Record<string, string> = { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? '110' };
  if (opts.gpu) alloc['nvidia.com/gpu'] = opts.gpu;
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(opts.labels ?? {}) } },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: { capacity: alloc, allocatable: alloc, images: opts.images, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

export function makePod(name: string, opts: { ns?: string; cpu?: string; memory?: string; gpu?: string; labels?: Record<string, string>; spec?: Partial<Pod['spec']> } = {}): Pod {
  const requests: Record<string, string> = {};
  if (opts.cpu) requests.cpu = opts.cpu;
  if (opts.memory) requests.memory = opts.memory;
  const limits: Record<string, string> = {};
  if (opts.gpu) requests['nvidia.com/gpu'] = limits['nvidia.com/gpu'] = opts.gpu;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: opts.ns ?? 'default', labels: opts.labels },
    spec: {
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests, ...(opts.gpu ? { limits } : {}) } }],
      ...(opts.spec ?? {}),
    },
  };
}

export async function createNodes(client: RestClient, nodes: Node[]): Promise<void> {
  for (const n of nodes) {
    const created = await client.create<Node>(resources.nodes, undefined, n);
    // Status is reset on create; write it through the status subresource as a kubelet does.
    await client.updateStatus(resources.nodes, undefined, { ...created, status: n.status });
  }
}

export async function podNode(client: RestClient, ns: string, name: string): Promise<string | undefined> {
  const p = await client.get<Pod>(resources.pods, ns, name);
  return p.spec?.nodeName;
}

// ---- e2e: a real server with simulated nodes, driven with the real kubectl ----


export interface SimCluster {
  server: TestServer;
  client: RestClient;
  kubectl(args: string[], input?: string): Promise<string>;
  /** The pod as the API server has it now. */
  pod(name: string, ns?: string): Promise<Pod | undefined>;
  /** Waits until the pod is bound, returning its node. */
  boundNode(name: string, ns?: string, timeoutMs?: number): Promise<string>;
  /** Waits for a FailedScheduling event on the pod whose message matches, returning the message. */
  failedScheduling(name: string, match: RegExp, ns?: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startSimCluster(nodes: number, capacity: string, extraArgs: string[] = []): Promise<SimCluster> {
  const server = await startServer({
    // The helper disables the node agent; these nodes are simulated, so turn it back on.
    args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', String(nodes), '--sim-node-capacity', capacity, ...extraArgs],
  });
  const client = RestClient.fromKubeconfig(server.kubeconfig);
  const c: SimCluster = {
    server, client,
    kubectl: async (args, input) => (await server.kubectl(args, { input })).stdout,
    pod: async (name, ns = 'default') => {
      try {
        return await client.get<Pod>(resources.pods, ns, name);
      } catch {
        return undefined;
      }
    },
    boundNode: (name, ns = 'default', timeoutMs = 15000) => waitFor(`pod ${ns}/${name} to be bound`, async () => (await c.pod(name, ns))?.spec?.nodeName, { timeoutMs }),
    failedScheduling: (name, match, ns = 'default', timeoutMs = 15000) => waitFor(`FailedScheduling event for ${ns}/${name} matching ${match}`, async () => {
      const list = await client.list<{ metadata: { name?: string }; reason?: string; message?: string; involvedObject?: { name?: string } } & KObject>(resources.events, ns);
      return list.items.find((e) => e.involvedObject?.name === name && e.reason === 'FailedScheduling' && match.test(e.message ?? ''))?.message;
    }, { timeoutMs }),
    stop: async () => {
      client.close();
      await server.stop();
    },
  };
  await waitFor('simulated nodes to register', async () => (await client.list(resources.nodes)).items.length === nodes);
  return c;
}

/** A pod manifest as YAML-compatible JSON for `kubectl apply -f -`. */
export function podManifest(name: string, opts: { cpu?: string; gpu?: string; labels?: Record<string, string>; spec?: Record<string, unknown>; ns?: string } = {}): string {
  return JSON.stringify(makePod(name, { cpu: opts.cpu, gpu: opts.gpu, labels: opts.labels, ns: opts.ns, spec: opts.spec as Partial<Pod['spec']> }));
}
