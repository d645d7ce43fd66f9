// NodeAffinity: spec.nodeSelector and required node affinity decide where a pod may go;
// preferred terms add their weights to the nodes they match. A required term pinning
// metadata.name lets PreFilter narrow the candidates to those names.
import { Status, type Plugin } from '../framework/interface.js';
import { podMatchesNodeSelectorAndAffinity, termMatchesNode } from '../../api/core/v1/node-selector.js';
import { defaultNormalizeScore } from './normalize.js';

export const NAME = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

export function newNodeAffinity(): Plugin {
  return {
    name: NAME,
    events: ['NodeAdd', 'NodeLabelChange', 'PodUpdate'],
    preFilter(ctx) {
      const spec = ctx.pod.spec;
      const req = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (!spec?.nodeSelector && !req) return Status.skip();
      const terms = req?.nodeSelectorTerms ?? [];
      if (!terms.length) return undefined;
      // Only when every term pins metadata.name can the candidates be narrowed.
      let names: Set<string> | undefined = new Set();
      for (const t of terms) {
        const f = (t.matchFields ?? []).find((r) => r.key === 'metadata.name' && r.operator === 'In');
        if (!f) {
          names = undefined;
          break;
        }
        for (const v of f.values ?? []) names.add(v);
      }
      if (names && names.size === 0) return Status.unresolvable(ERR_REASON_POD);
      return names ? { result: { nodeNames: names } } : undefined;
    },
    filter(ctx, node) {
      if (!node.node) return Status.unresolvable('node not found');
      if (!podMatchesNodeSelectorAndAffinity(ctx.pod.spec ?? {}, node.node)) return Status.unresolvable(ERR_REASON_POD);
      return undefined;
    },
    preScore(ctx) {
      if (!ctx.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length) return Status.skip();
      return undefined;
    },
    score(ctx, node) {
      let total = 0;
      for (const p of ctx.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
        if (p.weight && node.node && termMatchesNode(p.preference, node.node)) total += p.weight;
      }
      return total;
    },
    normalizeScore(_ctx, scores) {
      defaultNormalizeScore(scores, false);
    },
  };
}
