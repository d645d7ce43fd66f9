// The parts of apps/v1 StatefulSet and core/v1 PersistentVolumeClaim the StatefulSet controller
// reads and writes, with the labels it stamps on its pods.
import type { KObject } from '../../api/resource.js';
import type { LabelSelector } from '../../machinery/labels.js';
import type { IntOrString, Pod, PodTemplateSpec } from '../util/types.js';

export type { Pod, PodTemplateSpec };

/** The pod's own name, so a Service can select exactly one member (apps.StatefulSetPodNameLabel). */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** The pod's ordinal (apps.PodIndexLabel, on by default since 1.28). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** The name of the ControllerRevision a pod was made from (apps.StatefulSetRevisionLabel). */
export const REVISION_LABEL = 'controller-revision-hash';

export type RetentionPolicyType = 'Retain' | 'Delete';

export interface StatefulSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  conditions?: StatefulSetCondition[];
  availableReplicas?: number;
}

export interface PersistentVolumeClaim extends KObject {
  spec?: Record<string, unknown>;
  status?: { phase?: string; [k: string]: unknown };
}

export interface StatefulSet extends KObject {
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template: PodTemplateSpec;
    volumeClaimTemplates?: PersistentVolumeClaim[];
    serviceName?: string;
    podManagementPolicy?: 'OrderedReady' | 'Parallel' | string;
    updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete' | string; rollingUpdate?: { partition?: number; maxUnavailable?: IntOrString } };
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: RetentionPolicyType | string; whenScaled?: RetentionPolicyType | string };
    ordinals?: { start?: number };
  };
  status?: StatefulSetStatus;
}
