// discovery.k8s.io/v1: EndpointSlices.
import type { ResourceDef } from '../../resource.js';
import * as endpointslice from './endpointslice.js';

export const definitions = { ...endpointslice.definitions };
export const resources: ResourceDef[] = [endpointslice.endpointSlices];
