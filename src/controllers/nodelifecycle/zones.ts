// Zones and disruption, as kube-controller-manager's node lifecycle controller sees them: when a
// large share of a zone's nodes go dark at once, the cause is more likely the network or the
// control plane than the nodes, so evictions slow down or stop instead of emptying the zone.
import { TokenBucket } from '../../client/index.js';
import type { Node } from './types.js';
import { nodeCondition } from './types.js';

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

export interface DisruptionOptions {
  /** Nodes a second a zone may start evicting from when healthy (--node-eviction-rate); 0.1. */
  evictionQPS: number;
  /** ... when partially disrupted and large (--secondary-node-eviction-rate); 0.01. */
  secondaryEvictionQPS: number;
  /** Zones up to this size stop evicting altogether when partially disrupted (--large-cluster-size-threshold); 50. */
  largeClusterThreshold: number;
  /** Share of not-ready nodes (at least 3) that makes a zone partially disrupted (--unhealthy-zone-threshold); 0.55. */
  unhealthyZoneThreshold: number;
}

export const DEFAULT_DISRUPTION: DisruptionOptions = {
  evictionQPS: 0.1, secondaryEvictionQPS: 0.01, largeClusterThreshold: 50, unhealthyZoneThreshold: 0.55,
};

const EXCLUDE_LABEL = 'node.kubernetes.io/exclude-disruption';

/** Region and zone of a node, from the topology labels (or their deprecated beta names). */
export function zoneKey(node: Node): string {
  const l = node.metadata.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`;
}

export function computeZoneState(readyStatuses: Array<string | undefined>, unhealthyThreshold: number): ZoneState {
  let ready = 0;
  let notReady = 0;
  for (const s of readyStatuses) {
    if (s === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyThreshold) return 'PartialDisruption';
  return 'Normal';
}

interface ZoneEntry {
  state: ZoneState;
  qps: number;
  limiter: TokenBucket | null;
}

/** Per-zone states and eviction limiters, recomputed from all nodes by a periodic pass. */
export class Zones {
  private states = new Map<string, ZoneEntry>();
  private allFull = false;

  constructor(private readonly opts: DisruptionOptions) {}

  /** Recomputes every zone; returns true when "all zones fully disrupted" flipped. */
  update(nodes: Node[]): boolean {
    const byZone = new Map<string, Array<string | undefined>>();
    for (const n of nodes) {
      if (n.metadata.labels?.[EXCLUDE_LABEL] !== undefined) continue;
      const k = zoneKey(n);
      let list = byZone.get(k);
      if (!list) byZone.set(k, (list = []));
      list.push(nodeCondition(n, 'Ready')?.status);
    }
    const next = new Map<string, ZoneEntry>();
    for (const [k, statuses] of byZone) {
      const state = computeZoneState(statuses, this.opts.unhealthyZoneThreshold);
      const prev = this.states.get(k);
      const qps = this.qpsFor(state, statuses.length);
      // A limiter lives as long as its rate: a zone that stays Normal keeps its spent tokens.
      next.set(k, { state, qps, limiter: prev && prev.qps === qps ? prev.limiter : qps > 0 ? new TokenBucket(qps, 1) : null });
    }
    this.states = next;
    const allFull = next.size > 0 && [...next.values()].every((z) => z.state === 'FullDisruption');
    const flipped = allFull !== this.allFull;
    this.allFull = allFull;
    return flipped;
  }

  /** Every zone lost all its nodes: evictions stop, NoExecute taints come off (master disruption mode). */
  get allFullyDisrupted(): boolean {
    return this.allFull;
  }

  state(node: Node): ZoneState {
    return this.states.get(zoneKey(node))?.state ?? 'Normal';
  }

  /** Takes a token to taint one more node of this node's zone NoExecute; false when the zone must wait. */
  tryEvict(node: Node): boolean {
    const z = this.states.get(zoneKey(node));
    if (!z) return true; // not yet seen by a pass: treat as a healthy zone's first eviction
    return z.limiter ? z.limiter.tryAccept() : false;
  }

  private qpsFor(state: ZoneState, size: number): number {
    if (state === 'PartialDisruption') return size > this.opts.largeClusterThreshold ? this.opts.secondaryEvictionQPS : 0;
    return this.opts.evictionQPS;
  }
}
