// policy/v1 PodDisruptionBudget: how many pods of an application voluntary disruptions (evictions,
// drains) may take down at once; and Eviction, the body of pods/eviction.
import { enumOf, int32, int64, intOrString, mapOf, ref, obj, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { META } from '../../meta/v1.js';
import { age } from '../../printers.js';
import type { ResourceDef } from '../../resource.js';
import {
  ageColumn, col, conditionList, goIntOrString, invalidRaw, kindSchema, nameColumn, nonNegative, notMoreThan100Percent, o,
  validateLabelSelector, validatePositiveIntOrPercent,
} from '../../apps/v1/common.js';

const P = 'io.k8s.api.policy.v1';
export const PDB = `${P}.PodDisruptionBudget`;
export const EVICTION = `${P}.Eviction`;

export const definitions: Record<string, Schema> = {
  [PDB]: kindSchema('policy', 'v1', 'PodDisruptionBudget', {
    spec: ref(`${P}.PodDisruptionBudgetSpec`, 'The pods protected and how many may be disrupted.'),
    status: ref(`${P}.PodDisruptionBudgetStatus`, 'The most recently observed state, written by the disruption controller.'),
  }, 'Limits how many pods of a set voluntary disruptions (evictions) may take down at a time.'),
  [`${P}.PodDisruptionBudgetSpec`]: obj({
    minAvailable: intOrString('Pods (or percentage) that must stay available after an eviction; excludes maxUnavailable.'),
    selector: ref(META.LabelSelector, 'The pods protected; an empty selector selects every pod of the namespace.'),
    maxUnavailable: intOrString('Pods (or percentage) that may be unavailable after an eviction; excludes minAvailable.'),
    unhealthyPodEvictionPolicy: enumOf(['AlwaysAllow', 'IfHealthyBudget'], 'When running but not ready pods may be evicted: IfHealthyBudget (only while the budget holds) or AlwaysAllow. Default: IfHealthyBudget.'),
  }, 'The desired behaviour of a PodDisruptionBudget.'),
  [`${P}.PodDisruptionBudgetStatus`]: obj({
    observedGeneration: int64('The generation the controller last acted on.'),
    disruptedPods: mapOf(ref(META.Time), 'Pods whose eviction was admitted but which have not yet gone, with the time of admission.'),
    disruptionsAllowed: int32('Evictions allowed now.'),
    currentHealthy: int32('Healthy pods now.'),
    desiredHealthy: int32('Healthy pods wanted at least.'),
    expectedPods: int32('Pods counted by the budget.'),
    conditions: conditionList(ref(META.Condition), 'DisruptionAllowed and others.'),
  }, { description: 'The observed state of a PodDisruptionBudget.', required: ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] }),
  [EVICTION]: kindSchema('policy', 'v1', 'Eviction', {
    deleteOptions: ref(META.DeleteOptions, 'Options for the deletion of the pod.'),
  }, 'A request to evict a pod, honouring disruption budgets (POST to pods/<name>/eviction).'),
};

export const podDisruptionBudgets: ResourceDef = {
  group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget',
  namespaced: true, shortNames: ['pdb'], schemaName: PDB,
  subresources: { status: true },
  validate(pdb) {
    const spec = o(pdb.spec);
    const errs: FieldError[] = [];
    if (spec.minAvailable != null && spec.maxUnavailable != null) {
      errs.push(invalidRaw('spec', `policy.PodDisruptionBudgetSpec{MinAvailable:${goIntOrString(spec.minAvailable)}, MaxUnavailable:${goIntOrString(spec.maxUnavailable)}}`, 'minAvailable and maxUnavailable cannot be both set'));
    }
    for (const k of ['minAvailable', 'maxUnavailable']) {
      errs.push(...validatePositiveIntOrPercent(spec[k], `spec.${k}`));
      errs.push(...notMoreThan100Percent(spec[k], `spec.${k}`));
    }
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (spec.unhealthyPodEvictionPolicy != null && !['AlwaysAllow', 'IfHealthyBudget'].includes(spec.unhealthyPodEvictionPolicy)) {
      errs.push(field.notSupported('spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget']));
    }
    const st = o(pdb.status);
    for (const k of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods', 'observedGeneration']) errs.push(...nonNegative(st[k], `status.${k}`));
    return errs;
  },
  columns: [
    nameColumn,
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  row(pdb, now) {
    const spec = o(pdb.spec);
    return [
      pdb.metadata.name, spec.minAvailable != null ? String(spec.minAvailable) : 'N/A', spec.maxUnavailable != null ? String(spec.maxUnavailable) : 'N/A',
      o(pdb.status).disruptionsAllowed ?? 0, age(pdb.metadata.creationTimestamp, now),
    ];
  },
};
