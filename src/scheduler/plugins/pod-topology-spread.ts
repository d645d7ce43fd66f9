// PodTopologySpread: spreads matching pods across topology domains (zones, nodes). A
// DoNotSchedule constraint keeps a node out when placing the pod there would make its domain
// exceed the least populated eligible domain by more than maxSkew (counting zero for missing
// domains while fewer than minDomains exist); ScheduleAnyway constraints score emptier domains
// higher. nodeAffinityPolicy and nodeTaintsPolicy decide which nodes' domains count.
import { newRequirement, selectorFromLabelSelector, type Selector } from '../../machinery/labels.js';
import { MAX_NODE_SCORE, Status, type CycleContext, type Handle, type Plugin } from '../framework/interface.js';
import { labelCountKey, type NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { findUntoleratedTaint, podMatchesNodeSelectorAndAffinity } from '../../api/core/v1/node-selector.js';
import type { Pod } from '../types.js';

export const NAME = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = "node(s) didn't match pod topology spread constraints (missing required label)";

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

function buildConstraints(pod: Pod, which: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const out: Constraint[] = [];
  const labels = pod.metadata.labels ?? {};
  for (const c of pod.spec?.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== which) continue;
    let selector = selectorFromLabelSelector(c.labelSelector ?? null);
    // matchLabelKeys: the incoming pod's values for these keys narrow the selector (e.g. pod-template-hash).
    for (const k of c.matchLabelKeys ?? []) if (k in labels) selector = selector.add(newRequirement(k, 'in', [labels[k]]));
    out.push({
      maxSkew: c.maxSkew ?? 1,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    });
  }
  return out;
}

/** Whether a node's domain counts for the constraint at all (its policies, its labels). */
function nodeCounts(c: Constraint, pod: Pod, ni: NodeInfo): boolean {
  const node = ni.node;
  if (!node) return false;
  if (c.honorAffinity && !podMatchesNodeSelectorAndAffinity(pod.spec ?? {}, node)) return false;
  if (c.honorTaints && findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, (e) => e === 'NoSchedule' || e === 'NoExecute')) return false;
  return true;
}

let markSeq = 0;

function hasKeys(constraints: Constraint[], ni: NodeInfo): boolean {
  const labels = ni.labels;
  for (const c of constraints) if (labels[c.topologyKey] === undefined) return false;
  return true;
}

/**
 * Pods matching each constraint per domain value, over the domains of `domainNodes`, counting
 * pods on every node that carries the keys and passes the constraint's policies.
 */
function countDomains(h: Handle, pod: Pod, constraints: Constraint[], domainNodes: NodeInfo[]): Array<Map<string, number>> {
  const ns = pod.metadata.namespace ?? '';
  return constraints.map((c) => {
    const counts = new Map<string, number>();
    // Stamp the nodes whose pods count with their domain: one field read per pod below.
    const mark = ++markSeq;
    for (const ni of domainNodes) {
      if (!hasKeys(constraints, ni) || !nodeCounts(c, pod, ni)) continue;
      const v = ni.labels[c.topologyKey];
      ni.mark = mark;
      ni.markValue = v;
      if (!counts.has(v)) counts.set(v, 0);
    }
    if (h.pods.candidatesExact(c.selector)) {
      // One key=value: each node keeps that count, so this is one lookup per node.
      const r = c.selector.requirements[0];
      const key = labelCountKey(ns, r.key, r.values[0]);
      for (const ni of domainNodes) {
        if (ni.mark !== mark) continue;
        const n = ni.labelCounts.get(key);
        if (n) counts.set(ni.markValue, counts.get(ni.markValue)! + n);
      }
      return counts;
    }
    for (const st of h.pods.candidates(c.selector)) {
      const info = st.info;
      if (info.namespace !== ns || info.deleting) continue;
      const ni = st.node;
      if (ni.mark !== mark || !ni.node || !c.selector.matches(info.labels)) continue;
      counts.set(ni.markValue, counts.get(ni.markValue)! + 1);
    }
    return counts;
  });
}

class FilterState {
  constructor(readonly constraints: Constraint[], readonly counts: Array<Map<string, number>>) {}

  clone(): FilterState {
    return new FilterState(this.constraints, this.counts.map((m) => new Map(m)));
  }

  /** The smallest count among eligible domains; 0 while fewer than minDomains domains exist. */
  minMatch(i: number): number {
    const m = this.counts[i];
    if (m.size < this.constraints[i].minDomains) return 0;
    let min = Infinity;
    for (const v of m.values()) if (v < min) min = v;
    return min === Infinity ? 0 : min;
  }
}

const FILTER_KEY = `PreFilter${NAME}`;
const SCORE_KEY = `PreScore${NAME}`;

export function newPodTopologySpread(h: Handle): Plugin {
  function update(ctx: CycleContext, pi: PodInfo, ni: NodeInfo, sign: number): void {
    const s = ctx.state.read<FilterState>(FILTER_KEY);
    if (!s || !ni.node) return;
    if (pi.pod.metadata.namespace !== ctx.pod.metadata.namespace) return;
    s.constraints.forEach((c, i) => {
      const v = ni.labels[c.topologyKey];
      if (v === undefined || !nodeCounts(c, ctx.pod, ni) || !c.selector.matches(pi.pod.metadata.labels)) return;
      const m = s.counts[i];
      m.set(v, (m.get(v) ?? 0) + sign);
    });
  }

  return {
    name: NAME,
    events: ['AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NodeAdd', 'NodeLabelChange', 'NodeTaintChange', 'PodUpdate'],

    preFilter(ctx, nodes) {
      const constraints = buildConstraints(ctx.pod, 'DoNotSchedule');
      if (!constraints.length) return Status.skip();
      ctx.state.write(FILTER_KEY, new FilterState(constraints, countDomains(h, ctx.pod, constraints, nodes)));
      return undefined;
    },

    addPod(ctx, toAdd, ni) {
      update(ctx, toAdd, ni, 1);
    },

    removePod(ctx, toRemove, ni) {
      update(ctx, toRemove, ni, -1);
    },

    filter(ctx, ni) {
      const s = ctx.state.read<FilterState>(FILTER_KEY);
      if (!s) return undefined;
      const labels = ctx.pod.metadata.labels;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i];
        const v = ni.labels[c.topologyKey];
        if (v === undefined) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
        const self = c.selector.matches(labels) ? 1 : 0;
        const skew = (s.counts[i].get(v) ?? 0) + self - s.minMatch(i);
        if (skew > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
      }
      return undefined;
    },

    preScore(ctx, nodes) {
      const constraints = buildConstraints(ctx.pod, 'ScheduleAnyway');
      if (!constraints.length) return Status.skip();
      const ignored = new Set<string>();
      const domains = constraints.map(() => new Set<string>());
      for (const ni of nodes) {
        if (!hasKeys(constraints, ni)) {
          ignored.add(ni.name);
          continue;
        }
        constraints.forEach((c, i) => domains[i].add(ni.labels[c.topologyKey]));
      }
      // Pods are counted over every node in the domains of the feasible ones.
      const counts = countDomains(h, ctx.pod, constraints, h.nodeInfos()).map((m, i) => new Map([...m].filter(([v]) => domains[i].has(v))));
      const weights = constraints.map((c, i) => Math.log((c.topologyKey === 'kubernetes.io/hostname' ? nodes.length - ignored.size : domains[i].size) + 2));
      ctx.state.write(SCORE_KEY, { constraints, counts, weights, ignored });
      return undefined;
    },

    score(ctx, ni) {
      const s = ctx.state.read<{ constraints: Constraint[]; counts: Array<Map<string, number>>; weights: number[]; ignored: Set<string> }>(SCORE_KEY);
      if (!s || s.ignored.has(ni.name)) return 0;
      let score = 0;
      s.constraints.forEach((c, i) => {
        const v = ni.labels[c.topologyKey];
        if (v === undefined) return;
        const cnt = s.counts[i].get(v) ?? 0;
        score += cnt * s.weights[i] + (c.maxSkew - 1);
      });
      return Math.round(score);
    },

    normalizeScore(ctx, list) {
      const s = ctx.state.read<{ ignored: Set<string> }>(SCORE_KEY);
      if (!s) return;
      let min = Infinity, max = 0;
      for (const e of list) {
        if (s.ignored.has(e.name)) continue;
        if (e.score < min) min = e.score;
        if (e.score > max) max = e.score;
      }
      for (const e of list) {
        if (s.ignored.has(e.name)) e.score = 0;
        else if (max === 0) e.score = MAX_NODE_SCORE;
        else e.score = Math.floor((MAX_NODE_SCORE * (max + min - e.score)) / max);
      }
    },
  };
}
