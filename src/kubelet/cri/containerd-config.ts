// The config.toml k8ts writes for the containerd it supervises (containerd 1.6, config version 2):
// every path under the node's data dir, so a k8ts node never touches /var/lib/containerd or
// /etc/cni and two nodes on one machine do not meet.
import { join } from 'node:path';
import type { Registries } from './registries.js';

export interface ContainerdLayout {
  /** <data-dir>/containerd */
  root: string;
  config: string;
  socket: string;
  /** containerd's persistent root (content store, snapshots, metadata). */
  stateRoot: string;
  /** containerd's runtime state (tasks, fifos, sandbox network namespaces). */
  runState: string;
  cniConfDir: string;
  log: string;
}

export function containerdLayout(root: string, cniConfDir?: string): ContainerdLayout {
  return {
    root,
    config: join(root, 'config.toml'),
    socket: join(root, 'containerd.sock'),
    stateRoot: join(root, 'root'),
    runState: join(root, 'state'),
    cniConfDir: cniConfDir ?? join(root, 'cni', 'net.d'),
    log: join(root, 'containerd.log'),
  };
}

export interface ContainerdConfigOptions {
  layout: ContainerdLayout;
  sandboxImage: string;
  /** Where the CNI plugin binaries are (Debian's containernetworking-plugins). */
  cniBinDir?: string;
  registries?: Registries;
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  snapshotter?: string;
  /** Address of the CRI streaming server (exec, attach, port-forward); port 0 picks a free one. */
  streamAddress?: string;
  streamPort?: number;
}

/** A TOML basic string; JSON's escapes are a subset of TOML's. */
const str = (s: string): string => JSON.stringify(s);
const list = (xs: string[]): string => `[${xs.map(str).join(', ')}]`;

const CRI = 'plugins."io.containerd.grpc.v1.cri"';

export function containerdConfigToml(o: ContainerdConfigOptions): string {
  const l = o.layout;
  const lines: string[] = [
    '# Written by k8ts at every start; edits are overwritten.',
    'version = 2',
    `root = ${str(l.stateRoot)}`,
    `state = ${str(l.runState)}`,
    // Snapshotters k8ts never uses only slow the start and log warnings.
    'disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]',
    '',
    '[grpc]',
    `  address = ${str(l.socket)}`,
    '',
    '[debug]',
    `  level = ${str(o.logLevel ?? 'info')}`,
    '',
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${str(join(l.root, 'opt'))}`,
    '',
    `[${CRI}]`,
    `  sandbox_image = ${str(o.sandboxImage)}`,
    // runc cannot lower oom_score_adj below the agent's own here; without this every sandbox
    // fails with "can't get final child's PID from pipe: EOF".
    '  restrict_oom_score_adj = true',
    // Sandbox network namespaces under the state dir rather than /var/run/netns.
    '  netns_mounts_under_state_dir = true',
    `  stream_server_address = ${str(o.streamAddress ?? '127.0.0.1')}`,
    `  stream_server_port = ${str(String(o.streamPort ?? 0))}`,
    '  enable_selinux = false',
    '',
    `[${CRI}.containerd]`,
    `  snapshotter = ${str(o.snapshotter ?? 'overlayfs')}`,
    '  default_runtime_name = "runc"',
    '',
    `[${CRI}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    '',
    // runc's own state, which would otherwise go to /run/containerd/runc beside a system containerd's.
    `[${CRI}.containerd.runtimes.runc.options]`,
    `  Root = ${str(join(l.runState, 'runc'))}`,
    '',
    `[${CRI}.cni]`,
    `  bin_dir = ${str(o.cniBinDir ?? '/usr/lib/cni')}`,
    `  conf_dir = ${str(l.cniConfDir)}`,
    '  max_conf_num = 1',
  ];
  const reg = o.registries;
  for (const [host, m] of Object.entries(reg?.mirrors ?? {})) {
    lines.push('', `[${CRI}.registry.mirrors.${str(host)}]`, `  endpoint = ${list(m.endpoint)}`);
  }
  for (const [host, c] of Object.entries(reg?.configs ?? {})) {
    if (c.auth) {
      lines.push('', `[${CRI}.registry.configs.${str(host)}.auth]`);
      if (c.auth.username !== undefined) lines.push(`  username = ${str(c.auth.username)}`);
      if (c.auth.password !== undefined) lines.push(`  password = ${str(c.auth.password)}`);
      if (c.auth.auth !== undefined) lines.push(`  auth = ${str(c.auth.auth)}`);
      if (c.auth.identity_token !== undefined) lines.push(`  identitytoken = ${str(c.auth.identity_token)}`);
    }
    if (c.tls) {
      lines.push('', `[${CRI}.registry.configs.${str(host)}.tls]`);
      if (c.tls.ca_file !== undefined) lines.push(`  ca_file = ${str(c.tls.ca_file)}`);
      if (c.tls.cert_file !== undefined) lines.push(`  cert_file = ${str(c.tls.cert_file)}`);
      if (c.tls.key_file !== undefined) lines.push(`  key_file = ${str(c.tls.key_file)}`);
      if (c.tls.insecure_skip_verify !== undefined) lines.push(`  insecure_skip_verify = ${c.tls.insecure_skip_verify}`);
    }
  }
  return lines.join('\n') + '\n';
}
