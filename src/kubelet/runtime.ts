// The runtime driver interface: CRI v1's shape (sandboxes and containers), so the cri driver is a
// thin mapping onto containerd, and the host driver implements the same lifecycle with processes.
// The kubelet's pod workers speak only this.

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
}

export interface SandboxConfig {
  /** Pod identity, as CRI's PodSandboxMetadata. */
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
  hostname: string;
  /** Directory for container logs: <root>/pods/<namespace>_<name>_<uid>. */
  logDirectory: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  portMappings: PortMapping[];
  dns?: { servers: string[]; searches: string[]; options: string[] };
  hostNetwork: boolean;
  /** cgroup parent for the pod (QoS class aware), e.g. /k8ts/burstable/pod<uid>. */
  cgroupParent?: string;
  /** Sysctls and other Linux options the pod asked for. */
  sysctls?: Record<string, string>;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly: boolean;
  /** rprivate | rslave | rshared */
  propagation?: 'private' | 'host-to-container' | 'bidirectional';
}

export interface LinuxResources {
  /** CFS quota and period (µs); 0 = unlimited. */
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
}

export interface ContainerConfig {
  name: string;
  attempt: number;
  image: string;
  command: string[];
  args: string[];
  workingDir?: string;
  env: Array<{ key: string; value: string }>;
  mounts: Mount[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Relative to the sandbox's logDirectory: <container>/<restartCount>.log */
  logPath: string;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  resources: LinuxResources;
  securityContext?: {
    runAsUser?: number;
    runAsGroup?: number;
    privileged?: boolean;
    readOnlyRootfs?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
  };
}

export type ContainerStateName = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerStatus {
  id: string;
  name: string;
  attempt: number;
  state: ContainerStateName;
  createdAt: number; // ms since epoch
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** OOMKilled, Error, Completed, ContainerCannotRun ... */
  reason?: string;
  message?: string;
  image: string;
  imageRef: string;
  logPath: string;
  labels: Record<string, string>;
}

export interface SandboxStatus {
  id: string;
  state: 'ready' | 'notready';
  ip?: string;
  createdAt: number;
  labels: Record<string, string>;
}

export interface ExecResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
}

export interface ImageInfo {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
}

export interface StreamRequest {
  /** A URL on the runtime's streaming server (CRI Exec/Attach/PortForward answer one). */
  url: string;
}

/**
 * Narrows a list to what carries every one of these labels, as CRI's label_selector: the runtime
 * filters, so reading one pod does not cost as much as reading the node.
 */
export interface RuntimeListFilter {
  labels?: Record<string, string>;
}

/** Whether `labels` carries every label the filter asks for. */
export function matchesLabels(labels: Record<string, string> | undefined, filter: RuntimeListFilter | undefined): boolean {
  if (!filter?.labels) return true;
  for (const [k, v] of Object.entries(filter.labels)) if (labels?.[k] !== v) return false;
  return true;
}

export interface RuntimeDriver {
  /** cri, host or sim: shown as the node's containerRuntimeVersion (`containerd://1.6.20`). */
  readonly name: string;
  version(): Promise<{ runtimeName: string; runtimeVersion: string }>;
  /** True when containers are isolated (namespaces, cgroups); the host driver says false. */
  readonly isolated: boolean;

  runPodSandbox(config: SandboxConfig): Promise<string>;
  stopPodSandbox(id: string): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<SandboxStatus | null>;
  /** With labels, only the sandboxes carrying all of them (CRI's label selector). */
  listPodSandboxes(filter?: RuntimeListFilter): Promise<SandboxStatus[]>;

  pullImage(image: string, auth?: { username?: string; password?: string; auth?: string; serverAddress?: string }): Promise<string>;
  imageStatus(image: string): Promise<ImageInfo | null>;
  listImages(): Promise<ImageInfo[]>;

  createContainer(sandboxId: string, config: ContainerConfig, sandbox: SandboxConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after timeoutSeconds. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  containerStatus(id: string): Promise<ContainerStatus | null>;
  listContainers(filter?: RuntimeListFilter & { sandboxId?: string }): Promise<ContainerStatus[]>;
  updateContainerResources?(id: string, resources: LinuxResources): Promise<void>;

  execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecResult>;
  /** Streaming endpoints (exec -it, attach, port-forward) the API server proxies to. */
  exec(req: { containerId: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): Promise<StreamRequest>;
  attach(req: { containerId: string; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): Promise<StreamRequest>;
  portForward(req: { sandboxId: string; port: number[] }): Promise<StreamRequest>;

  close(): Promise<void>;
}
