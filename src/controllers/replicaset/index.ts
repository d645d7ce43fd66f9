// The replicaset controller: keeps spec.replicas pods of each apps/v1 ReplicaSet running.
import { resources } from '../../client/index.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import type { Controller } from '../context.js';
import type { Pod, ReplicaSet } from '../util/types.js';
import { ReplicaManager, type ReplicaKind } from './controller.js';

export const replicaSetKind: ReplicaKind<ReplicaSet> = {
  resource: resources.replicasets,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  logName: 'replicaset-controller',
  selector: (rs) => selectorFromLabelSelector(rs.spec.selector),
};

export const replicaSetController: Controller = {
  name: 'replicaset',
  start(ctx) {
    const manager = new ReplicaManager(replicaSetKind, {
      client: ctx.client,
      recorder: ctx.recorder('replicaset-controller'),
      controllers: ctx.informers.forResource<ReplicaSet>(resources.replicasets),
      pods: ctx.informers.forResource<Pod>(resources.pods),
    });
    void manager.run(ctx.options.workers, ctx.signal);
  },
};

export { ReplicaManager, BURST_REPLICAS, type ReplicaKind } from './controller.js';
export { calculateStatus } from './status.js';
