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
import * as secret from './secret.js';
import * as service from './service.js';
import * as endpoints from './endpoints.js';
import * as serviceaccount from './serviceaccount.js';
import * as namespace from './namespace.js';
import * as node from './node.js';
import * as event from './event.js';
import * as pv from './persistentvolume.js';
import * as pvc from './persistentvolumeclaim.js';
import * as resourcequota from './resourcequota.js';
import * as limitrange from './limitrange.js';
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
  ...secret.definitions,
  ...service.definitions,
  ...endpoints.definitions,
  ...serviceaccount.definitions,
  ...namespace.definitions,
  ...node.definitions,
  ...event.definitions,
  ...pv.definitions,
  ...pvc.definitions,
  ...resourcequota.definitions,
  ...limitrange.definitions,
  ...rc.definitions,
};

/** In the order kube-apiserver lists them in discovery. */
export const resources: ResourceDef[] = [
  configmap.configMaps,
  endpoints.endpoints,
  event.events,
  limitrange.limitRanges,
  namespace.namespaces,
  node.nodes,
  pvc.persistentVolumeClaims,
  pv.persistentVolumes,
  pod.pods,
  podtemplate.podTemplates,
  rc.replicationControllers,
  resourcequota.resourceQuotas,
  secret.secrets,
  serviceaccount.serviceAccounts,
  service.services,
];

// What other groups and components build on.
export { defaultPodSpec, defaultPodTemplateSpec, defaultPod, defaultPersistentVolumeClaimSpec } from './pod-defaults.js';
export { validatePodSpec, validatePodTemplateSpec, validateNodeSelector, validateTolerations } from './pod-validation.js';
export { validatePersistentVolumeClaimSpec, accessModesString } from './persistentvolumeclaim.js';
export { podQOSClass, podStatusCells, validatePodUpdate } from './pod.js';
export { POD_SPEC, POD_TEMPLATE_SPEC } from './pod-spec.js';
export { labelsString } from './labels-string.js';
export { containerCells } from './validation.js';
export { nodeRoles } from './node.js';
export { serviceExternalIP, servicePorts } from './service.js';
export { formatEndpoints } from './endpoints.js';
export { FINALIZER_KUBERNETES } from './namespace.js';
