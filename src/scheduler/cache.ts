// The scheduler's cache (pkg/scheduler/internal/cache): every node with the pods on it, built from
// informer events, plus pods the scheduler has *assumed* onto a node — decided and reserved, their
// binding still in flight — so the next decision already counts them and nodes are not overcommitted.
// An assumed pod becomes an ordinary one when the informer reports it bound; if binding fails it
// is forgotten. The scheduling cycle runs synchronously in this process, so the cache itself is
// the snapshot it reads: nothing changes under a decision.
import { NodeInfo } from './framework/node-info.js';
import { PodInfo } from './framework/pod-info.js';
import type { Node, Pod } from './types.js';
import { isTerminal, podKey } from './types.js';

const ZONE = 'topology.kubernetes.io/zone';
const REGION = 'topology.kubernetes.io/region';

interface PodState {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
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
    if (prev && prev.nodeName !== nodeName) this.nodeFor(prev.nodeName)?.removePod(key);
    const info = new PodInfo(pod);
    this.podStates.set(key, { info, nodeName, assumed: false });
    this.nodeFor(nodeName, true)!.addPod(info);
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(key: string): void {
    const st = this.podStates.get(key);
    if (!st) return;
    this.podStates.delete(key);
    const ni = this.nodes.get(st.nodeName);
    if (!ni) return;
    ni.removePod(key);
    if (!ni.node && ni.pods.size === 0) this.nodes.delete(st.nodeName);
  }

  /** Counts `pod` on `nodeName` before the API server knows. */
  assumePod(info: PodInfo, nodeName: string): void {
    const key = info.key;
    if (this.podStates.has(key)) throw new Error(`pod ${key} is already in the scheduler cache`);
    this.podStates.set(key, { info, nodeName, assumed: true });
    this.nodeFor(nodeName, true)!.addPod(info);
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
