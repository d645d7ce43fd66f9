// Every built-in group/version k8ts serves: the definitions (schemas) and resource declarations.
import type { Definitions } from '../machinery/schema.js';
import type { GroupVersionModule, ResourceDef } from './resource.js';
import * as meta from './meta/v1.js';
import * as core from './core/v1/index.js';
import * as appsV1 from './apps/v1/index.js';
import * as batchV1 from './batch/v1/index.js';
import * as autoscalingV2 from './autoscaling/v2/index.js';
import * as autoscalingV1 from './autoscaling/v1/index.js';
import * as networkingV1 from './networking/v1/index.js';
import * as discoveryV1 from './discovery/v1/index.js';
import * as coordinationV1 from './coordination/v1/index.js';
import * as schedulingV1 from './scheduling/v1/index.js';
import * as policyV1 from './policy/v1/index.js';
import * as rbacV1 from './rbac/v1/index.js';
import * as storageV1 from './storage/v1/index.js';
import * as eventsV1 from './events/v1/index.js';
import * as apiextensionsV1 from './apiextensions/v1/index.js';
import * as authenticationV1 from './authentication/v1/index.js';
import * as authorizationV1 from './authorization/v1/index.js';

const modules: GroupVersionModule[] = [
  { definitions: meta.definitions, resources: [] },
  core,
  appsV1,
  batchV1,
  autoscalingV2,
  autoscalingV1,
  networkingV1,
  discoveryV1,
  coordinationV1,
  schedulingV1,
  policyV1,
  rbacV1,
  storageV1,
  eventsV1,
  apiextensionsV1,
  authenticationV1,
  authorizationV1,
];

export const definitions: Definitions = new Map(modules.flatMap((m) => Object.entries(m.definitions)));
export const builtinResources: ResourceDef[] = modules.flatMap((m) => m.resources);

export * from './resource.js';
export { META } from './meta/v1.js';
