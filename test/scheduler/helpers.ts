// Shared pieces of the scheduler's tests: Node and Pod objects, a client for a test server, and
// waiting for a condition with a deadline.
import { RestClient, resources } from '../../src/client/index.js';
import type { Node, Pod } from '../../src/scheduler/types.js';

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

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function podNode(client: RestClient, ns: string, name: string): Promise<string | undefined> {
  const p = await client.get<Pod>(resources.pods, ns, name);
  return p.spec?.nodeName;
}
