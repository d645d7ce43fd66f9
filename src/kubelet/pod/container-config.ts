// What the kubelet hands the runtime: the sandbox config of a pod and the config of each container
// (expanded command, environment, mounts with subPaths, resources, security context, labels).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative } from 'node:path';
import type { ContainerConfig, Mount, PortMapping, SandboxConfig } from '../runtime.js';
import { containerLogPath, podLogDirectory } from '../logs.js';
import type { Container, Pod } from '../types.js';
import { ContainerConfigError } from './env.js';
import { expand, lookupIn } from './expansion.js';
import { linuxResources, podCgroupParent } from './resources.js';
import {
  ANNOTATION_RESTART_COUNT, LABEL_CONTAINER_HASH, LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID,
  LABEL_TERMINATION_MESSAGE_FILE,
} from './runtime-state.js';
import type { PodVolume } from '../volumes/volume-manager.js';

export interface DNSSettings {
  /** Cluster DNS servers; ClusterFirst pods use them. */
  clusterDNS?: string[];
  clusterDomain: string;
}

function podLabels(pod: Pod): Record<string, string> {
  return {
    [LABEL_POD_NAME]: pod.metadata.name ?? '',
    [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? '',
    [LABEL_POD_UID]: pod.metadata.uid ?? '',
  };
}

/** The pod's hostname: spec.hostname, else its name, cut to a DNS label. */
export function podHostname(pod: Pod): string {
  return (pod.spec?.hostname || pod.metadata.name || '').slice(0, 63).replace(/[-.]+$/, '');
}

function dnsConfig(pod: Pod, dns: DNSSettings): SandboxConfig['dns'] {
  const spec = pod.spec ?? {};
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  const ns = pod.metadata.namespace ?? 'default';
  let out: NonNullable<SandboxConfig['dns']> | undefined;
  const clusterFirst = policy === 'ClusterFirst' || (policy === 'ClusterFirstWithHostNet' && spec.hostNetwork);
  if (clusterFirst && !(spec.hostNetwork && policy === 'ClusterFirst') && dns.clusterDNS?.length) {
    const d = dns.clusterDomain;
    out = { servers: [...dns.clusterDNS], searches: [`${ns}.svc.${d}`, `svc.${d}`, d], options: ['ndots:5'] };
  } else if (policy === 'None') {
    out = { servers: [], searches: [], options: [] };
  }
  const extra = spec.dnsConfig;
  if (extra) {
    out ??= { servers: [], searches: [], options: [] };
    out.servers = [...new Set([...out.servers, ...(extra.nameservers ?? [])])];
    out.searches = [...new Set([...out.searches, ...(extra.searches ?? [])])];
    const opts = new Map(out.options.map((o) => [o.split(':')[0], o]));
    for (const o of extra.options ?? []) opts.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
    out.options = [...opts.values()];
  }
  return out;
}

export function sandboxConfig(pod: Pod, attempt: number, logRoot: string, dns: DNSSettings): SandboxConfig {
  const spec = pod.spec ?? {};
  const portMappings: PortMapping[] = [];
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      portMappings.push({ protocol: (p.protocol ?? 'TCP') as PortMapping['protocol'], containerPort: p.containerPort, hostPort: p.hostPort, hostIP: p.hostIP });
    }
  }
  const sysctls: Record<string, string> = {};
  for (const s of spec.securityContext?.sysctls ?? []) sysctls[s.name] = s.value;
  return {
    name: pod.metadata.name ?? '',
    namespace: pod.metadata.namespace ?? '',
    uid: pod.metadata.uid ?? '',
    attempt,
    hostname: podHostname(pod),
    logDirectory: podLogDirectory(logRoot, pod),
    labels: { ...(pod.metadata.labels ?? {}), ...podLabels(pod) },
    annotations: { ...(pod.metadata.annotations ?? {}) },
    portMappings,
    dns: dnsConfig(pod, dns),
    hostNetwork: !!spec.hostNetwork,
    cgroupParent: podCgroupParent(pod),
    sysctls: Object.keys(sysctls).length ? sysctls : undefined,
  };
}

/** A hash of the container's spec: a change (e.g. a new image) restarts the container. */
export function containerHash(c: Container): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 8);
}

/** /etc/hosts for a pod of its own network, as the kubelet writes it. */
export function hostsFileContent(pod: Pod, podIP: string | undefined, clusterDomain: string): string {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const host = podHostname(pod);
  if (podIP) {
    const sub = pod.spec?.subdomain;
    lines.push(sub ? `${podIP}\t${host}.${sub}.${pod.metadata.namespace}.svc.${clusterDomain}\t${host}` : `${podIP}\t${host}`);
  }
  const aliases = pod.spec?.hostAliases ?? [];
  if (aliases.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of aliases) lines.push(`${a.ip}\t${(a.hostnames ?? []).join('\t')}`);
  }
  return lines.join('\n') + '\n';
}

const PROPAGATION: Record<string, Mount['propagation']> = {
  None: 'private', HostToContainer: 'host-to-container', Bidirectional: 'bidirectional',
};

/** A subPath resolved inside its volume; missing directories are created, escapes refused. */
async function subPathHost(volumePath: string, subPath: string): Promise<string> {
  const rel = normalize(subPath);
  if (isAbsolute(subPath) || rel.split('/').includes('..')) throw new ContainerConfigError(`invalid subpath "${subPath}": must not contain '..' or be absolute`);
  const full = join(volumePath, rel);
  try {
    const real = await realpath(full);
    const base = await realpath(volumePath);
    const inside = relative(base, real);
    if (inside === '..' || inside.startsWith('../') || isAbsolute(inside)) throw new ContainerConfigError(`subpath "${subPath}" resolves outside its volume`);
    return real;
  } catch (err) {
    if (err instanceof ContainerConfigError) throw err;
    await mkdir(full, { recursive: true, mode: 0o750 });
    return full;
  }
}

export interface ContainerConfigInput {
  pod: Pod;
  container: Container;
  attempt: number;
  env: Array<{ key: string; value: string }>;
  command: string[];
  args: string[];
  volumes: Map<string, PodVolume>;
  /** Per-pod directory for the kubelet's own files (hosts file, termination logs). */
  podDir: string;
  podIP?: string;
  clusterDomain: string;
  /** Isolated runtimes get /etc/hosts and the termination-message file mounted. */
  isolated: boolean;
  memoryCapacityBytes: number;
}

export async function containerConfig(i: ContainerConfigInput): Promise<ContainerConfig> {
  const { pod, container: c } = i;
  const mounts: Mount[] = [];
  const envLookup = lookupIn(new Map(i.env.map((e) => [e.key, e.value])));
  for (const vm of c.volumeMounts ?? []) {
    const vol = i.volumes.get(vm.name);
    if (!vol) throw new ContainerConfigError(`cannot find volume "${vm.name}" to mount into container "${c.name}"`);
    let hostPath = vol.hostPath;
    const sub = vm.subPathExpr ? expand(vm.subPathExpr, envLookup) : vm.subPath;
    if (sub) hostPath = await subPathHost(vol.hostPath, sub);
    mounts.push({
      containerPath: vm.mountPath, hostPath, readonly: !!vm.readOnly || vol.readOnly,
      propagation: PROPAGATION[vm.mountPropagation ?? 'None'],
    });
  }
  const labels: Record<string, string> = { ...podLabels(pod), [LABEL_CONTAINER_NAME]: c.name, [LABEL_CONTAINER_HASH]: containerHash(c) };
  if (i.isolated) {
    const mounted = new Set(mounts.map((m) => m.containerPath));
    if (!pod.spec?.hostNetwork && !mounted.has('/etc/hosts')) {
      const hosts = join(i.podDir, 'etc-hosts');
      await mkdir(i.podDir, { recursive: true });
      await writeFile(hosts, hostsFileContent(pod, i.podIP, i.clusterDomain));
      mounts.push({ containerPath: '/etc/hosts', hostPath: hosts, readonly: false });
    }
    if (c.terminationMessagePath && !mounted.has(c.terminationMessagePath)) {
      const dir = join(i.podDir, 'containers', c.name);
      await mkdir(dir, { recursive: true });
      const file = join(dir, randomBytes(4).toString('hex'));
      await writeFile(file, '', { mode: 0o666 });
      mounts.push({ containerPath: c.terminationMessagePath, hostPath: file, readonly: false });
      labels[LABEL_TERMINATION_MESSAGE_FILE] = file;
    }
  }
  const podSC = pod.spec?.securityContext ?? {};
  const sc = c.securityContext ?? {};
  const securityContext: ContainerConfig['securityContext'] = {};
  const runAsUser = sc.runAsUser ?? podSC.runAsUser;
  const runAsGroup = sc.runAsGroup ?? podSC.runAsGroup;
  if (runAsUser !== undefined) securityContext.runAsUser = runAsUser;
  if (runAsGroup !== undefined) securityContext.runAsGroup = runAsGroup;
  if (sc.privileged) securityContext.privileged = true;
  if (sc.readOnlyRootFilesystem) securityContext.readOnlyRootfs = true;
  if (sc.capabilities) securityContext.capabilities = { add: sc.capabilities.add, drop: sc.capabilities.drop };
  return {
    name: c.name,
    attempt: i.attempt,
    image: c.image ?? '',
    command: i.command,
    args: i.args,
    workingDir: c.workingDir || undefined,
    env: i.env,
    mounts,
    labels,
    annotations: { [ANNOTATION_RESTART_COUNT]: String(i.attempt), 'io.kubernetes.container.terminationMessagePath': c.terminationMessagePath ?? '' },
    logPath: containerLogPath(c.name, i.attempt),
    stdin: !!c.stdin,
    stdinOnce: !!c.stdinOnce,
    tty: !!c.tty,
    resources: linuxResources(pod, c, i.memoryCapacityBytes),
    securityContext: Object.keys(securityContext).length ? securityContext : undefined,
  };
}
