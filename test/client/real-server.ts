// Starts a real `k8ts server` for the client's integration tests: its own data dir, any free
// port, no agent; stopped by PID and cleaned up afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const compiled = here.includes(`${'/'}dist${'/'}`);
const root = resolve(here, compiled ? '../../..' : '../..');

export interface RealServer {
  url: string;
  kubeconfig: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startRealServer(timeoutMs = 60_000): Promise<RealServer> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-client-it-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const entry = compiled ? [join(root, 'dist/src/cli/main.js')] : ['--import', 'tsx', join(root, 'src/cli/main.ts')];
  const child: ChildProcess = spawn(process.execPath, [
    ...entry, 'server', '--data-dir', join(dir, 'data'), '--https-listen-port', '0', '--write-kubeconfig', kubeconfig, '--disable-agent',
  ], { cwd: root, env: { ...process.env, K8TS_LOG: 'quiet' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`k8ts server did not become ready in ${timeoutMs} ms:\n${out}\n${err}`)), timeoutMs);
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /ready at (https?:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]);
        }
      });
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`k8ts server exited (${code ?? sig}) before it was ready:\n${out}\n${err}`));
      });
    });
    return { url, kubeconfig, dir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
