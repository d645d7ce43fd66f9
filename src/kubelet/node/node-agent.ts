// The node half of the kubelet: register the Node (or take over the one of an earlier run),
// renew its Lease in kube-node-lease every 10 s (the heartbeat the node lifecycle controller
// watches), and post the node status when it changes or at least every minute.
import { isAlreadyExists, isConflict, isNotFound, resources, type RestClient } from '../../client/index.js';
import { log, logError } from '../../machinery/log.js';
import { errMessage, microTime, type Lease, type Node } from '../types.js';
import { buildNode, nodeLabels, nodeStatus, statusChanged, type NodeFacts, type NodeHealth } from './node-status.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeAgentOptions {
  client: RestClient;
  facts: () => NodeFacts;
  health: () => Promise<NodeHealth>;
  images: () => Promise<Array<{ names: string[]; sizeBytes?: number }>>;
  labels?: Record<string, string>;
  podCIDR?: string;
  leaseDurationSeconds: number;
  leaseRenewIntervalMs: number;
  statusUpdateIntervalMs: number;
  statusReportIntervalMs: number;
  /** Told when the Ready condition flips (for the NodeReady / NodeNotReady events). */
  onReadyChange?(ready: boolean): void;
}

export class NodeAgent {
  private node: Node | undefined;
  private lease: Lease | undefined;
  private lastPost = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private wasReady: boolean | undefined;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly o: NodeAgentOptions) {}

  get nodeName(): string {
    return this.o.facts().nodeName;
  }

  /** The node as last written, for its allocatable and uid. */
  get current(): Node | undefined {
    return this.node;
  }

  /** Registers the node; retries until the API server accepts it or the agent stops. */
  async register(): Promise<Node> {
    for (let delay = 500; ; delay = Math.min(delay * 2, 7000)) {
      try {
        return await this.registerOnce();
      } catch (err) {
        if (this.stopped) throw err;
        logError('kubelet', 'unable to register node; retrying', { node: this.nodeName, err: errMessage(err) });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async registerOnce(): Promise<Node> {
    const { client } = this.o;
    const f = this.o.facts();
    const now = Date.now();
    const status = nodeStatus(f, await this.o.health(), now, undefined, await this.o.images());
    const labels = nodeLabels(f, this.o.labels);
    let node: Node;
    try {
      node = await client.create<Node>(resources.nodes, undefined, buildNode(f, labels, this.o.podCIDR, status));
      log('kubelet', 'registered node', { node: f.nodeName });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await client.get<Node>(resources.nodes, undefined, f.nodeName);
      const patch: Record<string, unknown> = { metadata: { labels: { ...(existing.metadata.labels ?? {}), ...labels } } };
      if (!existing.spec?.podCIDR && this.o.podCIDR) patch.spec = { podCIDR: this.o.podCIDR, podCIDRs: [this.o.podCIDR] };
      node = await client.patch<Node>(resources.nodes, undefined, f.nodeName, patch, 'merge');
      log('kubelet', 'node already registered; taking it over', { node: f.nodeName });
    }
    // The status subresource may have been left out of the create: post it.
    node = await client.updateStatus<Node>(resources.nodes, undefined, {
      apiVersion: 'v1', kind: 'Node', metadata: { name: f.nodeName, resourceVersion: node.metadata.resourceVersion },
      status: nodeStatus(f, await this.o.health(), Date.now(), node.status, await this.o.images()),
    });
    this.node = node;
    this.lastPost = Date.now();
    this.noteReady(node);
    return node;
  }

  /** Starts the lease and status loops. */
  start(): void {
    this.loop(() => this.renewLease(), this.o.leaseRenewIntervalMs, 0);
    this.loop(() => this.updateStatus(), this.o.statusUpdateIntervalMs, this.o.statusUpdateIntervalMs);
  }

  /** Stops the loops; resolves once a write in flight has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.inflight]);
  }

  /** Posts the status now if it changed (e.g. memory pressure began). */
  async updateStatus(force = false): Promise<void> {
    const { client } = this.o;
    const f = this.o.facts();
    const now = Date.now();
    let current = this.node;
    if (!current) return;
    const next = nodeStatus(f, await this.o.health(), now, current.status, await this.o.images());
    if (!force && !statusChanged(current.status, next) && now - this.lastPost < this.o.statusReportIntervalMs) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        this.node = await client.updateStatus<Node>(resources.nodes, undefined, {
          apiVersion: 'v1', kind: 'Node', metadata: { name: f.nodeName, resourceVersion: current.metadata.resourceVersion },
          status: nodeStatus(f, await this.o.health(), now, current.status, await this.o.images()),
        });
        this.lastPost = now;
        this.noteReady(this.node);
        return;
      } catch (err) {
        if (isNotFound(err)) {
          logError('kubelet', 'node object was deleted; registering it again', { node: f.nodeName });
          await this.registerOnce();
          return;
        }
        if (!isConflict(err)) throw err;
        current = await client.get<Node>(resources.nodes, undefined, f.nodeName);
      }
    }
  }

  private noteReady(node: Node): void {
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (ready !== this.wasReady) {
      this.wasReady = ready;
      this.o.onReadyChange?.(ready);
    }
  }

  private async renewLease(): Promise<void> {
    const { client } = this.o;
    const name = this.nodeName;
    const spec = { holderIdentity: name, leaseDurationSeconds: this.o.leaseDurationSeconds, renewTime: microTime(Date.now()) };
    try {
      if (this.lease) {
        this.lease = await client.update<Lease>(resources.leases, NODE_LEASE_NAMESPACE, { ...this.lease, spec: { ...this.lease.spec, ...spec } });
      } else {
        const lease: Lease = {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
          metadata: {
            name, namespace: NODE_LEASE_NAMESPACE,
            ownerReferences: this.node?.metadata.uid ? [{ apiVersion: 'v1', kind: 'Node', name, uid: this.node.metadata.uid }] : undefined,
          },
          spec,
        };
        try {
          this.lease = await client.create<Lease>(resources.leases, NODE_LEASE_NAMESPACE, lease);
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          const existing = await client.get<Lease>(resources.leases, NODE_LEASE_NAMESPACE, name);
          this.lease = await client.update<Lease>(resources.leases, NODE_LEASE_NAMESPACE, {
            ...existing,
            metadata: { ...existing.metadata, ownerReferences: lease.metadata.ownerReferences ?? existing.metadata.ownerReferences },
            spec: { ...existing.spec, ...spec },
          });
        }
      }
      delete this.lease.metadata.managedFields;
    } catch (err) {
      this.lease = undefined;
      throw err;
    }
  }

  private loop(fn: () => Promise<void>, everyMs: number, firstMs: number): void {
    const tick = async () => {
      if (this.stopped) return;
      const p = fn().catch((err) => {
        if (!this.stopped) logError('kubelet', 'node heartbeat failed; retrying', { node: this.nodeName, err: errMessage(err) });
      });
      this.inflight.add(p);
      await p;
      this.inflight.delete(p);
      if (this.stopped) return;
      const t = setTimeout(() => {
        this.timers.delete(t);
        void tick();
      }, everyMs);
      this.timers.add(t);
    };
    const t = setTimeout(() => {
      this.timers.delete(t);
      void tick();
    }, firstMs);
    this.timers.add(t);
  }
}
