// The disruption controller: PodDisruptionBudget status for the eviction subresource.
import { resources } from '../../client/index.js';
import type { Controller } from '../context.js';
import { DisruptionController } from './controller.js';

export const disruptionController: Controller = {
  name: 'disruption',
  start(ctx) {
    const c = new DisruptionController({
      client: ctx.client,
      recorder: ctx.recorder('controllermanager'),
      pdbs: ctx.informers.forResource(resources.poddisruptionbudgets),
      pods: ctx.informers.forResource(resources.pods),
      replicaSets: ctx.informers.forResource(resources.replicasets),
      deployments: ctx.informers.forResource(resources.deployments),
      replicationControllers: ctx.informers.forResource(resources.replicationcontrollers),
      statefulSets: ctx.informers.forResource(resources.statefulsets),
    });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export { DisruptionController, type DisruptionControllerOptions, type PodDisruptionBudget } from './controller.js';
export * from './status.js';
