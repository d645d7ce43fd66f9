// Addresses and ranges as numbers, so ranges can be compared, masked and tested for containment
// whatever way they were written (10.42.2.7/24 and 10.42.2.0/24 are the same route to the kernel).
import { isIP } from 'node:net';

export interface Cidr {
  family: 4 | 6;
  /** The network address, host bits cleared. */
  base: bigint;
  prefix: number;
}

const bits = (family: 4 | 6) => (family === 4 ? 32 : 128);

/** The address as a number, or undefined when it is not an IPv4 or IPv6 address. */
export function parseIP(text: string): { family: 4 | 6; value: bigint } | undefined {
  const family = isIP(text);
  if (family === 4) {
    return { family, value: text.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n) };
  }
  if (family !== 6) return undefined;
  let s = text.replace(/%.*$/, '');
  // An embedded IPv4 tail (::ffff:10.0.0.1) is two more 16-bit groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = parseIP(v4[1])!.value;
    s = s.slice(0, -v4[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = s.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return { family, value: all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

/** The range written as address/prefix, or undefined when it is not one. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  const addr = m ? parseIP(m[1]) : undefined;
  if (!m || !addr) return undefined;
  const prefix = Number(m[2]);
  if (prefix > bits(addr.family)) return undefined;
  const hostBits = BigInt(bits(addr.family) - prefix);
  return { family: addr.family, base: (addr.value >> hostBits) << hostBits, prefix };
}

export function formatIP(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  // Uncompressed groups: iproute2 and the kernel accept them, and comparisons go through numbers.
  return Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
}

export function formatCidr(c: Cidr): string {
  return `${formatIP(c.family, c.base)}/${c.prefix}`;
}

/** Whether `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const hostBits = BigInt(bits(outer.family) - outer.prefix);
  return (inner.base >> hostBits) === (outer.base >> hostBits);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** Loopback or unspecified: never a next hop another machine can be reached through. */
export function isLocalOnlyIP(family: 4 | 6, value: bigint): boolean {
  if (family === 4) return value >> 24n === 127n || value === 0n;
  return value === 1n || value === 0n;
}
