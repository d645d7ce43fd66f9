// The node lifecycle controller (kube-controller-manager's node-lifecycle-controller): a node that
// has not renewed its Lease nor posted status within the grace period gets Ready=Unknown; node
// conditions become NoSchedule taints (TaintNodesByCondition), and a not-ready or unreachable node
// gets the matching NoExecute taint, rate-limited per zone, that the taint eviction controller
// acts on. Pods on a node that is not Ready are marked not ready.
import { resources, runWorkers, WorkQueue, isConflict, isNotFound, type EventRecorder, type Informer, type RestClient } from '../../client/index.js';
import { log, logError } from '../../machinery/log.js';
import type { Controller, ControllerContext } from '../context.js';
import { NodeHealth, unknownConditions } from './health.js';
import { ensureNodeNameIndex, podsOnNode } from './pod-index.js';
import { conditionTaints, noExecuteTaints, readinessNoExecuteTaint, reconcileTaints } from './taints.js';
import type { Lease, Node, Pod, Taint } from './types.js';
import { NODE_LEASE_NAMESPACE, TAINT_NOT_READY, TAINT_UNREACHABLE, nodeCondition, wireTime } from './types.js';
import { DEFAULT_DISRUPTION, Zones, type DisruptionOptions } from './zones.js';
import { readyToRun } from '../util/ready-to-run.js';

export interface NodeLifecycleOptions extends DisruptionOptions {
  /** How often all nodes are looked at and zone states recomputed (--node-monitor-period); 5 s. */
  nodeMonitorPeriodMs: number;
  /** Grace for a node that never posted a Ready condition (--node-startup-grace-period); 1 min. */
  nodeStartupGracePeriodMs: number;
  /** Overrides the controller manager's --node-monitor-grace-period (tests). */
  nodeMonitorGracePeriodMs?: number;
  now?: () => number;
}

export const DEFAULT_NODE_LIFECYCLE: NodeLifecycleOptions = {
  ...DEFAULT_DISRUPTION, nodeMonitorPeriodMs: 5000, nodeStartupGracePeriodMs: 60_000,
};

/** How soon a zone that may not taint yet is looked at again. */
const EVICTION_RETRY_MS = 1000;

export function newNodeLifecycleController(overrides: Partial<NodeLifecycleOptions> = {}): Controller {
  const opts = { ...DEFAULT_NODE_LIFECYCLE, ...overrides };
  return { name: 'node-lifecycle', start: (ctx) => new NodeLifecycle(ctx, opts).start() };
}

export const nodeLifecycleController: Controller = newNodeLifecycleController();

class NodeLifecycle {
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly queue = new WorkQueue<string>({ name: 'node-lifecycle' });
  private readonly health = new NodeHealth();
  private readonly zones: Zones;
  /** Nodes this controller has announced (RegisteredNode), name → uid. */
  private readonly known = new Map<string, string>();
  private readonly graceMs: number;
  private readonly now: () => number;
  private nodes!: Informer<Node>;
  private pods!: Informer<Pod>;
  private leases!: Informer<Lease>;

  constructor(private readonly ctx: ControllerContext, private readonly opts: NodeLifecycleOptions) {
    this.client = ctx.client;
    this.recorder = ctx.recorder('node-controller');
    this.zones = new Zones(opts);
    this.graceMs = opts.nodeMonitorGracePeriodMs ?? ctx.options.nodeMonitorGracePeriodMs;
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    const { informers, signal } = this.ctx;
    this.nodes = informers.forResource<Node>(resources.nodes);
    this.pods = informers.forResource<Pod>(resources.pods);
    this.leases = informers.forResource<Lease>(resources.leases, { namespace: NODE_LEASE_NAMESPACE });
    ensureNodeNameIndex(this.pods);

    const enqueue = (n: Node) => this.queue.add(n.metadata.name ?? '');
    this.nodes.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    // A renewal is noted when seen, by this process's clock; the node's sync reads it later.
    const leaseSeen = (l: Lease) => this.health.leaseSeen(l.metadata.name ?? '', l.spec?.renewTime, this.now());
    this.leases.addEventHandler({ onAdd: leaseSeen, onUpdate: (_o, l) => leaseSeen(l) });
    // A pod that lands on a node that is not Ready must be marked not ready too.
    const podLanded = (old: Pod | undefined, p: Pod) => {
      const node = p.spec?.nodeName;
      if (!node || old?.spec?.nodeName === node) return;
      const ready = nodeCondition(this.nodes.lister.get(undefined, node), 'Ready')?.status;
      if (ready !== undefined && ready !== 'True') this.queue.add(node);
    };
    this.pods.addEventHandler({ onAdd: (p) => podLanded(undefined, p), onUpdate: podLanded });

    void (async () => {
      if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.nodes, this.pods, this.leases] }))) return;
      this.monitorPass();
      const timer = setInterval(() => this.monitorPass(), this.opts.nodeMonitorPeriodMs);
      signal.addEventListener('abort', () => clearInterval(timer), { once: true });
      await runWorkers(this.queue, this.ctx.options.workers, (name) => this.sync(name), { onError: quietConflicts('node-lifecycle') });
    })().catch((err) => logError('node-lifecycle', 'controller stopped', { err: String(err) }));
  }

  /** Zone states from all nodes, and every node looked at again, as kube-controller-manager's monitor loop. */
  private monitorPass(): void {
    const all = this.nodes.lister.list();
    if (this.zones.update(all)) {
      log('node-lifecycle', this.zones.allFullyDisrupted
        ? 'all nodes are not ready: entering master disruption mode, evictions stop'
        : 'some nodes are ready again: leaving master disruption mode');
    }
    const present = new Set(all.map((n) => n.metadata.name ?? ''));
    for (const name of present) this.queue.add(name);
    for (const name of this.known.keys()) if (!present.has(name)) this.queue.add(name);
  }

  async sync(name: string): Promise<void> {
    const node = this.nodes.lister.get(undefined, name);
    if (!node) {
      const uid = this.known.get(name);
      if (uid !== undefined) {
        this.known.delete(name);
        this.health.forget(name);
        this.nodeEvent(name, uid, 'Normal', 'RemovingNode', `Removing Node ${name} from Controller`);
      }
      return;
    }
    if (!this.known.has(name)) {
      this.known.set(name, node.metadata.uid ?? '');
      this.nodeEvent(name, node.metadata.uid ?? '', 'Normal', 'RegisteredNode', `Registered Node ${name} in Controller`);
    }
    const now = this.now();
    const heardAt = this.health.observe(node, now);
    const observedReady = nodeCondition(node, 'Ready');
    const grace = observedReady ? this.graceMs : this.opts.nodeStartupGracePeriodMs;
    let current = node;
    if (now - heardAt > grace) {
      const conditions = unknownConditions(node, now);
      if (conditions) {
        current = await this.client.updateStatus<Node>(resources.nodes, undefined, {
          apiVersion: 'v1', kind: 'Node', metadata: { name, resourceVersion: node.metadata.resourceVersion }, status: { ...node.status, conditions },
        });
        log('node-lifecycle', 'node stopped posting status; marked Unknown', { node: name, silentMs: now - heardAt });
      }
    } else {
      this.queue.addAfter(name, heardAt + grace - now + 1);
    }

    const ready = nodeCondition(current, 'Ready')?.status;
    const taints = reconcileTaints(current.spec?.taints, conditionTaints(current), this.noExecuteTaints(current, ready), wireTime(now));
    if (taints) {
      current = await this.client.patch<Node>(resources.nodes, undefined, name, {
        metadata: { resourceVersion: current.metadata.resourceVersion }, spec: { taints: taints.length ? taints : null },
      }, 'merge');
    }

    if (observedReady?.status === 'True' && ready !== undefined && ready !== 'True') {
      this.recorder.event(nodeRef(name, node.metadata.uid), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    }
    if (ready !== undefined && ready !== 'True') await this.markPodsNotReady(name);
  }

  /** The NoExecute taint the node should carry now, honouring disruption mode and the zone's eviction rate. */
  private noExecuteTaints(node: Node, ready: string | undefined): Taint[] {
    if (ready !== 'False' && ready !== 'Unknown') return [];
    if (this.zones.allFullyDisrupted) return [];
    const want = readinessNoExecuteTaint(ready)!;
    const has = noExecuteTaints(node).some((t) => t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE);
    // Swapping not-ready for unreachable (or back) is immediate; a new eviction waits its turn.
    if (has || this.zones.tryEvict(node)) return [want];
    this.queue.addAfter(node.metadata.name ?? '', EVICTION_RETRY_MS);
    return [];
  }

  private async markPodsNotReady(nodeName: string): Promise<void> {
    const errors: string[] = [];
    const nowIso = wireTime(this.now());
    for (const pod of podsOnNode(this.pods, nodeName)) {
      if (pod.spec?.nodeName !== nodeName) continue;
      const conditions = pod.status?.conditions ?? [];
      const ready = conditions.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const next = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: nowIso } : c));
      try {
        await this.client.updateStatus<Pod>(resources.pods, pod.metadata.namespace, {
          apiVersion: 'v1', kind: 'Pod',
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion },
          status: { ...pod.status, conditions: next },
        });
      } catch (err) {
        if (isNotFound(err)) continue;
        errors.push(`${pod.metadata.namespace}/${pod.metadata.name}: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      this.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
    if (errors.length) throw new Error(`unable to mark all pods NotReady on node ${nodeName}: ${errors.join('; ')}`);
  }

  private nodeEvent(name: string, uid: string, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event(nodeRef(name, uid), type, reason, `Node ${name} event: ${message}`);
  }
}

function nodeRef(name: string, uid: string | undefined) {
  return { apiVersion: 'v1', kind: 'Node', name, ...(uid ? { uid } : {}) };
}

/** Conflicts are expected (the kubelet writes the same objects) and retried at once; others are worth a log line. */
export function quietConflicts(component: string) {
  return (key: string, err: unknown, retries: number) => {
    if (isConflict(err) && retries < 5) return;
    logError(component, 'sync failed; requeuing', { key, retries, err: err instanceof Error ? err.message : String(err) });
  };
}
