// DefaultTolerationSeconds: every pod tolerates not-ready and unreachable nodes for 300 s unless it
// says otherwise, so a brief node outage does not evict everything at once.
import type { Admission } from './types.js';

interface Toleration { key?: string; operator?: string; effect?: string; tolerationSeconds?: number; value?: string }

const KEYS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

export function defaultTolerationSeconds(seconds = 300): Admission {
  return {
    name: 'DefaultTolerationSeconds',
    async mutate(op, def, obj) {
      if (op === 'DELETE' || def.group !== '' || def.plural !== 'pods') return;
      const spec = (obj.spec ??= {}) as { tolerations?: Toleration[] };
      const tol = (spec.tolerations ??= []);
      for (const key of KEYS) {
        const covered = tol.some((t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
        if (!covered) tol.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
      }
    },
  };
}
