// autoscaling/v1: HorizontalPodAutoscaler served from v2 storage, and the Scale subresource body.
import type { ResourceDef } from '../../resource.js';
import * as hpa from './hpa.js';
import * as scale from './scale.js';

export const definitions = { ...hpa.definitions, ...scale.definitions };
export const resources: ResourceDef[] = [hpa.horizontalPodAutoscalersV1];
