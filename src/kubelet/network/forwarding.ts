// Pods of other nodes reach this node's pods through it: the node forwards between its link and
// the CNI bridge. The bridge plugin turns forwarding on when it sets up the first pod; doing it at
// start as well means routed traffic works however the first pod came to be. The setting is per
// network namespace.
import { readFile, writeFile } from 'node:fs/promises';

const IPV4_FORWARD = '/proc/sys/net/ipv4/ip_forward';

/** Turns IPv4 forwarding on; resolves to whether it was off before. */
export async function enableIPv4Forwarding(): Promise<boolean> {
  const before = (await readFile(IPV4_FORWARD, 'utf8')).trim();
  if (before === '1') return false;
  await writeFile(IPV4_FORWARD, '1\n');
  return true;
}
