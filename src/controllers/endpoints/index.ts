// The endpoints controller: core/v1 Endpoints of Services with selectors.
import { resources } from '../../client/index.js';
import type { Controller } from '../context.js';
import { EndpointsController } from './controller.js';
import type { Pod, Service } from './service-pods.js';
import type { Endpoints } from './subsets.js';

export const endpointsController: Controller = {
  name: 'endpoints',
  start(ctx) {
    const c = new EndpointsController({
      client: ctx.client,
      services: ctx.informers.forResource<Service>(resources.services),
      pods: ctx.informers.forResource<Pod>(resources.pods),
      endpoints: ctx.informers.forResource<Endpoints>(resources.endpoints),
    });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export { EndpointsController, type EndpointsControllerOptions } from './controller.js';
export * from './service-pods.js';
export * from './subsets.js';
