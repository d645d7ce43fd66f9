// A ResourceQuota's status.used: for each resource named in spec.hard, what the namespace uses,
// with Kubernetes' resource names: object counts (pods, services, count/deployments.apps ...),
// pod compute (requests.cpu, limits.memory, cpu ...), Service kinds (services.loadbalancers,
// services.nodeports) and storage (requests.storage, per-StorageClass requests and claims).
import { parseQuantity, Quantity } from '../../machinery/quantity.js';
import { podUsage, type QuotaPod } from './pod-usage.js';
import { hasScopes, podMatchesScopes, type QuotaScopes } from './scopes.js';

export interface QuotaService {
  spec?: { type?: string; ports?: Array<{ nodePort?: number }> };
}

export interface QuotaClaim {
  spec?: { storageClassName?: string | null; resources?: { requests?: Record<string, string> } };
  metadata: { annotations?: Record<string, string>; [k: string]: unknown };
}

export interface QuotaSpec extends QuotaScopes {
  hard?: Record<string, string>;
}

/** Where usage is read from; `count` answers undefined while it cannot count a resource yet. */
export interface UsageSources {
  pods(): QuotaPod[];
  services(): QuotaService[];
  claims(): QuotaClaim[];
  /** Objects of a resource (`configmaps`, `deployments.apps`) in the namespace. */
  count(groupResource: string): number | undefined;
}

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const LEGACY_COUNTS: Record<string, string> = {
  configmaps: 'configmaps', secrets: 'secrets', replicationcontrollers: 'replicationcontrollers', resourcequotas: 'resourcequotas',
};

/** Resource names a pod charges. */
export function isPodResource(name: string): boolean {
  if (name === 'pods' || name === 'count/pods' || name === 'cpu' || name === 'memory' || name === 'ephemeral-storage') return true;
  if (name.startsWith('hugepages-')) return true;
  if (name.startsWith('limits.')) return true;
  return name.startsWith('requests.') && name !== 'requests.storage';
}

/** The resource a `count/<resource>` or legacy count name counts, for a UsageSources.count. */
export function countedResource(name: string): string | undefined {
  if (name.startsWith('count/')) return name.slice('count/'.length);
  return LEGACY_COUNTS[name];
}

function claimClassName(c: QuotaClaim): string {
  return c.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? c.spec?.storageClassName ?? '';
}

function storageRequest(c: QuotaClaim): Quantity | undefined {
  const v = c.spec?.resources?.requests?.storage;
  if (v === undefined) return undefined;
  try {
    return parseQuantity(v);
  } catch {
    return undefined;
  }
}

const sum = (qs: Array<Quantity | undefined>) => qs.reduce<Quantity>((a, q) => (q ? a.add(q) : a), new Quantity(0n));
const count = (n: number) => String(n);

export interface UsageResult {
  used: Record<string, string>;
  /** Resources that could not be counted yet. */
  pending: string[];
}

export function computeUsage(spec: QuotaSpec | undefined, src: UsageSources, nowMs: number): UsageResult {
  const used: Record<string, string> = {};
  const pending: string[] = [];
  const hard = Object.keys(spec?.hard ?? {});
  const scoped = hasScopes(spec);
  let podTotals: Map<string, Quantity> | undefined;
  for (const name of hard) {
    if (isPodResource(name)) {
      if (!podTotals) {
        podTotals = new Map();
        for (const pod of src.pods()) {
          if (scoped && !podMatchesScopes(pod, spec)) continue;
          for (const [k, q] of podUsage(pod, nowMs)) podTotals.set(k, (podTotals.get(k) ?? new Quantity(0n)).add(q));
        }
      }
      const q = podTotals.get(name);
      used[name] = q ? q.toString() : '0';
      continue;
    }
    // Scopes select pods; other resources are not charged to a scoped quota.
    if (scoped) {
      used[name] = '0';
      continue;
    }
    if (name === 'services') {
      used[name] = count(src.services().length);
    } else if (name === 'services.loadbalancers') {
      used[name] = count(src.services().filter((s) => s.spec?.type === 'LoadBalancer').length);
    } else if (name === 'services.nodeports') {
      let n = 0;
      for (const s of src.services()) {
        if (s.spec?.type !== 'NodePort' && s.spec?.type !== 'LoadBalancer') continue;
        n += (s.spec.ports ?? []).filter((p) => p?.nodePort !== undefined && p.nodePort !== 0).length;
      }
      used[name] = count(n);
    } else if (name === 'persistentvolumeclaims' || name === 'count/persistentvolumeclaims') {
      used[name] = count(src.claims().length);
    } else if (name === 'requests.storage') {
      used[name] = sum(src.claims().map(storageRequest)).toString();
    } else if (name.includes(STORAGE_CLASS_SUFFIX)) {
      const i = name.indexOf(STORAGE_CLASS_SUFFIX);
      const cls = name.slice(0, i);
      const what = name.slice(i + STORAGE_CLASS_SUFFIX.length);
      const claims = src.claims().filter((c) => claimClassName(c) === cls);
      used[name] = what === 'persistentvolumeclaims' ? count(claims.length) : what === 'requests.storage' ? sum(claims.map(storageRequest)).toString() : '0';
    } else if (name === 'count/services') {
      used[name] = count(src.services().length);
    } else {
      const res = countedResource(name);
      const n = res === undefined ? 0 : src.count(res);
      if (n === undefined) pending.push(name);
      else used[name] = count(n);
    }
  }
  return { used, pending };
}
