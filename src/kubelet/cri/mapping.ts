// RuntimeDriver's configs as CRI v1 messages, and CRI's answers back as the driver's statuses.
// Field names are the proto's (keepCase), so a message here is what goes on the wire.
import type {
  ContainerConfig, ContainerStateName, ContainerStatus, ImageInfo, LinuxResources, SandboxConfig, SandboxStatus,
} from '../runtime.js';

const propagation = {
  private: 'PROPAGATION_PRIVATE',
  'host-to-container': 'PROPAGATION_HOST_TO_CONTAINER',
  bidirectional: 'PROPAGATION_BIDIRECTIONAL',
} as const;

/** The pod's namespaces as the kubelet asks for them: one network and IPC per pod, PID per container. */
function namespaceOptions(sandbox: SandboxConfig) {
  return { network: sandbox.hostNetwork ? 'NODE' : 'POD', pid: 'CONTAINER', ipc: 'POD' };
}

export function podSandboxConfig(c: SandboxConfig): Record<string, unknown> {
  return {
    metadata: { name: c.name, uid: c.uid, namespace: c.namespace, attempt: c.attempt },
    hostname: c.hostname,
    log_directory: c.logDirectory,
    dns_config: c.dns ? { servers: c.dns.servers, searches: c.dns.searches, options: c.dns.options } : null,
    port_mappings: c.portMappings.map((p) => ({
      protocol: p.protocol,
      container_port: p.containerPort,
      host_port: p.hostPort ?? 0,
      host_ip: p.hostIP ?? '',
    })),
    labels: c.labels,
    annotations: c.annotations,
    linux: {
      cgroup_parent: c.cgroupParent ?? '',
      sysctls: c.sysctls ?? {},
      security_context: { namespace_options: namespaceOptions(c) },
    },
  };
}

export function linuxResources(r: LinuxResources): Record<string, number> {
  return {
    cpu_period: r.cpuPeriod ?? 0,
    cpu_quota: r.cpuQuota ?? 0,
    cpu_shares: r.cpuShares ?? 0,
    memory_limit_in_bytes: r.memoryLimitInBytes ?? 0,
    oom_score_adj: r.oomScoreAdj ?? 0,
  };
}

export function containerConfig(c: ContainerConfig, sandbox: SandboxConfig): Record<string, unknown> {
  const sc = c.securityContext ?? {};
  return {
    metadata: { name: c.name, attempt: c.attempt },
    image: { image: c.image },
    command: c.command,
    args: c.args,
    working_dir: c.workingDir ?? '',
    envs: c.env.map((e) => ({ key: e.key, value: e.value })),
    mounts: c.mounts.map((m) => ({
      container_path: m.containerPath,
      host_path: m.hostPath,
      readonly: m.readonly,
      propagation: propagation[m.propagation ?? 'private'],
    })),
    labels: c.labels,
    annotations: c.annotations,
    log_path: c.logPath,
    stdin: c.stdin,
    stdin_once: c.stdinOnce,
    tty: c.tty,
    linux: {
      resources: linuxResources(c.resources),
      security_context: {
        namespace_options: namespaceOptions(sandbox),
        privileged: sc.privileged ?? false,
        readonly_rootfs: sc.readOnlyRootfs ?? false,
        // Int64Value wrappers: absent means "the image's user", 0 means root.
        run_as_user: sc.runAsUser === undefined ? null : { value: sc.runAsUser },
        run_as_group: sc.runAsGroup === undefined ? null : { value: sc.runAsGroup },
        capabilities: sc.capabilities
          ? { add_capabilities: sc.capabilities.add ?? [], drop_capabilities: sc.capabilities.drop ?? [] }
          : null,
      },
    },
  };
}

const nsToMs = (ns: number | undefined): number => Math.floor((ns ?? 0) / 1e6);
const optionalMs = (ns: number | undefined): number | undefined => (ns ? nsToMs(ns) : undefined);

const containerStates: Record<string, ContainerStateName> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
  CONTAINER_UNKNOWN: 'unknown',
};

/** CRI's ContainerStatus as the driver's: containerd names the reason (OOMKilled, Error, Completed). */
export function containerStatusFrom(s: any): ContainerStatus {
  const state = containerStates[s.state] ?? 'unknown';
  const out: ContainerStatus = {
    id: s.id,
    name: s.metadata?.name ?? '',
    attempt: s.metadata?.attempt ?? 0,
    state,
    createdAt: nsToMs(s.created_at),
    image: s.image?.image ?? '',
    imageRef: s.image_ref ?? '',
    logPath: s.log_path ?? '',
    labels: s.labels ?? {},
  };
  const started = optionalMs(s.started_at);
  if (started !== undefined) out.startedAt = started;
  if (state === 'exited') {
    out.exitCode = s.exit_code ?? 0;
    const finished = optionalMs(s.finished_at);
    if (finished !== undefined) out.finishedAt = finished;
  }
  if (s.reason) out.reason = s.reason;
  if (s.message) out.message = s.message;
  return out;
}

export function sandboxStatusFrom(s: any): SandboxStatus {
  const out: SandboxStatus = {
    id: s.id,
    state: s.state === 'SANDBOX_READY' ? 'ready' : 'notready',
    createdAt: nsToMs(s.created_at),
    labels: s.labels ?? {},
  };
  if (s.network?.ip) out.ip = s.network.ip;
  return out;
}

export function imageInfoFrom(i: any): ImageInfo {
  return { id: i.id, repoTags: i.repo_tags ?? [], repoDigests: i.repo_digests ?? [], size: Number(i.size ?? 0) };
}
