// The node half of a simulated kubelet, for every node of the pool: register the Node, renew its
// Lease in kube-node-lease (the heartbeat the node lifecycle controller watches), and post node
// status when it is stale. One work queue drives all nodes; keys are `<task>|<node>`.
import { isAlreadyExists, isConflict, isNotFound, resources, type RestClient, type WorkQueue } from '../../client/index.js';
import { log, logError } from '../../machinery/log.js';
import { nodePodCIDR, PodIPAllocator } from './addresses.js';
import { buildNode, conditionsStale, nodeLabels, nodeStatus, type SimNodeSpec } from './node-object.js';
import type { Lease, Node } from './types.js';
import { microTime } from './types.js';
import type { WriteGate } from './write-gate.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** A node annotated `true` behaves as a dead machine: no heartbeats, its pods left as they are. */
export const ANNOTATION_STOPPED = 'sim.k8ts.io/stopped';

export type NodeTask = 'register' | 'lease' | 'status';

export interface SimNodeState {
  spec: SimNodeSpec;
  hostIP: string;
  /** Made at registration from the node's pod range as the API server has it. */
  ips?: PodIPAllocator;
  registered: boolean;
  /** Deleted by someone after registration: the node stays gone, as a kubelet's would. */
  deleted: boolean;
  uid?: string;
  lease?: Lease;
}

export interface NodeAgentDeps {
  client: RestClient;
  gate: WriteGate;
  queue: WorkQueue<string>;
  nodes: Map<string, SimNodeState>;
  /** The node as the pool's informer last saw it. */
  cached(name: string): Node | undefined;
  leaseDurationSeconds: number;
  leaseRenewIntervalMs: number;
  statusReportIntervalMs: number;
  signal: AbortSignal;
  now(): number;
  /** Called once a node is registered and its IP allocator made: mark the IPs its pods hold. */
  onRegistered(name: string): void;
}

export const nodeKey = (task: NodeTask, name: string) => `${task}|${name}`;

export function isStopped(node: Node | undefined): boolean {
  return node?.metadata?.annotations?.[ANNOTATION_STOPPED] === 'true';
}

export class NodeAgent {
  constructor(private readonly d: NodeAgentDeps) {}

  async sync(key: string): Promise<void> {
    const bar = key.indexOf('|');
    const task = key.slice(0, bar) as NodeTask;
    const st = this.d.nodes.get(key.slice(bar + 1));
    if (!st || st.deleted) return;
    if (task === 'register') return this.register(st);
    if (!st.registered) return;
    if (isStopped(this.d.cached(st.spec.name))) return; // resumed by the informer handler
    if (task === 'lease') return this.renewLease(st);
    return this.postStatus(st);
  }

  private async register(st: SimNodeState): Promise<void> {
    const { client, gate, signal } = this.d;
    const name = st.spec.name;
    await gate.take(signal);
    let node: Node;
    try {
      node = await client.create<Node>(resources.nodes, undefined, buildNode(st.spec, this.d.now()));
      log('sim-node', 'registered node', { node: name });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      node = await this.reconcileExisting(st);
    }
    // Some servers drop status on create (as the status subresource would); post it if so.
    if (!node.status?.conditions?.length) {
      await gate.take(signal);
      node = await client.updateStatus<Node>(resources.nodes, undefined, {
        apiVersion: 'v1', kind: 'Node', metadata: { name, resourceVersion: node.metadata.resourceVersion }, status: nodeStatus(st.spec, this.d.now(), node.status),
      });
    }
    st.uid = node.metadata.uid;
    st.ips = allocatorFor(node.spec?.podCIDR, st);
    st.registered = true;
    this.d.onRegistered(name);
    this.d.queue.add(nodeKey('lease', name));
    this.d.queue.addAfter(nodeKey('status', name), this.d.statusReportIntervalMs);
  }

  /** A node left from an earlier run: make its labels and status ours again, keep what others added. */
  private async reconcileExisting(st: SimNodeState): Promise<Node> {
    const { client, gate, signal } = this.d;
    const name = st.spec.name;
    const existing = await client.get<Node>(resources.nodes, undefined, name);
    const labels = { ...(existing.metadata.labels ?? {}), ...nodeLabels(name, st.spec.labels) };
    await gate.take(signal);
    const patched = await client.patch<Node>(resources.nodes, undefined, name, {
      metadata: { labels, resourceVersion: existing.metadata.resourceVersion },
      spec: existing.spec?.podCIDR ? {} : { podCIDR: nodePodCIDR(st.spec.index), podCIDRs: [nodePodCIDR(st.spec.index)] },
    }, 'merge');
    if (isStopped(patched)) {
      log('sim-node', 're-registered a stopped node; it stays stopped', { node: name });
      return patched;
    }
    await gate.take(signal);
    const out = await client.updateStatus<Node>(resources.nodes, undefined, {
      apiVersion: 'v1', kind: 'Node', metadata: { name, resourceVersion: patched.metadata.resourceVersion }, status: nodeStatus(st.spec, this.d.now(), patched.status),
    });
    log('sim-node', 're-registered existing node', { node: name });
    return out;
  }

  private async renewLease(st: SimNodeState): Promise<void> {
    const { client, gate, signal, queue } = this.d;
    const name = st.spec.name;
    const now = this.d.now();
    await gate.take(signal);
    try {
      if (st.lease) {
        st.lease = await client.update<Lease>(resources.leases, NODE_LEASE_NAMESPACE, {
          ...st.lease, spec: { ...st.lease.spec, holderIdentity: name, leaseDurationSeconds: this.d.leaseDurationSeconds, renewTime: microTime(now) },
        });
      } else {
        st.lease = await this.createOrGetLease(st, now);
      }
    } catch (err) {
      // Someone else wrote it (or deleted it): start again from the server's copy next time.
      if (isConflict(err) || isNotFound(err)) st.lease = undefined;
      throw err;
    }
    // The next renewal sends this copy back; managedFields would only make it heavier.
    delete st.lease.metadata.managedFields;
    queue.addAfter(nodeKey('lease', name), this.d.leaseRenewIntervalMs);
  }

  private async createOrGetLease(st: SimNodeState, now: number): Promise<Lease> {
    const { client } = this.d;
    const name = st.spec.name;
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: {
        name, namespace: NODE_LEASE_NAMESPACE,
        ownerReferences: st.uid ? [{ apiVersion: 'v1', kind: 'Node', name, uid: st.uid }] : undefined,
      },
      spec: { holderIdentity: name, leaseDurationSeconds: this.d.leaseDurationSeconds, renewTime: microTime(now) },
    };
    try {
      return await client.create<Lease>(resources.leases, NODE_LEASE_NAMESPACE, lease);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await client.get<Lease>(resources.leases, NODE_LEASE_NAMESPACE, name);
      return client.update<Lease>(resources.leases, NODE_LEASE_NAMESPACE, {
        ...existing,
        metadata: { ...existing.metadata, ownerReferences: lease.metadata.ownerReferences ?? existing.metadata.ownerReferences },
        spec: { ...existing.spec, ...lease.spec },
      });
    }
  }

  private async postStatus(st: SimNodeState): Promise<void> {
    const { client, gate, signal, queue } = this.d;
    const name = st.spec.name;
    const cached = this.d.cached(name);
    const now = this.d.now();
    if (cached && !conditionsStale(cached, now, this.d.statusReportIntervalMs)) {
      const beat = Date.parse(cached.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime ?? '');
      queue.addAfter(nodeKey('status', name), Math.max(1000, beat + this.d.statusReportIntervalMs - now));
      return;
    }
    await gate.take(signal);
    const current = cached ?? (await client.get<Node>(resources.nodes, undefined, name));
    try {
      await client.updateStatus<Node>(resources.nodes, undefined, {
        apiVersion: 'v1', kind: 'Node', metadata: { name, resourceVersion: current.metadata.resourceVersion }, status: nodeStatus(st.spec, now, current.status),
      });
    } catch (err) {
      if (isNotFound(err)) {
        st.deleted = true;
        logError('sim-node', 'node was deleted; it stops posting status', { node: name });
        return;
      }
      throw err;
    }
    queue.addAfter(nodeKey('status', name), this.d.statusReportIntervalMs);
  }
}

/** The node's own pod range when it is a /24 we can hand out; else the one its index gives. */
function allocatorFor(cidr: string | undefined, st: SimNodeState): PodIPAllocator {
  try {
    if (cidr) return new PodIPAllocator(cidr);
  } catch {
    logError('sim-node', 'node has a pod range that is not a /24; using its default range for pod IPs', { node: st.spec.name, podCIDR: cidr });
  }
  return new PodIPAllocator(nodePodCIDR(st.spec.index));
}
