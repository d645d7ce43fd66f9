// The parts of Pod, Node and Lease the simulated kubelet reads and writes, typed for its own use;
// objects travel as plain JSON, so every field is optional as it may be on the wire.
import type { KObject } from '../../api/resource.js';
import type { ConditionStatus, PodStatus } from '../types.js';

// Pod status shapes are the kubelet's own: a simulated kubelet reports the same status.
export type { ConditionStatus, PodCondition, ContainerState, ContainerStatus, PodStatus, NodeCondition, Node } from '../types.js';

export interface ContainerSpec {
  name: string;
  image?: string;
  /** `Always` on an init container makes it a sidecar (restartable init container). */
  restartPolicy?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface Pod extends KObject {
  spec?: {
    nodeName?: string;
    restartPolicy?: string;
    containers?: ContainerSpec[];
    initContainers?: ContainerSpec[];
    readinessGates?: Array<{ conditionType: string }>;
    [field: string]: unknown;
  };
  status?: PodStatus;
}


export interface Lease extends KObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/** metav1.Time on the wire: RFC 3339 with whole seconds. */
export function wireTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime on the wire: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
