// Addresses of simulated nodes and their pods. Node addresses are loopback placeholders
// (127.1.0.0/16), never routable ones, so nothing ever tries to reach a machine that is not there.
// Each node owns a /24 of the pod network for its pods' IPs, as node IPAM would give it.

/** InternalIP of the node with global index `i`: 127.1.0.1, 127.1.0.2, ... 127.1.255.254. */
export function nodeInternalIP(i: number): string {
  const n = i + 1;
  if (!Number.isInteger(i) || i < 0 || n > 0xfffe) throw new Error(`simulated node index ${i} is out of range (0..${0xfffe - 1})`);
  return `127.1.${n >> 8}.${n & 255}`;
}

/**
 * Pod range of the node with global index `i`: 10.42.<i>.0/24 for the first 256 nodes (the
 * default --cluster-cidr 10.42.0.0/16 holds 256 of them); beyond that 10.44.0.0/24 onwards,
 * skipping the service range 10.43.0.0/16.
 */
export function nodePodCIDR(i: number): string {
  if (!Number.isInteger(i) || i < 0) throw new Error(`simulated node index ${i} is out of range`);
  if (i < 256) return `10.42.${i}.0/24`;
  const j = i - 256;
  const second = 44 + (j >> 8);
  if (second > 255) throw new Error(`simulated node index ${i} is out of range: no pod range left`);
  return `10.${second}.${j & 255}.0/24`;
}

/** Hands out pod IPs from a node's /24: .2 to .254 (.1 is the node's bridge), lowest free first. */
export class PodIPAllocator {
  private readonly prefix: string;
  private readonly used = new Set<number>();

  constructor(cidr: string) {
    const m = /^(\d+\.\d+\.\d+)\.0\/24$/.exec(cidr);
    if (!m) throw new Error(`pod range ${cidr} is not a /24`);
    this.prefix = m[1];
  }

  /** Records an IP already in use (found on a pod at start); IPs outside the range are ignored. */
  markUsed(ip: string): void {
    const host = this.hostPart(ip);
    if (host !== undefined) this.used.add(host);
  }

  /** A free IP, or undefined when all 253 are taken. */
  allocate(): string | undefined {
    for (let h = 2; h <= 254; h++) {
      if (!this.used.has(h)) {
        this.used.add(h);
        return `${this.prefix}.${h}`;
      }
    }
    return undefined;
  }

  release(ip: string): void {
    const host = this.hostPart(ip);
    if (host !== undefined) this.used.delete(host);
  }

  get inUse(): number {
    return this.used.size;
  }

  private hostPart(ip: string): number | undefined {
    if (!ip.startsWith(this.prefix + '.')) return undefined;
    const h = Number(ip.slice(this.prefix.length + 1));
    return Number.isInteger(h) && h >= 2 && h <= 254 ? h : undefined;
  }
}
