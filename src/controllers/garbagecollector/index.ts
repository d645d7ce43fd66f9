// The garbage collector: background, foreground and orphan deletion along ownerReferences.
import type { Controller } from '../context.js';
import { GarbageCollector } from './controller.js';

export const garbageCollectorController: Controller = {
  name: 'garbage-collector',
  start(ctx) {
    const gc = new GarbageCollector({ client: ctx.client, recorder: ctx.recorder('garbage-collector-controller') });
    void gc.run(ctx.signal);
  },
};

export { GarbageCollector, IGNORED_RESOURCES, type GarbageCollectorOptions } from './controller.js';
export { discoverPreferredResources, groupResourceString, hasVerbs, RestMapper, type DiscoveredResource, type DiscoveryResult } from './discovery.js';
export { OwnershipGraph, nodeOf, isDeletingDependents, isOrphaning, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type GraphNode, type ObjectIdentity } from './graph.js';
export { updateMetadata, removeFinalizer } from './metadata.js';
