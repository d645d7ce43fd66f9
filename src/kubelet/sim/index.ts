// Simulated nodes, like KWOK: Node objects whose "kubelet" lives only on the API. They register,
// heartbeat through Leases, and move the pods bound to them through Pending, Running and
// completion without running anything, so controllers and the scheduler can be exercised on a
// thousand nodes from one small process. One pool serves all nodes of a process: one pod
// informer, one node informer, two work queues and one write budget, whatever the node count.
import { InformerFactory, WorkQueue, isConflict, resources, runWorkers, type RestClient } from '../../client/index.js';
import { log, logError } from '../../machinery/log.js';
import { nodeInternalIP } from './addresses.js';
import { isStopped, NodeAgent, nodeKey, type SimNodeState } from './node-agent.js';
import { nodeCapacity } from './node-object.js';
import { PodAgent, POD_NODE_INDEX } from './pod-agent.js';
import type { Node, Pod } from './types.js';
import { WriteGate } from './write-gate.js';

export { ANNOTATION_STOPPED } from './node-agent.js';
export { ANNOTATION_START_DELAY, ANNOTATION_DURATION, ANNOTATION_EXIT_CODE } from './pod-lifecycle.js';

export interface SimNodeOptions {
  client: RestClient;
  /** Nodes named sim-0 .. sim-(count-1) (with namePrefix and startIndex: <prefix><startIndex> ...). */
  count: number;
  /** Per-node capacity; defaults cpu 32, memory 256Gi, ephemeral-storage 1Ti, pods 110. */
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  /** Delay before a bound pod is Running and Ready, ms; the pod annotation sim.k8ts.io/start-delay overrides it. Default 0. */
  startDelayMs?: number;
  /** Node names are <namePrefix><index>; default `sim-`. */
  namePrefix?: string;
  /**
   * Index of the first node; default 0. Another process can run more nodes against the same
   * server with a different startIndex: the index picks each node's addresses and pod range.
   */
  startIndex?: number;
  /** Lease renewal period, ms. Default: 10 s as the kubelet, shorter for small pools (see leaseRenewIntervalFor). */
  leaseRenewIntervalMs?: number;
  /** spec.leaseDurationSeconds of node leases; 40 as the kubelet. */
  leaseDurationSeconds?: number;
  /** How often an unchanged node status is posted anyway (nodeStatusReportFrequency); 1 min. */
  statusReportIntervalMs?: number;
  /** Writes per second the whole pool may make (leases, node and pod status, deletes); default 500. */
  writeQPS?: number;
  writeBurst?: number;
  /** Concurrent pod syncs; default 32. */
  podWorkers?: number;
}

export interface SimNodes {
  stop(): Promise<void>;
  /** Resolves once every node is registered (or the pool stopped first). */
  ready(): Promise<void>;
  readonly nodeNames: readonly string[];
}

/**
 * The kubelet renews every 10 s, a quarter of the 40 s lease. A short --node-monitor-grace-period
 * (tests use a few seconds) would see such nodes as dead between renewals, so a small pool renews
 * faster: about 50 lease writes a second for the whole pool, never less often than 10 s and never
 * more often than once a second. Pools of up to 150 nodes renew at least every 3 s.
 */
export function leaseRenewIntervalFor(count: number): number {
  return Math.min(10_000, Math.max(1000, count * 20));
}

/**
 * Heartbeats must keep their pace when the API server is slow: a renewal taking 300 ms under load
 * with 8 workers would allow ~27 renewals a second where 1,000 nodes need 100. Renewals only enter
 * the queue when due, so more workers mean more concurrency only when the server lags.
 */
export function nodeWorkersFor(count: number): number {
  return Math.min(128, Math.max(8, Math.ceil(count / 8)));
}

export function startSimNodes(opts: SimNodeOptions): SimNodes {
  const count = Math.floor(opts.count);
  if (!(count >= 0)) throw new Error(`--sim-nodes must be 0 or more, got ${opts.count}`);
  const prefix = opts.namePrefix ?? 'sim-';
  const start = opts.startIndex ?? 0;
  const capacity = nodeCapacity(opts.capacity);
  const stopper = new AbortController();
  const signal = stopper.signal;
  const now = () => Date.now();

  const nodes = new Map<string, SimNodeState>();
  for (let i = 0; i < count; i++) {
    const index = start + i;
    const name = `${prefix}${index}`;
    nodes.set(name, { spec: { name, index, capacity, labels: opts.labels ?? {} }, hostIP: nodeInternalIP(index), registered: false, deleted: false });
  }

  // The pool's own informers: it must not share a cache with controllers whose transforms or
  // lifetimes differ, and it runs whether or not this process leads the controllers.
  const factory = new InformerFactory(opts.client, { transform: dropManagedFields });
  const podInformer = factory.forResource<Pod>(resources.pods);
  podInformer.addIndexers({ [POD_NODE_INDEX]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
  const nodeInformer = factory.forResource<Node>(resources.nodes);
  const cached = (name: string) => nodeInformer.lister.get(undefined, name);

  const gate = new WriteGate(opts.writeQPS ?? 500, opts.writeBurst ?? opts.writeQPS ?? 500);
  const nodeQueue = new WorkQueue<string>({ name: 'sim-nodes' });
  const podQueue = new WorkQueue<string>({ name: 'sim-pods' });

  const pods = new PodAgent({
    client: opts.client, gate, queue: podQueue, pods: podInformer.lister, nodes, cachedNode: cached,
    defaultStartDelayMs: opts.startDelayMs ?? 0, signal, now,
  });
  const podsOn = (node: string) => podInformer.lister.byIndex(POD_NODE_INDEX, node);
  const agent = new NodeAgent({
    client: opts.client, gate, queue: nodeQueue, nodes, cached,
    leaseDurationSeconds: opts.leaseDurationSeconds ?? 40,
    leaseRenewIntervalMs: opts.leaseRenewIntervalMs ?? leaseRenewIntervalFor(count),
    statusReportIntervalMs: opts.statusReportIntervalMs ?? 60_000,
    signal, now,
    onRegistered: (name) => pods.adoptIPs(podsOn(name)),
  });

  podInformer.addEventHandler({
    onAdd: (p) => pods.observe(p),
    onUpdate: (_old, p) => pods.observe(p),
    onDelete: (p) => pods.forget(p),
  });
  nodeInformer.addEventHandler({
    onUpdate: (old, node) => {
      const st = nodes.get(node.metadata.name ?? '');
      if (!st?.registered || st.deleted) return;
      if (isStopped(old) && !isStopped(node)) {
        log('sim-node', 'node resumed', { node: st.spec.name });
        nodeQueue.add(nodeKey('lease', st.spec.name));
        nodeQueue.add(nodeKey('status', st.spec.name));
        for (const p of podsOn(st.spec.name)) pods.observe(p);
      } else if (!isStopped(old) && isStopped(node)) {
        log('sim-node', 'node stopped: no heartbeats, its pods left as they are', { node: st.spec.name });
      } else if (!isStopped(node)) {
        // Someone else changed the status (the node lifecycle controller marking it Unknown):
        // the status task decides whether the node must speak up again now.
        nodeQueue.add(nodeKey('status', st.spec.name));
      }
    },
    onDelete: (node) => {
      const st = nodes.get(node.metadata.name ?? '');
      if (st?.registered) {
        st.deleted = true;
        log('sim-node', 'node deleted; it stays gone', { node: st.spec.name });
      }
    },
  });

  const quiet = (queue: string) => (key: string, err: unknown, retries: number) => {
    if (signal.aborted) return;
    if (isConflict(err) && retries < 5) return; // the informer brings the newer copy; the retry uses it
    logError(queue, 'sync failed; retrying', { key, retries, err: err instanceof Error ? err.message : String(err) });
  };

  let readyResolve!: () => void;
  const readyPromise = new Promise<void>((r) => (readyResolve = r));
  const workers: Promise<void>[] = [];
  const run = async () => {
    factory.start();
    // Pods first: a node must know which IPs its pods hold before it hands out new ones.
    while (!signal.aborted && !(await factory.waitForSync(5000))) log('sim-node', 'waiting for the pod and node caches to fill');
    if (signal.aborted) return readyResolve();
    workers.push(runWorkers(nodeQueue, nodeWorkersFor(count), (k) => agent.sync(k), { onError: quiet('sim-nodes') }));
    workers.push(runWorkers(podQueue, opts.podWorkers ?? 32, (k) => pods.sync(k), { onError: quiet('sim-pods') }));
    for (const name of nodes.keys()) nodeQueue.add(nodeKey('register', name));
    const t0 = performance.now();
    while (!signal.aborted && [...nodes.values()].some((n) => !n.registered && !n.deleted)) await new Promise((r) => setTimeout(r, 50));
    if (!signal.aborted) log('sim-node', 'simulated nodes registered', { count, ms: Math.round(performance.now() - t0) });
    readyResolve();
  };
  const running = run().catch((err) => {
    logError('sim-node', 'simulated nodes failed to start', { err: err instanceof Error ? err.message : String(err) });
    readyResolve();
  });

  return {
    nodeNames: [...nodes.keys()],
    ready: () => readyPromise,
    async stop() {
      stopper.abort();
      nodeQueue.shutDown();
      podQueue.shutDown();
      await running;
      await Promise.all(workers);
      await factory.stop();
    },
  };
}

function dropManagedFields<T extends { metadata?: { managedFields?: unknown } }>(obj: T): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
}
