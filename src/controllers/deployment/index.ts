// The deployment controller, as kube-controller-manager's `deployment`.
import { resources } from '../../client/index.js';
import type { Controller } from '../context.js';
import type { Deployment, Pod, ReplicaSet } from '../util/types.js';
import { DeploymentController } from './controller.js';

export const deploymentController: Controller = {
  name: 'deployment',
  start(ctx) {
    const dc = new DeploymentController({
      client: ctx.client,
      recorder: ctx.recorder('deployment-controller'),
      deployments: ctx.informers.forResource<Deployment>(resources.deployments),
      replicaSets: ctx.informers.forResource<ReplicaSet>(resources.replicasets),
      pods: ctx.informers.forResource<Pod>(resources.pods),
    });
    void dc.run(ctx.options.workers, ctx.signal);
  },
};

export { DeploymentController, newRSNewReplicas } from './controller.js';
export { computeHash } from './hash.js';
