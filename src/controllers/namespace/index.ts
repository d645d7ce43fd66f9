// The namespace controller: empties terminating namespaces, then finalizes them.
import { resources } from '../../client/index.js';
import type { Controller } from '../context.js';
import { NamespaceController, type Namespace } from './controller.js';

export const namespaceController: Controller = {
  name: 'namespace',
  start(ctx) {
    const c = new NamespaceController({ client: ctx.client, namespaces: ctx.informers.forResource<Namespace>(resources.namespaces) });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export { NamespaceController, FINALIZER_KUBERNETES, type Namespace, type NamespaceControllerOptions } from './controller.js';
export { deleteAllContent, type ContentResult } from './deleter.js';
export { contentConditions, mergeConditions, type NamespaceCondition } from './conditions.js';
