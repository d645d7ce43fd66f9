// scheduling.k8s.io/v1: PriorityClasses.
import type { ResourceDef } from '../../resource.js';
import * as priorityclass from './priorityclass.js';

export const definitions = { ...priorityclass.definitions };
export const resources: ResourceDef[] = [priorityclass.priorityClasses];
