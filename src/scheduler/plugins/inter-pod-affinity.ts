// InterPodAffinity: required pod affinity (run in a topology domain — node, zone — that already
// has matching pods), required anti-affinity (never share one with them), and existing pods'
// anti-affinity towards the incoming pod; preferred terms of both sides score domains.
import { Status, type CycleContext, type Handle, type Plugin } from '../framework/interface.js';
import { termMatches, type AffinityTerm, type NamespaceLabels, type PodInfo } from '../framework/pod-info.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import type { Node, Pod } from '../types.js';

export const NAME = 'InterPodAffinity';
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

/** Counts of matching pods per topology key and value (nested, so lookups build no strings). */
class TopologyCounts extends Map<string, Map<string, number>> {
  bump(node: Node | undefined, key: string, by: number): void {
    const v = node?.metadata.labels?.[key];
    if (v === undefined) return;
    let m = this.get(key);
    if (!m) this.set(key, (m = new Map()));
    const n = (m.get(v) ?? 0) + by;
    if (n === 0) m.delete(v);
    else m.set(v, n);
    if (m.size === 0) this.delete(key);
  }

  at(key: string, value: string): number {
    return this.get(key)?.get(value) ?? 0;
  }

  /** Whether any pair of the node's labels has a positive count. */
  hitsAny(labels: Record<string, string>): boolean {
    for (const [key, values] of this) {
      const v = labels[key];
      if (v !== undefined && (values.get(v) ?? 0) > 0) return true;
    }
    return false;
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, m] of this) c.set(k, new Map(m));
    return c;
  }
}

class PreFilterState {
  constructor(
    readonly existingAntiAffinity: TopologyCounts,
    readonly affinity: TopologyCounts,
    readonly antiAffinity: TopologyCounts,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(this.existingAntiAffinity.clone(), this.affinity.clone(), this.antiAffinity.clone());
  }
}

const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;

function matchesAll(terms: AffinityTerm[], pod: Pod, ns: NamespaceLabels): boolean {
  if (!terms.length) return false;
  for (const t of terms) if (!termMatches(t, pod, ns)) return false;
  return true;
}

export interface InterPodAffinityArgs {
  /** Score weight given to an existing pod's required affinity towards the incoming pod; 1. */
  hardPodAffinityWeight?: number;
}

export function newInterPodAffinity(h: Handle, args: InterPodAffinityArgs = {}): Plugin {
  const hardWeight = args.hardPodAffinityWeight ?? 1;
  const ns = h.namespaceLabels;

  /** What one existing pod on `node` contributes to the incoming pod's counts. */
  function account(s: PreFilterState, incoming: PodInfo, existing: PodInfo, node: Node | undefined, sign: number): void {
    for (const t of existing.requiredAntiAffinityTerms) if (termMatches(t, incoming.pod, ns)) s.existingAntiAffinity.bump(node, t.topologyKey, sign);
    if (incoming.requiredAffinityTerms.length && matchesAll(incoming.requiredAffinityTerms, existing.pod, ns)) {
      for (const t of incoming.requiredAffinityTerms) s.affinity.bump(node, t.topologyKey, sign);
    }
    for (const t of incoming.requiredAntiAffinityTerms) if (termMatches(t, existing.pod, ns)) s.antiAffinity.bump(node, t.topologyKey, sign);
  }

  return {
    name: NAME,
    events: ['AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NodeAdd', 'NodeLabelChange', 'PodUpdate', 'NamespaceChange'],

    preFilter(ctx) {
      const pi = ctx.podInfo;
      const s = new PreFilterState(new TopologyCounts(), new TopologyCounts(), new TopologyCounts());
      // Existing pods whose anti-affinity the incoming pod would violate.
      for (const ref of h.pods.antiAffinityCandidates(pi.pod.metadata.labels)) {
        const ni = h.pods.nodeOf(ref.state);
        if (ni && ref.state.info.key !== pi.key && termMatches(ref.term, pi.pod, ns)) s.existingAntiAffinity.bump(ni.node, ref.term.topologyKey, 1);
      }
      // Pods matching all of the incoming pod's affinity terms, and each of its anti-affinity terms.
      const aff = pi.requiredAffinityTerms;
      if (aff.length) {
        for (const st of h.pods.candidates(aff[0].selector)) {
          const ni = h.pods.nodeOf(st);
          if (!ni || !matchesAll(aff, st.info.pod, ns)) continue;
          for (const t of aff) s.affinity.bump(ni.node, t.topologyKey, 1);
        }
      }
      for (const t of pi.requiredAntiAffinityTerms) {
        for (const st of h.pods.candidates(t.selector)) {
          const ni = h.pods.nodeOf(st);
          if (ni && termMatches(t, st.info.pod, ns)) s.antiAffinity.bump(ni.node, t.topologyKey, 1);
        }
      }
      ctx.state.write(PRE_FILTER_KEY, s);
      if (!aff.length && !pi.requiredAntiAffinityTerms.length && s.existingAntiAffinity.size === 0) return Status.skip();
      return undefined;
    },

    addPod(ctx, toAdd, node) {
      const s = ctx.state.read<PreFilterState>(PRE_FILTER_KEY);
      if (s) account(s, ctx.podInfo, toAdd, node.node, 1);
    },

    removePod(ctx, toRemove, node) {
      const s = ctx.state.read<PreFilterState>(PRE_FILTER_KEY);
      if (s) account(s, ctx.podInfo, toRemove, node.node, -1);
    },

    filter(ctx, ni) {
      const s = ctx.state.read<PreFilterState>(PRE_FILTER_KEY);
      if (!s) return Status.error('InterPodAffinity PreFilter state missing');
      const labels = ni.labels;
      if (!satisfiesAffinity(ctx, s, labels, ns)) return Status.unresolvable(ERR_REASON_AFFINITY);
      for (const t of ctx.podInfo.requiredAntiAffinityTerms) {
        const v = labels[t.topologyKey];
        if (v !== undefined && s.antiAffinity.at(t.topologyKey, v) > 0) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
      }
      if (s.existingAntiAffinity.size && s.existingAntiAffinity.hitsAny(labels)) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      return undefined;
    },

    preScore(ctx) {
      const pi = ctx.podInfo;
      const has = pi.preferredAffinityTerms.length + pi.preferredAntiAffinityTerms.length > 0;
      const others = h.pods.withScoringTerms();
      if (!has && others.size === 0) return Status.skip();
      const scores = new Map<string, Map<string, number>>();
      const add = (key: string, node: Node | undefined, delta: number) => {
        const v = node?.metadata.labels?.[key];
        if (v === undefined || delta === 0) return;
        let m = scores.get(key);
        if (!m) scores.set(key, (m = new Map()));
        m.set(v, (m.get(v) ?? 0) + delta);
      };
      // The incoming pod's preferences about pods already placed.
      for (const [terms, sign] of [[pi.preferredAffinityTerms, 1], [pi.preferredAntiAffinityTerms, -1]] as const) {
        for (const t of terms) {
          for (const st of h.pods.candidates(t.selector)) {
            const ni = h.pods.nodeOf(st);
            if (ni && st.info.key !== pi.key && termMatches(t, st.info.pod, ns)) add(t.topologyKey, ni.node, sign * t.weight);
          }
        }
      }
      // Placed pods' terms about the incoming pod: their required affinity counts hardPodAffinityWeight.
      for (const st of others) {
        const ni = h.pods.nodeOf(st);
        if (!ni) continue;
        const ex = st.info;
        if (hardWeight > 0) for (const t of ex.requiredAffinityTerms) if (termMatches(t, pi.pod, ns)) add(t.topologyKey, ni.node, hardWeight);
        for (const t of ex.preferredAffinityTerms) if (termMatches(t, pi.pod, ns)) add(t.topologyKey, ni.node, t.weight);
        for (const t of ex.preferredAntiAffinityTerms) if (termMatches(t, pi.pod, ns)) add(t.topologyKey, ni.node, -t.weight);
      }
      if (scores.size === 0) return Status.skip();
      ctx.state.write(PRE_SCORE_KEY, scores);
      return undefined;
    },

    score(ctx, ni) {
      const scores = ctx.state.read<Map<string, Map<string, number>>>(PRE_SCORE_KEY);
      if (!scores) return 0;
      let total = 0;
      for (const [key, values] of scores) {
        const v = ni.labels[key];
        if (v !== undefined) total += values.get(v) ?? 0;
      }
      return total;
    },

    normalizeScore(_ctx, list) {
      let min = Infinity, max = -Infinity;
      for (const s of list) {
        if (s.score < min) min = s.score;
        if (s.score > max) max = s.score;
      }
      const diff = max - min;
      for (const s of list) s.score = diff > 0 ? Math.floor((MAX_NODE_SCORE * (s.score - min)) / diff) : 0;
    },
  };
}

function satisfiesAffinity(ctx: CycleContext, s: PreFilterState, labels: Record<string, string>, ns: NamespaceLabels): boolean {
  const terms = ctx.podInfo.requiredAffinityTerms;
  if (!terms.length) return true;
  let podsExist = true;
  for (const t of terms) {
    const v = labels[t.topologyKey];
    if (v === undefined) return false;
    if (s.affinity.at(t.topologyKey, v) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first of a group of pods with affinity to each other must be able to start somewhere:
  // when no pod anywhere matches, a pod matching its own terms may go to any node with the keys.
  return s.affinity.size === 0 && matchesAll(terms, ctx.pod, ns);
}
