// Creating and deleting pods on a controller's behalf, with the events Kubernetes' RealPodControl
// records on the controller: SuccessfulCreate "Created pod: x", FailedCreate "Error creating: ...",
// SuccessfulDelete "Deleted pod: x", FailedDelete "Error deleting: ...".
import type { KObject, OwnerReference } from '../../api/resource.js';
import { ApiError, isNotFound, resources, type EventRecorder, type RestClient } from '../../client/index.js';
import type { Pod, PodTemplateSpec } from './types.js';

export interface PodControl {
  /** Creates a pod from `template` owned by `owner`; resolves with the created pod. */
  createPod(namespace: string, template: PodTemplateSpec, owner: KObject, controllerRef: OwnerReference): Promise<Pod>;
  /** Deletes a pod; a pod already gone rejects with NotFound, which callers usually ignore. */
  deletePod(namespace: string, name: string, owner: KObject): Promise<void>;
  /** Strategic merge patch of a pod (adoption and release). */
  patchPod(namespace: string, name: string, patch: unknown): Promise<void>;
}

/** controller.GetPodFromTemplate: the template's labels, annotations, finalizers and spec. */
export function podFromTemplate(template: PodTemplateSpec, owner: KObject, controllerRef?: OwnerReference): Pod {
  const tm = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: podsPrefix(owner.metadata.name ?? ''),
      ...(tm.labels ? { labels: { ...tm.labels } } : {}),
      ...(tm.annotations ? { annotations: { ...tm.annotations } } : {}),
      ...(tm.finalizers?.length ? { finalizers: [...tm.finalizers] } : {}),
    },
    spec: structuredClone(template.spec ?? {}) as Pod['spec'],
  };
  if (controllerRef) pod.metadata.ownerReferences = [{ ...controllerRef }];
  return pod;
}

/** `<controller>-`, so the API server appends five random characters. */
function podsPrefix(controllerName: string): string {
  return `${controllerName}-`;
}

/** True when the error says the namespace is being deleted (no event is worth recording then). */
export function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof ApiError && (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class RealPodControl implements PodControl {
  constructor(private readonly client: RestClient, private readonly recorder: EventRecorder) {}

  async createPod(namespace: string, template: PodTemplateSpec, owner: KObject, controllerRef: OwnerReference): Promise<Pod> {
    const pod = podFromTemplate(template, owner, controllerRef);
    if (!pod.metadata.labels || Object.keys(pod.metadata.labels).length === 0) throw new Error('unable to create pods, no labels');
    let created: Pod;
    try {
      created = await this.client.create<Pod>(resources.pods, namespace, pod);
    } catch (err) {
      if (!isNamespaceTerminating(err)) this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
      throw err;
    }
    this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    return created;
  }

  async deletePod(namespace: string, name: string, owner: KObject): Promise<void> {
    try {
      await this.client.delete(resources.pods, namespace, name);
    } catch (err) {
      if (!isNotFound(err)) this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
      throw err;
    }
    this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  async patchPod(namespace: string, name: string, patch: unknown): Promise<void> {
    await this.client.patch(resources.pods, namespace, name, patch, 'strategic');
  }
}
