// Pod traffic between nodes, host-gw style (flannel's host-gw backend): each node routes every
// other node's podCIDR via that node's InternalIP, and the other node's CNI bridge delivers it.
// It needs the nodes on one link (their InternalIPs reachable without a router), as host-gw does.
// Each route carries its own protocol number, so the node can tell its routes from everyone
// else's, find the ones an earlier run left behind, and never touch a route it did not make.
import { ip } from './ip-command.js';
import { cidrContains, cidrsOverlap, formatCidr, formatIP, isLocalOnlyIP, parseCidr, parseIP, type Cidr } from './cidr.js';

/** `proto 75` ('K') in `ip route`: marks the routes k8ts keeps for other nodes' pod ranges. */
export const NODE_ROUTE_PROTOCOL = 75;

/** The parts of a Node the routes depend on. */
export interface RouteNode {
  metadata: { name?: string };
  spec?: { podCIDR?: string; podCIDRs?: string[] };
  status?: { addresses?: Array<{ type: string; address: string }> };
}

export interface NodeRoute {
  /** The other node's pod range, network address canonical. */
  dst: string;
  /** The other node's InternalIP. */
  via: string;
  family: 4 | 6;
  /** Which node it leads to (absent for routes read back from the kernel). */
  node?: string;
}

export interface NodeRouteScope {
  /** This node: its own range stays on its CNI bridge. */
  nodeName: string;
  podCIDRs: string[];
  /** Only ranges inside the cluster's pod ranges are routed, so a Node object cannot steer other traffic. */
  clusterCIDRs: string[];
}

function cidrs(list: Array<string | undefined>): Cidr[] {
  return list.map((c) => (c ? parseCidr(c) : undefined)).filter((c): c is Cidr => !!c);
}

/** The routes this node should have for the other nodes' pod ranges, sorted by destination. */
export function desiredNodeRoutes(nodes: RouteNode[], scope: NodeRouteScope): NodeRoute[] {
  const own = cidrs(scope.podCIDRs);
  const cluster = cidrs(scope.clusterCIDRs);
  const routes: NodeRoute[] = [];
  const taken: Cidr[] = [...own];
  // Name order makes the winner of two nodes claiming one range the same on every node.
  const sorted = [...nodes].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const node of sorted) {
    const name = node.metadata.name;
    if (!name || name === scope.nodeName) continue;
    const ranges = node.spec?.podCIDRs?.length ? node.spec.podCIDRs : [node.spec?.podCIDR];
    const internal = (node.status?.addresses ?? [])
      .filter((a) => a.type === 'InternalIP')
      .map((a) => parseIP(a.address))
      .filter((a): a is NonNullable<typeof a> => !!a && !isLocalOnlyIP(a.family, a.value));
    for (const range of cidrs(ranges)) {
      const gw = internal.find((a) => a.family === range.family);
      if (!gw) continue;
      if (!cluster.some((c) => cidrContains(c, range))) continue;
      if (taken.some((t) => cidrsOverlap(t, range))) continue;
      taken.push(range);
      routes.push({ dst: formatCidr(range), via: formatIP(gw.family, gw.value), family: range.family, node: name });
    }
  }
  return routes.sort((a, b) => a.dst.localeCompare(b.dst));
}

export interface NodeRoutePlan {
  /** Routes to add, or whose next hop changed (`ip route replace`). */
  replace: NodeRoute[];
  /** Routes of ours that lead nowhere any more. */
  remove: NodeRoute[];
}

const routeKey = (dst: string) => {
  const c = parseCidr(dst.includes('/') ? dst : `${dst}/${dst.includes(':') ? 128 : 32}`);
  return c ? formatCidr(c) : dst;
};
const sameIP = (a: string, b: string) => parseIP(a)?.value === parseIP(b)?.value;

/** What turns the routes of ours the kernel has into the desired ones. */
export function planNodeRoutes(desired: NodeRoute[], current: NodeRoute[]): NodeRoutePlan {
  const have = new Map(current.map((r) => [routeKey(r.dst), r]));
  const want = new Set(desired.map((r) => routeKey(r.dst)));
  return {
    replace: desired.filter((r) => {
      const now = have.get(routeKey(r.dst));
      return !now || !sameIP(now.via, r.via);
    }),
    remove: current.filter((r) => !want.has(routeKey(r.dst))),
  };
}

/** The routes of ours in the main table, both families. */
export async function listNodeRoutes(): Promise<NodeRoute[]> {
  const out: NodeRoute[] = [];
  for (const family of [4, 6] as const) {
    const text = await ip([`-${family}`, '-j', 'route', 'show', 'proto', String(NODE_ROUTE_PROTOCOL)]);
    const rows = text.trim() ? (JSON.parse(text) as Array<{ dst: string; gateway?: string }>) : [];
    for (const r of rows) out.push({ dst: routeKey(r.dst), via: r.gateway ?? '', family });
  }
  return out;
}

/**
 * Carries out a plan. Every route is tried even when one fails (a next hop not on any link of
 * this machine is refused by the kernel); the failures come back, one message each.
 */
export async function applyNodeRoutePlan(plan: NodeRoutePlan): Promise<string[]> {
  const failures: string[] = [];
  for (const r of plan.remove) {
    await ip([`-${r.family}`, 'route', 'del', r.dst, 'proto', String(NODE_ROUTE_PROTOCOL)]).catch((e: Error) => failures.push(e.message));
  }
  for (const r of plan.replace) {
    await ip([`-${r.family}`, 'route', 'replace', r.dst, 'via', r.via, 'proto', String(NODE_ROUTE_PROTOCOL)])
      .catch((e: Error) => failures.push(`route to node ${r.node ?? '?'}'s pods: ${e.message}`));
  }
  return failures;
}

/** Reads this node's routes, brings them to `desired`, and returns what it did and what failed. */
export async function reconcileNodeRoutes(desired: NodeRoute[]): Promise<NodeRoutePlan & { failures: string[] }> {
  const plan = planNodeRoutes(desired, await listNodeRoutes());
  return { ...plan, failures: await applyNodeRoutePlan(plan) };
}
