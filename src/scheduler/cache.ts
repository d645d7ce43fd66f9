// The scheduler's cache (pkg/scheduler/internal/cache): every node with the pods on it, built from
// informer events, plus pods the scheduler has *assumed* onto a node — decided and reserved, their
// binding still in flight — so the next decision already counts them and nodes are not overcommitted.
// An assumed pod becomes an ordinary one when the informer reports it bound; if binding fails it
// is forgotten. The scheduling cycle runs synchronously in this process, so the cache itself is
// the snapshot it reads: nothing changes under a decision.
import type { Labels, Selector } from '../machinery/labels.js';
import { NodeInfo } from './framework/node-info.js';
import { PodInfo, type AffinityTerm } from './framework/pod-info.js';
import type { Node, Pod } from './types.js';
import { isTerminal, podKey } from './types.js';

const ZONE = 'topology.kubernetes.io/zone';
const REGION = 'topology.kubernetes.io/region';

/** A pod the cache counts on a node: bound, or assumed while its binding is in flight. */
export interface PodState {
  info: PodInfo;
  nodeName: string;
  /** The NodeInfo it is counted on (without a Node object while that node is unknown or gone). */
  node: NodeInfo;
  assumed: boolean;
}

/** An existing pod's required anti-affinity term, filed so incoming pods find the terms that could match them. */
export interface TermRef {
  term: AffinityTerm;
  state: PodState;
}

/**
 * Lookups over every pod the cache counts, so affinity and spreading find the pods a selector can
 * match without walking all pods of all nodes: pods by label, and anti-affinity terms by the label
 * their selector requires.
 */
export interface PodIndex {
  /** Pods that may match `selector` (a superset: callers still match, unless candidatesExact says they need not). */
  candidates(selector: Selector): Iterable<PodState>;
  /** True when every pod candidates() yields for this selector matches it (one key=value requirement). */
  candidatesExact(selector: Selector): boolean;
  /** Required anti-affinity terms of existing pods that may match a pod with these labels. */
  antiAffinityCandidates(labels: Labels): Iterable<TermRef>;
  /** Pods whose own terms (required affinity, preferred affinity or anti-affinity) score nodes for others. */
  withScoringTerms(): ReadonlySet<PodState>;
  nodeOf(state: PodState): NodeInfo | undefined;
}

const labelKey = (k: string, v: string) => `${k}\0${v}`;
const NONE: readonly PodState[] = [];

/** The `key=value` a selector requires, if any (the narrowest index bucket to read). */
function exactRequirements(selector: Selector): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const r of selector.requirements) {
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) out.push([r.key, r.values[0]]);
  }
  return out;
}

export class SchedulerCache implements PodIndex {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly byLabel = new Map<string, Set<PodState>>();
  private readonly antiTerms = new Map<string, Set<TermRef>>();
  private readonly antiTermsUnindexed = new Set<TermRef>();
  private readonly termRefs = new Map<PodState, TermRef[]>();
  private readonly scoring = new Set<PodState>();
  private readonly images = new Map<string, Set<string>>();
  private ordered: NodeInfo[] | undefined;

  // ---- nodes ----

  addNode(node: Node): NodeInfo {
    const name = node.metadata.name!;
    let ni = this.nodes.get(name);
    const oldZone = ni?.node ? zoneOf(ni.node) : undefined;
    if (ni) {
      this.forgetImages(ni);
      ni.setNode(node);
    } else {
      this.nodes.set(name, (ni = new NodeInfo(name, node)));
    }
    this.addImages(ni);
    if (oldZone === undefined || oldZone !== zoneOf(node)) this.ordered = undefined;
    return ni;
  }

  updateNode(node: Node): NodeInfo {
    return this.addNode(node);
  }

  /** The node leaves; its pods stay accounted (they still exist) until their deletions arrive. */
  removeNode(name: string): void {
    const ni = this.nodes.get(name);
    if (!ni) return;
    this.forgetImages(ni);
    if (ni.pods.size === 0) this.nodes.delete(name);
    else ni.node = undefined;
    this.ordered = undefined;
  }

  /** Nodes that have a Node object, zones interleaved (as kube-scheduler's node tree) so a partial scan still spreads. */
  nodeList(): NodeInfo[] {
    if (this.ordered) return this.ordered;
    const byZone = new Map<string, NodeInfo[]>();
    for (const ni of this.nodes.values()) {
      if (!ni.node) continue;
      const z = zoneOf(ni.node);
      let l = byZone.get(z);
      if (!l) byZone.set(z, (l = []));
      l.push(ni);
    }
    const zones = [...byZone.values()];
    const out: NodeInfo[] = [];
    for (let i = 0; out.length < zones.reduce((n, z) => n + z.length, 0); i++) {
      for (const z of zones) if (i < z.length) out.push(z[i]);
    }
    this.ordered = out;
    return out;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    const ni = this.nodes.get(name);
    return ni?.node ? ni : undefined;
  }

  nodeCount(): number {
    return this.nodeList().length;
  }

  imageNodes(image: string): number {
    return this.images.get(normalizeImage(image))?.size ?? 0;
  }

  // ---- pods ----

  /** A pod bound to a node (from the informer), or the confirmation of an assumed one. */
  addPod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const key = podKey(pod);
    if (isTerminal(pod) ) {
      this.removePod(key);
      return;
    }
    const prev = this.podStates.get(key);
    if (prev) {
      if (prev.nodeName !== nodeName) this.nodeFor(prev.nodeName)?.removePod(key);
      this.unindex(prev);
    }
    const info = new PodInfo(pod);
    const node = this.nodeFor(nodeName, true)!;
    const st: PodState = { info, nodeName, node, assumed: false };
    this.podStates.set(key, st);
    this.index(st);
    node.addPod(info);
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(key: string): void {
    const st = this.podStates.get(key);
    if (!st) return;
    this.podStates.delete(key);
    this.unindex(st);
    const ni = this.nodes.get(st.nodeName);
    if (!ni) return;
    ni.removePod(key);
    if (!ni.node && ni.pods.size === 0) this.nodes.delete(st.nodeName);
  }

  /** Counts `pod` on `nodeName` before the API server knows. */
  assumePod(info: PodInfo, nodeName: string): void {
    const key = info.key;
    if (this.podStates.has(key)) throw new Error(`pod ${key} is already in the scheduler cache`);
    const node = this.nodeFor(nodeName, true)!;
    const st: PodState = { info, nodeName, node, assumed: true };
    this.podStates.set(key, st);
    this.index(st);
    node.addPod(info);
  }

  /** Undoes assumePod (binding failed, or Permit rejected); a pod already confirmed bound stays. */
  forgetPod(key: string): void {
    const st = this.podStates.get(key);
    if (st?.assumed) this.removePod(key);
  }

  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed ?? false;
  }

  /** The node a pod is accounted on (bound or assumed). */
  nodeOfPod(key: string): string | undefined {
    return this.podStates.get(key)?.nodeName;
  }

  podCount(): number {
    return this.podStates.size;
  }

  // ---- the pod index ----

  candidates(selector: Selector): Iterable<PodState> {
    if (selector.nothing) return NONE;
    let best: Set<PodState> | undefined;
    for (const r of selector.requirements) {
      if (!((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1)) continue;
      const bucket = this.byLabel.get(labelKey(r.key, r.values[0]));
      if (!bucket) return NONE;
      if (!best || bucket.size < best.size) best = bucket;
    }
    return best ?? this.podStates.values();
  }

  candidatesExact(selector: Selector): boolean {
    const r = selector.requirements;
    return !selector.nothing && r.length === 1 && (r[0].operator === '=' || r[0].operator === '==' || r[0].operator === 'in') && r[0].values.length === 1;
  }

  *antiAffinityCandidates(labels: Labels): Iterable<TermRef> {
    yield* this.antiTermsUnindexed;
    if (!labels) return;
    for (const k in labels) {
      const bucket = this.antiTerms.get(labelKey(k, labels[k]));
      if (bucket) yield* bucket;
    }
  }

  withScoringTerms(): ReadonlySet<PodState> {
    return this.scoring;
  }

  nodeOf(state: PodState): NodeInfo | undefined {
    return state.node.node ? state.node : undefined;
  }

  private index(st: PodState): void {
    const labels = st.info.pod.metadata.labels;
    if (labels) {
      for (const k in labels) {
        const lk = labelKey(k, labels[k]);
        let b = this.byLabel.get(lk);
        if (!b) this.byLabel.set(lk, (b = new Set()));
        b.add(st);
      }
    }
    const info = st.info;
    if (info.requiredAffinityTerms.length || info.preferredAffinityTerms.length || info.preferredAntiAffinityTerms.length) this.scoring.add(st);
    if (!info.requiredAntiAffinityTerms.length) return;
    const refs: TermRef[] = [];
    for (const term of info.requiredAntiAffinityTerms) {
      const ref = { term, state: st };
      refs.push(ref);
      // One required key=value is enough to file it: a pod lacking that label cannot match.
      const exact = exactRequirements(term.selector)[0];
      if (!exact) {
        this.antiTermsUnindexed.add(ref);
        continue;
      }
      const lk = labelKey(exact[0], exact[1]);
      let b = this.antiTerms.get(lk);
      if (!b) this.antiTerms.set(lk, (b = new Set()));
      b.add(ref);
    }
    this.termRefs.set(st, refs);
  }

  private unindex(st: PodState): void {
    const labels = st.info.pod.metadata.labels;
    if (labels) {
      for (const k in labels) {
        const lk = labelKey(k, labels[k]);
        const b = this.byLabel.get(lk);
        b?.delete(st);
        if (b && b.size === 0) this.byLabel.delete(lk);
      }
    }
    this.scoring.delete(st);
    const refs = this.termRefs.get(st);
    if (!refs) return;
    this.termRefs.delete(st);
    for (const ref of refs) {
      if (this.antiTermsUnindexed.delete(ref)) continue;
      const exact = exactRequirements(ref.term.selector)[0];
      if (!exact) continue;
      const lk = labelKey(exact[0], exact[1]);
      const b = this.antiTerms.get(lk);
      b?.delete(ref);
      if (b && b.size === 0) this.antiTerms.delete(lk);
    }
  }

  private nodeFor(name: string, create = false): NodeInfo | undefined {
    let ni = this.nodes.get(name);
    if (!ni && create) this.nodes.set(name, (ni = new NodeInfo(name)));
    return ni;
  }

  private addImages(ni: NodeInfo): void {
    for (const img of ni.node?.status?.images ?? []) {
      for (const n of img.names ?? []) {
        const k = normalizeImage(n);
        let s = this.images.get(k);
        if (!s) this.images.set(k, (s = new Set()));
        s.add(ni.name);
      }
    }
  }

  private forgetImages(ni: NodeInfo): void {
    for (const img of ni.node?.status?.images ?? []) {
      for (const n of img.names ?? []) {
        const k = normalizeImage(n);
        const s = this.images.get(k);
        s?.delete(ni.name);
        if (s && s.size === 0) this.images.delete(k);
      }
    }
  }
}

function zoneOf(node: Node): string {
  const l = node.metadata.labels ?? {};
  return `${l[REGION] ?? ''}:${l[ZONE] ?? ''}`;
}

/** `nginx` and `docker.io/library/nginx:latest` are one image (kube-scheduler's normalizedImageName adds `:latest`). */
export function normalizeImage(name: string): string {
  let n = name;
  if (!n.includes('@') && !/:[^/]+$/.test(n)) n += ':latest';
  if (n.startsWith('docker.io/library/')) n = n.slice('docker.io/library/'.length);
  else if (n.startsWith('docker.io/')) n = n.slice('docker.io/'.length);
  return n;
}
