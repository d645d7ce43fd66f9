// NodeName: a pod that names its node in spec.nodeName fits only that node. Such pods are
// normally bound already; the check matters for preemption's what-ifs and odd clients.
import { Status, type Plugin } from '../framework/interface.js';

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

export function newNodeName(): Plugin {
  return {
    name: NAME,
    events: ['NodeAdd'],
    filter(ctx, node) {
      const want = ctx.pod.spec?.nodeName;
      if (want && want !== node.name) return Status.unresolvable(ERR_REASON);
      return undefined;
    },
  };
}
