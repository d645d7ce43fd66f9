// Node-pressure eviction for memory, as the kubelet's eviction manager: when memory.available
// falls below the hard threshold (100Mi by default) the node reports MemoryPressure and fails one
// pod per check, ranked as Kubernetes ranks them: pods using more than they requested first
// (BestEffort pods request nothing), then lower priority, then by how far usage exceeds requests.
import { readFile } from 'node:fs/promises';
import { logError } from '../machinery/log.js';
import { memoryRequest, qosClassOf } from './pod/resources.js';
import { errMessage, type Pod } from './types.js';

export interface EvictionOptions {
  thresholdBytes: number;
  intervalMs: number;
  memoryAvailable(): Promise<number | undefined>;
  /** Memory the pod uses now, bytes; undefined when the runtime cannot tell. */
  podUsage(pod: Pod): Promise<number | undefined>;
  /** Pods running on the node (not terminal, not being deleted). */
  activePods(): Pod[];
  evict(pod: Pod, message: string): void;
  onPressureChange(pressure: boolean): void;
}

export interface Ranked {
  pod: Pod;
  usage: number | undefined;
  request: number;
}

const QOS_ORDER = { BestEffort: 0, Burstable: 1, Guaranteed: 2 } as const;

/** Whether the pod uses more memory than it requested; without figures, only BestEffort pods do. */
function exceeds(r: Ranked): boolean {
  if (r.usage === undefined) return qosClassOf(r.pod) === 'BestEffort';
  return r.usage > r.request;
}

/** Eviction order: exceeding requests, then priority (lowest first), then usage over request. */
export function rankForEviction(pods: Ranked[]): Ranked[] {
  return [...pods].sort((a, b) => {
    const ea = exceeds(a), eb = exceeds(b);
    if (ea !== eb) return ea ? -1 : 1;
    const pa = a.pod.spec?.priority ?? 0, pb = b.pod.spec?.priority ?? 0;
    if (pa !== pb) return pa - pb;
    if (a.usage !== undefined && b.usage !== undefined) return (b.usage - b.request) - (a.usage - a.request);
    return QOS_ORDER[qosClassOf(a.pod)] - QOS_ORDER[qosClassOf(b.pod)];
  });
}

export function podMemoryRequest(pod: Pod): number {
  return (pod.spec?.containers ?? []).reduce((sum, c) => sum + memoryRequest(c), 0);
}

const kib = (b: number) => `${Math.floor(b / 1024)}Ki`;

export class EvictionManager {
  private timer: NodeJS.Timeout | undefined;
  private pressure = false;
  private stopped = false;

  constructor(private readonly o: EvictionOptions) {}

  get memoryPressure(): boolean {
    return this.pressure;
  }

  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      try {
        await this.check();
      } catch (err) {
        logError('kubelet', 'eviction check failed', { err: errMessage(err) });
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.o.intervalMs);
    };
    this.timer = setTimeout(() => void tick(), this.o.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One round: update the pressure condition and evict at most one pod. Returns the evicted pod. */
  async check(): Promise<Pod | undefined> {
    const available = await this.o.memoryAvailable();
    const pressure = available !== undefined && available < this.o.thresholdBytes;
    if (pressure !== this.pressure) {
      this.pressure = pressure;
      this.o.onPressureChange(pressure);
    }
    if (!pressure) return undefined;
    const ranked: Ranked[] = [];
    for (const pod of this.o.activePods()) ranked.push({ pod, usage: await this.o.podUsage(pod), request: podMemoryRequest(pod) });
    const victim = rankForEviction(ranked)[0];
    if (!victim) return undefined;
    let message = `The node was low on resource: memory. Threshold quantity: ${kib(this.o.thresholdBytes)}, available: ${kib(available!)}. `;
    if (victim.usage !== undefined) message += `Pod was using ${kib(victim.usage)}, request is ${kib(victim.request)}, has larger consumption of memory. `;
    this.o.evict(victim.pod, message);
    return victim.pod;
  }
}

/** The memory a pod's cgroup uses (cgroup v2 memory.current or v1 memory.usage_in_bytes). */
export async function cgroupMemoryUsage(cgroupParent: string): Promise<number | undefined> {
  for (const file of [`/sys/fs/cgroup${cgroupParent}/memory.current`, `/sys/fs/cgroup/memory${cgroupParent}/memory.usage_in_bytes`]) {
    try {
      const v = Number((await readFile(file, 'utf8')).trim());
      if (Number.isFinite(v)) return v;
    } catch {
      // not this layout
    }
  }
  return undefined;
}
