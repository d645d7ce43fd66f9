// The node's pod network as a CNI conflist for containerd's CRI plugin: a Linux bridge (cni0)
// with host-local addresses from the node's podCIDR, the bridge as each pod's gateway, no
// masquerade (pod traffic never leaves the machine NATed as the node), and portmap for hostPort.
// The pod's loopback is brought up by containerd itself with the loopback plugin from bin_dir.
import { isIP } from 'node:net';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CNI_CONFIG_FILE = '10-k8ts.conflist';
export const CNI_NETWORK_NAME = 'k8ts';

export interface CniConfigOptions {
  /** Bridge device name (default cni0). */
  bridge?: string;
  /** Where host-local keeps its leases; default: a `networks` folder beside the conf dir. */
  ipamDataDir?: string;
  mtu?: number;
}

export class CniConfigError extends Error {
  constructor(msg: string) {
    super(msg);
    this.name = 'CniConfigError';
  }
}

/** Throws unless `cidr` is an address/prefix with a prefix that fits the address family. */
export function checkCidr(cidr: string): { address: string; prefix: number; family: 4 | 6 } {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  const family = m ? isIP(m[1]) : 0;
  const prefix = m ? Number(m[2]) : NaN;
  if (!m || (family !== 4 && family !== 6) || prefix > (family === 4 ? 32 : 128)) {
    throw new CniConfigError(`"${cidr}" is not a CIDR such as 10.42.0.0/24`);
  }
  return { address: m[1], prefix, family };
}

export function cniConflist(podCIDR: string, opts: CniConfigOptions & { ipamDataDir: string }): Record<string, unknown> {
  checkCidr(podCIDR);
  const bridge: Record<string, unknown> = {
    type: 'bridge',
    bridge: opts.bridge ?? 'cni0',
    isGateway: true,
    isDefaultGateway: true,
    ipMasq: false,
    // A pod reaching a Service VIP that resolves to itself comes back through the bridge.
    hairpinMode: true,
    ipam: { type: 'host-local', ranges: [[{ subnet: podCIDR }]], dataDir: opts.ipamDataDir },
  };
  if (opts.mtu) bridge.mtu = opts.mtu;
  return {
    cniVersion: '1.0.0',
    name: CNI_NETWORK_NAME,
    plugins: [bridge, { type: 'portmap', capabilities: { portMappings: true } }],
  };
}

/**
 * Writes the conflist into `dir` once the node's podCIDR is known. The file is replaced by rename,
 * since containerd watches the folder and must never read half a file. Returns its path.
 */
export async function writeCniConfig(dir: string, podCIDR: string, opts: CniConfigOptions = {}): Promise<string> {
  const conf = cniConflist(podCIDR, { ...opts, ipamDataDir: opts.ipamDataDir ?? join(dir, '..', 'networks') });
  await mkdir(dir, { recursive: true });
  const file = join(dir, CNI_CONFIG_FILE);
  const tmp = join(dir, `.${CNI_CONFIG_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(conf, null, 2) + '\n');
  await rename(tmp, file);
  return file;
}
