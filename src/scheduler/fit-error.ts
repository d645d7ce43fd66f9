// Why a pod fits nowhere, in kube-scheduler's words (framework.FitError): "0/3 nodes are
// available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}." Reasons are
// counted over nodes and sorted as strings, as kube-scheduler does, so messages read the same.
import type { Status } from './framework/interface.js';

export const NO_NODE_AVAILABLE = (n: number) => `0/${n} nodes are available`;

export interface Diagnosis {
  /** Each rejected node's status. */
  nodeToStatus: Map<string, Status>;
  /** Set when a PreFilter plugin rejected the pod outright. */
  preFilterMsg?: string;
  /** What PostFilter (preemption) said, e.g. "preemption: 0/3 nodes are available: ...". */
  postFilterMsg?: string;
  /** Plugins that rejected the pod on some node, for requeueing on the right events. */
  unschedulablePlugins: Set<string>;
}

/** Not an Error subclass: its message is computed when read, after PostFilter has added to it. */
export class FitError {
  constructor(readonly numAllNodes: number, readonly diagnosis: Diagnosis) {}

  get message(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

/** "count reason" strings, sorted. */
export function reasonHistogram(nodeToStatus: Map<string, Status>): string[] {
  const counts = new Map<string, number>();
  for (const s of nodeToStatus.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort();
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `${NO_NODE_AVAILABLE(numAllNodes)}:`;
  if (d.preFilterMsg) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const reasons = reasonHistogram(d.nodeToStatus);
    if (reasons.length) msg += ` ${reasons.join(', ')}.`;
  }
  // The preemption message is itself a sentence ending in a period.
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}
