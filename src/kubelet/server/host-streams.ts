// exec and attach for the host runtime driver, which has no streaming server: its containers are
// plain processes, so an exec is another process started in the container's environment and
// working directory (taken from the container's own process, as nsenter would take namespaces
// from it), and an attach follows the container's output as it is written to its log.
import { spawn, execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { writeContainerLog } from './container-logs.js';
import { streamStatus, type StreamHandler, type StreamOptions, type TerminalSize } from './remotecommand.js';

interface ContainerProcess {
  pid: number;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * The process the host driver runs a container as. The driver gives every container's processes
 * K8TS_ROOTFS=<root>/<sandbox>/<container id>/rootfs; the lowest such pid is the container's own.
 */
export async function containerProcess(containerId: string, procRoot = '/proc'): Promise<ContainerProcess | undefined> {
  const needle = Buffer.from(`/${containerId}/rootfs\0`);
  const pids = (await readdir(procRoot)).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  for (const pid of pids) {
    let environ: Buffer;
    try {
      environ = await readFile(`${procRoot}/${pid}/environ`);
    } catch {
      continue; // gone, or not ours to read
    }
    if (!environ.includes(needle)) continue;
    const env: NodeJS.ProcessEnv = {};
    for (const kv of environ.toString('utf8').split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    if (!env.K8TS_ROOTFS?.endsWith(`/${containerId}/rootfs`)) continue;
    let cwd = env.K8TS_ROOTFS;
    try {
      cwd = await readlink(`${procRoot}/${pid}/cwd`);
    } catch {
      // keep the rootfs view
    }
    return { pid, env, cwd };
  }
  return undefined;
}

/** A command line for `sh -c`, each word single-quoted. */
export function shellJoin(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Sets the size of the terminal `script` made for the command (its child's stdin is the pty). */
async function resizePty(scriptPid: number, size: TerminalSize): Promise<void> {
  try {
    const children = (await readFile(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8')).trim().split(/\s+/).filter(Boolean);
    if (!children.length) return;
    const tty = await readlink(`/proc/${children[0]}/fd/0`);
    if (!tty.startsWith('/dev/pts/')) return;
    await new Promise<void>((resolve) => execFile('stty', ['-F', tty, 'cols', String(size.width), 'rows', String(size.height)], () => resolve()));
  } catch {
    // the command is gone or the terminal is not ours: nothing to resize
  }
}

/** Runs `cmd` in the container's environment, its stdio joined to the client's streams. */
export function hostExec(containerId: string, cmd: string[], opts: StreamOptions): StreamHandler {
  return async (streams) => {
    if (cmd.length === 0) return streamStatus.internal('error executing command in container: no command given');
    const target = await containerProcess(containerId);
    if (!target) return streamStatus.internal(`error executing command in container: container ${containerId} is not running`);
    const env = { ...target.env };
    // A terminal needs a pty, which Node cannot make: util-linux `script` makes one and relays it.
    const argv = opts.tty ? ['script', '-qfec', shellJoin(cmd), '/dev/null'] : cmd;
    if (opts.tty) env.TERM ??= 'xterm';
    const child = spawn(argv[0], argv.slice(1), { cwd: target.cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err?: NodeJS.ErrnoException }>((resolve) => {
      child.once('error', (err) => resolve({ code: null, signal: null, err }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    child.stdin!.on('error', () => {});
    if (streams.stdin) streams.stdin.pipe(child.stdin!);
    else child.stdin!.end();
    if (streams.stdout) child.stdout!.pipe(streams.stdout, { end: false });
    else child.stdout!.resume();
    if (streams.stderr) child.stderr!.pipe(streams.stderr, { end: false });
    else child.stderr!.resume();
    const onResize = (size: TerminalSize) => { if (opts.tty && child.pid) void resizePty(child.pid, size); };
    if (streams.resize.last) onResize(streams.resize.last);
    streams.resize.on('resize', onResize);
    const onAbort = () => killGroup(child.pid, 'SIGKILL');
    streams.signal.addEventListener('abort', onAbort, { once: true });
    const r = await exited;
    streams.signal.removeEventListener('abort', onAbort);
    streams.resize.off('resize', onResize);
    streams.stdin?.unpipe(child.stdin!);
    if (r.err) {
      const what = r.err.code === 'ENOENT' ? `exec: "${argv[0]}": executable file not found in $PATH` : r.err.message;
      return streamStatus.internal(`error executing command in container: ${what}`);
    }
    const code = r.code ?? 128 + (r.signal ? constants.signals[r.signal] ?? 0 : 0);
    return code === 0 ? streamStatus.success() : streamStatus.exitCode(code, cmd);
  };
}

/** A container's stdin as the host driver keeps it for attaches (containers made with stdin: true). */
export interface HostStdin {
  stream: Writable;
  /** stdinOnce: the first attach's end of input closes the container's stdin. */
  once: boolean;
  tty: boolean;
}

export interface HostStdinSource {
  containerStdin(containerId: string): HostStdin | undefined;
}

/**
 * Attaches to a running container: what it writes from now on, stdout and stderr apart, until it
 * stops; the client's input goes to the container's stdin when it was made with one. As
 * containerd does: when the input ends, a stdinOnce container's stdin is closed and its output
 * still followed to its end; otherwise the attach ends there. Input is connected only once the
 * output is being followed, so nothing the container answers is missed.
 */
export function hostAttach(logPath: string, isRunning: () => Promise<boolean>, stdinOf: () => HostStdin | undefined = () => undefined): StreamHandler {
  return async (streams) => {
    const ac = new AbortController();
    const onClientGone = () => ac.abort();
    streams.signal.addEventListener('abort', onClientGone, { once: true });
    const target = streams.stdin ? stdinOf() : undefined;
    const input = streams.stdin;
    const onInputEnd = () => {
      if (target!.once && !target!.tty) target!.stream.end();
      else ac.abort();
    };
    const connect = () => {
      if (!input) return;
      if (!target) return void input.resume();
      input.pipe(target.stream, { end: false });
      input.once('end', onInputEnd);
    };
    try {
      const out = streams.stdout ?? streams.stderr;
      if (!out) {
        connect();
        while (!ac.signal.aborted && (await isRunning())) await new Promise((r) => setTimeout(r, 250));
        return streamStatus.success();
      }
      await writeContainerLog(logPath, { follow: true, timestamps: false }, out, { isRunning, signal: ac.signal }, {
        stderr: streams.stdout ? streams.stderr : undefined, fromEnd: true, onStart: connect,
      });
      return streamStatus.success();
    } finally {
      streams.signal.removeEventListener('abort', onClientGone);
      if (input && target) {
        input.unpipe(target.stream);
        input.off('end', onInputEnd);
      }
    }
  };
}
