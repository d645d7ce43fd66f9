// NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in similar
// proportions after placing the pod, so neither runs out while the other sits idle.
import { MAX_NODE_SCORE, type Plugin } from '../framework/interface.js';
import { CPU, MEMORY } from '../framework/resource.js';

export const NAME = 'NodeResourcesBalancedAllocation';

export function newBalancedAllocation(_h: unknown, args: { resources?: Array<{ name: string }> } = {}): Plugin {
  const names = (args.resources ?? [{ name: CPU }, { name: MEMORY }]).map((r) => r.name);
  return {
    name: NAME,
    score(ctx, ni) {
      const fractions: number[] = [];
      for (const name of names) {
        const alloc = ni.allocatable.get(name);
        if (alloc <= 0) continue;
        const used = (name === CPU || name === MEMORY ? ni.nonZeroRequested.get(name) : ni.requested.get(name)) + ctx.podInfo.nonZeroRequests.get(name);
        fractions.push(Math.min(1, used / alloc));
      }
      if (fractions.length === 0) return 0;
      let std: number;
      if (fractions.length === 2) std = Math.abs((fractions[0] - fractions[1]) / 2);
      else {
        const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
        std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
      }
      return Math.floor((1 - std) * MAX_NODE_SCORE);
    },
  };
}
