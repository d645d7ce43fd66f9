// The replicationcontroller controller: core/v1 ReplicationControllers kept by the same replica
// keeper as ReplicaSets (as in Kubernetes); only the selector differs, a plain label map.
import { resources } from '../../client/index.js';
import { selectorFromSet } from '../../machinery/labels.js';
import type { Controller } from '../context.js';
import { ReplicaManager, type ReplicaKind } from '../replicaset/controller.js';
import type { Pod, ReplicationController } from '../util/types.js';

export const replicationControllerKind: ReplicaKind<ReplicationController> = {
  resource: resources.replicationcontrollers,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  logName: 'replication-controller',
  selector: (rc) => selectorFromSet(rc.spec.selector),
};

export const replicationControllerController: Controller = {
  name: 'replicationcontroller',
  start(ctx) {
    const manager = new ReplicaManager(replicationControllerKind, {
      client: ctx.client,
      recorder: ctx.recorder('replication-controller'),
      controllers: ctx.informers.forResource<ReplicationController>(resources.replicationcontrollers),
      pods: ctx.informers.forResource<Pod>(resources.pods),
    });
    void manager.run(ctx.options.workers, ctx.signal);
  },
};
