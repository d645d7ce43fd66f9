// A local image registry for tests: Debian's docker-registry (distribution 2.8) on
// 127.0.0.1:<free port>, plain HTTP, storage in a temp dir. stop() ends the process it started
// (by PID) and removes the dir. Containerd reaches it when it is listed as a mirror with an
// http:// endpoint (registriesFor()).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registries } from '../../src/kubelet/cri/registries.js';

export interface LocalRegistry {
  /** `127.0.0.1:PORT`, the host part of image references pushed to it. */
  host: string;
  url: string;
  /** Ends the registry process and removes its storage. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, proc: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`docker-registry exited: ${output()}`);
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer on ${url} in ${timeoutMs} ms: ${output()}`);
}

export async function startRegistry(opts: { timeoutMs?: number } = {}): Promise<LocalRegistry> {
  let lastErr: unknown;
  // A port found free can be taken before the registry binds it; try again on another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-registry-'));
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = join(dir, 'config.yml');
    writeFileSync(config, [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${host}`,
      '',
    ].join('\n'));
    let out = '';
    const proc = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (d) => { out = (out + d).slice(-4000); });
    proc.stderr!.on('data', (d) => { out = (out + d).slice(-4000); });
    const spawnError = new Promise<never>((_, reject) => proc.once('error', (e) => reject(new Error(`cannot run docker-registry (apt-get install docker-registry): ${e.message}`))));
    const exited = new Promise<void>((resolve) => proc.once('close', () => resolve()));
    const stop = async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      await Promise.race([waitReady(`http://${host}`, proc, () => out, opts.timeoutMs ?? 15_000), spawnError]);
      return { host, url: `http://${host}`, stop };
    } catch (err) {
      lastErr = err;
      await stop();
      if (!/address already in use/.test(String((err as Error).message))) break;
    }
  }
  throw lastErr;
}

/** The registries that make containerd pull from this registry over plain HTTP. */
export function registriesFor(registry: LocalRegistry): Registries {
  return { mirrors: { [registry.host]: { endpoint: [registry.url] } }, configs: {} };
}

/** The same as a k3s registries.yaml, for `--private-registry FILE`. */
export function registriesYaml(registry: LocalRegistry): string {
  return `mirrors:\n  "${registry.host}":\n    endpoint:\n      - "${registry.url}"\n`;
}
