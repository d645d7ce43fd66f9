// The pod half of a simulated kubelet, for every node of the pool at once: one shared pod
// informer, one work queue keyed namespace/name, and sync(key) that moves a bound pod along
// nextPodStep: Running after its start delay, finished after its duration, deleted for good once
// the API server marked it for deletion.
import { isConflict, isNotFound, resources, type Lister, type RestClient, type WorkQueue } from '../../client/index.js';
import { logError } from '../../machinery/log.js';
import type { SimNodeState } from './node-agent.js';
import { isStopped } from './node-agent.js';
import { finishedStatus, isTerminal, nextPodStep, pendingStatus, runningStatus } from './pod-lifecycle.js';
import type { Node, Pod, PodStatus } from './types.js';
import type { WriteGate } from './write-gate.js';

export const POD_NODE_INDEX = 'sim:spec.nodeName';

/** What this process remembers of a pod beyond what its status says. */
interface PodMemory {
  boundAtMs: number;
  startedAtMs?: number;
  /** The IP this pool gave it, until the pod ends or goes. */
  ip?: string;
  node: string;
}

export interface PodAgentDeps {
  client: RestClient;
  gate: WriteGate;
  queue: WorkQueue<string>;
  pods: Lister<Pod>;
  nodes: Map<string, SimNodeState>;
  cachedNode(name: string): Node | undefined;
  defaultStartDelayMs: number;
  signal: AbortSignal;
  now(): number;
}

/** How long a pod waits for an IP when its node's range is full, as a sandbox retry would. */
const NO_IP_RETRY_MS = 10_000;

export class PodAgent {
  /** By pod uid. */
  private readonly memory = new Map<string, PodMemory>();

  constructor(private readonly d: PodAgentDeps) {}

  /** Whether the pod is bound to one of this pool's nodes. */
  owns(pod: Pod | undefined): pod is Pod {
    const n = pod?.spec?.nodeName;
    return !!n && this.d.nodes.has(n);
  }

  // ---- informer events: bookkeeping and keys only ----

  observe(pod: Pod): void {
    if (!this.owns(pod)) return;
    const uid = pod.metadata.uid ?? '';
    let mem = this.memory.get(uid);
    if (!mem) {
      mem = { boundAtMs: this.d.now(), node: pod.spec!.nodeName! };
      this.memory.set(uid, mem);
    }
    const ip = pod.status?.podIP;
    const ips = this.d.nodes.get(mem.node)?.ips;
    if (isTerminal(pod)) this.releaseIP(mem);
    else if (ip && ips && !mem.ip) {
      ips.markUsed(ip);
      mem.ip = ip;
    }
    this.d.queue.add(keyOf(pod));
  }

  forget(pod: Pod): void {
    const mem = this.memory.get(pod.metadata.uid ?? '');
    if (!mem) return;
    this.releaseIP(mem);
    this.memory.delete(pod.metadata.uid ?? '');
  }

  /** Marks the IPs held by the node's pods, once its allocator exists. */
  adoptIPs(pods: Pod[]): void {
    for (const pod of pods) this.observe(pod);
  }

  private releaseIP(mem: PodMemory): void {
    if (!mem.ip) return;
    this.d.nodes.get(mem.node)?.ips?.release(mem.ip);
    mem.ip = undefined;
  }

  // ---- sync ----

  async sync(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const pod = this.d.pods.get(key.slice(0, slash), key.slice(slash + 1));
    if (!this.owns(pod)) return;
    const st = this.d.nodes.get(pod.spec!.nodeName!)!;
    if (st.deleted || isStopped(this.d.cachedNode(st.spec.name))) return;
    if (!st.registered || !st.ips) {
      this.d.queue.addAfter(key, 500);
      return;
    }
    const uid = pod.metadata.uid ?? '';
    let mem = this.memory.get(uid);
    if (!mem) {
      mem = { boundAtMs: this.d.now(), node: st.spec.name };
      this.memory.set(uid, mem);
    }
    const now = this.d.now();
    const step = nextPodStep(pod, { nowMs: now, boundAtMs: mem.boundAtMs, startedAtMs: mem.startedAtMs, defaultStartDelayMs: this.d.defaultStartDelayMs, hostIP: st.hostIP });
    switch (step.kind) {
      case 'none':
        return;
      case 'wait':
        this.d.queue.addAfter(key, step.ms);
        return;
      case 'accept':
        await this.writeStatus(pod, pendingStatus(pod, { nowMs: now, hostIP: st.hostIP }));
        this.d.queue.addAfter(key, step.ms);
        return;
      case 'run': {
        let ip = pod.status?.podIP || mem.ip;
        if (!ip) {
          ip = st.ips.allocate();
          if (!ip) {
            logError('sim-node', 'no pod IP left on the node; the pod waits', { node: st.spec.name, pod: key });
            this.d.queue.addAfter(key, NO_IP_RETRY_MS);
            return;
          }
          mem.ip = ip;
        }
        const wasRunning = pod.status?.phase === 'Running';
        await this.writeStatus(pod, runningStatus(pod, { nowMs: now, hostIP: st.hostIP, podIP: ip }));
        if (!wasRunning) mem.startedAtMs = now;
        return;
      }
      case 'finish':
        await this.writeStatus(pod, finishedStatus(pod, { nowMs: now, exitCode: step.exitCode }));
        this.releaseIP(mem);
        return;
      case 'delete':
        await this.d.gate.take(this.d.signal);
        try {
          await this.d.client.delete(resources.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid } });
        } catch (err) {
          // Gone already, or a new pod of the same name: nothing of ours is left to delete.
          if (!isNotFound(err) && !isConflict(err)) throw err;
        }
        return;
    }
  }

  private async writeStatus(pod: Pod, status: PodStatus): Promise<void> {
    await this.d.gate.take(this.d.signal);
    try {
      await this.d.client.updateStatus<Pod>(resources.pods, pod.metadata.namespace, {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion },
        status,
      });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}

function keyOf(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
