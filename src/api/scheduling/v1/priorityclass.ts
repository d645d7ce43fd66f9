// scheduling.k8s.io/v1 PriorityClass: a named pod priority, used for scheduling order and preemption.
import { bool, enumOf, int32, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { age } from '../../printers.js';
import type { ResourceDef } from '../../resource.js';
import { ageColumn, col, immutable, kindSchema, nameColumn } from '../../apps/v1/common.js';

export const PRIORITY_CLASS = 'io.k8s.api.scheduling.v1.PriorityClass';

/** Highest value a user-defined class may have; above it only the built-in system classes. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-cluster-critical': SYSTEM_CRITICAL_PRIORITY,
  'system-node-critical': SYSTEM_CRITICAL_PRIORITY + 1000,
};

export const definitions: Record<string, Schema> = {
  [PRIORITY_CLASS]: kindSchema('scheduling.k8s.io', 'v1', 'PriorityClass', {
    value: int32('The priority pods of this class get; higher schedules first and may preempt lower. At most 1000000000 for user classes.'),
    globalDefault: bool('Whether pods without a priorityClassName get this class; only one class may be the default.'),
    description: str('What the class is for.'),
    preemptionPolicy: enumOf(['Never', 'PreemptLowerPriority'], 'PreemptLowerPriority or Never. Defaults to PreemptLowerPriority.'),
  }, 'Maps a class name to a pod priority.', ['value']),
};

function systemClassError(name: string, value: unknown, globalDefault: unknown): string | undefined {
  const want = SYSTEM_PRIORITY_CLASSES[name];
  if (want === undefined) return `${name} is not a known system priority class`;
  if (value !== want) return `value of ${name} PriorityClass must be ${want}`;
  if (globalDefault === true) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

export const priorityClasses: ResourceDef = {
  group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', singular: 'priorityclass',
  namespaced: false, shortNames: ['pc'], schemaName: PRIORITY_CLASS,
  defaults(pc) {
    pc.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  validate(pc, { old }) {
    const errs: FieldError[] = [];
    const name = pc.metadata.name ?? '';
    if (!old) {
      if (name.startsWith('system-')) {
        const why = systemClassError(name, pc.value, pc.globalDefault);
        if (why) errs.push(field.forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
      } else if (typeof pc.value === 'number' && pc.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
        errs.push(field.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
      }
    } else if (pc.value !== old.value) {
      errs.push(field.forbidden('value', 'may not be changed in an update.'));
    }
    if (pc.preemptionPolicy != null && pc.preemptionPolicy !== 'Never' && pc.preemptionPolicy !== 'PreemptLowerPriority') {
      errs.push(field.notSupported('preemptionPolicy', pc.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
    }
    if (old) errs.push(...immutable(pc.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
    return errs;
  },
  columns: [
    nameColumn,
    col('Value', 'integer', 'Value is the integer value of this priority class.'),
    col('Global-Default', 'boolean', 'GlobalDefault specifies whether this PriorityClass should be considered as the default priority.'),
    ageColumn,
    col('PreemptionPolicy', 'string', 'PreemptionPolicy is the policy for preempting pods with lower priority.'),
  ],
  row: (pc, now) => [pc.metadata.name, pc.value ?? 0, pc.globalDefault === true, age(pc.metadata.creationTimestamp, now), pc.preemptionPolicy ?? ''],
};
