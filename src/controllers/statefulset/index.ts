// The statefulset controller: pods with stable names and storage, created, removed and updated
// in ordinal order.
import { resources } from '../../client/index.js';
import type { ControllerRevision } from '../history/revision.js';
import type { Controller } from '../context.js';
import { StatefulSetController } from './controller.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from './types.js';

export const statefulSetController: Controller = {
  name: 'statefulset',
  start(ctx) {
    const c = new StatefulSetController({
      client: ctx.client,
      recorder: ctx.recorder('statefulset-controller'),
      sets: ctx.informers.forResource<StatefulSet>(resources.statefulsets),
      pods: ctx.informers.forResource<Pod>(resources.pods),
      revisions: ctx.informers.forResource<ControllerRevision>(resources.controllerrevisions),
      claims: ctx.informers.forResource<PersistentVolumeClaim>(resources.persistentvolumeclaims),
    });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export { StatefulSetController } from './controller.js';
export { updateStatefulSet } from './update.js';
export * from './types.js';
