// The scheduling framework's contract (pkg/scheduler/framework/interface.go): the extension points
// a plugin may implement, the Status they answer with, and the handle they get to the rest of the
// scheduler. A plugin is one small object implementing the points it cares about.
import type { EventRecorder, Informer, Lister, ResourceRef, RestClient } from '../../client/index.js';
import type { KObject } from '../../api/resource.js';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, PodDisruptionBudget, PriorityClass, StorageClass } from '../types.js';
import type { NodeInfo } from './node-info.js';
import type { NamespaceLabels, PodInfo } from './pod-info.js';
import type { PodIndex } from '../cache.js';

export enum Code {
  Success = 'Success',
  /** Something broke (not the pod's fault); the pod is retried with backoff. */
  Error = 'Error',
  /** Does not fit this node now; preemption may help. */
  Unschedulable = 'Unschedulable',
  /** Does not fit this node and preemption cannot change that. */
  UnschedulableAndUnresolvable = 'UnschedulableAndUnresolvable',
  /** Permit: hold the pod until allowed or rejected. */
  Wait = 'Wait',
  /** The plugin has nothing to do for this pod (PreFilter, PreScore, Bind). */
  Skip = 'Skip',
}

export class Status {
  plugin = '';
  constructor(readonly code: Code, readonly reasons: string[] = []) {}

  static success(): Status {
    return SUCCESS;
  }
  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }
  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }
  static error(err: unknown): Status {
    return new Status(Code.Error, [err instanceof Error ? err.message : String(err)]);
  }
  static skip(): Status {
    return SKIP;
  }

  get ok(): boolean {
    return this.code === Code.Success;
  }

  get isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }

  message(): string {
    return this.reasons.join(', ');
  }

  withPlugin(name: string): Status {
    if (this === SUCCESS || this === SKIP) return this;
    this.plugin ||= name;
    return this;
  }
}

const SUCCESS = new Status(Code.Success);
const SKIP = new Status(Code.Skip);

/** Per-attempt scratch space shared by a plugin's extension points (framework.CycleState). */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins that answered Skip at PreFilter (their Filter is not called) or PreScore. */
  readonly skipFilter = new Set<string>();
  readonly skipScore = new Set<string>();

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, v: unknown): void {
    this.data.set(key, v);
  }

  /** A copy for what-if evaluations (preemption); values themselves are shared unless cloned by their plugin. */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) {
      const cl = (v as { clone?: () => unknown } | null)?.clone;
      c.data.set(k, typeof cl === 'function' ? cl.call(v) : v);
    }
    for (const s of this.skipFilter) c.skipFilter.add(s);
    for (const s of this.skipScore) c.skipScore.add(s);
    return c;
  }
}

/** PreFilter may narrow the nodes worth filtering (e.g. NodeName, NodeAffinity on metadata.name). */
export interface PreFilterResult {
  nodeNames?: Set<string>;
}

export interface NodeScore {
  name: string;
  score: number;
}

export const MAX_NODE_SCORE = 100;

export interface PostFilterResult {
  nominatedNodeName?: string;
}

/** What happened in the cluster, for moving pods out of the unschedulable queue. */
export type ClusterEvent =
  | 'NodeAdd' | 'NodeUpdate' | 'NodeLabelChange' | 'NodeTaintChange' | 'NodeAllocatableChange' | 'NodeSpecUnschedulableChange'
  | 'NodeDelete'
  | 'PodAdd' | 'PodUpdate' | 'PodDelete' | 'AssignedPodAdd' | 'AssignedPodUpdate' | 'AssignedPodDelete'
  | 'PvcAdd' | 'PvcUpdate' | 'PvAdd' | 'PvUpdate' | 'StorageClassAdd'
  | 'NamespaceChange' | 'PodGroupChange' | 'PdbChange';

/** A pod whose Permit said Wait (framework.WaitingPod). */
export interface WaitingPod {
  pod: Pod;
  nodeName: string;
  /** Lets the pod go on to binding once every waiting plugin has allowed it. */
  allow(plugin: string): void;
  /** Fails the pod's attempt: it is unreserved and retried. */
  reject(plugin: string, message: string): void;
  pendingPlugins(): string[];
}

/** What plugins may reach: the cluster as the scheduler sees it, listers, and a few services. */
export interface Handle {
  client: RestClient;
  schedulerName: string;
  recorder: EventRecorder;
  /** All nodes with a Node object, in evaluation order. */
  nodeInfos(): NodeInfo[];
  nodeInfo(name: string): NodeInfo | undefined;
  /** Every counted pod (bound or assumed), indexed by label for affinity and spreading. */
  pods: PodIndex;
  /** How many nodes have each image (name → node names), for ImageLocality. */
  imageNodes(image: string): number;
  namespaceLabels: NamespaceLabels;
  listers: {
    pods: Lister<Pod>;
    nodes: Lister<Node>;
    pvcs: Lister<PersistentVolumeClaim>;
    pvs: Lister<PersistentVolume>;
    storageClasses: Lister<StorageClass>;
    pdbs: Lister<PodDisruptionBudget>;
    priorityClasses: Lister<PriorityClass>;
  };
  /** Pods nominated to a node by preemption but not yet bound there. */
  nominatedPodsForNode(nodeName: string): PodInfo[];
  /** Pods waiting at Permit, by key `namespace/name`. */
  waitingPods(): WaitingPod[];
  getWaitingPod(key: string): WaitingPod | undefined;
  /** The node a pod is counted on, bound or assumed (in its binding cycle), if any. */
  assignedNode(podKey: string): string | undefined;
  /**
   * An informer for a resource beyond the built-in ones (a custom resource), started at once and
   * not awaited by the scheduler's start; changes to its objects raise `event`.
   */
  informer<T extends KObject>(res: ResourceRef, event?: ClusterEvent): Informer<T>;
  /** Moves these pods (queued anywhere) to the active queue now. */
  activate(pods: Pod[]): void;
  /** Runs every Filter plugin on a node, as preemption's what-ifs need. */
  runFilterPlugins(state: CycleState, pod: Pod, pi: PodInfo, node: NodeInfo): Status;
  /** Runs AddPod/RemovePod of PreFilter plugins so their state follows a what-if pod change. */
  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo): void;
  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo): void;
}

/** Arguments every extension point gets about the pod being scheduled. */
export interface CycleContext {
  state: CycleState;
  pod: Pod;
  podInfo: PodInfo;
}

export interface Plugin {
  readonly name: string;
  /** Cluster events after which a pod this plugin rejected may fit. */
  readonly events?: readonly ClusterEvent[];
  /** Called once when the scheduler starts (e.g. to create a CRD); not awaited by scheduling. */
  start?(signal: AbortSignal): void | Promise<void>;

  preFilter?(ctx: CycleContext, nodes: NodeInfo[]): { status?: Status; result?: PreFilterResult } | Status | undefined;
  /** Keeps PreFilter's state true when preemption imagines a pod added to or removed from a node. */
  addPod?(ctx: CycleContext, toAdd: PodInfo, node: NodeInfo): void;
  removePod?(ctx: CycleContext, toRemove: PodInfo, node: NodeInfo): void;
  /** Undefined or Success: fits. */
  filter?(ctx: CycleContext, node: NodeInfo): Status | undefined;
  postFilter?(ctx: CycleContext, filtered: Map<string, Status>): Promise<{ result?: PostFilterResult; status: Status }>;
  preScore?(ctx: CycleContext, nodes: NodeInfo[]): Status | undefined;
  score?(ctx: CycleContext, node: NodeInfo): number;
  /** Maps raw scores onto 0..MAX_NODE_SCORE in place. */
  normalizeScore?(ctx: CycleContext, scores: NodeScore[]): void;
  reserve?(ctx: CycleContext, nodeName: string): Status | undefined;
  unreserve?(ctx: CycleContext, nodeName: string): void;
  permit?(ctx: CycleContext, nodeName: string): { status: Status; timeoutMs?: number } | undefined;
  preBind?(ctx: CycleContext, nodeName: string): Promise<Status | undefined>;
  /** Skip lets the next binder try. */
  bind?(ctx: CycleContext, nodeName: string): Promise<Status>;
  postBind?(ctx: CycleContext, nodeName: string): void;
}

export type PluginFactory = (handle: Handle, args: Record<string, unknown>) => Plugin;
