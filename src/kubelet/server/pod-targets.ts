// What a streaming request on the kubelet addresses: a pod the kubelet runs and one of its
// containers, found in the runtime by the pod's UID (the runtime is the truth about which
// containers exist and run; the pod's reported status only explains why one does not yet).
// Errors carry the HTTP code and words the real kubelet answers with.
import type { ContainerStatus as RuntimeContainer, RuntimeDriver, SandboxStatus } from '../runtime.js';
import { readPodState } from '../pod/runtime-state.js';
import type { Pod } from '../types.js';

export class KubeletHttpError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export type PodGetter = (namespace: string, name: string) => Pod | undefined;

export function findPod(getPod: PodGetter, namespace: string, name: string): Pod {
  const pod = getPod(namespace, name);
  if (!pod) throw new KubeletHttpError(404, `pod "${name}" in namespace "${namespace}" does not exist`);
  return pod;
}

function specHasContainer(pod: Pod, name: string): boolean {
  const spec = pod.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...((spec.ephemeralContainers as Array<{ name: string }> | undefined) ?? [])]
    .some((c) => c.name === name);
}

export function checkContainerInSpec(pod: Pod, name: string): void {
  if (!specHasContainer(pod, name)) {
    throw new KubeletHttpError(404, `container "${name}" not found in pod "${pod.metadata.name}"`);
  }
}

async function instances(runtime: RuntimeDriver, pod: Pod, name: string): Promise<RuntimeContainer[]> {
  const state = await readPodState(runtime, pod.metadata.uid ?? '');
  return state.containers.get(name) ?? [];
}

/**
 * The container instance whose log `kubectl logs` reads, as the kubelet's
 * validateContainerLogStatus picks it: the newest instance, or with `previous` the one before.
 */
export async function logContainer(runtime: RuntimeDriver, pod: Pod, name: string, previous: boolean): Promise<RuntimeContainer> {
  checkContainerInSpec(pod, name);
  const podName = pod.metadata.name;
  const list = await instances(runtime, pod, name);
  if (previous) {
    const prev = list[1];
    if (!prev) throw new KubeletHttpError(400, `previous terminated container "${name}" in pod "${podName}" not found`);
    return prev;
  }
  if (list[0]) return list[0];
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const waiting = statuses.find((s) => s.name === name)?.state?.waiting?.reason;
  switch (waiting) {
    case 'ErrImagePull':
      throw new KubeletHttpError(400, `container "${name}" in pod "${podName}" is waiting to start: image can't be pulled`);
    case 'ImagePullBackOff':
      throw new KubeletHttpError(400, `container "${name}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
    case undefined:
      throw new KubeletHttpError(400, `container "${name}" in pod "${podName}" is waiting to start: ContainerCreating`);
    default:
      throw new KubeletHttpError(400, `container "${name}" in pod "${podName}" is waiting to start: ${waiting}`);
  }
}

/** The running instance of a container, for exec and attach. */
export async function runningContainer(runtime: RuntimeDriver, pod: Pod, name: string): Promise<RuntimeContainer> {
  const running = (await instances(runtime, pod, name)).find((c) => c.state === 'running');
  if (!running) throw new KubeletHttpError(500, `container not found ("${name}")`);
  return running;
}

/** The pod's ready sandbox (with its IP), for port-forward. */
export async function podSandbox(runtime: RuntimeDriver, pod: Pod): Promise<SandboxStatus> {
  const state = await readPodState(runtime, pod.metadata.uid ?? '');
  const sb = state.sandbox;
  if (!sb || sb.state !== 'ready') throw new KubeletHttpError(500, `pod ${pod.metadata.name}_${pod.metadata.namespace} does not have a running sandbox`);
  return sb;
}

/** Whether a container instance is still running (or about to: created). */
export function isRunning(runtime: RuntimeDriver, id: string): () => Promise<boolean> {
  return async () => {
    const s = await runtime.containerStatus(id).catch(() => null);
    return s?.state === 'running' || s?.state === 'created';
  };
}
