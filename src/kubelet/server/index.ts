// The kubelet's HTTPS endpoint (port 10250 in Kubernetes), which the API server proxies
// `kubectl logs`, `exec`, `attach`, `port-forward` and nodes/proxy to:
//   GET /containerLogs/{namespace}/{pod}/{container}   the container's log (follow, tail ...)
//   /exec/{namespace}/{pod}[/{uid}]/{container}?command=...&stdin&stdout&stderr&tty
//   /attach/{namespace}/{pod}[/{uid}]/{container}
//   /portForward/{namespace}/{pod}[/{uid}]
//   GET /healthz, GET /pods
// Streams are served over WebSocket (remotecommand v5/v4, SPDY-in-WebSocket for port-forward) and
// plain SPDY upgrades. Only the API server may call: clients present a certificate from the
// cluster CA whose user or group is authorized.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { log, logError } from '../../machinery/log.js';
import type { RuntimeDriver } from '../runtime.js';
import type { Pod } from '../types.js';
import { LogOptionsError, parseLogOptions, writeContainerLog } from './container-logs.js';
import { criStream } from './cri-streams.js';
import { hostAttach, hostExec, type HostStdinSource } from './host-streams.js';
import { checkContainerInSpec, findPod, isRunning, KubeletHttpError, logContainer, podSandbox, runningContainer, type PodGetter } from './pod-targets.js';
import { servePortForward, tcpDialer, type PortDialer } from './portforward.js';
import { negotiateSpdy, serveSpdy, serveWebSocket, SPDY_PROTOCOLS, WS_PROTOCOLS, type StreamHandler, type StreamOptions } from './remotecommand.js';
import { SpdySession } from './spdy/session.js';

export { streamStatus } from './remotecommand.js';
export { watchNodePods, type NodePods } from './node-pods.js';
export type { PodGetter } from './pod-targets.js';
export type { StreamHandler, StreamOptions, StreamStatus } from './remotecommand.js';

/** The subprotocol kubectl 1.30+ tunnels port-forward's SPDY through a WebSocket with. */
export const PORT_FORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** Bytes queued on a tunnel's WebSocket beyond which its streams' writers wait, and below which they go on. */
const TUNNEL_HIGH_WATER = 1024 * 1024;
const TUNNEL_LOW_WATER = 256 * 1024;

/** The API server's kubelet client certificate: k3s names it so, in the system:masters group. */
export const DEFAULT_AUTHORIZED_USERS = ['system:apiserver'];
export const DEFAULT_AUTHORIZED_GROUPS = ['system:masters'];

export interface KubeletServerOptions {
  /** 127.0.0.1 unless told otherwise (the API server reaches it at the node's InternalIP). */
  host?: string;
  /** 0 picks a free port; report `server.port` as the node's kubeletEndpoint. */
  port: number;
  /** The node's serving certificate and the cluster CA that client certificates must chain to. */
  tls: { cert: string; key: string; ca: string };
  runtime: RuntimeDriver;
  /** A pod bound to this node as the kubelet knows it (from its informer). */
  getPod: PodGetter;
  /** Every pod bound to this node, for GET /pods. */
  listPods?: () => Pod[];
  /** Client certificate users (CN) allowed in; default system:apiserver. */
  authorizedUsers?: string[];
  /** Client certificate groups (O) allowed in; default system:masters. */
  authorizedGroups?: string[];
}

export interface KubeletServer {
  readonly port: number;
  close(): Promise<void>;
}

type Route =
  | { kind: 'containerLogs'; namespace: string; pod: string; container: string }
  | { kind: 'exec' | 'attach'; namespace: string; pod: string; container: string }
  | { kind: 'portForward'; namespace: string; pod: string }
  | { kind: 'healthz' | 'pods' };

function route(path: string): Route | undefined {
  const p = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  if (p.length === 1 && p[0] === 'healthz') return { kind: 'healthz' };
  if (p.length === 1 && p[0] === 'pods') return { kind: 'pods' };
  if (p[0] === 'containerLogs' && p.length === 4) return { kind: 'containerLogs', namespace: p[1], pod: p[2], container: p[3] };
  if ((p[0] === 'exec' || p[0] === 'attach') && (p.length === 4 || p.length === 5)) {
    return { kind: p[0], namespace: p[1], pod: p[2], container: p[p.length - 1] };
  }
  if (p[0] === 'portForward' && (p.length === 3 || p.length === 4)) return { kind: 'portForward', namespace: p[1], pod: p[2] };
  return undefined;
}

const bool = (v: string | null): boolean => v !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v);

function isSpdyUpgrade(req: IncomingMessage): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1';
}

function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

function offeredList(v: string | string[] | undefined): string[] {
  return (Array.isArray(v) ? v : [v ?? '']).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** An HTTP error on a socket that was to be upgraded (no response object exists there). */
function rawError(socket: Socket, code: number, message: string): void {
  const body = message + '\n';
  socket.end(`HTTP/1.1 ${code} ${STATUS_TEXT[code] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export async function startKubeletServer(opts: KubeletServerOptions): Promise<KubeletServer> {
  const users = new Set(opts.authorizedUsers ?? DEFAULT_AUTHORIZED_USERS);
  const groups = new Set(opts.authorizedGroups ?? DEFAULT_AUTHORIZED_GROUPS);
  const { runtime } = opts;
  const hostDriver = runtime.name === 'host';
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  const sockets = new Set<Socket>();

  /** 401 without a trusted certificate, 403 for one that is not the API server's; null when allowed. */
  function authorize(req: IncomingMessage, verb: string, subresource: string): { code: number; message: string } | null {
    const tls = req.socket as TLSSocket;
    const cert = tls.getPeerCertificate?.();
    if (!cert || Object.keys(cert).length === 0 || !tls.authorized) return { code: 401, message: 'Unauthorized' };
    const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    const cn = asList(cert.subject?.CN)[0] ?? '';
    const os = asList(cert.subject?.O);
    if (users.has(cn) || os.some((o) => groups.has(o))) return null;
    return { code: 403, message: `Forbidden (user=${cn}, verb=${verb}, resource=nodes, subresource=${subresource})` };
  }

  /** The API server names them input/output/error (kubectl's stdin/stdout/stderr); both are read. */
  function streamOptions(q: URLSearchParams): StreamOptions {
    const o = { stdin: bool(q.get('input') ?? q.get('stdin')), stdout: bool(q.get('output') ?? q.get('stdout')), stderr: bool(q.get('error') ?? q.get('stderr')), tty: bool(q.get('tty')) };
    if (!o.stdin && !o.stdout && !o.stderr) throw new KubeletHttpError(400, 'you must specify at least 1 of stdin, stdout, stderr');
    return o;
  }

  /** Resolves an exec or attach request to the handler that will run it, before any upgrade. */
  async function remoteCommand(r: Extract<Route, { kind: 'exec' | 'attach' }>, q: URLSearchParams): Promise<{ opts: StreamOptions; handler: StreamHandler }> {
    const pod = findPod(opts.getPod, r.namespace, r.pod);
    checkContainerInSpec(pod, r.container);
    const sopts = streamOptions(q);
    const c = await runningContainer(runtime, pod, r.container);
    const stderr = sopts.stderr && !sopts.tty;
    if (r.kind === 'exec') {
      const cmd = q.getAll('command');
      if (cmd.length === 0) throw new KubeletHttpError(400, 'you must specify at least one command for the container');
      const handler = hostDriver
        ? hostExec(c.id, cmd, sopts)
        : criStream(async () => (await runtime.exec({ containerId: c.id, cmd, tty: sopts.tty, stdin: sopts.stdin, stdout: sopts.stdout, stderr })).url, sopts);
      log('kubelet', 'exec', { pod: `${r.namespace}/${r.pod}`, container: r.container, command: cmd });
      return { opts: sopts, handler };
    }
    const handler = hostDriver
      ? hostAttach(c.logPath, isRunning(runtime, c.id), () => (runtime as Partial<HostStdinSource>).containerStdin?.(c.id))
      : criStream(async () => (await runtime.attach({ containerId: c.id, tty: sopts.tty, stdin: sopts.stdin, stdout: sopts.stdout, stderr })).url, sopts);
    return { opts: sopts, handler };
  }

  /** Where port-forward connects: the pod's IP from the node, or loopback for the host driver's pods. */
  async function portDialer(r: Extract<Route, { kind: 'portForward' }>): Promise<PortDialer> {
    const pod = findPod(opts.getPod, r.namespace, r.pod);
    const sb = await podSandbox(runtime, pod);
    if (hostDriver) return tcpDialer('127.0.0.1');
    const ip = sb.ip || pod.status?.podIP;
    if (!ip) throw new KubeletHttpError(500, `pod ${r.pod}_${r.namespace} has no IP address to forward to`);
    return tcpDialer(ip);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const r = route(url.pathname);
    const fail = (code: number, message: string) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end(message + '\n');
    };
    const denied = authorize(req, (req.method ?? 'GET').toLowerCase() === 'get' ? 'get' : 'create', r?.kind === 'containerLogs' ? 'log' : 'proxy');
    if (denied) return fail(denied.code, denied.message);
    if (!r) return fail(404, '404 page not found');
    try {
      switch (r.kind) {
        case 'healthz':
          res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end('ok');
          return;
        case 'pods': {
          const body = JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: opts.listPods?.() ?? [] });
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
          res.end(body);
          return;
        }
        case 'containerLogs': {
          if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'Method Not Allowed');
          const pod = findPod(opts.getPod, r.namespace, r.pod);
          let lopts;
          try {
            lopts = parseLogOptions(url.searchParams);
          } catch (err) {
            if (err instanceof LogOptionsError) throw new KubeletHttpError(400, err.message);
            throw err;
          }
          const c = await logContainer(runtime, pod, r.container, lopts.previous);
          const ac = new AbortController();
          res.once('close', () => ac.abort());
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
          res.flushHeaders();
          await writeContainerLog(c.logPath, lopts, res, { isRunning: isRunning(runtime, c.id), signal: ac.signal });
          res.end();
          return;
        }
        default:
          return fail(400, 'Upgrade request required');
      }
    } catch (err) {
      if (err instanceof KubeletHttpError) return fail(err.code, err.message);
      logError('kubelet', 'request failed', { path: url.pathname, err: String((err as Error)?.stack ?? err) });
      fail(500, (err as Error).message);
    }
  }

  async function upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    socket.on('error', () => {});
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const r = route(url.pathname);
    const denied = authorize(req, 'create', 'proxy');
    if (denied) return rawError(socket, denied.code, denied.message);
    if (!r || (r.kind !== 'exec' && r.kind !== 'attach' && r.kind !== 'portForward')) return rawError(socket, 404, '404 page not found');
    try {
      if (r.kind === 'portForward') {
        const dial = await portDialer(r);
        const describe = `pod ${r.pod}_${r.namespace}`;
        if (isWebSocketUpgrade(req)) {
          if (!offeredList(req.headers['sec-websocket-protocol']).includes(PORT_FORWARD_TUNNEL_PROTOCOL)) {
            return rawError(socket, 400, `unable to upgrade: the client must offer the ${PORT_FORWARD_TUNNEL_PROTOCOL} subprotocol`);
          }
          wss.handleUpgrade(req, socket, head, (ws) => servePortForward(tunnelSession(ws), dial, describe));
          return;
        }
        if (!isSpdyUpgrade(req)) return rawError(socket, 400, 'Upgrade request required');
        const offered = offeredList(req.headers['x-stream-protocol-version']);
        if (!offered.includes(PORT_FORWARD_PROTOCOL)) {
          return rawError(socket, 403, `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${PORT_FORWARD_PROTOCOL}]`);
        }
        servePortForward(spdyUpgrade(socket, head, PORT_FORWARD_PROTOCOL), dial, describe);
        return;
      }
      const { opts: sopts, handler } = await remoteCommand(r, url.searchParams);
      if (isWebSocketUpgrade(req)) {
        const offered = offeredList(req.headers['sec-websocket-protocol']);
        const protocol = WS_PROTOCOLS.find((p) => offered.includes(p));
        if (!protocol) return rawError(socket, 400, `unable to upgrade: the client must offer one of the subprotocols ${WS_PROTOCOLS.join(', ')}`);
        wss.handleUpgrade(req, socket, head, (ws) => void serveWebSocket(ws, sopts, handler));
        return;
      }
      if (!isSpdyUpgrade(req)) return rawError(socket, 400, 'Upgrade request required');
      const offered = offeredList(req.headers['x-stream-protocol-version']);
      const protocol = negotiateSpdy(offered, SPDY_PROTOCOLS);
      if (!protocol) {
        return rawError(socket, 403, `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${SPDY_PROTOCOLS.join(' ')}]`);
      }
      void serveSpdy(spdyUpgrade(socket, head, protocol), sopts, handler);
    } catch (err) {
      if (err instanceof KubeletHttpError) return rawError(socket, err.code, err.message);
      logError('kubelet', 'stream request failed', { path: url.pathname, err: String((err as Error)?.stack ?? err) });
      rawError(socket, 500, (err as Error).message);
    }
  }

  /** Answers a SPDY upgrade and runs a server session on the socket. */
  function spdyUpgrade(socket: Socket, head: Buffer, protocol: string): SpdySession {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
    socket.setNoDelay(true);
    socket.setTimeout(0);
    const session = new SpdySession({
      server: true, write: (b) => socket.write(b), end: () => socket.end(), pause: () => socket.pause(), resume: () => socket.resume(),
    });
    socket.on('data', (d: Buffer) => session.receive(d));
    socket.on('drain', () => session.drained());
    socket.on('close', () => session.transportClosed());
    if (head.length) session.receive(head);
    return session;
  }

  /** A server session whose bytes travel as WebSocket binary messages (kubectl's port-forward tunnel). */
  function tunnelSession(ws: WebSocket): SpdySession {
    const session: SpdySession = new SpdySession({
      server: true,
      write: (b) => {
        if (ws.readyState !== ws.OPEN) return true;
        ws.send(b, { binary: true }, () => { if (ws.bufferedAmount < TUNNEL_LOW_WATER) session.drained(); });
        return ws.bufferedAmount < TUNNEL_HIGH_WATER;
      },
      end: () => ws.close(1000),
      pause: () => ws.pause(),
      resume: () => ws.resume(),
    });
    ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => session.receive(Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw)));
    ws.on('close', () => session.transportClosed());
    ws.on('error', () => {});
    return session;
  }

  const server: Server = createServer({
    cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.ca, requestCert: true, rejectUnauthorized: false,
  }, (req, res) => void handle(req, res));
  server.requestTimeout = 0; // logs are followed for as long as the client wants
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => void upgrade(req, socket, head));
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log('kubelet', 'kubelet server listening', { address: `https://${opts.host ?? '127.0.0.1'}:${port}` });
  return {
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const ws of wss.clients) ws.terminate();
        for (const s of sockets) s.destroy();
      });
      wss.close();
    },
  };
}
