// apiextensions.k8s.io/v1: CustomResourceDefinitions.
import type { ResourceDef } from '../../resource.js';
import * as defs from './definitions.js';
import * as crd from './customresourcedefinition.js';

export const definitions = { ...defs.definitions };
export const resources: ResourceDef[] = [crd.customResourceDefinitions];
