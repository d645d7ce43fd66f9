// Typed views of batch/v1 Job and of the pod fields the job controller reads. Objects travel as
// plain JSON, so everything the wire may omit is optional.
import type { KObject } from '../../api/resource.js';
import type { LabelSelector } from '../../machinery/labels.js';
import type { Pod as BasePod, PodCondition, PodTemplateSpec } from '../util/types.js';

export {
  LABEL_CONTROLLER_UID, LABEL_JOB_NAME, LEGACY_LABEL_CONTROLLER_UID, LEGACY_LABEL_JOB_NAME,
} from '../../api/batch/v1/job.js';

/** Kept on every pod the controller creates until the pod has been counted in the job's status. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** Annotation and label carrying an Indexed job pod's completion index. */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** With backoffLimitPerIndex: failures of this index before this pod, counted and ignored. */
export const JOB_INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
export const JOB_INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';
/** The environment variable an Indexed job's containers read their index from. */
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** spec.managedBy of jobs the built-in controller reconciles. */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

export type JobConditionType = 'Complete' | 'Failed' | 'Suspended' | 'FailureTarget' | 'SuccessCriteriaMet';

export interface JobCondition {
  type: JobConditionType | string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

export interface PodFailurePolicyRule {
  action: 'FailJob' | 'FailIndex' | 'Ignore' | 'Count' | string;
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn' | string; values: number[] };
  onPodConditions?: Array<{ type: string; status?: string }>;
}

export interface SuccessPolicyRule {
  succeededIndexes?: string;
  succeededCount?: number;
}

export interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  activeDeadlineSeconds?: number;
  podFailurePolicy?: { rules: PodFailurePolicyRule[] };
  successPolicy?: { rules: SuccessPolicyRule[] };
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  selector?: LabelSelector;
  manualSelector?: boolean;
  template: PodTemplateSpec;
  ttlSecondsAfterFinished?: number;
  completionMode?: 'NonIndexed' | 'Indexed' | string;
  suspend?: boolean;
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed' | string;
  managedBy?: string;
}

export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  ready?: number;
}

export interface Job extends KObject {
  spec: JobSpec;
  status?: JobStatus;
}

export interface ContainerState {
  running?: { startedAt?: string };
  terminated?: { exitCode: number; reason?: string; finishedAt?: string; startedAt?: string };
  waiting?: { reason?: string };
}

export interface JobPodContainerStatus {
  name?: string;
  restartCount?: number;
  ready?: boolean;
  state?: ContainerState;
}

/** A pod as the job controller reads it: phase, conditions and container exit codes. */
export interface Pod extends BasePod {
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    containerStatuses?: JobPodContainerStatus[];
    initContainerStatuses?: JobPodContainerStatus[];
    [k: string]: unknown;
  };
}

export type { PodCondition, PodTemplateSpec };
