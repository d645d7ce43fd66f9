// The conditions a terminating namespace reports (core/v1 NamespaceConditionType), with
// Kubernetes' reasons and messages, so `kubectl describe ns` explains why deletion is stuck.
import type { ContentResult } from './deleter.js';

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

interface Kind {
  type: string;
  okReason: string;
  okMessage: string;
}

const KINDS = {
  discovery: { type: 'NamespaceDeletionDiscoveryFailure', okReason: 'ResourcesDiscovered', okMessage: 'All resources successfully discovered' },
  parsing: { type: 'NamespaceDeletionGroupVersionParsingFailure', okReason: 'ParsedGroupVersions', okMessage: 'All legacy kube types successfully parsed' },
  content: { type: 'NamespaceDeletionContentFailure', okReason: 'ContentDeleted', okMessage: 'All content successfully deleted, may be waiting on finalization' },
  remaining: { type: 'NamespaceContentRemaining', okReason: 'ContentRemoved', okMessage: 'All content successfully removed' },
  finalizers: { type: 'NamespaceFinalizersRemaining', okReason: 'ContentHasNoFinalizers', okMessage: 'All content-preserving finalizers finished' },
} satisfies Record<string, Kind>;

const sorted = <V>(m: Map<string, V>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The five conditions for one pass over the namespace's content. */
export function contentConditions(r: ContentResult): NamespaceCondition[] {
  const cond = (k: Kind, failure?: { reason: string; message: string }): NamespaceCondition =>
    failure ? { type: k.type, status: 'True', ...failure } : { type: k.type, status: 'False', reason: k.okReason, message: k.okMessage };
  const discovery = r.discoveryFailures.size
    ? { reason: 'DiscoveryFailed', message: `Discovery failed for some groups, ${r.discoveryFailures.size} failing: ${sorted(r.discoveryFailures).map(([gv, e]) => `${gv}: ${e}`).join(', ')}` }
    : undefined;
  const content = r.deletionFailures.size
    ? { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${r.deletionFailures.size} remaining: ${sorted(r.deletionFailures).map(([res, e]) => `${res}: ${e}`).join(', ')}` }
    : undefined;
  const remaining = r.remaining.size
    ? { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${sorted(r.remaining).map(([res, n]) => `${res} has ${n} resource instances`).join(', ')}` }
    : undefined;
  const finalizers = r.finalizers.size
    ? { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${sorted(r.finalizers).map(([f, n]) => `${f} in ${n} resource instances`).join(', ')}` }
    : undefined;
  return [cond(KINDS.discovery, discovery), cond(KINDS.parsing), cond(KINDS.content, content), cond(KINDS.remaining, remaining), cond(KINDS.finalizers, finalizers)];
}

/**
 * `current` with `updates` merged in by type; a condition keeps its lastTransitionTime unless
 * its status changes. Returns undefined when nothing would change.
 */
export function mergeConditions(current: NamespaceCondition[] | undefined, updates: NamespaceCondition[], now: string): NamespaceCondition[] | undefined {
  const out = [...(current ?? [])];
  let changed = false;
  for (const u of updates) {
    const i = out.findIndex((c) => c.type === u.type);
    const prev = i >= 0 ? out[i] : undefined;
    if (prev && prev.status === u.status && prev.reason === u.reason && prev.message === u.message) continue;
    const next = { ...u, lastTransitionTime: prev && prev.status === u.status ? prev.lastTransitionTime ?? now : now };
    if (i >= 0) out[i] = next;
    else out.push(next);
    changed = true;
  }
  return changed ? out : undefined;
}
