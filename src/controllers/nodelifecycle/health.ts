// When did we last hear from each node? As kube-controller-manager does, the answer is this
// process's own clock at the moment it saw the Lease renewed or the Ready heartbeat change, never
// the timestamps the node wrote, so clock skew between machines cannot kill or revive a node.
import type { Node, NodeCondition } from './types.js';
import { nodeCondition, wireTime } from './types.js';

interface Observed {
  probeMs: number;
  heartbeat?: string;
  renewTime?: string;
}

export class NodeHealth {
  private readonly nodes = new Map<string, Observed>();

  /** A node's lease was seen with this renewTime (from the lease informer). */
  leaseSeen(name: string, renewTime: string | undefined, nowMs: number): void {
    const o = this.nodes.get(name);
    if (!o) {
      this.nodes.set(name, { probeMs: nowMs, renewTime });
      return;
    }
    if (renewTime && renewTime !== o.renewTime) {
      o.renewTime = renewTime;
      o.probeMs = nowMs;
    }
  }

  /** Records the node's Ready heartbeat; returns when the node was last heard from. */
  observe(node: Node, nowMs: number): number {
    const name = node.metadata.name ?? '';
    const beat = nodeCondition(node, 'Ready')?.lastHeartbeatTime;
    const o = this.nodes.get(name);
    if (!o) {
      this.nodes.set(name, { probeMs: nowMs, heartbeat: beat });
      return nowMs;
    }
    if (beat !== o.heartbeat) {
      o.heartbeat = beat;
      o.probeMs = nowMs;
    }
    return o.probeMs;
  }

  forget(name: string): void {
    this.nodes.delete(name);
  }
}

const WATCHED = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * The conditions of a node nobody has heard from within its grace period: Ready and the pressure
 * conditions Unknown (NetworkUnavailable is the network's business and stays). Returns undefined
 * when they already say so.
 */
export function unknownConditions(node: Node, nowMs: number): NodeCondition[] | undefined {
  const now = wireTime(nowMs);
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of WATCHED) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({
        type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: now,
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now });
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
