import type { TestServer } from './cluster.js';

/** `kubectl get ARGS -o json`, parsed; undefined when there is nothing by that name. */
export async function getJSON(server: TestServer, args: string[]): Promise<any> {
  const r = await server.kubectl(['get', ...args, '-o', 'json', '--ignore-not-found']);
  return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
}
