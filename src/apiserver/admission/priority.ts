// Priority: a pod's spec.priority (and preemptionPolicy) come from its PriorityClass, or from the
// class marked globalDefault when it names none, as kube-apiserver's Priority admission sets them.
import type { KObject } from '../../api/resource.js';
import { SYSTEM_PRIORITY_CLASSES } from '../../api/scheduling/v1/priorityclass.js';
import { errors, StatusError } from '../../machinery/status.js';
import type { Admission } from './types.js';

interface PodSpec { priorityClassName?: string; priority?: number; preemptionPolicy?: string }

export function priority(): Admission {
  return {
    name: 'Priority',
    async mutate(op, def, obj, _old, _ctx, registry) {
      if (op !== 'CREATE' || def.group !== '' || def.plural !== 'pods') return;
      const spec = (obj.spec ??= {}) as PodSpec;
      const pcDef = registry.resources.lookup('scheduling.k8s.io', 'v1', 'priorityclasses');
      if (!pcDef) return;
      let cls: KObject | undefined;
      const name = spec.priorityClassName;
      if (name) {
        try {
          cls = await registry.get(pcDef, '', name);
        } catch (err) {
          if (!(err instanceof StatusError && err.code === 404)) throw err;
          if (name in SYSTEM_PRIORITY_CLASSES) {
            cls = { metadata: { name }, value: SYSTEM_PRIORITY_CLASSES[name], preemptionPolicy: 'PreemptLowerPriority' };
          } else {
            throw errors.forbidden(`pods "${obj.metadata.name ?? ''}" is forbidden: no PriorityClass with name ${name} was found`);
          }
        }
      } else {
        cls = (await registry.list(pcDef, '')).items.find((c) => (c as { globalDefault?: boolean }).globalDefault === true);
        if (cls) spec.priorityClassName = cls.metadata.name;
      }
      const value = (cls as { value?: number } | undefined)?.value ?? 0;
      if (spec.priority !== undefined && spec.priority !== value) {
        throw errors.forbidden(`pods "${obj.metadata.name ?? ''}" is forbidden: the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
      }
      spec.priority = value;
      spec.preemptionPolicy = (cls as { preemptionPolicy?: string } | undefined)?.preemptionPolicy ?? spec.preemptionPolicy ?? 'PreemptLowerPriority';
    },
  };
}
