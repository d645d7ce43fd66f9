// Kubelet admission, as the kubelet's predicate admit handler decides it: before a pod bound to
// this node starts, it must fit the node beside the pods already admitted (pods count, cpu, memory,
// ephemeral-storage and extended resources such as nvidia.com/gpu, against allocatable), match the
// node (kubernetes.io/os, spec.os, nodeSelector and required node affinity), not want host ports
// already taken, and tolerate the node's NoExecute taints. A pod that does not is rejected: the
// syncer marks it Failed with the first reason (OutOfcpu, OutOfmemory, OutOfpods, OutOf<resource>,
// NodeAffinity, NodePorts, TaintToleration, ...) and "Pod was rejected: <message>". The scheduler
// checks the same, so this matters for pods bound by hand (spec.nodeName) or raced onto the node.
import { podMatchesNodeSelectorAndAffinity, tolerates, type NodeSelectorTerm, type Taint, type Toleration } from '../../api/core/v1/node-selector.js';
import { isSidecar, type Container, type Node, type Pod } from '../types.js';
import { podRequests, quantityMilli, wholeUnits, type ResourceAmounts } from './resources.js';

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

interface SchedulingSpec {
  nodeSelector?: Record<string, string>;
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } };
  tolerations?: Toleration[];
  os?: { name?: string };
}

const NODE_OS = 'linux';
const OS_LABEL = 'kubernetes.io/os';
/** Resources counted in whole units (bytes, devices); cpu is counted in millicores. */
const NATIVE = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);

/** Extended resources: a domain-qualified name outside kubernetes.io, not a quota name (Kubernetes' IsExtendedResourceName). */
export function isExtendedResource(name: string): boolean {
  if (NATIVE.has(name) || name.startsWith('requests.')) return false;
  const slash = name.indexOf('/');
  if (slash < 0) return false;
  const domain = name.slice(0, slash);
  return domain !== 'kubernetes.io' && !domain.endsWith('.kubernetes.io');
}

/** Amounts as the fit check compares them: millicores for cpu, whole units for everything else. */
function units(name: string, milli: bigint | undefined): bigint {
  return name === 'cpu' ? (milli ?? 0n) : wholeUnits(milli);
}

function hostPorts(pod: Pod): Array<{ ip: string; protocol: string; port: number }> {
  const out: Array<{ ip: string; protocol: string; port: number }> = [];
  const containers: Container[] = [...(pod.spec?.initContainers ?? []).filter(isSidecar), ...(pod.spec?.containers ?? [])];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

function portsConflict(pod: Pod, others: Pod[]): boolean {
  const want = hostPorts(pod);
  if (!want.length) return false;
  const used = others.flatMap(hostPorts);
  return want.some((w) => used.some((u) => u.port === w.port && u.protocol === w.protocol && (u.ip === w.ip || u.ip === '0.0.0.0' || w.ip === '0.0.0.0')));
}

interface Failure { reason: string; message: string }

const predicate = (name: string, desc: string): Failure => ({ reason: name, message: `Predicate ${name} failed: ${desc}` });

/** The failed resource checks, in the scheduler's order: pods, cpu, memory, ephemeral-storage, then the others. */
function insufficientResources(pod: Pod, node: Node, others: Pod[]): Failure[] {
  const allocatable = node.status?.allocatable ?? {};
  const out: Failure[] = [];
  const insufficient = (name: string, requested: bigint, used: bigint, capacity: bigint) => {
    const reason = `OutOf${name}`;
    out.push({ reason, message: `Node didn't have enough resource: ${name}, requested: ${requested}, used: ${used}, capacity: ${capacity}` });
  };
  const allowedPods = units('pods', quantityMilli(allocatable.pods));
  if (BigInt(others.length) + 1n > allowedPods) insufficient('pods', 1n, BigInt(others.length), allowedPods);

  const want = podRequests(pod);
  // Extended resources the node does not have at all are cluster-level ones: not the node's to check.
  for (const name of [...want.keys()]) if (isExtendedResource(name) && !(name in allocatable)) want.delete(name);
  const used: ResourceAmounts = new Map();
  for (const o of others) for (const [k, v] of podRequests(o)) used.set(k, (used.get(k) ?? 0n) + v);
  const names = ['cpu', 'memory', 'ephemeral-storage', ...[...want.keys()].filter((k) => !NATIVE.has(k)).sort()];
  for (const name of names) {
    const requested = units(name, want.get(name));
    if (requested <= 0n) continue;
    const capacity = units(name, quantityMilli(allocatable[name]));
    const inUse = units(name, used.get(name));
    if (requested > capacity - inUse) insufficient(name, requested, inUse, capacity);
  }
  return out;
}

/** Every reason the pod cannot run here, the first being the one reported; empty when it fits. */
export function admissionFailures(pod: Pod, node: Node, others: Pod[]): Failure[] {
  const spec = (pod.spec ?? {}) as SchedulingSpec;
  const podOS = pod.metadata.labels?.[OS_LABEL];
  if (podOS !== undefined && podOS !== NODE_OS) {
    return [{ reason: 'PodOSSelectorNodeLabelDoesNotMatch', message: 'Failed to admit pod as the `kubernetes.io/os` label doesn\'t match node label' }];
  }
  if (spec.os?.name && spec.os.name !== NODE_OS) {
    return [{ reason: 'PodOSNotSupported', message: 'Failed to admit pod as the OS field doesn\'t match node OS' }];
  }
  const failures = insufficientResources(pod, node, others);
  if (!podMatchesNodeSelectorAndAffinity(spec, node)) failures.push(predicate('NodeAffinity', 'node(s) didn\'t match Pod\'s node affinity/selector'));
  if (pod.spec?.nodeName && pod.spec.nodeName !== node.metadata.name) failures.push(predicate('NodeName', 'node(s) didn\'t match the requested node name'));
  if (portsConflict(pod, others)) failures.push(predicate('NodePorts', 'node(s) didn\'t have free ports for the requested pod ports'));
  // The kubelet itself only minds NoExecute taints; NoSchedule is the scheduler's business.
  const taints = ((node.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoExecute');
  if (taints.some((t) => !(spec.tolerations ?? []).some((tol) => tolerates(tol, t)))) {
    failures.push(predicate('TaintToleration', 'node(s) had taints that the pod didn\'t tolerate'));
  }
  return failures;
}

export interface PodAdmitterOptions {
  /** The node as last seen (informer). */
  node(): Node | undefined;
  /** The node read from the API server, for a second look when only its labels failed the pod. */
  fetchNode(): Promise<Node>;
}

/**
 * Keeps the pods it admitted; a pod counts against the node while `isActive(uid)` says it still
 * holds it. The decision and the recording of an admitted pod happen in one step, so pods synced
 * at the same time cannot both take the last of a resource.
 */
export class PodAdmitter {
  private readonly admitted = new Map<string, Pod>();

  constructor(private readonly opts: PodAdmitterOptions) {}

  async admit(pod: Pod, isActive: (uid: string) => boolean): Promise<AdmitResult> {
    const uid = pod.metadata.uid!;
    if (this.admitted.has(uid)) return { admit: true };
    let node = this.opts.node();
    if (!node) {
      try {
        node = await this.opts.fetchNode();
      } catch {
        return { admit: false, reason: 'InvalidNodeInfo', message: 'Kubelet cannot get node info.' };
      }
    }
    const others = () => [...this.admitted].filter(([u]) => u !== uid && isActive(u)).map(([, p]) => p);
    let failures = admissionFailures(pod, node, others());
    if (failures.length && failures.every((f) => f.reason === 'NodeAffinity')) {
      // The labels may have changed a moment ago: look at the node itself before refusing.
      try {
        failures = admissionFailures(pod, await this.opts.fetchNode(), others());
      } catch {
        // keep the verdict on the cached node
      }
    }
    if (failures.length) return { admit: false, ...failures[0] };
    this.admitted.set(uid, pod);
    return { admit: true };
  }

  /** Counts a pod as admitted without checking it (it was running before the kubelet started). */
  readmit(pod: Pod): void {
    this.admitted.set(pod.metadata.uid!, pod);
  }

  forget(uid: string): void {
    this.admitted.delete(uid);
  }
}
