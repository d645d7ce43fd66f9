// One scheduling decision (schedule_one.go's schedulePod and findNodesThatFitPod): PreFilter,
// then Filter over the nodes from a rotating start until enough feasible ones are found
// (percentageOfNodesToScore), then Score; or a FitError saying why no node fits.
import { FitError, type Diagnosis } from './fit-error.js';
import { Code, Status, type CycleContext, type NodeScore } from './framework/interface.js';
import type { NodeInfo } from './framework/node-info.js';
import type { Framework } from './framework/runtime.js';

/** kube-scheduler's constants for how many feasible nodes to look for before scoring. */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** percentageOfNodesToScore: big clusters stop filtering once enough feasible nodes are found. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.floor(numAllNodes / 125));
  if (pct >= 100) return numAllNodes;
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((numAllNodes * pct) / 100));
}

export interface ScheduleOptions {
  /** Where the previous search stopped; successive pods start there so all nodes get looked at. */
  cursor: { next: number };
  percentageOfNodesToScore?: number;
}

/** The highest total wins; ties are broken at random so equal nodes share the load. */
export function selectHost(scores: NodeScore[]): string {
  let best = scores[0];
  let ties = 1;
  for (let i = 1; i < scores.length; i++) {
    const s = scores[i];
    if (s.score > best.score) {
      best = s;
      ties = 1;
    } else if (s.score === best.score) {
      ties++;
      if (Math.random() * ties < 1) best = s;
    }
  }
  return best.name;
}

/** Finds the node for a pod, or says why none fits. Throws on plugin errors. */
export function schedulePod(fwk: Framework, all: NodeInfo[], ctx: CycleContext, opts: ScheduleOptions): { node: string; feasible: number } | FitError {
  const diagnosis: Diagnosis = { nodeToStatus: new Map(), unschedulablePlugins: new Set() };
  if (all.length === 0) {
    diagnosis.preFilterMsg = 'no nodes available to schedule pods';
    return new FitError(0, diagnosis);
  }
  const pre = fwk.runPreFilter(ctx, all);
  if (!pre.status.ok) {
    if (pre.status.code === Code.Error) throw new Error(pre.status.message());
    for (const n of all) diagnosis.nodeToStatus.set(n.name, pre.status);
    diagnosis.preFilterMsg = pre.status.message();
    if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
    return new FitError(all.length, diagnosis);
  }
  let candidates = all;
  if (pre.result?.nodeNames) {
    const names = pre.result.nodeNames;
    const by = (pre.result as { narrowedBy?: string[] }).narrowedBy ?? [];
    const absent = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${by.join(' ')}]`);
    candidates = [];
    for (const n of all) {
      if (names.has(n.name)) candidates.push(n);
      else diagnosis.nodeToStatus.set(n.name, absent);
    }
    for (const p of by) diagnosis.unschedulablePlugins.add(p);
  }

  // A pod that preempted before tries the node it nominated first.
  const nominated = ctx.pod.status?.nominatedNodeName;
  if (nominated) {
    const ni = candidates.find((n) => n.name === nominated);
    if (ni && fwk.runFilterWithNominated(ctx, ni).ok) return { node: nominated, feasible: 1 };
  }

  const n = candidates.length;
  if (n === 0) return new FitError(all.length, diagnosis);
  const want = numFeasibleNodesToFind(n, opts.percentageOfNodesToScore);
  const feasible: NodeInfo[] = [];
  const start = opts.cursor.next % n;
  let processed = 0;
  for (; processed < n && feasible.length < want; processed++) {
    const ni = candidates[(start + processed) % n];
    const s = fwk.runFilterWithNominated(ctx, ni);
    if (s.ok) {
      feasible.push(ni);
      continue;
    }
    if (s.code === Code.Error) throw new Error(s.message());
    diagnosis.nodeToStatus.set(ni.name, s);
    if (s.plugin) diagnosis.unschedulablePlugins.add(s.plugin);
  }
  opts.cursor.next = (start + processed) % n;
  if (feasible.length === 0) return new FitError(all.length, diagnosis);
  if (feasible.length === 1) return { node: feasible[0].name, feasible: 1 };
  const scores = fwk.runScoring(ctx, feasible);
  return { node: selectHost(scores), feasible: feasible.length };
}
