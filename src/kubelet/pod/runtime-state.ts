// What the runtime holds for one pod: its sandboxes (newest first) and, per container name, every
// instance still present (newest first). Containers and sandboxes carry Kubernetes' labels, so the
// kubelet finds its pods' parts again after a restart.
import type { ContainerStatus, RuntimeDriver, SandboxStatus } from '../runtime.js';

export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const LABEL_CONTAINER_HASH = 'io.kubernetes.container.hash';
/** Host file mounted at the container's terminationMessagePath (ours: CRI lists no annotations). */
export const LABEL_TERMINATION_MESSAGE_FILE = 'k8ts.io/termination-message-file';
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';

export interface PodRuntimeState {
  sandboxes: SandboxStatus[];
  /** The newest sandbox, with its IP when the runtime gave one. */
  sandbox?: SandboxStatus;
  containers: Map<string, ContainerStatus[]>;
}

const newestFirst = (a: ContainerStatus, b: ContainerStatus) => b.attempt - a.attempt || b.createdAt - a.createdAt;

export async function readPodState(runtime: RuntimeDriver, uid: string): Promise<PodRuntimeState> {
  // Filtered by the runtime: a pod's read costs the same whether the node runs one pod or a hundred.
  const byPod = { labels: { [LABEL_POD_UID]: uid } };
  const sandboxes = (await runtime.listPodSandboxes(byPod))
    .filter((s) => s.labels?.[LABEL_POD_UID] === uid)
    .sort((a, b) => b.createdAt - a.createdAt);
  const containers = new Map<string, ContainerStatus[]>();
  if (sandboxes.length > 0) {
    // The runtime removes a sandbox's containers with it, so the pod's label finds only its own.
    for (const c of await runtime.listContainers(byPod)) {
      const name = c.labels?.[LABEL_CONTAINER_NAME] ?? c.name;
      const list = containers.get(name) ?? [];
      list.push(c);
      containers.set(name, list);
    }
  }
  for (const list of containers.values()) list.sort(newestFirst);
  let sandbox = sandboxes[0];
  // A list may leave out the address (CRI's does, unless the runtime driver knew it already).
  if (sandbox && sandbox.ip === undefined) sandbox = (await runtime.podSandboxStatus(sandbox.id)) ?? sandbox;
  return { sandboxes, sandbox, containers };
}

/**
 * The state of a pod that had nothing in the runtime right after its first sandbox started: that
 * sandbox's status is all there is to read (one call instead of a relist).
 */
export async function withFirstSandbox(runtime: RuntimeDriver, uid: string, sandboxId: string): Promise<PodRuntimeState> {
  const sandbox = await runtime.podSandboxStatus(sandboxId);
  if (!sandbox) return readPodState(runtime, uid);
  return { sandboxes: [sandbox], sandbox, containers: new Map() };
}

/**
 * `state` with containers the kubelet created since it was read: their statuses are all that
 * changed, one call each instead of a relist. A container already gone means more happened than
 * that, and the pod is read again.
 */
export async function withCreated(runtime: RuntimeDriver, uid: string, state: PodRuntimeState, ids: string[]): Promise<PodRuntimeState> {
  const containers = new Map([...state.containers].map(([name, list]) => [name, [...list]]));
  for (const id of ids) {
    const c = await runtime.containerStatus(id);
    if (!c) return readPodState(runtime, uid);
    const name = c.labels?.[LABEL_CONTAINER_NAME] ?? c.name;
    containers.set(name, [c, ...(containers.get(name) ?? []).filter((x) => x.id !== id)].sort(newestFirst));
  }
  return { ...state, containers };
}

/**
 * A pod's sandboxes and containers with their states, as one string: the PLEG computes it from
 * its relist and the pod worker from the state its sync acted on, so a relist that shows only what
 * the last sync already saw (the container it just started, running) needs no second sync.
 */
export function runtimeFingerprint(sandboxes: Array<{ id: string; state: string }>, containers: Iterable<{ id: string; state: string }>): string {
  const parts = sandboxes.map((s) => `sb/${s.id}=${s.state}`);
  for (const c of containers) parts.push(`c/${c.id}=${c.state}`);
  return parts.sort().join(',');
}

/** How far along each state is: a sandbox or container only moves forward through these. */
const PROGRESS: Record<string, number> = { ready: 0, notready: 1, created: 0, running: 1, exited: 2, unknown: 3 };

function parseFingerprint(fp: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of fp ? fp.split(',') : []) {
    const eq = part.lastIndexOf('=');
    out.set(part.slice(0, eq), PROGRESS[part.slice(eq + 1)] ?? 0);
  }
  return out;
}

/**
 * Whether the state `newer` already covers `older`: every sandbox and container `older` shows is
 * in `newer` in the same state or a later one. A relist taken while a sync ran often shows a step
 * the sync went on past (the sandbox before its container started); that is no news once the sync
 * ends. A part `older` shows that `newer` lacks, or shows earlier, is news.
 */
export function supersedes(newer: string, older: string): boolean {
  if (newer === older) return true;
  const n = parseFingerprint(newer);
  for (const [key, progress] of parseFingerprint(older)) {
    const later = n.get(key);
    if (later === undefined || later < progress) return false;
  }
  return true;
}

/** The fingerprint of what a state read found. */
export function stateFingerprint(state: PodRuntimeState): string {
  return runtimeFingerprint(state.sandboxes, [...state.containers.values()].flat());
}

/** The newest instance of a container, if any. */
export function latest(state: PodRuntimeState, name: string): ContainerStatus | undefined {
  return state.containers.get(name)?.[0];
}

/** The instance before the newest, whose end is the container's lastState. */
export function previous(state: PodRuntimeState, name: string): ContainerStatus | undefined {
  return state.containers.get(name)?.[1];
}
