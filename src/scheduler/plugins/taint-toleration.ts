// TaintToleration: a node's NoSchedule and NoExecute taints keep out pods that do not tolerate
// them; PreferNoSchedule taints the pod does not tolerate lower the node's score.
import { Status, type Plugin } from '../framework/interface.js';
import { findUntoleratedTaint, tolerates } from '../../api/core/v1/node-selector.js';
import { defaultNormalizeScore } from './normalize.js';
import type { Toleration } from '../types.js';

export const NAME = 'TaintToleration';

export function newTaintToleration(): Plugin {
  const hard = (e: string) => e === 'NoSchedule' || e === 'NoExecute';
  return {
    name: NAME,
    events: ['NodeAdd', 'NodeTaintChange', 'PodUpdate'],
    filter(ctx, node) {
      if (node.taints.length === 0) return undefined;
      const taint = findUntoleratedTaint(node.taints, ctx.pod.spec?.tolerations, hard);
      if (!taint) return undefined;
      return Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    },
    preScore(ctx) {
      const prefer: Toleration[] = (ctx.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
      ctx.state.write(NAME, prefer);
      return undefined;
    },
    score(ctx, node) {
      const tols = ctx.state.read<Toleration[]>(NAME) ?? [];
      let n = 0;
      for (const taint of node.taints) {
        if (taint.effect === 'PreferNoSchedule' && !tols.some((t) => tolerates(t, taint))) n++;
      }
      return n;
    },
    normalizeScore(_ctx, scores) {
      defaultNormalizeScore(scores, true);
    },
  };
}
