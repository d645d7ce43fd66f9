// What a pod charges against a ResourceQuota (Kubernetes' pod evaluator): the pod itself, and
// its effective requests and limits, where an init container's needs count when they exceed the
// app containers' (sidecars, restartable init containers, add to both) and the runtime class
// overhead comes on top. Terminal pods charge nothing.
import { parseQuantity, Quantity } from '../../machinery/quantity.js';

interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

interface Container {
  resources?: Resources;
  restartPolicy?: string;
}

export interface QuotaPod {
  metadata: { deletionTimestamp?: string; deletionGracePeriodSeconds?: number; [k: string]: unknown };
  spec?: {
    containers?: Container[];
    initContainers?: Container[];
    overhead?: Record<string, string>;
    activeDeadlineSeconds?: number;
    priorityClassName?: string;
    affinity?: Record<string, unknown>;
    [k: string]: unknown;
  };
  status?: { phase?: string; [k: string]: unknown };
}

type Amounts = Map<string, Quantity>;

function parse(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return parseQuantity(v);
  } catch {
    return undefined;
  }
}

function addInto(into: Amounts, list: Record<string, string> | undefined): void {
  for (const [name, v] of Object.entries(list ?? {})) {
    const q = parse(v);
    if (q) into.set(name, (into.get(name) ?? new Quantity(0n)).add(q));
  }
}

function maxInto(into: Amounts, other: Amounts): void {
  for (const [name, q] of other) {
    const cur = into.get(name);
    if (!cur || q.cmp(cur) > 0) into.set(name, q);
  }
}

/** resourcehelper.PodRequests / PodLimits. */
export function podResources(pod: QuotaPod, which: 'requests' | 'limits'): Amounts {
  const total: Amounts = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(total, c?.resources?.[which]);
  const sidecars: Amounts = new Map();
  const initMax: Amounts = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own: Amounts = new Map();
    addInto(own, c?.resources?.[which]);
    if (c?.restartPolicy === 'Always') {
      for (const [n, q] of own) {
        total.set(n, (total.get(n) ?? new Quantity(0n)).add(q));
        sidecars.set(n, (sidecars.get(n) ?? new Quantity(0n)).add(q));
      }
    } else {
      // A regular init container runs next to the sidecars started before it.
      for (const [n, q] of sidecars) own.set(n, (own.get(n) ?? new Quantity(0n)).add(q));
      maxInto(initMax, own);
    }
  }
  maxInto(total, initMax);
  addInto(total, pod.spec?.overhead);
  return total;
}

/** Pods that no longer hold resources: finished, or past their deletion grace period. */
export function isTerminalForQuota(pod: QuotaPod, nowMs: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  const ts = pod.metadata.deletionTimestamp;
  if (ts) {
    const at = Date.parse(ts) + (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
    if (Number.isFinite(at) && nowMs > at) return true;
  }
  return false;
}

const STANDARD = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** The quota resource names a pod charges, with amounts (before masking to a quota's hard list). */
export function podUsage(pod: QuotaPod, nowMs: number): Amounts {
  const usage: Amounts = new Map();
  if (isTerminalForQuota(pod, nowMs)) return usage;
  const one = Quantity.fromValue(1);
  usage.set('pods', one);
  usage.set('count/pods', one);
  for (const [name, q] of podResources(pod, 'requests')) {
    usage.set(`requests.${name}`, q);
    // cpu, memory and ephemeral-storage also go by their bare names (meaning requests).
    if (STANDARD.has(name)) usage.set(name, q);
    if (name.startsWith('hugepages-')) usage.set(name, q);
  }
  for (const [name, q] of podResources(pod, 'limits')) {
    if (STANDARD.has(name)) usage.set(`limits.${name}`, q);
  }
  return usage;
}

/** The pod's quality of service class (only whether it is BestEffort matters to scopes). */
export function isBestEffort(pod: QuotaPod): boolean {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return all.every((c) => {
    const r = c?.resources ?? {};
    return ['requests', 'limits'].every((k) => {
      const list = (r as Record<string, Record<string, string> | undefined>)[k] ?? {};
      return !['cpu', 'memory'].some((n) => { const q = parse(list[n]); return q && !q.isZero(); });
    });
  });
}
