// policy/v1: PodDisruptionBudgets and the Eviction subresource body.
import type { ResourceDef } from '../../resource.js';
import * as pdb from './poddisruptionbudget.js';

export const definitions = { ...pdb.definitions };
export const resources: ResourceDef[] = [pdb.podDisruptionBudgets];
