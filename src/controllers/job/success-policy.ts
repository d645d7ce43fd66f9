// spec.successPolicy of an Indexed job: the job succeeds early once any rule is met — all of its
// succeededIndexes done, or succeededCount of them (or of all indexes) done.
import { parseIntervals, totalIndexes, type Intervals } from './indexes.js';
import type { Job } from './types.js';

/** How many indexes of `rule` are among `succeeded`. */
function overlap(rule: Intervals, succeeded: Intervals): number {
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < rule.length && j < succeeded.length) {
    const o = Math.min(rule[i].last, succeeded[j].last) - Math.max(rule[i].first, succeeded[j].first) + 1;
    if (o > 0) n += o;
    if (succeeded[j].last < rule[i].last) j++;
    else if (succeeded[j].last > rule[i].last) i++;
    else {
      i++;
      j++;
    }
  }
  return n;
}

/** The SuccessCriteriaMet message ("Matched rules at index 0") when a rule is met. */
export function matchSuccessPolicy(job: Job, succeeded: Intervals): string | undefined {
  const rules = job.spec.successPolicy?.rules;
  const completions = job.spec.completions ?? 0;
  if (!rules || succeeded.length === 0) return undefined;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule.succeededIndexes != null) {
      const required = parseIntervals(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      const done = overlap(required, succeeded);
      if (done === totalIndexes(required) || (rule.succeededCount != null && done >= rule.succeededCount)) return `Matched rules at index ${i}`;
    } else if (rule.succeededCount != null && totalIndexes(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${i}`;
    }
  }
  return undefined;
}
