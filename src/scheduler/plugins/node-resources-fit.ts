// NodeResourcesFit: a pod fits a node when the node's allocatable minus what its pods request
// covers the pod's requests (cpu, memory, ephemeral-storage, extended resources such as
// nvidia.com/gpu) and the node has room for one more pod. Scoring prefers the least allocated
// nodes by default (spreading), or the most allocated (packing) with strategy MostAllocated.
import { MAX_NODE_SCORE, Status, type Plugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { CPU, EPHEMERAL_STORAGE, MEMORY, type Resource } from '../framework/resource.js';

export const NAME = 'NodeResourcesFit';

export interface ResourceWeight {
  name: string;
  weight: number;
}

export interface NodeResourcesFitArgs {
  scoringStrategy?: { type?: 'LeastAllocated' | 'MostAllocated'; resources?: ResourceWeight[] };
  /** Extended resources this scheduler does not account (e.g. managed by an extender). */
  ignoredResources?: string[];
}

/** The reasons a pod does not fit, in kube-scheduler's order (pods, cpu, memory, storage, extended). */
export function insufficientResources(req: Resource, node: NodeInfo, ignored?: Set<string>): string[] {
  const out: string[] = [];
  const alloc = node.allocatable, used = node.requested;
  if (node.pods.size + 1 > alloc.allowedPodNumber) out.push('Too many pods');
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) out.push(`Insufficient ${CPU}`);
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) out.push(`Insufficient ${MEMORY}`);
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) out.push(`Insufficient ${EPHEMERAL_STORAGE}`);
  if (req.scalar) {
    for (const [name, v] of req.scalar) {
      if (v <= 0 || ignored?.has(name)) continue;
      if (v > alloc.get(name) - used.get(name)) out.push(`Insufficient ${name}`);
    }
  }
  return out;
}

export function newNodeResourcesFit(_h: unknown, args: NodeResourcesFitArgs = {}): Plugin {
  const most = args.scoringStrategy?.type === 'MostAllocated';
  const weights = args.scoringStrategy?.resources ?? [{ name: CPU, weight: 1 }, { name: MEMORY, weight: 1 }];
  const ignored = args.ignoredResources ? new Set(args.ignoredResources) : undefined;
  return {
    name: NAME,
    events: ['NodeAdd', 'NodeAllocatableChange', 'AssignedPodDelete', 'PodUpdate'],
    filter(ctx, node) {
      const reasons = insufficientResources(ctx.podInfo.requests, node, ignored);
      return reasons.length ? Status.unschedulable(...reasons) : undefined;
    },
    score(ctx, node) {
      // Scoring counts kube-scheduler's non-zero defaults, so pods without requests still spread.
      const req = ctx.podInfo.nonZeroRequests;
      let total = 0, weightSum = 0;
      for (const { name, weight } of weights) {
        const alloc = node.allocatable.get(name);
        if (alloc <= 0) continue;
        const requested = (name === CPU || name === MEMORY ? node.nonZeroRequested.get(name) : node.requested.get(name)) + req.get(name);
        let s: number;
        if (most) s = requested > alloc ? MAX_NODE_SCORE : Math.floor((requested * MAX_NODE_SCORE) / alloc);
        else s = requested > alloc ? 0 : Math.floor(((alloc - requested) * MAX_NODE_SCORE) / alloc);
        total += s * weight;
        weightSum += weight;
      }
      return weightSum ? Math.floor(total / weightSum) : 0;
    },
  };
}
