// apps/v1: the workload controllers' resources.
import type { ResourceDef } from '../../resource.js';
import * as deployment from './deployment.js';
import * as replicaset from './replicaset.js';
import * as statefulset from './statefulset.js';
import * as daemonset from './daemonset.js';
import * as controllerrevision from './controllerrevision.js';

export const definitions = {
  ...deployment.definitions, ...replicaset.definitions, ...statefulset.definitions,
  ...daemonset.definitions, ...controllerrevision.definitions,
};
export const resources: ResourceDef[] = [
  deployment.deployments, replicaset.replicaSets, statefulset.statefulSets, daemonset.daemonSets, controllerrevision.controllerRevisions,
];
