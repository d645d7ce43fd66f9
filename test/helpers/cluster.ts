// Starts a real `k8ts server` process for e2e tests and drives the real kubectl against it.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const compiled = import.meta.url.endsWith('.js');
/** The repository root, from test/helpers or dist/test/helpers. */
export const repoRoot = resolve(here, compiled ? '../../..' : '../..');

/** How to run the k8ts CLI from this test: the compiled build, or the sources under tsx. */
export function k8tsCommand(): { cmd: string; args: string[] } {
  if (compiled) return { cmd: process.execPath, args: [join(repoRoot, 'bin', 'k8ts.js')] };
  return { cmd: process.execPath, args: ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts')] };
}

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  kubeconfig: string;
  proc: ChildProcess;
  /** Output so far (stdout and stderr), for failure messages. */
  output(): string;
  kubectl(args: string[], opts?: { input?: string; env?: Record<string, string>; allowFail?: boolean }): Promise<KubectlResult>;
  stop(opts?: { keepData?: boolean; signal?: NodeJS.Signals }): Promise<void>;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface StartOptions {
  dataDir?: string;
  port?: number;
  args?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Flags for node itself, before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'k8ts-e2e-')));
  const kubeconfig = join(dataDir, 'kubeconfig.yaml');
  const { cmd, args } = k8tsCommand();
  const proc = spawn(cmd, [
    ...(opts.nodeArgs ?? []), ...args, 'server', '--data-dir', dataDir, '--https-listen-port', String(opts.port ?? 0),
    '--write-kubeconfig', kubeconfig, '--disable-agent', ...(opts.args ?? []),
  ], { env: { ...process.env, K8TS_LOG: process.env.K8TS_LOG ?? 'quiet', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not become ready:\n${out}`)), opts.timeoutMs ?? 20000);
    const check = () => {
      const m = /ready at (https:\/\/[\d.]+:\d+)/.exec(out);
      if (m) { clearTimeout(t); resolveUrl(m[1]); }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => { clearTimeout(t); reject(new Error(`server exited with ${code}:\n${out}`)); });
  });
  const port = Number(new URL(url).port);
  const server: TestServer = {
    url, port, dataDir, kubeconfig, proc,
    output: () => out,
    kubectl: (kargs, kopts = {}) => kubectl(kubeconfig, kargs, kopts),
    async stop(sopts = {}) {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill(sopts.signal ?? 'SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      if (!sopts.keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

export function kubectl(kubeconfig: string, args: string[], opts: { input?: string; env?: Record<string, string>; allowFail?: boolean } = {}): Promise<KubectlResult> {
  return new Promise((resolveRun, reject) => {
    const child = execFile('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], {
      env: { ...process.env, ...opts.env }, timeout: 30000, maxBuffer: 32 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      const result = { code: typeof code === 'number' ? code : 1, stdout: String(stdout), stderr: String(stderr) };
      if (result.code !== 0 && !opts.allowFail) {
        reject(new Error(`kubectl ${args.join(' ')} failed (${result.code}):\n${result.stderr}${result.stdout}`));
      } else resolveRun(result);
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin?.end();
  });
}
