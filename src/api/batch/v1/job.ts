// batch/v1 Job: pods that run to completion, retried on failure up to a limit.
import { bool, enumOf, int32, int64, list, obj, ref, set, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1123Label, validateQualifiedName } from '../../../machinery/names.js';
import { META } from '../../meta/v1.js';
import { age, humanDuration } from '../../printers.js';
import type { KObject, ResourceDef } from '../../resource.js';
import {
  ageColumn, arr, col, containerCells, containersColumn, deepEqual, goLabelSelector, goStringMap, imagesColumn, immutable,
  invalidRaw, isDomainPrefixedPath, isObj, kindSchema, nameColumn, nonNegative, o, selectorColumn, selectorMatches, selectorString, tooMany,
  validateLabelSelector, type Obj,
} from '../../apps/v1/common.js';
import { defaultTemplate, validateTemplate } from '../../apps/v1/pod-template.js';

const B = 'io.k8s.api.batch.v1';
export const JOB = `${B}.Job`;

/** Job conditions are atomic in apply but merged by type in strategic merge patch. */
const jobConditions: Schema = {
  type: 'array', items: ref(`${B}.JobCondition`), 'x-kubernetes-list-type': 'atomic',
  'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'type',
  description: 'Latest observations: Complete, Failed, Suspended, FailureTarget, SuccessCriteriaMet.',
};

export const definitions: Record<string, Schema> = {
  [JOB]: kindSchema('batch', 'v1', 'Job', {
    spec: ref(`${B}.JobSpec`, 'What the job runs and when it is done.'),
    status: ref(`${B}.JobStatus`, 'The most recently observed state, written by the job controller.'),
  }, 'Runs pods until a given number of them complete successfully.'),
  [`${B}.JobSpec`]: obj({
    parallelism: int32('Most pods running at once. Defaults to 1.'),
    completions: int32('Successful pods needed; unset means any one success finishes the job (work queue). Defaults to 1 when parallelism is unset too.'),
    activeDeadlineSeconds: int64('Seconds the job may be active before it is failed (DeadlineExceeded).'),
    podFailurePolicy: ref(`${B}.PodFailurePolicy`, 'Rules deciding what a pod failure means for the job (needs restartPolicy Never).'),
    successPolicy: ref(`${B}.SuccessPolicy`, 'When an Indexed job counts as succeeded before all indexes finish.'),
    backoffLimit: int32('Retries before the job is failed. Defaults to 6.'),
    backoffLimitPerIndex: int32('Retries per index of an Indexed job before that index is failed.'),
    maxFailedIndexes: int32('Failed indexes allowed before the whole Indexed job is failed (with backoffLimitPerIndex).'),
    selector: ref(META.LabelSelector, 'Label query over the pods; generated from the job\'s uid unless manualSelector is true.'),
    manualSelector: bool('True to set the selector by hand instead of having it generated. Defaults to false.'),
    template: ref('io.k8s.api.core.v1.PodTemplateSpec', 'The pods to run. restartPolicy must be OnFailure or Never.'),
    ttlSecondsAfterFinished: int32('Seconds after finishing before the job is deleted automatically.'),
    completionMode: enumOf(['NonIndexed', 'Indexed'], 'NonIndexed (any completions count) or Indexed (each index 0..completions-1 must succeed once). Defaults to NonIndexed.'),
    suspend: bool('While true no pods are created and running ones are terminated. Defaults to false.'),
    podReplacementPolicy: enumOf(['TerminatingOrFailed', 'Failed'], 'When a replacement pod is created: as soon as the old one is terminating, or only once it has failed. Defaults to TerminatingOrFailed, or Failed with a podFailurePolicy.'),
    managedBy: str('The controller that reconciles the job; kubernetes.io/job-controller (or unset) for the built-in one. Immutable.'),
  }, { description: 'The desired behaviour of a Job.', required: ['template'] }),
  [`${B}.PodFailurePolicy`]: obj({
    rules: list(ref(`${B}.PodFailurePolicyRule`), 'Rules evaluated in order; the first that matches a failed pod decides.'),
  }, { description: 'How failed pods affect the job.', required: ['rules'] }),
  [`${B}.PodFailurePolicyRule`]: obj({
    action: enumOf(['FailJob', 'FailIndex', 'Ignore', 'Count'], 'FailJob, FailIndex, Ignore (not counted towards backoffLimit) or Count.'),
    onExitCodes: ref(`${B}.PodFailurePolicyOnExitCodesRequirement`, 'Matches pods by container exit codes.'),
    onPodConditions: list(ref(`${B}.PodFailurePolicyOnPodConditionsPattern`), 'Matches pods by their conditions, e.g. DisruptionTarget.'),
  }, { description: 'One rule of a pod failure policy; exactly one of onExitCodes and onPodConditions.', required: ['action'] }),
  [`${B}.PodFailurePolicyOnExitCodesRequirement`]: obj({
    containerName: str('Only this container\'s exit code is checked; default: all containers.'),
    operator: enumOf(['In', 'NotIn'], 'In or NotIn the values.'),
    values: set(int32(), 'Exit codes, ordered, without duplicates; 0 is not allowed with In.'),
  }, { description: 'Matches a failed pod by the exit codes of its terminated containers.', required: ['operator', 'values'] }),
  [`${B}.PodFailurePolicyOnPodConditionsPattern`]: obj({
    type: str('Pod condition type, e.g. DisruptionTarget.'),
    status: str('Condition status to match. Defaults to True.'),
  }, { description: 'Matches a failed pod by one of its conditions.', required: ['type'] }),
  [`${B}.SuccessPolicy`]: obj({
    rules: list(ref(`${B}.SuccessPolicyRule`), 'Any rule met makes the job succeed.'),
  }, { description: 'When an Indexed job is declared succeeded.', required: ['rules'] }),
  [`${B}.SuccessPolicyRule`]: obj({
    succeededIndexes: str('Indexes that must succeed, as intervals: "1,3-5,7".'),
    succeededCount: int32('How many of succeededIndexes (or of all indexes) must succeed.'),
  }, 'One success criterion of an Indexed job.'),
  [`${B}.JobStatus`]: obj({
    conditions: jobConditions,
    startTime: ref(META.Time, 'When the job controller started processing the job.'),
    completionTime: ref(META.Time, 'When the job completed; set only for successful jobs.'),
    active: int32('Pods pending or running (not terminating).'),
    succeeded: int32('Pods that succeeded.'),
    failed: int32('Pods that failed.'),
    terminating: int32('Pods terminating (with a deletion timestamp).'),
    completedIndexes: str('Completed indexes of an Indexed job, as intervals: "1,3-5,7".'),
    failedIndexes: str('Failed indexes when backoffLimitPerIndex is set, as intervals.'),
    uncountedTerminatedPods: ref(`${B}.UncountedTerminatedPods`, 'Finished pods the controller has not yet counted.'),
    ready: int32('Active pods with a Ready condition.'),
  }, 'The observed state of a Job.'),
  [`${B}.UncountedTerminatedPods`]: obj({
    succeeded: set(str(), 'UIDs of succeeded pods.'),
    failed: set(str(), 'UIDs of failed pods.'),
  }, 'UIDs of finished pods not yet counted in the status counters.'),
  [`${B}.JobCondition`]: obj({
    type: str('Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet.'),
    status: str('True, False or Unknown.'),
    lastProbeTime: ref(META.Time, 'Last time the condition was checked.'),
    lastTransitionTime: ref(META.Time, 'Last time the status changed.'),
    reason: str('One-word CamelCase reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  }, { description: 'One observation of a Job.', required: ['type', 'status'] }),
};

export const LABEL_CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
export const LABEL_JOB_NAME = 'batch.kubernetes.io/job-name';
export const LEGACY_LABEL_CONTROLLER_UID = 'controller-uid';
export const LEGACY_LABEL_JOB_NAME = 'job-name';

const INT32_MAX = 2147483647;
const MAX_PARALLELISM_INDEXED = 100_000;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10_000;
const MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000;
const MAX_POD_FAILURE_POLICY_RULES = 20;
const MAX_ON_POD_CONDITIONS = 20;
const MAX_EXIT_CODE_VALUES = 255;
const MAX_SUCCESS_POLICY_RULES = 20;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const MAX_MANAGED_BY_LENGTH = 63;

/** SetDefaults_Job, for a Job's spec or (without the object-level parts) a CronJob's jobTemplate. */
export function defaultJobSpec(spec: Obj): void {
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex != null ? INT32_MAX : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of arr(o(spec.podFailurePolicy).rules)) {
    for (const pattern of arr(o(rule).onPodConditions)) if (isObj(pattern) && !pattern.status) pattern.status = 'True';
  }
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
}

export function defaultJob(job: KObject): void {
  const spec = (job.spec ??= {}) as Obj;
  defaultJobSpec(spec);
  const tpl = (spec.template ??= {}) as Obj;
  const labels = o(tpl.metadata).labels;
  if (isObj(labels) && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...labels };
  defaultTemplate(tpl);
}

/**
 * Generates the selector and pod labels of a job without manualSelector: the pods are labelled
 * with the job's uid and name, and the selector picks them by uid. Needs metadata.uid.
 */
export function generateJobSelector(job: KObject): void {
  const spec = (job.spec ??= {}) as Obj;
  if (spec.manualSelector === true) return;
  const tpl = (spec.template ??= {}) as Obj;
  const meta = (tpl.metadata ??= {}) as Obj;
  const labels = (meta.labels ??= {}) as Record<string, string>;
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  for (const k of [LEGACY_LABEL_JOB_NAME, LABEL_JOB_NAME]) if (!(k in labels)) labels[k] = name;
  for (const k of [LEGACY_LABEL_CONTROLLER_UID, LABEL_CONTROLLER_UID]) if (!(k in labels)) labels[k] = uid;
  const sel = (spec.selector ??= {}) as Obj;
  const ml = (sel.matchLabels ??= {}) as Record<string, string>;
  if (!(LABEL_CONTROLLER_UID in ml)) ml[LABEL_CONTROLLER_UID] = uid;
}

function hasLabel(meta: Obj, path: string, key: string, expected: string): FieldError[] {
  const labels = o(meta.labels);
  const p = `${path}.labels[${key}]`;
  if (!(key in labels)) return [field.required(p, `must be '${expected}'`)];
  if (labels[key] !== expected) return [field.invalid(p, labels[key], `must be '${expected}'`)];
  return [];
}

/** A generated selector must still select by uid and the pods carry the generated labels. */
function validateGeneratedSelector(job: KObject): FieldError[] {
  const spec = o(job.spec);
  if (spec.manualSelector === true || !isObj(spec.selector)) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  if (!uid) errs.push(field.required('metadata.uid'));
  const tmeta = o(o(spec.template).metadata);
  const path = 'spec.template.metadata';
  errs.push(...hasLabel(tmeta, path, LEGACY_LABEL_CONTROLLER_UID, uid));
  errs.push(...hasLabel(tmeta, path, LEGACY_LABEL_JOB_NAME, name));
  errs.push(...hasLabel(tmeta, path, LABEL_CONTROLLER_UID, uid));
  errs.push(...hasLabel(tmeta, path, LABEL_JOB_NAME, name));
  const expected = { [LABEL_CONTROLLER_UID]: uid, [LABEL_JOB_NAME]: name, [LEGACY_LABEL_CONTROLLER_UID]: uid, [LEGACY_LABEL_JOB_NAME]: name };
  if (selectorMatches(spec.selector, expected) === false) {
    errs.push(invalidRaw('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  }
  return errs;
}

/** "1,3-5,7": sorted, non-overlapping intervals below `completions`; returns how many indexes. */
export function parseIndexes(s: string, completions: number): number {
  if (s === '') return 0;
  let last: number | undefined;
  let total = 0;
  for (const interval of s.split(',')) {
    const parts = interval.split('-');
    if (parts.length > 2) throw new Error(`the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'`);
    const num = (t: string) => {
      if (!/^[+-]?\d+$/.test(t)) throw new Error(`cannot convert string to integer for index: ${JSON.stringify(t)}`);
      return parseInt(t, 10);
    };
    const x = num(parts[0]);
    if (x >= completions) throw new Error(`too large index: ${JSON.stringify(parts[0])}`);
    let y = x;
    if (parts.length === 2) {
      y = num(parts[1]);
      if (y >= completions) throw new Error(`too large index: ${JSON.stringify(parts[1])}`);
      if (x >= y) throw new Error(`non-increasing order, previous: ${x}, current: ${y}`);
    }
    if (last !== undefined && last >= x) throw new Error(`non-increasing order, previous: ${last}, current: ${x}`);
    total += y - x + 1;
    last = y;
  }
  return total;
}

function validatePodFailurePolicy(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules = arr(o(spec.podFailurePolicy).rules);
  const rulesPath = `${path}.rules`;
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) errs.push(tooMany(rulesPath, rules.length, MAX_POD_FAILURE_POLICY_RULES));
  const podSpec = o(o(spec.template).spec);
  const containerNames = new Set([...arr(podSpec.containers), ...arr(podSpec.initContainers)].map((c) => o(c).name));
  const actions = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
  rules.forEach((r, i) => {
    const rule = o(r);
    const rp = `${rulesPath}[${i}]`;
    if (!rule.action) errs.push(field.required(`${rp}.action`, `valid values: ${JSON.stringify(actions).replace(/,/g, ' ')}`));
    else if (rule.action === 'FailIndex') {
      if (spec.backoffLimitPerIndex == null) errs.push(field.invalid(`${rp}.action`, rule.action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!actions.includes(rule.action)) errs.push(field.notSupported(`${rp}.action`, rule.action, actions));
    const conds = arr(rule.onPodConditions);
    if (isObj(rule.onExitCodes)) {
      const ec = rule.onExitCodes;
      const ep = `${rp}.onExitCodes`;
      if (!ec.operator) errs.push(field.required(`${ep}.operator`, 'valid values: ["In" "NotIn"]'));
      else if (ec.operator !== 'In' && ec.operator !== 'NotIn') errs.push(field.notSupported(`${ep}.operator`, ec.operator, ['In', 'NotIn']));
      if (ec.containerName != null && !containerNames.has(ec.containerName)) {
        errs.push(field.invalid(`${ep}.containerName`, ec.containerName, 'must be one of the container or initContainer names in the pod template'));
      }
      const values = arr(ec.values);
      if (values.length === 0) errs.push(invalidRaw(`${ep}.values`, '[]int32(nil)', 'at least one value is required'));
      else if (values.length > MAX_EXIT_CODE_VALUES) errs.push(tooMany(`${ep}.values`, values.length, MAX_EXIT_CODE_VALUES));
      const seen = new Set<number>();
      let ordered = true;
      values.forEach((v, j) => {
        if (ec.operator === 'In' && v === 0) errs.push(field.invalid(`${ep}.values[${j}]`, v, 'must not be 0 for the In operator'));
        if (seen.has(v)) errs.push(field.duplicate(`${ep}.values[${j}]`, v));
        else seen.add(v);
        if (j > 0 && values[j - 1] > v) ordered = false;
      });
      if (!ordered) errs.push(invalidRaw(`${ep}.values`, `[]int32{${values.join(', ')}}`, 'must be ordered'));
    }
    if (conds.length > 0) {
      const cp = `${rp}.onPodConditions`;
      if (conds.length > MAX_ON_POD_CONDITIONS) errs.push(tooMany(cp, conds.length, MAX_ON_POD_CONDITIONS));
      conds.forEach((c, j) => {
        const pat = o(c);
        for (const msg of validateQualifiedName(String(pat.type ?? ''))) errs.push(field.invalid(`${cp}[${j}].type`, pat.type ?? '', msg));
        if (!pat.status) errs.push(field.required(`${cp}[${j}].status`, 'valid values: ["False" "True" "Unknown"]'));
        else if (!['True', 'False', 'Unknown'].includes(pat.status)) errs.push(field.notSupported(`${cp}[${j}].status`, pat.status, ['False', 'True', 'Unknown']));
      });
    }
    if (isObj(rule.onExitCodes) && conds.length > 0) errs.push({ type: 'FieldValueInvalid', field: rp, message: 'Invalid value: specifying both OnExitCodes and OnPodConditions is not supported' });
    if (!isObj(rule.onExitCodes) && conds.length === 0) errs.push({ type: 'FieldValueInvalid', field: rp, message: 'Invalid value: specifying one of OnExitCodes and OnPodConditions is required' });
  });
  return errs;
}

function validateSuccessPolicy(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules = arr(o(spec.successPolicy).rules);
  const rp = `${path}.rules`;
  if (rules.length === 0) errs.push(field.required(rp, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_POLICY_RULES) errs.push(tooMany(rp, rules.length, MAX_SUCCESS_POLICY_RULES));
  const completions = typeof spec.completions === 'number' ? spec.completions : 0;
  rules.forEach((r, i) => {
    const rule = o(r);
    const p = `${rp}[${i}]`;
    if (rule.succeededCount == null && rule.succeededIndexes == null) errs.push(field.required(p, 'at least one of succeededCount or succeededIndexes must be specified'));
    let total = 0;
    if (typeof rule.succeededIndexes === 'string') {
      if (rule.succeededIndexes.length > MAX_SUCCEEDED_INDEXES_LENGTH) errs.push(field.tooLong(`${p}.succeededIndexes`, MAX_SUCCEEDED_INDEXES_LENGTH));
      try {
        total = parseIndexes(rule.succeededIndexes, completions);
      } catch (e) {
        errs.push(field.invalid(`${p}.succeededIndexes`, rule.succeededIndexes, `error parsing succeededIndexes: ${(e as Error).message}`));
      }
    }
    if (typeof rule.succeededCount === 'number') {
      const cp = `${p}.succeededCount`;
      errs.push(...nonNegative(rule.succeededCount, cp));
      if (rule.succeededCount > completions) errs.push(field.invalid(cp, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
      if (rule.succeededIndexes != null && rule.succeededCount > total) {
        errs.push(field.invalid(cp, rule.succeededCount, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
      }
    }
  });
  return errs;
}

/** validateJobSpec: the checks a Job and a CronJob's jobTemplate share. */
export function validateJobSpecFields(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex']) {
    errs.push(...nonNegative(spec[k], `${path}.${k}`));
  }
  if (spec.maxFailedIndexes != null) {
    errs.push(...nonNegative(spec.maxFailedIndexes, `${path}.maxFailedIndexes`));
    if (spec.backoffLimitPerIndex == null) errs.push(field.required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (spec.managedBy != null) {
    const mb = String(spec.managedBy);
    errs.push(...isDomainPrefixedPath(mb, `${path}.managedBy`));
    if (mb.length > MAX_MANAGED_BY_LENGTH) errs.push(field.tooLong(`${path}.managedBy`, MAX_MANAGED_BY_LENGTH));
  }
  const indexed = spec.completionMode === 'Indexed';
  if (spec.completionMode != null) {
    if (spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
      errs.push(field.notSupported(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
    }
    if (indexed) {
      if (spec.completions == null) errs.push(field.required(`${path}.completions`, 'when completion mode is Indexed'));
      if (typeof spec.parallelism === 'number' && spec.parallelism > MAX_PARALLELISM_INDEXED) {
        errs.push(field.invalid(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
      }
      if (typeof spec.completions === 'number' && typeof spec.maxFailedIndexes === 'number' && spec.maxFailedIndexes > spec.completions) {
        errs.push(field.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'must be less than or equal to completions'));
      }
      if (typeof spec.maxFailedIndexes === 'number' && spec.maxFailedIndexes > MAX_FAILED_INDEXES) {
        errs.push(field.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
      }
      if (typeof spec.completions === 'number' && spec.completions > COMPLETIONS_SOFT_LIMIT && spec.backoffLimitPerIndex != null) {
        if (spec.maxFailedIndexes == null) errs.push(field.required(`${path}.maxFailedIndexes`, `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
        if (typeof spec.parallelism === 'number' && spec.parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
          errs.push(field.invalid(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_HIGH_COMPLETIONS} when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`));
        }
        if (typeof spec.maxFailedIndexes === 'number' && spec.maxFailedIndexes > MAX_FAILED_INDEXES_HIGH_COMPLETIONS) {
          errs.push(field.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_HIGH_COMPLETIONS} when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`));
        }
      }
    }
  }
  if (!indexed) {
    if (spec.backoffLimitPerIndex != null) errs.push(field.invalid(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes != null) errs.push(field.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy != null) errs.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  if (spec.successPolicy != null) {
    if (!indexed) errs.push(invalidRaw(`${path}.successPolicy`, 'batch.SuccessPolicy{...}', 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(spec, `${path}.successPolicy`));
  }
  if (spec.podReplacementPolicy != null) {
    if (spec.podFailurePolicy != null) {
      if (spec.podReplacementPolicy !== 'Failed') errs.push(field.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed']));
    } else if (spec.podReplacementPolicy !== 'Failed' && spec.podReplacementPolicy !== 'TerminatingOrFailed') {
      errs.push(field.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
    }
  }
  errs.push(...validateTemplate(spec.template, `${path}.template`));
  const restart = o(o(spec.template).spec).restartPolicy;
  const rp = `${path}.template.spec.restartPolicy`;
  if (restart === 'Always' || !restart) errs.push(field.required(rp, 'valid values: "OnFailure", "Never"'));
  else if (restart !== 'OnFailure' && restart !== 'Never') errs.push(field.notSupported(rp, restart, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy != null && restart !== 'Never') errs.push(field.invalid(rp, restart, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

function validateJobSpec(spec: Obj): FieldError[] {
  const errs = validateJobSpecFields(spec, 'spec');
  if (spec.selector == null) errs.push(field.required('spec.selector'));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const labels = o(spec.template).metadata?.labels;
  const matches = spec.selector == null ? false : selectorMatches(spec.selector, labels);
  if (matches === false) errs.push(invalidRaw('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  return errs;
}

/** Pod scheduling directives a suspended, never-started job may still change. */
function templateForComparison(tpl: Obj, other: Obj, mutableScheduling: boolean): Obj {
  if (!mutableScheduling) return tpl;
  const copy = structuredClone(tpl) as Obj;
  const spec = (copy.spec ??= {}) as Obj;
  const newSpec = o(other.spec);
  const meta = (copy.metadata ??= {}) as Obj;
  const newMeta = o(other.metadata);
  if (newSpec.affinity == null && spec.affinity != null) {
    delete spec.affinity.nodeAffinity;
    if (Object.keys(spec.affinity).length === 0) delete spec.affinity;
  } else if (newSpec.affinity != null && spec.affinity == null) {
    spec.affinity = newSpec.affinity.nodeAffinity != null ? { nodeAffinity: newSpec.affinity.nodeAffinity } : {};
  } else if (newSpec.affinity != null && spec.affinity != null) {
    if (newSpec.affinity.nodeAffinity === undefined) delete spec.affinity.nodeAffinity;
    else spec.affinity.nodeAffinity = newSpec.affinity.nodeAffinity;
  }
  for (const k of ['nodeSelector', 'tolerations', 'schedulingGates']) {
    if (newSpec[k] === undefined) delete spec[k];
    else spec[k] = newSpec[k];
  }
  for (const k of ['annotations', 'labels']) {
    if (newMeta[k] === undefined) delete meta[k];
    else meta[k] = newMeta[k];
  }
  return copy;
}

function validateJobUpdate(job: KObject, old: KObject): FieldError[] {
  const spec = o(job.spec);
  const oldSpec = o(old.spec);
  const errs: FieldError[] = [];
  // Completions may change only for Indexed jobs, together with parallelism (elastic indexed jobs).
  if (spec.completionMode === 'Indexed') {
    if (!deepEqual(spec.completions ?? null, oldSpec.completions ?? null) && spec.completions != null && spec.completions !== spec.parallelism) {
      errs.push(field.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  } else {
    errs.push(...immutable(spec.completions, oldSpec.completions, 'spec.completions'));
  }
  errs.push(...immutable(spec.selector, oldSpec.selector, 'spec.selector', goLabelSelector));
  const mutableScheduling = oldSpec.suspend === true && o(old.status).startTime == null;
  const tpl = o(spec.template);
  const oldTpl = templateForComparison(o(oldSpec.template), tpl, mutableScheduling);
  errs.push(...immutable(tpl, oldTpl, 'spec.template', () => 'core.PodTemplateSpec{...}'));
  errs.push(...immutable(spec.completionMode, oldSpec.completionMode, 'spec.completionMode'));
  errs.push(...immutable(spec.podFailurePolicy, oldSpec.podFailurePolicy, 'spec.podFailurePolicy', () => 'batch.PodFailurePolicy{...}'));
  errs.push(...immutable(spec.backoffLimitPerIndex, oldSpec.backoffLimitPerIndex, 'spec.backoffLimitPerIndex'));
  errs.push(...immutable(spec.managedBy, oldSpec.managedBy, 'spec.managedBy'));
  errs.push(...immutable(spec.successPolicy, oldSpec.successPolicy, 'spec.successPolicy', () => 'batch.SuccessPolicy{...}'));
  return errs;
}

function validateJobStatus(job: KObject): FieldError[] {
  const s = o(job.status);
  const errs: FieldError[] = [];
  for (const k of ['active', 'succeeded', 'failed', 'ready', 'terminating']) errs.push(...nonNegative(s[k], `status.${k}`));
  const u = o(s.uncountedTerminatedPods);
  const seen = new Set<string>();
  for (const k of ['succeeded', 'failed']) {
    arr(u[k]).forEach((uid, i) => {
      const p = `status.uncountedTerminatedPods.${k}[${i}]`;
      if (uid === '') errs.push(field.invalid(p, uid, 'must not be empty'));
      else if (seen.has(uid)) errs.push(field.duplicate(p, uid));
      else seen.add(uid);
    });
  }
  return errs;
}

export function validateJob(job: KObject, old?: KObject): FieldError[] {
  const spec = o(job.spec);
  const errs: FieldError[] = [];
  if (!old) errs.push(...validateGeneratedSelector(job));
  errs.push(...validateJobSpec(spec));
  if (!old && spec.completionMode === 'Indexed' && typeof spec.completions === 'number' && spec.completions > 0) {
    const hostname = `${job.metadata.name}-${spec.completions - 1}`;
    if (validateDNS1123Label(hostname).length > 0) {
      errs.push(field.invalid('metadata.name', job.metadata.name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  if (old) errs.push(...validateJobUpdate(job, old));
  errs.push(...validateJobStatus(job));
  return errs;
}

function hasCondition(job: KObject, type: string): boolean {
  return arr(o(job.status).conditions).some((c) => o(c).type === type && o(c).status === 'True');
}

/** The STATUS column of `kubectl get jobs` (v1.32). */
export function jobStatus(job: KObject): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completionsCell(spec: Obj, succeeded: number): string {
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationCell(status: Obj, now: number): string {
  if (!status.startTime) return '';
  const start = Date.parse(status.startTime);
  const end = status.completionTime ? Date.parse(status.completionTime) : now;
  return humanDuration(end - start);
}

export const jobs: ResourceDef = {
  group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', singular: 'job',
  namespaced: true, categories: ['all'], schemaName: JOB,
  subresources: { status: true },
  defaults: defaultJob,
  prepareForCreate(job) {
    generateJobSelector(job);
    // Kubernetes copies the template's labels onto an unlabelled job when it reads it back; the
    // template now carries the generated ones, so the job does too.
    const labels = o(o(o(job.spec).template).metadata).labels;
    if (isObj(labels) && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...labels };
  },
  validate: (job, { old }) => validateJob(job, old),
  columns: [
    nameColumn,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'The completion status of the job.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageColumn, containersColumn, imagesColumn, selectorColumn,
  ],
  row(job, now) {
    const spec = o(job.spec);
    const status = o(job.status);
    const [containers, images] = containerCells(spec.template);
    return [
      job.metadata.name, jobStatus(job), completionsCell(spec, status.succeeded ?? 0), durationCell(status, now),
      age(job.metadata.creationTimestamp, now), containers, images, selectorString(spec.selector),
    ];
  },
};
