// Matching nodes against NodeSelectorTerms (component-helpers' nodeaffinity): terms are ORed,
// the requirements in a term ANDed; matchFields may only name metadata.name. Also whether a
// toleration tolerates a taint. The scheduler, the DaemonSet and node lifecycle controllers and
// the kubelet's admission all decide with these.
export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** What of a node the matching reads. */
interface Node {
  metadata: { name?: string; labels?: Record<string, string> };
}

function requirementMatches(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.operator) {
    case 'In': return has && (r.values ?? []).includes(v);
    case 'NotIn': return !has || !(r.values ?? []).includes(v);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || (r.values ?? []).length !== 1) return false;
      if (!/^-?\d+$/.test(v) || !/^-?\d+$/.test(r.values![0])) return false;
      // int64, as Kubernetes parses them: exact beyond 2^53.
      const a = BigInt(v), b = BigInt(r.values![0]);
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** An empty term matches nothing; a term with requirements matches when all hold. */
export function termMatchesNode(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const r of exprs) if (!requirementMatches(r, labels)) return false;
  if (fields.length) {
    const f = { 'metadata.name': node.metadata.name ?? '' };
    for (const r of fields) {
      if (r.key !== 'metadata.name') return false;
      if (!requirementMatches(r, f)) return false;
    }
  }
  return true;
}

export function termsMatchNode(terms: NodeSelectorTerm[] | null | undefined, node: Node): boolean {
  for (const t of terms ?? []) if (termMatchesNode(t, node)) return true;
  return false;
}

/** The pod's spec.nodeSelector and required node affinity both hold for the node (RequiredNodeAffinity). */
export function podMatchesNodeSelectorAndAffinity(
  spec: {
    nodeSelector?: Record<string, string> | null;
    affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] | null } | null } | null } | null;
  },
  node: Node,
): boolean {
  const sel = spec.nodeSelector;
  if (sel) {
    const labels = node.metadata.labels ?? {};
    for (const k in sel) if (labels[k] !== sel[k]) return false;
  }
  const req = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req) return termsMatchNode(req.nodeSelectorTerms, node);
  return true;
}

/** v1.Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists': return true;
    case '':
    case 'Equal': return (t.value ?? '') === (taint.value ?? '');
    default: return false;
  }
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function findUntoleratedTaint(taints: Taint[] | undefined, tolerations: Toleration[] | undefined, effects: (effect: string) => boolean): Taint | undefined {
  for (const taint of taints ?? []) {
    if (!effects(taint.effect)) continue;
    if (!(tolerations ?? []).some((t) => tolerates(t, taint))) return taint;
  }
  return undefined;
}
