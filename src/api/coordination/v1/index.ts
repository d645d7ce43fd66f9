// coordination.k8s.io/v1: Leases.
import type { ResourceDef } from '../../resource.js';
import * as lease from './lease.js';

export const definitions = { ...lease.definitions };
export const resources: ResourceDef[] = [lease.leases];
