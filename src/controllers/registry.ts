// Every controller k8ts runs; adding one is one import and one line here.
import type { Controller } from './context.js';
import { nodeLifecycleController, taintEvictionController } from './nodelifecycle/index.js';
import { replicaSetController } from './replicaset/index.js';
import { replicationControllerController } from './replicationcontroller/index.js';
import { deploymentController } from './deployment/index.js';
import { jobController, ttlAfterFinishedController } from './job/index.js';
import { cronJobController } from './cronjob/index.js';
import { garbageCollectorController } from './garbagecollector/index.js';
import { namespaceController } from './namespace/index.js';
import { rootCACertPublisher, serviceAccountController } from './serviceaccount/index.js';
import { endpointsController } from './endpoints/index.js';
import { endpointSliceController } from './endpointslice/index.js';
import { localPathProvisionerController, persistentVolumeBinderController } from './volume/index.js';
import { resourceQuotaController } from './resourcequota/index.js';
import { disruptionController } from './disruption/index.js';
import { statefulSetController } from './statefulset/index.js';
import { daemonSetController } from './daemonset/index.js';

export function allControllers(): Controller[] {
  return [nodeLifecycleController, taintEvictionController, replicaSetController, replicationControllerController, deploymentController, jobController, cronJobController, ttlAfterFinishedController, garbageCollectorController, namespaceController, serviceAccountController, rootCACertPublisher, endpointsController, endpointSliceController, statefulSetController, persistentVolumeBinderController, localPathProvisionerController, resourceQuotaController, disruptionController, daemonSetController];
}
