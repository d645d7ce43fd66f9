// What the scheduler knows about one node: the Node, the pods on it (bound or assumed), and the
// sums plugins ask about (requested resources, host ports, pods with affinity, images), kept
// up to date incrementally as pods come and go (framework.NodeInfo).
import type { Node, Taint } from '../types.js';
import { Resource } from './resource.js';
import type { PodInfo } from './pod-info.js';

/** Host ports in use: `ip` → `protocol/port` (framework.HostPortInfo). */
export class HostPortInfo {
  private readonly byIP = new Map<string, Map<string, number>>();

  add(ip: string | undefined, protocol: string | undefined, port: number, sign = 1): void {
    if (!port) return;
    const key = `${protocol || 'TCP'}/${port}`;
    const addr = ip || '0.0.0.0';
    let m = this.byIP.get(addr);
    if (!m) this.byIP.set(addr, (m = new Map()));
    const n = (m.get(key) ?? 0) + sign;
    if (n > 0) m.set(key, n);
    else m.delete(key);
    if (m.size === 0) this.byIP.delete(addr);
  }

  /** 0.0.0.0 conflicts with every address, as a wildcard bind would. */
  conflicts(ip: string | undefined, protocol: string | undefined, port: number): boolean {
    if (!port) return false;
    const key = `${protocol || 'TCP'}/${port}`;
    const addr = ip || '0.0.0.0';
    if (addr === '0.0.0.0') {
      for (const m of this.byIP.values()) if (m.has(key)) return true;
      return false;
    }
    return !!(this.byIP.get(addr)?.has(key) || this.byIP.get('0.0.0.0')?.has(key));
  }

  get size(): number {
    return this.byIP.size;
  }
}

export const labelCountKey = (namespace: string, key: string, value: string) => `${namespace}\0${key}\0${value}`;

export class NodeInfo {
  node: Node | undefined;
  readonly pods = new Map<string, PodInfo>();
  readonly podsWithAffinity = new Map<string, PodInfo>();
  readonly podsWithRequiredAntiAffinity = new Map<string, PodInfo>();
  readonly requested = new Resource();
  /** Requests with kube-scheduler's defaults for containers that name none; for scoring. */
  readonly nonZeroRequested = new Resource();
  allocatable = new Resource();
  /** The node's labels ({} until the Node is known); read on every filter call, so a field. */
  labels: Record<string, string> = {};
  /** spec.taints and spec.unschedulable, copied for the same reason. */
  taints: Taint[] = [];
  unschedulable = false;
  readonly usedPorts = new HostPortInfo();
  /**
   * Pods not being deleted, per `namespace\0key\0value` label: a selector of one key=value is
   * counted per node with one lookup instead of a walk over the node's pods.
   */
  readonly labelCounts = new Map<string, number>();
  /**
   * Scratch space for a plugin's hot loop within one synchronous decision: a loop stamps the
   * nodes it selected with a fresh `mark` and a value, then looks them up per pod without a Map.
   */
  mark = 0;
  markValue = '';
  /** Bumped on every change, so derived data can tell it is stale. */
  generation = 0;

  constructor(readonly name: string, node?: Node) {
    if (node) this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    this.labels = node.metadata.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = !!node.spec?.unschedulable;
    this.allocatable = Resource.fromList(node.status?.allocatable ?? node.status?.capacity);
    this.generation++;
  }

  addPod(pi: PodInfo): void {
    const old = this.pods.get(pi.key);
    if (old) this.removePod(old.key);
    this.pods.set(pi.key, pi);
    if (pi.hasAffinity) this.podsWithAffinity.set(pi.key, pi);
    if (pi.requiredAntiAffinityTerms.length) this.podsWithRequiredAntiAffinity.set(pi.key, pi);
    this.account(pi, 1);
  }

  removePod(key: string): PodInfo | undefined {
    const pi = this.pods.get(key);
    if (!pi) return undefined;
    this.pods.delete(key);
    this.podsWithAffinity.delete(key);
    this.podsWithRequiredAntiAffinity.delete(key);
    this.account(pi, -1);
    return pi;
  }

  private account(pi: PodInfo, sign: number): void {
    if (pi.labels && !pi.deleting) {
      for (const k in pi.labels) {
        const key = labelCountKey(pi.namespace, k, pi.labels[k]);
        const n = (this.labelCounts.get(key) ?? 0) + sign;
        if (n > 0) this.labelCounts.set(key, n);
        else this.labelCounts.delete(key);
      }
    }
    this.requested.add(pi.requests, sign);
    this.nonZeroRequested.add(pi.nonZeroRequests, sign);
    for (const c of [...(pi.pod.spec?.initContainers ?? []), ...(pi.pod.spec?.containers ?? [])]) {
      for (const p of c.ports ?? []) if (p.hostPort) this.usedPorts.add(p.hostIP, p.protocol, p.hostPort, sign);
    }
    this.generation++;
  }

  /** A copy whose pods can be changed without touching this one (preemption's what-ifs). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.node = this.node;
    c.labels = this.labels;
    c.taints = this.taints;
    c.unschedulable = this.unschedulable;
    c.allocatable = this.allocatable;
    for (const pi of this.pods.values()) c.addPod(pi);
    return c;
  }
}
