// The host runtime driver: each container is a plain child process of the node agent, with the
// host's filesystem, network and user. The image is not used (a container needs a command), and
// nothing is isolated or limited: `isolated` is false, and the node says so. It exists for
// laptops without containerd and for fast tests of the kubelet's lifecycle logic.
//
// Volumes cannot be mounted without namespaces, so each container runs in a directory of its own
// (its "rootfs view", also in $K8TS_ROOTFS) where every mount appears as a symlink at its mount
// path: a volume mounted at /etc/config is ./etc/config from the container's working directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, symlinkSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import type { Writable } from 'node:stream';
import {
  matchesLabels,
  type ContainerConfig, type ContainerStatus, type ExecResult, type ImageInfo, type RuntimeDriver, type RuntimeListFilter, type SandboxConfig,
  type SandboxStatus, type StreamRequest,
} from '../runtime.js';
import { CriLogWriter } from '../logs.js';

export const HOST_RUNTIME_VERSION = '0.1.0';

export interface HostRuntimeOptions {
  /** Where containers' rootfs views live: <rootDir>/<sandbox id>/<container id>. */
  rootDir: string;
}

interface HostSandbox {
  id: string;
  config: SandboxConfig;
  state: 'ready' | 'notready';
  createdAt: number;
  dir: string;
}

interface HostContainer {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  dir: string;
  logPath: string;
  state: 'created' | 'running' | 'exited';
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
  message?: string;
  proc?: ChildProcess;
  exited?: Promise<void>;
}

export class HostRuntimeError extends Error {}

const newId = () => randomBytes(32).toString('hex');

export class HostRuntime implements RuntimeDriver {
  readonly name = 'host';
  readonly isolated = false;
  private readonly sandboxes = new Map<string, HostSandbox>();
  private readonly containers = new Map<string, HostContainer>();
  private readonly images = new Map<string, ImageInfo>();
  private readonly onExit = () => this.killAllNow();
  private closed = false;

  constructor(private readonly opts: HostRuntimeOptions) {
    mkdirSync(opts.rootDir, { recursive: true });
    // Processes run in groups of their own; if the agent dies they must not linger.
    process.on('exit', this.onExit);
  }

  async version(): Promise<{ runtimeName: string; runtimeVersion: string }> {
    return { runtimeName: 'host', runtimeVersion: HOST_RUNTIME_VERSION };
  }

  // ---- sandboxes ----

  async runPodSandbox(config: SandboxConfig): Promise<string> {
    this.checkOpen();
    const id = newId();
    const dir = join(this.opts.rootDir, id);
    mkdirSync(dir, { recursive: true });
    mkdirSync(config.logDirectory, { recursive: true });
    this.sandboxes.set(id, { id, config, state: 'ready', createdAt: Date.now(), dir });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    const sb = this.sandboxes.get(id);
    if (!sb) return;
    await Promise.all([...this.containers.values()].filter((c) => c.sandboxId === id).map((c) => this.stopContainer(c.id, 0)));
    sb.state = 'notready';
  }

  async removePodSandbox(id: string): Promise<void> {
    const sb = this.sandboxes.get(id);
    if (!sb) return;
    await this.stopPodSandbox(id);
    for (const c of [...this.containers.values()]) if (c.sandboxId === id) await this.removeContainer(c.id);
    this.sandboxes.delete(id);
    rmSync(sb.dir, { recursive: true, force: true });
  }

  async podSandboxStatus(id: string): Promise<SandboxStatus | null> {
    const sb = this.sandboxes.get(id);
    return sb ? sandboxStatus(sb) : null;
  }

  async listPodSandboxes(filter?: RuntimeListFilter): Promise<SandboxStatus[]> {
    return [...this.sandboxes.values()].filter((sb) => matchesLabels(sb.config.labels, filter)).map(sandboxStatus);
  }

  // ---- images: names only ----

  async pullImage(image: string): Promise<string> {
    this.checkOpen();
    const info = imageInfo(image);
    this.images.set(image, info);
    return info.id;
  }

  async imageStatus(image: string): Promise<ImageInfo | null> {
    return this.images.get(image) ?? null;
  }

  async listImages(): Promise<ImageInfo[]> {
    return [...this.images.values()];
  }

  // ---- containers ----

  async createContainer(sandboxId: string, config: ContainerConfig, sandbox: SandboxConfig): Promise<string> {
    this.checkOpen();
    const sb = this.sandboxes.get(sandboxId);
    if (!sb) throw new HostRuntimeError(`pod sandbox ${sandboxId} not found`);
    if (sb.state !== 'ready') throw new HostRuntimeError(`pod sandbox ${sandboxId} is not ready`);
    const argv = [...config.command, ...config.args];
    if (argv.length === 0) {
      throw new HostRuntimeError(`the host runtime does not run images: container "${config.name}" needs a command (image "${config.image}" is ignored)`);
    }
    const id = newId();
    const dir = join(sb.dir, id);
    const rootfs = join(dir, 'rootfs');
    mkdirSync(rootfs, { recursive: true });
    for (const m of config.mounts) {
      const at = join(rootfs, normalize('/' + m.containerPath));
      mkdirSync(dirname(at), { recursive: true });
      try {
        symlinkSync(m.hostPath, at);
      } catch (err) {
        throw new HostRuntimeError(`cannot place mount ${m.containerPath}: ${(err as Error).message}`);
      }
    }
    const cwd = config.workingDir ? join(rootfs, normalize('/' + config.workingDir)) : rootfs;
    mkdirSync(cwd, { recursive: true });
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: sandbox.hostname, K8TS_ROOTFS: rootfs };
    for (const e of config.env) env[e.key] = e.value;
    const logPath = join(sb.config.logDirectory, config.logPath);
    mkdirSync(dirname(logPath), { recursive: true });
    this.containers.set(id, { id, sandboxId, config, argv, env, cwd, dir, logPath, state: 'created', createdAt: Date.now() });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.checkOpen();
    const c = this.containers.get(id);
    if (!c) throw new HostRuntimeError(`container ${id} not found`);
    if (c.state !== 'created') throw new HostRuntimeError(`container ${id} is ${c.state}, not created`);
    // The log exists before the process does, so an attach can follow it from the start.
    closeSync(openSync(c.logPath, 'a'));
    const log = new CriLogWriter(c.logPath);
    // A container made with stdin (kubectl run -i) keeps it open for attaches, as containerd does.
    const proc = spawn(c.argv[0], c.argv.slice(1), {
      cwd: c.cwd, env: c.env, detached: true, stdio: [c.config.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    proc.stdin?.on('error', () => {}); // a process that exits or closes its stdin: input is dropped
    proc.stdout!.on('data', (d: Buffer) => log.write('stdout', d));
    proc.stderr!.on('data', (d: Buffer) => log.write('stderr', d));
    const started = await new Promise<Error | undefined>((resolve) => {
      proc.once('spawn', () => resolve(undefined));
      proc.once('error', (err) => resolve(err));
    });
    if (started) {
      await log.close();
      c.state = 'exited';
      c.startedAt = c.finishedAt = Date.now();
      c.exitCode = 128;
      c.reason = 'StartError';
      c.message = (started as NodeJS.ErrnoException).code === 'ENOENT'
        ? `exec: "${c.argv[0]}": executable file not found in $PATH`
        : `failed to start "${c.argv[0]}": ${started.message}`;
      throw new HostRuntimeError(c.message);
    }
    c.proc = proc;
    c.state = 'running';
    c.startedAt = Date.now();
    c.exited = new Promise<void>((resolve) => {
      proc.once('exit', (code, signal) => {
        // A container ends with its first process: whatever it left behind goes with it.
        killGroup(proc.pid, 'SIGKILL');
        const finish = () => {
          c.exitCode = code ?? 128 + (signal ? constants.signals[signal] ?? 0 : 0);
          c.reason = c.exitCode === 0 ? 'Completed' : 'Error';
          c.finishedAt = Date.now();
          c.state = 'exited';
          c.proc = undefined;
          resolve();
        };
        // Let the pipes drain so the log is whole when the container reads as exited.
        const timer = setTimeout(() => void log.close().then(finish), 500);
        proc.once('close', () => {
          clearTimeout(timer);
          void log.close().then(finish);
        });
      });
    });
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    if (c.state === 'created') {
      c.state = 'exited';
      c.exitCode = 0;
      c.finishedAt = Date.now();
      return;
    }
    if (c.state !== 'running' || !c.proc) return;
    const exited = c.exited!;
    if (timeoutSeconds > 0) {
      killGroup(c.proc.pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutSeconds * 1000))),
      ]);
      clearTimeout(timer);
      if (!timedOut) return;
    }
    if (c.proc) killGroup(c.proc.pid, 'SIGKILL');
    await exited;
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    if (c.state === 'running') await this.stopContainer(id, 0);
    this.containers.delete(id);
    rmSync(c.dir, { recursive: true, force: true });
  }

  async containerStatus(id: string): Promise<ContainerStatus | null> {
    const c = this.containers.get(id);
    return c ? containerStatus(c) : null;
  }

  async listContainers(filter?: RuntimeListFilter & { sandboxId?: string }): Promise<ContainerStatus[]> {
    return [...this.containers.values()]
      .filter((c) => (!filter?.sandboxId || c.sandboxId === filter.sandboxId) && matchesLabels(c.config.labels, filter))
      .map(containerStatus);
  }

  // ---- exec ----

  async execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecResult> {
    const c = this.containers.get(id);
    if (!c) throw new HostRuntimeError(`container ${id} not found`);
    if (c.state !== 'running') throw new HostRuntimeError(`container ${id} is not running`);
    if (cmd.length === 0) throw new HostRuntimeError('exec needs a command');
    const proc = spawn(cmd[0], cmd.slice(1), { cwd: c.cwd, env: c.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    proc.stdout!.on('data', (d: Buffer) => stdout.push(d));
    proc.stderr!.on('data', (d: Buffer) => stderr.push(d));
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    if (timeoutSeconds > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(proc.pid, 'SIGKILL');
      }, timeoutSeconds * 1000);
    }
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; err?: Error }>((resolve) => {
      proc.once('error', (err) => resolve({ code: null, signal: null, err }));
      proc.once('close', (code, signal) => resolve({ code, signal }));
    });
    clearTimeout(timer);
    if (result.err) {
      const enoent = (result.err as NodeJS.ErrnoException).code === 'ENOENT';
      throw new HostRuntimeError(enoent ? `exec: "${cmd[0]}": executable file not found in $PATH` : result.err.message);
    }
    if (timedOut) throw new HostRuntimeError(`command '${cmd.join(' ')}' timed out after ${timeoutSeconds}s`);
    const exitCode = result.code ?? 128 + (result.signal ? constants.signals[result.signal] ?? 0 : 0);
    return { exitCode, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) };
  }

  async exec(): Promise<StreamRequest> {
    throw new HostRuntimeError('the host runtime has no streaming server: exec needs the cri driver');
  }

  async attach(): Promise<StreamRequest> {
    throw new HostRuntimeError('the host runtime has no streaming server: attach needs the cri driver');
  }

  /** The open stdin of a running container made with stdin: true, for an attach to write to. */
  containerStdin(id: string): { stream: Writable; once: boolean; tty: boolean } | undefined {
    const c = this.containers.get(id);
    const stdin = c?.proc?.stdin;
    if (!c || !stdin || stdin.writableEnded || stdin.destroyed) return undefined;
    return { stream: stdin, once: c.config.stdinOnce, tty: c.config.tty };
  }

  async portForward(): Promise<StreamRequest> {
    throw new HostRuntimeError('the host runtime has no streaming server; its pods use the host network, so connect to the port directly');
  }

  /** Kills every container (SIGKILL) and forgets them: host processes cannot outlive their runtime. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.containers.values()].map((c) => this.stopContainer(c.id, 0)));
    process.off('exit', this.onExit);
  }

  private checkOpen(): void {
    if (this.closed) throw new HostRuntimeError('the host runtime is closed');
  }

  private killAllNow(): void {
    for (const c of this.containers.values()) if (c.proc) killGroup(c.proc.pid, 'SIGKILL');
  }
}

/** Signals a container's process group (each container leads one); a group already gone is fine. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function imageInfo(image: string): ImageInfo {
  const digest = createHash('sha256').update(image).digest('hex');
  return { id: `sha256:${digest}`, repoTags: [image], repoDigests: [], size: 0 };
}

function sandboxStatus(sb: HostSandbox): SandboxStatus {
  return { id: sb.id, state: sb.state, createdAt: sb.createdAt, labels: { ...sb.config.labels } };
}

function containerStatus(c: HostContainer): ContainerStatus {
  const s: ContainerStatus = {
    id: c.id, name: c.config.name, attempt: c.config.attempt, state: c.state, createdAt: c.createdAt,
    image: c.config.image, imageRef: imageInfo(c.config.image).id, logPath: c.logPath, labels: { ...c.config.labels },
  };
  if (c.startedAt !== undefined) s.startedAt = c.startedAt;
  if (c.finishedAt !== undefined) s.finishedAt = c.finishedAt;
  if (c.exitCode !== undefined) s.exitCode = c.exitCode;
  if (c.reason) s.reason = c.reason;
  if (c.message) s.message = c.message;
  return s;
}
