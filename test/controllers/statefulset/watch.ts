// A `kubectl get --watch --output-watch-events` running beside an e2e test, so that the order in
// which objects appear, change and go can be asserted from what a user would have seen.
import { spawn } from 'node:child_process';
import type { TestServer } from '../../helpers/cluster.js';

export interface Watch {
  /** Lines printed so far, one per watch event. */
  lines: string[];
  /** Resolves once a line at or after index `from` matches (or rejects after `timeoutMs`). */
  waitFor(re: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Watches `args` (e.g. ['pods', '-l', 'app=web']) printing each event with `jsonpath`. */
export function watch(server: TestServer, args: string[], jsonpath: string): Watch {
  const child = spawn('/usr/bin/kubectl', [
    '--kubeconfig', server.kubeconfig, 'get', ...args, '--watch', '--output-watch-events', '-o', `jsonpath=${jsonpath}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    lines.push(...parts.filter((l) => l.trim()));
    for (const w of waiters) w();
  });
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    lines,
    waitFor(re, from = 0, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find((l, i) => i >= from && re.test(l));
          if (!hit) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no watch event matched ${re} within ${timeoutMs} ms; saw:\n${lines.join('\n')}\n${stderr}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
