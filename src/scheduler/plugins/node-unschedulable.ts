// NodeUnschedulable: cordoned nodes (spec.unschedulable) take no new pods, unless the pod
// tolerates the node.kubernetes.io/unschedulable:NoSchedule taint (DaemonSet pods do).
import { Status, type Plugin } from '../framework/interface.js';
import { tolerates } from '../../api/core/v1/node-selector.js';

export const NAME = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export function newNodeUnschedulable(): Plugin {
  return {
    name: NAME,
    events: ['NodeAdd', 'NodeSpecUnschedulableChange', 'NodeTaintChange'],
    filter(ctx, node) {
      if (!node.unschedulable) return undefined;
      if ((ctx.pod.spec?.tolerations ?? []).some((t) => tolerates(t, TAINT))) return undefined;
      return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
    },
  };
}
