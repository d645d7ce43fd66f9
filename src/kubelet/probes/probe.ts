// One probe attempt, as the kubelet's prober runs it: exec through the runtime, an HTTP GET or a
// TCP connect from the node to the pod's IP (the node's own for hostNetwork pods), or a gRPC
// health check. Failures carry the text Kubernetes puts into Unhealthy events.
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { RuntimeDriver } from '../runtime.js';
import { errMessage, type Container, type HTTPGetAction, type ProbeHandler } from '../types.js';
import { healthCheck } from './grpc-health.js';

export type ProbeResult = 'success' | 'failure' | 'warning';

export interface ProbeOutcome {
  result: ProbeResult;
  output: string;
}

export interface ProbeTarget {
  container: Container;
  containerId: string;
  /** Where httpGet, tcpSocket and grpc connect when the handler names no host. */
  podIP: string;
  runtime: RuntimeDriver;
}

export const PROBE_USER_AGENT = 'kube-probe/1.32';
const MAX_BODY = 10 * 1024;

/** A port by number, numeric string or the name of one of the container's ports. */
export function resolvePort(port: number | string, c: Container): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const found = c.ports?.find((p) => p.name === port);
  if (!found) throw new Error(`couldn't find port: ${port} in container`);
  return found.containerPort;
}

const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

export async function runProbe(handler: ProbeHandler, timeoutSeconds: number, t: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutMs = Math.max(1, timeoutSeconds) * 1000;
  try {
    if (handler.exec) return await execProbe(handler.exec.command ?? [], timeoutSeconds, t);
    if (handler.httpGet) return await httpProbe(handler.httpGet, timeoutMs, t);
    if (handler.tcpSocket) return await tcpProbe(handler.tcpSocket.host || t.podIP, resolvePort(handler.tcpSocket.port, t.container), timeoutMs);
    if (handler.grpc) return await grpcProbe(handler.grpc.port, handler.grpc.service ?? '', timeoutMs, t.podIP);
  } catch (err) {
    return { result: 'failure', output: errMessage(err) };
  }
  return { result: 'warning', output: 'missing probe handler' };
}

async function execProbe(command: string[], timeoutSeconds: number, t: ProbeTarget): Promise<ProbeOutcome> {
  let r;
  try {
    r = await t.runtime.execSync(t.containerId, command, Math.max(1, timeoutSeconds));
  } catch (err) {
    if (/timed out|deadline/i.test(errMessage(err))) return { result: 'failure', output: `command ${JSON.stringify(command.join(' '))} timed out` };
    throw err;
  }
  const output = Buffer.concat([r.stdout, r.stderr]).toString('utf8');
  return r.exitCode === 0 ? { result: 'success', output } : { result: 'failure', output };
}

/** The URL an httpGet handler asks for; `host` falls back to `defaultHost`. */
export function httpGetURL(h: HTTPGetAction, c: Container, defaultHost: string): URL {
  const scheme = (h.scheme ?? 'HTTP').toLowerCase();
  const port = resolvePort(h.port, c);
  let path = h.path || '/';
  if (!path.startsWith('/')) path = '/' + path;
  return new URL(`${scheme}://${hostPort(h.host || defaultHost, port)}${path}`);
}

/** One GET: resolves with the status code, rejects with Go's wording of the failure. */
export function httpGet(url: URL, headers: Array<{ name: string; value: string }>, timeoutMs: number): Promise<number> {
  const h: Record<string, string> = { 'user-agent': PROBE_USER_AGENT, accept: '*/*' };
  for (const { name, value } of headers) h[name.toLowerCase()] = value;
  const transport = url.protocol === 'https:' ? https : http;
  const goURL = url.toString();
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: 'GET', headers: h, agent: false, rejectUnauthorized: false, timeout: timeoutMs }, (resp) => {
      let seen = 0;
      resp.on('data', (d: Buffer) => {
        seen += d.length;
        if (seen > MAX_BODY) resp.destroy();
      });
      resp.on('error', () => {});
      resp.on('close', () => resolve(resp.statusCode ?? 0));
    });
    const deadline = setTimeout(() => {
      req.destroy(new Error(`Get ${JSON.stringify(goURL)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`));
    }, timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`Get ${JSON.stringify(goURL)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(deadline);
      if (err.message.startsWith('Get "')) return reject(err);
      reject(new Error(`Get ${JSON.stringify(goURL)}: ${dialError(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || (url.protocol === 'https:' ? 443 : 80)), err)}`));
    });
    req.on('close', () => clearTimeout(deadline));
    req.end();
  });
}

async function httpProbe(h: HTTPGetAction, timeoutMs: number, t: ProbeTarget): Promise<ProbeOutcome> {
  const url = httpGetURL(h, t.container, t.podIP);
  const code = await httpGet(url, h.httpHeaders ?? [], timeoutMs);
  if (code >= 200 && code < 400) return { result: 'success', output: '' };
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${code}` };
}

/** Go's net.Dial wording: `dial tcp 10.42.0.5:80: connect: connection refused`. */
function dialError(host: string, port: number, err: NodeJS.ErrnoException): string {
  const addr = hostPort(host, port);
  switch (err.code) {
    case 'ECONNREFUSED': return `dial tcp ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH': return `dial tcp ${addr}: connect: no route to host`;
    case 'ENETUNREACH': return `dial tcp ${addr}: connect: network is unreachable`;
    case 'ECONNRESET': return `read tcp ${addr}: read: connection reset by peer`;
    case 'ETIMEDOUT': return `dial tcp ${addr}: i/o timeout`;
    default: return `dial tcp ${addr}: ${err.message}`;
  }
}

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ result: 'failure', output: `dial tcp ${hostPort(host, port)}: i/o timeout` });
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ result: 'success', output: '' });
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ result: 'failure', output: dialError(host, port, err) });
    });
  });
}

async function grpcProbe(port: number, service: string, timeoutMs: number, host: string): Promise<ProbeOutcome> {
  try {
    const status = await healthCheck(host, port, service, timeoutMs);
    if (status === 'SERVING') return { result: 'success', output: '' };
    return { result: 'failure', output: `service unhealthy (responded with ${JSON.stringify(status)})` };
  } catch (err) {
    const e = err as { code?: number; details?: string };
    if (e.code === 4) return { result: 'failure', output: `timeout: health rpc did not complete within ${goSeconds(timeoutMs)}` };
    if (e.code === 14) return { result: 'failure', output: `timeout: failed to connect service ${JSON.stringify(hostPort(host, port))} within ${goSeconds(timeoutMs)}: ${e.details ?? ''}` };
    return { result: 'failure', output: `rpc error: code = ${e.code ?? 'Unknown'} desc = ${e.details ?? errMessage(err)}` };
  }
}

const goSeconds = (ms: number) => `${ms / 1000}s`;
