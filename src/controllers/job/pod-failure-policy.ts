// spec.podFailurePolicy: the first rule matching a failed pod (by container exit codes or by pod
// conditions) decides whether the failure fails the job, fails the index, is ignored or counted.
import type { Job, JobPodContainerStatus, Pod, PodFailurePolicyRule } from './types.js';

export type FailureAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface FailurePolicyMatch {
  /** Set when a FailJob rule matched: the message of the job's Failed condition. */
  failJobMessage?: string;
  /** False when an Ignore rule matched: the failure does not count towards backoff limits. */
  countFailed: boolean;
  action?: FailureAction;
}

function exitCodeMatches(code: number, req: NonNullable<PodFailurePolicyRule['onExitCodes']>): boolean {
  const values = req.values ?? [];
  if (req.operator === 'In') return values.includes(code);
  if (req.operator === 'NotIn') return !values.includes(code);
  return false;
}

/** The first terminated, non-zero container status the requirement matches. */
function matchingContainer(pod: Pod, req: NonNullable<PodFailurePolicyRule['onExitCodes']>): JobPodContainerStatus | undefined {
  const lists = [pod.status?.containerStatuses ?? [], pod.status?.initContainerStatuses ?? []];
  for (const list of lists) {
    for (const cs of list) {
      const t = cs.state?.terminated;
      if (!t) continue; // still terminating: no exit code to match yet
      if (req.containerName != null && req.containerName !== cs.name) continue;
      if (t.exitCode !== 0 && exitCodeMatches(t.exitCode, req)) return cs;
    }
  }
  return undefined;
}

export function matchPodFailurePolicy(job: Job, pod: Pod): FailurePolicyMatch {
  const rules = job.spec.podFailurePolicy?.rules;
  if (!rules) return { countFailed: true };
  const podName = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    let described: string | undefined;
    if (rule.onExitCodes) {
      const cs = matchingContainer(pod, rule.onExitCodes);
      if (!cs) continue;
      described = `Container ${cs.name} for pod ${podName} failed with exit code ${cs.state!.terminated!.exitCode} matching ${rule.action} rule at index ${i}`;
    } else if (rule.onPodConditions) {
      const cond = (pod.status?.conditions ?? []).find((c) => rule.onPodConditions!.some((p) => p.type === c.type && (p.status ?? 'True') === c.status));
      if (!cond) continue;
      described = `Pod ${podName} has condition ${cond.type} matching ${rule.action} rule at index ${i}`;
    } else {
      continue;
    }
    switch (rule.action) {
      case 'Ignore': return { countFailed: false, action: 'Ignore' };
      case 'FailIndex': return { countFailed: true, action: 'FailIndex' };
      case 'Count': return { countFailed: true, action: 'Count' };
      case 'FailJob': return { failJobMessage: described, countFailed: true, action: 'FailJob' };
      default: continue; // an action this version does not know: the next rule decides
    }
  }
  return { countFailed: true };
}
