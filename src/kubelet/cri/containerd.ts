// containerd supervised by the node agent, as k3s does it: k8ts writes its config under the data
// dir, starts it as a child, waits until CRI answers, restarts it if it dies, and stops it by PID.
// Pods must be stopped and removed through CRI before stop(): containerd's shims outlive it by design.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { log, logError } from '../../machinery/log.js';
import { containerdConfigToml, containerdLayout, type ContainerdConfigOptions, type ContainerdLayout } from './containerd-config.js';
import { connectCri } from './grpc.js';
import { ensurePauseImage, PAUSE_IMAGE } from './pause-image.js';
import { readRegistriesFile, type Registries } from './registries.js';

const COMPONENT = 'containerd';

export interface ContainerdOptions {
  /** containerd's folder, <data-dir>/containerd: config, socket, images, state. */
  root: string;
  /** Use a containerd already serving CRI on this socket; nothing is started or stopped. */
  socket?: string;
  /** Sandbox image; the default, k8ts.local/pause:3.10, is built and imported on first start. */
  sandboxImage?: string;
  cniConfDir?: string;
  cniBinDir?: string;
  /** k3s's --private-registry: a registries.yaml with mirrors and configs. */
  privateRegistry?: string;
  /** Registries given directly (tests); merged over privateRegistry's. */
  registries?: Registries;
  logLevel?: ContainerdConfigOptions['logLevel'];
  streamPort?: number;
  binary?: string;
  startTimeoutMs?: number;
  /** Start it again when it dies (default true). */
  restart?: boolean;
}

export interface Containerd {
  /** The CRI socket (give it to CriRuntime). */
  socket: string;
  sandboxImage: string;
  /** Paths of the supervised instance; absent when an existing socket is used. */
  layout?: ContainerdLayout;
  /** PID of the running containerd we started. */
  pid(): number | undefined;
  /** How many times it was restarted after dying. */
  restarts(): number;
  /** SIGTERM (then SIGKILL after 10 s) to the containerd we started; a no-op for an existing socket. */
  stop(): Promise<void>;
}

function findExecutable(name: string, path = ''): string | undefined {
  const candidates = name.includes('/') ? [name] : path.split(':').filter(Boolean).map((d) => join(d, name));
  return candidates.find((p) => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

/** Longest unix socket path Linux accepts (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function waitForCri(socket: string, deadline: number, exited: () => boolean): Promise<void> {
  let lastErr = '';
  while (Date.now() < deadline) {
    if (exited()) throw new Error('containerd exited while starting');
    const cri = connectCri(socket, 1000);
    try {
      await cri.runtime('Version', { version: 'v1' }, 1000);
      return;
    } catch (err) {
      lastErr = (err as Error).message;
    } finally {
      cri.close();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`containerd did not answer CRI on ${socket} in time (${lastErr})`);
}

export async function startContainerd(opts: ContainerdOptions): Promise<Containerd> {
  const sandboxImage = opts.sandboxImage ?? PAUSE_IMAGE;
  const timeout = opts.startTimeoutMs ?? 30_000;
  if (opts.socket) {
    await waitForCri(opts.socket, Date.now() + timeout, () => false);
    return { socket: opts.socket, sandboxImage, pid: () => undefined, restarts: () => 0, stop: async () => {} };
  }

  const layout = containerdLayout(opts.root, opts.cniConfDir);
  if (layout.socket.length > MAX_SOCKET_PATH) {
    throw new Error(`containerd's socket path ${layout.socket} is longer than ${MAX_SOCKET_PATH} bytes; use a shorter --data-dir`);
  }
  const env = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` };
  const binary = findExecutable(opts.binary ?? 'containerd', env.PATH);
  if (!binary) throw new Error(`cannot run ${opts.binary ?? 'containerd'}: not found (install containerd: apt-get install containerd runc)`);
  const pdeathsig = findExecutable('setpriv', env.PATH);
  const fromFile = opts.privateRegistry ? await readRegistriesFile(opts.privateRegistry) : undefined;
  const registries: Registries = {
    mirrors: { ...fromFile?.mirrors, ...opts.registries?.mirrors },
    configs: { ...fromFile?.configs, ...opts.registries?.configs },
  };
  await mkdir(layout.root, { recursive: true, mode: 0o700 });
  await mkdir(layout.cniConfDir, { recursive: true });
  await writeFile(layout.config, containerdConfigToml({
    layout, sandboxImage, registries, cniBinDir: opts.cniBinDir, logLevel: opts.logLevel, streamPort: opts.streamPort,
  }), { mode: 0o600 });

  let child: ChildProcess | null = null;
  let exited = true;
  let stopping = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let startedAt = 0;
  let backoffMs = 500;
  let exitPromise: Promise<void> = Promise.resolve();
  let spawnError = '';

  const spawnOnce = (): void => {
    const out = openSync(layout.log, 'a');
    try {
      // As k3s sets Pdeathsig: if the agent dies without stopping it, containerd gets SIGTERM
      // rather than living on unsupervised (setpriv execs, so the PID stays containerd's).
      const [cmd, args] = pdeathsig
        ? [pdeathsig, ['--pdeathsig', 'TERM', '--', binary, '--config', layout.config]]
        : [binary, ['--config', layout.config]];
      child = spawn(cmd, args, { stdio: ['ignore', out, out], env });
    } finally {
      closeSync(out);
    }
    exited = false;
    startedAt = Date.now();
    const proc = child;
    exitPromise = new Promise((resolve) => {
      proc.once('error', (err) => {
        spawnError = `cannot run ${binary}: ${err.message}`;
        logError(COMPONENT, spawnError);
      });
      proc.once('close', (code, signal) => {
        exited = true;
        resolve();
        if (stopping) return;
        logError(COMPONENT, 'containerd exited', { code, signal, log: layout.log, tail: logTail(layout.log, 3) });
        if (opts.restart === false) return;
        // Back off when it keeps dying right away, so a broken config does not spin.
        if (Date.now() - startedAt > 60_000) backoffMs = 500;
        const delay = backoffMs;
        backoffMs = Math.min(backoffMs * 2, 30_000);
        restartTimer = setTimeout(() => {
          if (stopping) return;
          restarts++;
          log(COMPONENT, 'restarting containerd', { restarts });
          spawnOnce();
        }, delay);
      });
    });
  };

  const killOnExit = () => {
    if (child?.pid && !exited) {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killOnExit);

  const stop = async (): Promise<void> => {
    stopping = true;
    clearTimeout(restartTimer);
    process.off('exit', killOnExit);
    const proc = child;
    if (!proc?.pid || exited) return;
    proc.kill('SIGTERM');
    const killTimer = setTimeout(() => {
      if (!exited) proc.kill('SIGKILL');
    }, 10_000);
    await exitPromise;
    clearTimeout(killTimer);
  };

  spawnOnce();
  try {
    await waitForCri(layout.socket, Date.now() + timeout, () => exited);
  } catch (err) {
    await stop();
    if (spawnError) throw new Error(spawnError);
    throw new Error(`${(err as Error).message}; see ${layout.log}:\n${logTail(layout.log)}`);
  }
  log(COMPONENT, 'containerd ready', { pid: (child as ChildProcess | null)?.pid, socket: layout.socket });

  if (sandboxImage === PAUSE_IMAGE) {
    try {
      const r = await ensurePauseImage({ socket: layout.socket, workDir: join(layout.root, 'images') });
      if (r.imported) log(COMPONENT, 'pause image built and imported', { image: r.image });
    } catch (err) {
      await stop();
      throw err;
    }
  }

  return {
    socket: layout.socket,
    sandboxImage,
    layout,
    pid: () => (exited ? undefined : child?.pid),
    restarts: () => restarts,
    stop,
  };
}

/**
 * PIDs of containerd-shim processes serving the containerd on `socket` (they name its address on
 * their command line). A node agent checks this is empty after stopping its pods.
 */
export function listShims(socket: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!argv[0]?.includes('containerd-shim')) continue;
    const i = argv.indexOf('-address');
    if (i >= 0 && argv[i + 1] === socket) pids.push(Number(name));
  }
  return pids;
}
