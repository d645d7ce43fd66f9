// The parts of apps/v1 DaemonSet and core/v1 Node the DaemonSet controller reads and writes, and
// the labels and annotations it uses.
import type { KObject } from '../../api/resource.js';
import type { LabelSelector } from '../../machinery/labels.js';
import type { Taint, Toleration } from '../nodelifecycle/types.js';
import type { IntOrString, Pod, PodTemplateSpec } from '../util/types.js';
import type { NodeSelectorRequirement, NodeSelectorTerm } from '../../api/core/v1/node-selector.js';

export type { Pod, PodTemplateSpec, Taint, Toleration };

/** The hash of the template a pod was made from (apps.DefaultDaemonSetUniqueLabelKey). */
export const HASH_LABEL = 'controller-revision-hash';
/** The deprecated templateGeneration a pod was made from (extensions.DaemonSetTemplateGenerationKey). */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** Where the API server keeps the deprecated spec.templateGeneration. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export type { NodeSelectorRequirement, NodeSelectorTerm };

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] } | null;
    [k: string]: unknown;
  } | null;
  [k: string]: unknown;
}

/** The pod spec fields that decide where a daemon pod may run. */
export interface DaemonPodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity | null;
  tolerations?: Toleration[];
  hostNetwork?: boolean;
  [k: string]: unknown;
}

export interface Node extends KObject {
  spec?: { taints?: Taint[]; unschedulable?: boolean; [k: string]: unknown };
  status?: { conditions?: Array<{ type: string; status: string }>; [k: string]: unknown };
}

export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: unknown[];
}

export interface DaemonSet extends KObject {
  spec: {
    selector?: LabelSelector;
    template: PodTemplateSpec;
    updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete' | string; rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: DaemonSetStatus;
}
