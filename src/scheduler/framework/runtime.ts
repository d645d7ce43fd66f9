// The framework of one scheduler profile (framework/runtime): its plugins, grouped by extension
// point in registry order, and the generic code that runs each point. Plugins stay ignorant of
// each other; this file knows no plugin by name.
import { logError } from '../../machinery/log.js';
import type { Pod } from '../types.js';
import { Code, CycleState, MAX_NODE_SCORE, Status, type CycleContext, type Handle, type NodeScore, type Plugin, type PostFilterResult, type PreFilterResult } from './interface.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';

export interface WeightedPlugin {
  plugin: Plugin;
  weight: number;
}

/** A scoring of one node: the weighted sum and each plugin's part, for logs and tests. */
export interface NodePluginScores {
  name: string;
  total: number;
}

export class Framework {
  readonly preFilter: Plugin[] = [];
  readonly filter: Plugin[] = [];
  readonly postFilter: Plugin[] = [];
  readonly preScore: Plugin[] = [];
  readonly score: WeightedPlugin[] = [];
  readonly reserve: Plugin[] = [];
  readonly permit: Plugin[] = [];
  readonly preBind: Plugin[] = [];
  readonly bind: Plugin[] = [];
  readonly postBind: Plugin[] = [];
  readonly plugins: Plugin[];

  constructor(readonly schedulerName: string, plugins: WeightedPlugin[], readonly handle: Handle) {
    this.plugins = plugins.map((p) => p.plugin);
    for (const { plugin: p, weight } of plugins) {
      if (p.preFilter) this.preFilter.push(p);
      if (p.filter) this.filter.push(p);
      if (p.postFilter) this.postFilter.push(p);
      if (p.preScore) this.preScore.push(p);
      if (p.score && weight > 0) this.score.push({ plugin: p, weight });
      if (p.reserve || p.unreserve) this.reserve.push(p);
      if (p.permit) this.permit.push(p);
      if (p.preBind) this.preBind.push(p);
      if (p.bind) this.bind.push(p);
      if (p.postBind) this.postBind.push(p);
    }
  }

  plugin(name: string): Plugin | undefined {
    return this.plugins.find((p) => p.name === name);
  }

  /**
   * Runs PreFilter plugins. A rejection ends the attempt; results narrowing the candidate nodes
   * are intersected. Plugins answering Skip are not asked to Filter.
   */
  runPreFilter(ctx: CycleContext, nodes: NodeInfo[]): { status: Status; result?: PreFilterResult; rejectedBy?: string } {
    let result: PreFilterResult | undefined;
    const narrowedBy: string[] = [];
    for (const p of this.preFilter) {
      let out: ReturnType<NonNullable<Plugin['preFilter']>>;
      try {
        out = p.preFilter!(ctx, nodes);
      } catch (err) {
        return { status: Status.error(`running PreFilter plugin "${p.name}": ${errText(err)}`).withPlugin(p.name) };
      }
      const status = out instanceof Status ? out : out?.status;
      const res = out instanceof Status ? undefined : out?.result;
      if (status && status.code === Code.Skip) {
        ctx.state.skipFilter.add(p.name);
        continue;
      }
      if (status && !status.ok) return { status: status.withPlugin(p.name), rejectedBy: p.name };
      if (res?.nodeNames) {
        narrowedBy.push(p.name);
        result = { nodeNames: result?.nodeNames ? new Set([...result.nodeNames].filter((n) => res.nodeNames!.has(n))) : res.nodeNames };
        if (result.nodeNames!.size === 0) {
          return { status: Status.unresolvable(`node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`).withPlugin(p.name), rejectedBy: p.name };
        }
      }
    }
    if (result) (result as PreFilterResult & { narrowedBy?: string[] }).narrowedBy = narrowedBy;
    return { status: Status.success(), result };
  }

  /** Every Filter plugin on one node; the first rejection wins. */
  runFilter(ctx: CycleContext, node: NodeInfo): Status {
    for (const p of this.filter) {
      if (ctx.state.skipFilter.has(p.name)) continue;
      let s: Status | undefined;
      try {
        s = p.filter!(ctx, node);
      } catch (err) {
        return Status.error(`running Filter plugin "${p.name}": ${errText(err)}`).withPlugin(p.name);
      }
      if (s && !s.ok) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  /**
   * Filters with the pods nominated to this node (preemptors of equal or higher priority waiting
   * for their victims to go) counted as if already there, then without them: the pod must fit
   * both ways so it neither steals a preemptor's room nor depends on it (RunFilterPluginsWithNominatedPods).
   */
  runFilterWithNominated(ctx: CycleContext, node: NodeInfo): Status {
    const nominated = this.handle.nominatedPodsForNode(node.name);
    if (nominated.length) {
      const prio = ctx.pod.spec?.priority ?? 0;
      const others = nominated.filter((n) => n.key !== ctx.podInfo.key && (n.pod.spec?.priority ?? 0) >= prio && !node.pods.has(n.key));
      if (others.length) {
        const clone = node.clone();
        const state = ctx.state.clone();
        const c2 = { ...ctx, state };
        for (const o of others) {
          clone.addPod(o);
          this.runAddPod(c2, o, clone);
        }
        const s = this.runFilter(c2, clone);
        if (!s.ok) return s;
      }
    }
    return this.runFilter(ctx, node);
  }

  runAddPod(ctx: CycleContext, toAdd: PodInfo, node: NodeInfo): void {
    for (const p of this.preFilter) if (p.addPod && !ctx.state.skipFilter.has(p.name)) p.addPod(ctx, toAdd, node);
  }

  runRemovePod(ctx: CycleContext, toRemove: PodInfo, node: NodeInfo): void {
    for (const p of this.preFilter) if (p.removePod && !ctx.state.skipFilter.has(p.name)) p.removePod(ctx, toRemove, node);
  }

  /** PostFilter plugins in order until one succeeds; rejections' reasons are joined. */
  async runPostFilter(ctx: CycleContext, filtered: Map<string, Status>): Promise<{ result?: PostFilterResult; status: Status }> {
    const reasons: string[] = [];
    let result: PostFilterResult | undefined;
    let rejector = '';
    for (const p of this.postFilter) {
      let out: { result?: PostFilterResult; status: Status };
      try {
        out = await p.postFilter!(ctx, filtered);
      } catch (err) {
        return { status: Status.error(`running PostFilter plugin "${p.name}": ${errText(err)}`).withPlugin(p.name) };
      }
      if (out.status.ok || out.status.code === Code.UnschedulableAndUnresolvable) return { result: out.result, status: out.status.withPlugin(p.name) };
      if (!out.status.isRejected) return { status: out.status.withPlugin(p.name) };
      if (out.result) result = out.result;
      reasons.push(...out.status.reasons);
      rejector ||= p.name;
    }
    return { result, status: new Status(Code.Unschedulable, reasons).withPlugin(rejector) };
  }

  /**
   * PreScore and Score on the feasible nodes: each plugin's scores are normalized to 0..100 and
   * weighted; the totals are returned in the nodes' order.
   */
  runScoring(ctx: CycleContext, nodes: NodeInfo[]): NodeScore[] {
    const totals: NodeScore[] = nodes.map((n) => ({ name: n.name, score: 0 }));
    for (const p of this.preScore) {
      let s: Status | undefined;
      try {
        s = p.preScore!(ctx, nodes);
      } catch (err) {
        logError('scheduler', 'PreScore plugin failed; its scores are ignored', { plugin: p.name, err: errText(err) });
        ctx.state.skipScore.add(p.name);
        continue;
      }
      if (s && s.code === Code.Skip) ctx.state.skipScore.add(p.name);
      else if (s && !s.ok) {
        logError('scheduler', 'PreScore plugin failed; its scores are ignored', { plugin: p.name, err: s.message() });
        ctx.state.skipScore.add(p.name);
      }
    }
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: 0 }));
    for (const { plugin: p, weight } of this.score) {
      if (ctx.state.skipScore.has(p.name)) continue;
      try {
        for (let i = 0; i < nodes.length; i++) scores[i].score = p.score!(ctx, nodes[i]);
        p.normalizeScore?.(ctx, scores);
      } catch (err) {
        logError('scheduler', 'Score plugin failed; its scores are ignored', { plugin: p.name, err: errText(err) });
        continue;
      }
      for (let i = 0; i < nodes.length; i++) {
        const s = Math.max(0, Math.min(MAX_NODE_SCORE, scores[i].score));
        totals[i].score += s * weight;
      }
    }
    return totals;
  }

  /** Reserve in order; on failure the caller runs Unreserve on all, in reverse. */
  runReserve(ctx: CycleContext, nodeName: string): Status {
    for (const p of this.reserve) {
      if (!p.reserve) continue;
      let s: Status | undefined;
      try {
        s = p.reserve(ctx, nodeName);
      } catch (err) {
        return Status.error(`running Reserve plugin "${p.name}": ${errText(err)}`).withPlugin(p.name);
      }
      if (s && !s.ok) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  runUnreserve(ctx: CycleContext, nodeName: string): void {
    for (let i = this.reserve.length - 1; i >= 0; i--) {
      const p = this.reserve[i];
      try {
        p.unreserve?.(ctx, nodeName);
      } catch (err) {
        logError('scheduler', 'Unreserve plugin failed', { plugin: p.name, err: errText(err) });
      }
    }
  }

  /** Permit: Success, a rejection, or Wait with the plugins that asked to wait and the shortest timeout. */
  runPermit(ctx: CycleContext, nodeName: string): { status: Status; waitFor: Map<string, number> } {
    const waitFor = new Map<string, number>();
    for (const p of this.permit) {
      let out: ReturnType<NonNullable<Plugin['permit']>>;
      try {
        out = p.permit!(ctx, nodeName);
      } catch (err) {
        return { status: Status.error(`running Permit plugin "${p.name}": ${errText(err)}`).withPlugin(p.name), waitFor };
      }
      if (!out || out.status.ok) continue;
      if (out.status.code === Code.Wait) {
        waitFor.set(p.name, Math.min(out.timeoutMs ?? MAX_PERMIT_WAIT_MS, MAX_PERMIT_WAIT_MS));
        continue;
      }
      return { status: out.status.withPlugin(p.name), waitFor };
    }
    return { status: waitFor.size ? new Status(Code.Wait) : Status.success(), waitFor };
  }

  async runPreBind(ctx: CycleContext, nodeName: string): Promise<Status> {
    for (const p of this.preBind) {
      try {
        const s = await p.preBind!(ctx, nodeName);
        if (s && !s.ok && s.code !== Code.Skip) return s.withPlugin(p.name);
      } catch (err) {
        return Status.error(`running PreBind plugin "${p.name}": ${errText(err)}`).withPlugin(p.name);
      }
    }
    return Status.success();
  }

  async runBind(ctx: CycleContext, nodeName: string): Promise<Status> {
    for (const p of this.bind) {
      try {
        const s = await p.bind!(ctx, nodeName);
        if (s.code === Code.Skip) continue;
        return s.withPlugin(p.name);
      } catch (err) {
        return Status.error(`running Bind plugin "${p.name}": ${errText(err)}`).withPlugin(p.name);
      }
    }
    return Status.error('no bind plugin bound the pod');
  }

  runPostBind(ctx: CycleContext, nodeName: string): void {
    for (const p of this.postBind) {
      try {
        p.postBind!(ctx, nodeName);
      } catch (err) {
        logError('scheduler', 'PostBind plugin failed', { plugin: p.name, err: errText(err) });
      }
    }
  }
}

/** kube-scheduler caps a Permit wait at 15 minutes. */
export const MAX_PERMIT_WAIT_MS = 15 * 60 * 1000;

export function newCycleContext(pod: Pod, podInfo: PodInfo): CycleContext {
  return { state: new CycleState(), pod, podInfo };
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
