// DefaultPreemption (PostFilter): when a pod fits nowhere, look for a node where evicting pods of
// lower priority would make room. On each candidate node all lower-priority pods are removed in
// a what-if copy; if the pod then fits, as many as possible are put back (most important first,
// those protected by a PodDisruptionBudget before others), and the rest are the victims. The node
// is chosen by fewest PDB violations, then lowest victim priority, smallest priority sum, fewest
// victims, latest start. Victims are deleted gracefully and told why (a Preempted event and the
// DisruptionTarget condition); the preemptor is nominated to the node and waits for them to go.
import { isNotFound, resources } from '../../client/index.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { logError } from '../../machinery/log.js';
import { fitErrorMessage } from '../fit-error.js';
import { Code, Status, type CycleContext, type Handle, type Plugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import type { Pod, PodDisruptionBudget } from '../types.js';
import { podPriority } from '../types.js';

export const NAME = 'DefaultPreemption';
export const MSG_NO_VICTIMS = 'No preemption victims found for incoming pod';
export const MSG_NOT_HELPFUL = 'Preemption is not helpful for scheduling';

export interface DefaultPreemptionArgs {
  /** Candidates to find before choosing: at least this share of nodes ... */
  minCandidateNodesPercentage?: number;
  /** ... and at least this many. */
  minCandidateNodesAbsolute?: number;
}

interface Candidate {
  node: string;
  victims: PodInfo[];
  pdbViolations: number;
}

function startTime(p: Pod): number {
  const t = p.status?.startTime ?? p.metadata.creationTimestamp;
  return t ? Date.parse(t) : Date.now();
}

/** util.MoreImportantPod: higher priority, then longer running. */
function moreImportant(a: Pod, b: Pod): boolean {
  const pa = podPriority(a), pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return startTime(a) < startTime(b);
}

/** Splits victims into those whose eviction would break a PodDisruptionBudget, and the others. */
function splitByPDB(pods: PodInfo[], pdbs: PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => {
    try {
      const sel = selectorFromLabelSelector(p.spec?.selector ?? null);
      return sel.empty ? undefined : sel;
    } catch {
      return undefined;
    }
  });
  const violating: PodInfo[] = [], nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    let violates = false;
    const labels = pi.pod.metadata.labels;
    if (labels) {
      pdbs.forEach((pdb, i) => {
        if (pdb.metadata.namespace !== pi.pod.metadata.namespace || !selectors[i]?.matches(labels)) return;
        // A pod the PDB already counts as disrupted costs it nothing more.
        if (pdb.status?.disruptedPods?.[pi.pod.metadata.name!]) return;
        allowed[i]--;
        if (allowed[i] < 0) violates = true;
      });
    }
    (violates ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

export function newDefaultPreemption(h: Handle, args: DefaultPreemptionArgs = {}): Plugin {
  const minPct = args.minCandidateNodesPercentage ?? 10;
  const minAbs = args.minCandidateNodesAbsolute ?? 100;

  function selectVictims(ctx: CycleContext, ni: NodeInfo, pdbs: PodDisruptionBudget[]): { victims?: PodInfo[]; violations?: number; status: Status } {
    const prio = podPriority(ctx.pod);
    const potential: PodInfo[] = [];
    for (const pi of [...ni.pods.values()]) {
      if (podPriority(pi.pod) < prio) {
        potential.push(pi);
        ni.removePod(pi.key);
        h.runPreFilterExtensionRemovePod(ctx.state, ctx.podInfo, pi, ni);
      }
    }
    if (!potential.length) return { status: Status.unresolvable(MSG_NO_VICTIMS) };
    const fits = h.runFilterPlugins(ctx.state, ctx.pod, ctx.podInfo, ni);
    if (!fits.ok) return { status: fits };
    potential.sort((a, b) => (moreImportant(a.pod, b.pod) ? -1 : moreImportant(b.pod, a.pod) ? 1 : 0));
    const { violating, nonViolating } = splitByPDB(potential, pdbs);
    const victims: PodInfo[] = [];
    let violations = 0;
    const reprieve = (pi: PodInfo): boolean => {
      ni.addPod(pi);
      h.runPreFilterExtensionAddPod(ctx.state, ctx.podInfo, pi, ni);
      if (h.runFilterPlugins(ctx.state, ctx.pod, ctx.podInfo, ni).ok) return true;
      ni.removePod(pi.key);
      h.runPreFilterExtensionRemovePod(ctx.state, ctx.podInfo, pi, ni);
      victims.push(pi);
      return false;
    };
    for (const pi of violating) if (!reprieve(pi)) violations++;
    for (const pi of nonViolating) reprieve(pi);
    return { victims, violations, status: Status.success() };
  }

  function pick(cands: Candidate[]): Candidate {
    const highest = (c: Candidate) => Math.max(...c.victims.map((v) => podPriority(v.pod)));
    const sum = (c: Candidate) => c.victims.reduce((s, v) => s + podPriority(v.pod) + 2 ** 31, 0);
    const earliestOfHighest = (c: Candidate) => {
      const hp = highest(c);
      return Math.min(...c.victims.filter((v) => podPriority(v.pod) === hp).map((v) => startTime(v.pod)));
    };
    const criteria: Array<(c: Candidate) => number> = [
      (c) => -c.pdbViolations, (c) => -highest(c), (c) => -sum(c), (c) => -c.victims.length, earliestOfHighest,
    ];
    let pool = cands;
    for (const score of criteria) {
      if (pool.length === 1) break;
      const scores = pool.map(score);
      const best = Math.max(...scores);
      pool = pool.filter((_, i) => scores[i] === best);
    }
    return pool[0];
  }

  async function evict(ctx: CycleContext, c: Candidate): Promise<void> {
    for (const v of c.victims) {
      const waiting = h.getWaitingPod(v.key);
      if (waiting) {
        waiting.reject(NAME, 'preempted');
        continue;
      }
      const victim = v.pod;
      try {
        const conds = (victim.status?.conditions ?? []).filter((x) => x.type !== 'DisruptionTarget');
        conds.push({ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${h.schedulerName}: preempting to accommodate a higher priority pod`, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
        await h.client.patch(resources.pods, victim.metadata.namespace, victim.metadata.name!, { status: { conditions: conds } }, 'merge', { subresource: 'status' });
        await h.client.delete(resources.pods, victim.metadata.namespace, victim.metadata.name!, { preconditions: { uid: victim.metadata.uid } });
      } catch (err) {
        if (isNotFound(err)) continue;
        throw err;
      }
      h.recorder.event(victim, 'Normal', 'Preempted', `Preempted by pod ${ctx.pod.metadata.uid} on node ${c.node}`);
    }
    // Lower-priority pods nominated to this node would no longer fit there; they start over.
    for (const n of h.nominatedPodsForNode(c.node)) {
      if (podPriority(n.pod) >= podPriority(ctx.pod) || n.key === ctx.podInfo.key) continue;
      try {
        await h.client.patch(resources.pods, n.pod.metadata.namespace, n.pod.metadata.name!, { status: { nominatedNodeName: null } }, 'merge', { subresource: 'status' });
      } catch (err) {
        if (!isNotFound(err)) logError('scheduler', 'unable to clear nominatedNodeName', { pod: n.key, err: String(err) });
      }
    }
  }

  return {
    name: NAME,
    events: ['AssignedPodDelete', 'NodeAdd', 'PdbChange'],

    async postFilter(ctx, filtered) {
      const pod = ctx.pod;
      if (pod.spec?.preemptionPolicy === 'Never') {
        return { status: Status.unschedulable('preemption: not eligible due to preemptionPolicy=Never.') };
      }
      const all = h.nodeInfos();
      const nominated = pod.status?.nominatedNodeName;
      if (nominated && filtered.get(nominated)?.code !== Code.UnschedulableAndUnresolvable) {
        const ni = h.nodeInfo(nominated);
        const prio = podPriority(pod);
        if (ni && [...ni.pods.values()].some((p) => p.pod.metadata.deletionTimestamp && podPriority(p.pod) < prio)) {
          return { status: Status.unschedulable('preemption: not eligible due to a terminating pod on the nominated node.') };
        }
      }
      const statuses = new Map<string, Status>();
      const potential: NodeInfo[] = [];
      for (const ni of all) {
        const s = filtered.get(ni.name);
        if (s && s.code === Code.UnschedulableAndUnresolvable) statuses.set(ni.name, Status.unresolvable(MSG_NOT_HELPFUL));
        else potential.push(ni);
      }
      const failure = () => ({
        result: { nominatedNodeName: nominated ? '' : undefined },
        status: Status.unschedulable(`preemption: ${fitErrorMessage(all.length, { nodeToStatus: statuses, unschedulablePlugins: new Set() })}`),
      });
      if (!potential.length) return failure();

      const pdbs = h.listers.pdbs.list();
      const want = Math.min(potential.length, Math.max(minAbs, Math.floor((potential.length * minPct) / 100)));
      const offset = Math.floor(Math.random() * potential.length);
      const nonViolating: Candidate[] = [], violating: Candidate[] = [];
      for (let i = 0; i < potential.length; i++) {
        const ni = potential[(offset + i) % potential.length];
        const copy = ni.clone();
        const state = ctx.state.clone();
        const r = selectVictims({ ...ctx, state }, copy, pdbs);
        if (r.status.ok && r.victims?.length) {
          (r.violations ? violating : nonViolating).push({ node: ni.name, victims: r.victims, pdbViolations: r.violations ?? 0 });
          if (nonViolating.length > 0 && nonViolating.length + violating.length >= want) break;
          continue;
        }
        statuses.set(ni.name, r.status.ok ? Status.unresolvable(MSG_NO_VICTIMS) : r.status);
      }
      const cands = [...nonViolating, ...violating];
      if (!cands.length) return failure();
      const chosen = pick(cands);
      try {
        await evict(ctx, chosen);
      } catch (err) {
        return { status: Status.error(`preempting victims on node ${chosen.node}: ${(err as Error).message}`) };
      }
      return { result: { nominatedNodeName: chosen.node }, status: Status.success() };
    },
  };
}
