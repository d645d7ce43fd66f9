// A second network namespace beside the test's own (see netns.ts), joined to it by a veth pair
// with a private /30 and nothing else: a machine of its own on a link to the test's machine,
// with no route anywhere else. Commands run in it through nsenter, which enters the network
// namespace only: `ip netns exec` would also remount /sys, and lose the cgroup mounts runc needs.
import { execFileSync } from 'node:child_process';
import { inTestNetns } from './netns.js';

export interface PeerNetns {
  name: string;
  /** The test namespace's end of the link. */
  localIP: string;
  /** The peer namespace's end of the link. */
  peerIP: string;
  /** The command line that runs `cmd args` inside the peer namespace. */
  wrap(cmd: string, args: string[]): { cmd: string; args: string[] };
  /** Runs `ip args` inside the peer namespace and returns its output. */
  ip(args: string[]): string;
  /** Deletes the namespace (and with it the veth pair). Safe to call twice. */
  remove(): void;
}

const ip = (args: string[]) => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Makes namespace `k8ts-<pid>-<index>` linked by 172.31.<index>.1/30 (here) and .2/30 (there).
 * Only from inside the test's own namespace, so no veth ever lands in the machine's.
 */
export function createPeerNetns(index: number): PeerNetns {
  if (!inTestNetns()) throw new Error('createPeerNetns runs only inside the namespace enterNetns() made');
  if (!Number.isInteger(index) || index < 0 || index > 255) throw new Error(`peer netns index ${index}: want 0..255`);
  const name = `k8ts-${process.pid}-${index}`;
  const local = `k8tsv${index}a`;
  const peer = `k8tsv${index}b`;
  const localIP = `172.31.${index}.1`;
  const peerIP = `172.31.${index}.2`;
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    try { ip(['netns', 'del', name]); } catch { /* already gone */ }
    try { ip(['link', 'del', local]); } catch { /* went with the namespace */ }
  };
  ip(['netns', 'add', name]);
  try {
    ip(['link', 'add', local, 'type', 'veth', 'peer', 'name', peer]);
    ip(['link', 'set', peer, 'netns', name]);
    ip(['addr', 'add', `${localIP}/30`, 'dev', local]);
    ip(['link', 'set', local, 'up']);
    ip(['-n', name, 'addr', 'add', `${peerIP}/30`, 'dev', peer]);
    ip(['-n', name, 'link', 'set', peer, 'up']);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (err) {
    remove();
    throw err;
  }
  return {
    name, localIP, peerIP,
    wrap: (cmd, args) => ({ cmd: 'nsenter', args: [`--net=/run/netns/${name}`, '--', cmd, ...args] }),
    ip: (args) => ip(['-n', name, ...args]),
    remove,
  };
}
