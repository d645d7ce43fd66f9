// Node routes that keep stray cluster traffic on the machine: an `unreachable` route for the
// cluster and service CIDRs means a packet for a pod or VIP nobody serves dies here instead of
// following the default route out. Routes for the node's own pod range (the bridge's /24) are
// more specific and win, so local pods stay reachable.
import { checkCidr } from './cni-config.js';
import { ip } from './ip-command.js';

interface Route {
  dst: string;
  type?: string;
  dev?: string;
}

/** Routes in the main table whose destination is exactly `cidr`. */
async function exactRoutes(cidr: string): Promise<Route[]> {
  const { family } = checkCidr(cidr);
  const out = await ip([family === 6 ? '-6' : '-4', '-j', 'route', 'show', 'exact', cidr]);
  return out.trim() ? (JSON.parse(out) as Route[]) : [];
}

export interface RouteResult {
  cidr: string;
  /** added: the unreachable route is new; present: a route for exactly this CIDR was there already. */
  action: 'added' | 'present';
}

/**
 * Adds `unreachable <cidr>` for each CIDR that has no route of its own yet. A route already there
 * for exactly that CIDR (an earlier start, or an overlay network that owns the range) is left alone.
 */
export async function installUnreachableRoutes(cidrs: string[]): Promise<RouteResult[]> {
  const results: RouteResult[] = [];
  for (const cidr of cidrs) {
    if ((await exactRoutes(cidr)).length > 0) {
      results.push({ cidr, action: 'present' });
      continue;
    }
    await ip(['route', 'add', 'unreachable', cidr]);
    results.push({ cidr, action: 'added' });
  }
  return results;
}

/** Removes the unreachable routes for these CIDRs (and no other kind of route). */
export async function removeUnreachableRoutes(cidrs: string[]): Promise<void> {
  for (const cidr of cidrs) {
    for (const r of await exactRoutes(cidr)) {
      if (r.type === 'unreachable') await ip(['route', 'del', 'unreachable', cidr]);
    }
  }
}
