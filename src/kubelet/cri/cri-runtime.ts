// The cri runtime driver: RuntimeDriver as CRI v1 calls to containerd (or any CRI runtime) on a
// unix socket. Kubernetes' kubelet speaks exactly this to its runtime; the mapping lives in
// mapping.ts so this file is only the calls and their "not found" conventions.
import type {
  ContainerConfig, ContainerStatus, ExecResult, ImageInfo, LinuxResources, RuntimeDriver, RuntimeListFilter, SandboxConfig,
  SandboxStatus, StreamRequest,
} from '../runtime.js';
import { connectCri, isNotFound, type CriConnection } from './grpc.js';
import {
  containerConfig, containerStatusFrom, imageInfoFrom, linuxResources, podSandboxConfig, sandboxStatusFrom,
} from './mapping.js';

export interface CriRuntimeOptions {
  /** Path of the runtime's CRI socket, e.g. <data-dir>/containerd/containerd.sock. */
  socket: string;
  /** Deadline of ordinary calls; image pulls get `pullTimeoutMs`. */
  timeoutMs?: number;
  pullTimeoutMs?: number;
}

export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export class CriRuntime implements RuntimeDriver {
  readonly name = 'cri';
  readonly isolated = true;
  private conn: CriConnection;
  private timeoutMs: number;
  private pullTimeoutMs: number;
  /**
   * The last status read of each running or exited container. Nothing in a status changes while
   * the container stays in one of those states (its start, its end, exit code and reason are
   * fixed), so a list that shows it in the same state reuses it instead of asking again.
   */
  private statuses = new Map<string, ContainerStatus>();
  /** The same for sandboxes: a sandbox's address is fixed for its life, and a list carries none. */
  private sandboxes = new Map<string, SandboxStatus>();

  constructor(opts: CriRuntimeOptions) {
    this.timeoutMs = opts.timeoutMs ?? 2 * 60_000;
    this.pullTimeoutMs = opts.pullTimeoutMs ?? 10 * 60_000;
    this.conn = connectCri(opts.socket, this.timeoutMs);
  }

  async version(): Promise<{ runtimeName: string; runtimeVersion: string }> {
    const r = await this.conn.runtime('Version', { version: 'v1' });
    return { runtimeName: r.runtime_name, runtimeVersion: r.runtime_version };
  }

  /** RuntimeReady and NetworkReady, as the kubelet reads them for the node's Ready condition. */
  async status(): Promise<RuntimeCondition[]> {
    const r = await this.conn.runtime('Status', { verbose: false });
    return (r.status?.conditions ?? []).map((c: any) => ({ type: c.type, status: !!c.status, reason: c.reason, message: c.message }));
  }

  // ---- sandboxes ----------------------------------------------------------------------------------

  async runPodSandbox(config: SandboxConfig): Promise<string> {
    const r = await this.conn.runtime('RunPodSandbox', { config: podSandboxConfig(config), runtime_handler: '' });
    return r.pod_sandbox_id;
  }

  /** Idempotent, as CRI requires: a sandbox that is gone is already stopped. */
  async stopPodSandbox(id: string): Promise<void> {
    await ignoreNotFound(this.conn.runtime('StopPodSandbox', { pod_sandbox_id: id }));
  }

  async removePodSandbox(id: string): Promise<void> {
    await ignoreNotFound(this.conn.runtime('RemovePodSandbox', { pod_sandbox_id: id }));
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(id: string): Promise<SandboxStatus | null> {
    const r = await ignoreNotFound(this.conn.runtime('PodSandboxStatus', { pod_sandbox_id: id, verbose: false }));
    const status = r?.status ? sandboxStatusFrom(r.status) : null;
    if (status) this.sandboxes.set(id, status);
    else this.sandboxes.delete(id);
    return status ? { ...status } : null;
  }

  /**
   * CRI's list carries no addresses: a sandbox listed in the state its status was last read in
   * gets the address that read gave; for the others ask podSandboxStatus.
   */
  async listPodSandboxes(filter?: RuntimeListFilter): Promise<SandboxStatus[]> {
    const r = await this.conn.runtime('ListPodSandbox', filter?.labels ? { filter: { label_selector: filter.labels } } : {});
    const listed: SandboxStatus[] = (r.items ?? []).map(sandboxStatusFrom);
    if (!filter?.labels) {
      const present = new Set(listed.map((s) => s.id));
      for (const id of this.sandboxes.keys()) if (!present.has(id)) this.sandboxes.delete(id);
    }
    return listed.map((s) => {
      const known = this.sandboxes.get(s.id);
      return known && known.state === s.state ? { ...known } : s;
    });
  }

  // ---- images -------------------------------------------------------------------------------------

  async pullImage(image: string, auth?: { username?: string; password?: string; auth?: string; serverAddress?: string }): Promise<string> {
    const req: Record<string, unknown> = { image: { image } };
    if (auth) {
      req.auth = { username: auth.username ?? '', password: auth.password ?? '', auth: auth.auth ?? '', server_address: auth.serverAddress ?? '' };
    }
    const r = await this.conn.image('PullImage', req, this.pullTimeoutMs);
    return r.image_ref;
  }

  /** Null when the image is not present (CRI answers an empty image rather than an error). */
  async imageStatus(image: string): Promise<ImageInfo | null> {
    const r = await ignoreNotFound(this.conn.image('ImageStatus', { image: { image }, verbose: false }));
    return r?.image?.id ? imageInfoFrom(r.image) : null;
  }

  async listImages(): Promise<ImageInfo[]> {
    const r = await this.conn.image('ListImages', {});
    return (r.images ?? []).map(imageInfoFrom);
  }

  async removeImage(image: string): Promise<void> {
    await ignoreNotFound(this.conn.image('RemoveImage', { image: { image } }));
  }

  // ---- containers ---------------------------------------------------------------------------------

  async createContainer(sandboxId: string, config: ContainerConfig, sandbox: SandboxConfig): Promise<string> {
    const r = await this.conn.runtime('CreateContainer', {
      pod_sandbox_id: sandboxId,
      config: containerConfig(config, sandbox),
      sandbox_config: podSandboxConfig(sandbox),
    });
    return r.container_id;
  }

  async startContainer(id: string): Promise<void> {
    await this.conn.runtime('StartContainer', { container_id: id });
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    // The runtime waits the grace period itself; our deadline must outlast it.
    const deadline = this.timeoutMs + Math.max(0, timeoutSeconds) * 1000;
    await ignoreNotFound(this.conn.runtime('StopContainer', { container_id: id, timeout: Math.max(0, Math.floor(timeoutSeconds)) }, deadline));
  }

  async removeContainer(id: string): Promise<void> {
    await ignoreNotFound(this.conn.runtime('RemoveContainer', { container_id: id }));
    this.statuses.delete(id);
  }

  async containerStatus(id: string): Promise<ContainerStatus | null> {
    const r = await ignoreNotFound(this.conn.runtime('ContainerStatus', { container_id: id, verbose: false }));
    const status = r?.status ? containerStatusFrom(r.status) : null;
    if (status && SETTLED.has(status.state)) this.statuses.set(id, status);
    else this.statuses.delete(id);
    return status ? { ...status } : null;
  }

  /**
   * CRI's ListContainers has no exit codes or reasons, which the kubelet needs, so the status of
   * each listed container is read too, unless it was read before in the state it is listed in;
   * one removed in between is left out.
   */
  async listContainers(filter?: RuntimeListFilter & { sandboxId?: string }): Promise<ContainerStatus[]> {
    const selector = filter?.sandboxId || filter?.labels ? { pod_sandbox_id: filter.sandboxId ?? '', label_selector: filter.labels ?? {} } : null;
    const r = await this.conn.runtime('ListContainers', { filter: selector });
    const listed: any[] = r.containers ?? [];
    const statuses = await Promise.all(listed.map((c) => {
      const known = this.statuses.get(c.id);
      return known && LISTED_STATE[c.state] === known.state ? { ...known } : this.containerStatus(c.id);
    }));
    if (!selector) {
      // A full list shows every container there is: forget those that are gone.
      const present = new Set(listed.map((c) => c.id as string));
      for (const id of this.statuses.keys()) if (!present.has(id)) this.statuses.delete(id);
    }
    return statuses.filter((s): s is ContainerStatus => s !== null);
  }

  async updateContainerResources(id: string, resources: LinuxResources): Promise<void> {
    await this.conn.runtime('UpdateContainerResources', { container_id: id, linux: linuxResources(resources) });
  }

  // ---- exec, attach, port-forward -----------------------------------------------------------------

  async execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecResult> {
    const deadline = this.timeoutMs + Math.max(0, timeoutSeconds) * 1000;
    const r = await this.conn.runtime('ExecSync', { container_id: id, cmd, timeout: Math.max(0, Math.floor(timeoutSeconds)) }, deadline);
    return { exitCode: r.exit_code ?? 0, stdout: Buffer.from(r.stdout ?? []), stderr: Buffer.from(r.stderr ?? []) };
  }

  async exec(req: { containerId: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): Promise<StreamRequest> {
    const r = await this.conn.runtime('Exec', {
      container_id: req.containerId, cmd: req.cmd, tty: req.tty, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr,
    });
    return { url: r.url };
  }

  async attach(req: { containerId: string; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): Promise<StreamRequest> {
    const r = await this.conn.runtime('Attach', {
      container_id: req.containerId, tty: req.tty, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr,
    });
    return { url: r.url };
  }

  async portForward(req: { sandboxId: string; port: number[] }): Promise<StreamRequest> {
    const r = await this.conn.runtime('PortForward', { pod_sandbox_id: req.sandboxId, port: req.port });
    return { url: r.url };
  }

  async close(): Promise<void> {
    this.conn.close();
  }
}

/** Container states whose status stays as it was read. */
const SETTLED = new Set(['running', 'exited']);
const LISTED_STATE: Record<string, string> = { CONTAINER_RUNNING: 'running', CONTAINER_EXITED: 'exited' };

async function ignoreNotFound<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}
