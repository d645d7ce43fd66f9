// autoscaling/v2: the HorizontalPodAutoscaler's storage version.
import type { ResourceDef } from '../../resource.js';
import * as hpa from './hpa.js';

export const definitions = { ...hpa.definitions };
export const resources: ResourceDef[] = [hpa.horizontalPodAutoscalersV2];
