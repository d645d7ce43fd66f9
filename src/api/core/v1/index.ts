// core/v1 (the legacy group, served under /api/v1).
import type { Schema } from '../../../machinery/schema.js';
import type { ResourceDef } from '../../resource.js';
import * as common from './common.js';
import * as container from './container.js';
import * as volume from './volume.js';
import * as affinity from './affinity.js';
import * as podSpec from './pod-spec.js';
import * as podStatus from './pod-status.js';
import * as pod from './pod.js';
import * as podtemplate from './podtemplate.js';
import * as configmap from './configmap.js';
import * as pvc from './persistentvolumeclaim.js';
import * as rc from './replicationcontroller.js';

export const definitions: Record<string, Schema> = {
  ...common.definitions,
  ...container.definitions,
  ...volume.definitions,
  ...affinity.definitions,
  ...podSpec.definitions,
  ...podStatus.definitions,
  ...pod.definitions,
  ...podtemplate.definitions,
  ...configmap.definitions,
  ...pvc.definitions,
  ...rc.definitions,
};

export const resources: ResourceDef[] = [
  pod.pods,
  podtemplate.podTemplates,
  configmap.configMaps,
  pvc.persistentVolumeClaims,
  rc.replicationControllers,
];

// What other groups build on: apps and batch embed pod templates.
export { defaultPodSpec, defaultPodTemplateSpec, defaultPod } from './pod-defaults.js';
export { validatePodSpec, validatePodTemplateSpec, validateNodeSelector, validateTolerations } from './pod-validation.js';
export { podQOSClass, podStatusCells } from './pod.js';
export { POD_SPEC, POD_TEMPLATE_SPEC } from './pod-spec.js';
