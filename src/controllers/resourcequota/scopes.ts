// ResourceQuota scopes: a scoped quota tracks only the pods its scopes (spec.scopes, and
// spec.scopeSelector's expressions) match.
import { isBestEffort, type QuotaPod } from './pod-usage.js';

export interface ScopedResourceSelectorRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

export interface QuotaScopes {
  scopes?: string[];
  scopeSelector?: { matchExpressions?: ScopedResourceSelectorRequirement[] } | null;
}

export function scopeRequirements(spec: QuotaScopes | undefined): ScopedResourceSelectorRequirement[] {
  const out: ScopedResourceSelectorRequirement[] = (spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists' }));
  out.push(...(spec?.scopeSelector?.matchExpressions ?? []));
  return out;
}

export const hasScopes = (spec: QuotaScopes | undefined): boolean => scopeRequirements(spec).length > 0;

function usesCrossNamespaceAffinity(pod: QuotaPod): boolean {
  const affinity = pod.spec?.affinity as Record<string, { requiredDuringSchedulingIgnoredDuringExecution?: unknown[]; preferredDuringSchedulingIgnoredDuringExecution?: Array<{ podAffinityTerm?: unknown }> }> | undefined;
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = affinity?.[kind];
    const terms = [...(a?.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...(a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => p?.podAffinityTerm)];
    for (const t of terms as Array<{ namespaces?: string[]; namespaceSelector?: unknown } | undefined>) {
      if ((t?.namespaces ?? []).length > 0 || (t?.namespaceSelector !== undefined && t?.namespaceSelector !== null)) return true;
    }
  }
  return false;
}

function matchesOne(pod: QuotaPod, req: ScopedResourceSelectorRequirement): boolean {
  switch (req.scopeName) {
    case 'Terminating': return typeof pod.spec?.activeDeadlineSeconds === 'number' && pod.spec.activeDeadlineSeconds >= 0;
    case 'NotTerminating': return !(typeof pod.spec?.activeDeadlineSeconds === 'number' && pod.spec.activeDeadlineSeconds >= 0);
    case 'BestEffort': return isBestEffort(pod);
    case 'NotBestEffort': return !isBestEffort(pod);
    case 'CrossNamespacePodAffinity': return usesCrossNamespaceAffinity(pod);
    case 'PriorityClass': {
      const name = pod.spec?.priorityClassName ?? '';
      switch (req.operator) {
        case 'Exists': return name !== '';
        case 'DoesNotExist': return name === '';
        case 'In': return (req.values ?? []).includes(name);
        case 'NotIn': return !(req.values ?? []).includes(name);
        default: return false;
      }
    }
    default: return false;
  }
}

/** Whether a pod falls under every scope requirement of the quota. */
export function podMatchesScopes(pod: QuotaPod, spec: QuotaScopes | undefined): boolean {
  return scopeRequirements(spec).every((r) => matchesOne(pod, r));
}
