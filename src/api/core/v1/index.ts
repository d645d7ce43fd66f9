// core/v1 (the legacy group, served under /api/v1).
import * as configmap from './configmap.js';
import type { ResourceDef } from '../../resource.js';

export const definitions = { ...configmap.definitions };
export const resources: ResourceDef[] = [configmap.configMaps];
