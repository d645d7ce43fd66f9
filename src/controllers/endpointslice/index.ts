// The endpointslice controller: discovery.k8s.io/v1 EndpointSlices of Services with selectors.
import { resources } from '../../client/index.js';
import type { Controller } from '../context.js';
import type { Pod, Service } from '../endpoints/service-pods.js';
import { EndpointSliceController } from './controller.js';
import type { EndpointSlice } from './reconciler.js';

export const endpointSliceController: Controller = {
  name: 'endpointslice',
  start(ctx) {
    const c = new EndpointSliceController({
      client: ctx.client,
      services: ctx.informers.forResource<Service>(resources.services),
      pods: ctx.informers.forResource<Pod>(resources.pods),
      slices: ctx.informers.forResource<EndpointSlice>(resources.endpointslices),
      nodes: ctx.informers.forResource(resources.nodes),
    });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export { EndpointSliceController, type EndpointSliceControllerOptions } from './controller.js';
export * from './desired.js';
export { planSlices, sliceLabels, serviceOwnerRef, slicePrefix, MAX_ENDPOINTS_PER_SLICE, HEADLESS_LABEL, type EndpointSlice, type SlicePlan } from './reconciler.js';
export { SliceTracker, TRACKER_EXPIRY_MS } from './tracker.js';
