// The daemonset controller: one pod on every eligible node.
import { resources } from '../../client/index.js';
import type { ControllerRevision } from '../history/revision.js';
import type { Controller } from '../context.js';
import { DaemonSetController } from './controller.js';
import type { DaemonSet, Node, Pod } from './types.js';

export const daemonSetController: Controller = {
  name: 'daemonset',
  start(ctx) {
    const c = new DaemonSetController({
      client: ctx.client,
      recorder: ctx.recorder('daemonset-controller'),
      daemonSets: ctx.informers.forResource<DaemonSet>(resources.daemonsets),
      pods: ctx.informers.forResource<Pod>(resources.pods),
      nodes: ctx.informers.forResource<Node>(resources.nodes),
      revisions: ctx.informers.forResource<ControllerRevision>(resources.controllerrevisions),
    });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export { DaemonSetController, daemonPodTemplate } from './controller.js';
export { nodeShouldRunDaemonPod, daemonTolerations, pinToNode, targetNodeName } from './placement.js';
export * from './types.js';
