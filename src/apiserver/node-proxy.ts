// The API server's connection to kubelets: pods/log, pods/exec, pods/attach, pods/portforward and
// nodes/proxy, as kube-apiserver serves them. The pod's node is found, then its kubelet endpoint
// (status.addresses InternalIP, status.daemonEndpoints.kubeletEndpoint.Port), and the request is
// proxied there over HTTPS with mutual TLS: the API server presents its kubelet client
// certificate and checks the kubelet's serving certificate against the cluster CA. Streaming
// upgrades (WebSocket, SPDY) arrive outside the request handler, as 'upgrade' events, and are
// piped byte for byte once the kubelet has the request.
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { KObject, ResourceDef } from '../api/resource.js';
import { errors, StatusError } from '../machinery/status.js';
import type { Registry, UserInfo } from './registry.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import type { SubresourceHandler } from './subresources.js';

/** The API server's client credentials toward kubelets, and the CA their serving certificates chain to. */
export interface KubeletClientConfig {
  cert: string;
  key: string;
  ca: string;
  /** How long to wait for a kubelet to accept a connection; 10 s. */
  dialTimeoutMs?: number;
}

interface PodLike extends KObject {
  spec?: {
    nodeName?: string;
    containers?: Array<{ name: string }>;
    initContainers?: Array<{ name: string }>;
    ephemeralContainers?: Array<{ name: string }>;
  };
}

interface NodeLike extends KObject {
  status?: {
    addresses?: Array<{ type: string; address: string }>;
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

interface KubeletTarget {
  node: string;
  host: string;
  port: number;
  /** Path and query on the kubelet. */
  path: string;
}

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';
const STREAM_PARAMS: Array<[string, string]> = [['stdin', 'input'], ['stdout', 'output'], ['stderr', 'error'], ['tty', 'tty']];
const truthy = (v: string | null) => v !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v);

/**
 * The container a request means, as kube-apiserver's validateContainer decides: the one named, or
 * the pod's only container, or the one its default-container annotation names.
 */
export function containerFor(pod: PodLike, requested: string): string {
  const spec = pod.spec ?? {};
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => c.name);
  const name = pod.metadata.name;
  if (requested) {
    if (!all.includes(requested)) throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const containers = spec.containers ?? [];
  if (containers.length === 1) return containers[0].name;
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated && all.includes(annotated)) return annotated;
  if (containers.length === 0) throw errors.badRequest(`a container name must be specified for pod ${name}`);
  throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
}

/** PodLogOptions from the query, validated as kube-apiserver validates them (422 PodLogOptions). */
export function podLogQuery(name: string, q: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  const causes: Array<{ reason: string; field: string; message: string }> = [];
  const int = (key: string): number | undefined => {
    const v = q.get(key);
    if (v === null || v === '') return undefined;
    if (!/^-?\d+$/.test(v)) throw errors.badRequest(`${key}: invalid value "${v}": strconv.ParseInt: parsing "${v}": invalid syntax`);
    return Number(v);
  };
  const tail = int('tailLines');
  const limit = int('limitBytes');
  const since = int('sinceSeconds');
  const sinceTime = q.get('sinceTime');
  if (tail !== undefined && tail < 0) causes.push({ reason: 'FieldValueInvalid', field: 'tailLines', message: `Invalid value: ${tail}: must be greater than or equal to 0` });
  if (limit !== undefined && limit < 1) causes.push({ reason: 'FieldValueInvalid', field: 'limitBytes', message: `Invalid value: ${limit}: must be greater than 0` });
  if (since !== undefined && since < 1) causes.push({ reason: 'FieldValueInvalid', field: 'sinceSeconds', message: `Invalid value: ${since}: must be greater than 0` });
  if (since !== undefined && sinceTime) causes.push({ reason: 'FieldValueForbidden', field: '', message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified' });
  if (sinceTime && Number.isNaN(Date.parse(sinceTime))) throw errors.badRequest(`sinceTime: invalid value "${sinceTime}": not an RFC 3339 time`);
  if (causes.length) throw errors.invalid('PodLogOptions', '', name, causes);
  for (const key of ['follow', 'previous', 'timestamps']) if (truthy(q.get(key))) out.set(key, 'true');
  if (tail !== undefined) out.set('tailLines', String(tail));
  if (limit !== undefined) out.set('limitBytes', String(limit));
  if (since !== undefined) out.set('sinceSeconds', String(since));
  else if (sinceTime) out.set('sinceTime', sinceTime);
  return out;
}

function writeRawStatus(socket: Socket, err: unknown): void {
  const se = err instanceof StatusError ? err : errors.internal((err as Error)?.message ?? String(err));
  const body = JSON.stringify(se.toStatus());
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${se.code} ${se.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Request headers that stay with this hop: credentials for us, and connection management. */
const HOP_HEADERS = new Set(['host', 'authorization', 'proxy-authorization', 'proxy-connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'impersonate-user', 'impersonate-group']);

export class NodeProxy {
  /** Upgraded connections being piped: they outlive the HTTP server's own bookkeeping. */
  private readonly tunnels = new Set<Socket>();

  constructor(private readonly registry: Registry, private readonly client?: KubeletClientConfig) {}

  /** Ends every piped stream (the API server is shutting down). */
  close(): void {
    for (const s of this.tunnels) s.destroy();
    this.tunnels.clear();
  }

  /** The subresources this serves, to register by `<plural>/<subresource>`. */
  handlers(): Array<[string, SubresourceHandler]> {
    return [
      ['pods/log', (info, def, req, res, q) => this.serveLog(info, def, req, res, q)],
      ['pods/exec', (info, def, req, _res, q) => this.refuseWithoutUpgrade(info, def, req, q)],
      ['pods/attach', (info, def, req, _res, q) => this.refuseWithoutUpgrade(info, def, req, q)],
      ['pods/portforward', (info, def, req, _res, q) => this.refuseWithoutUpgrade(info, def, req, q)],
      ['nodes/proxy', (info, _def, req, res) => this.serveNodeProxy(info, req, res)],
    ];
  }

  /**
   * An upgrade request (WebSocket or SPDY) for pods/exec, attach, portforward or nodes/proxy:
   * authenticated and resolved as handle() would, then piped to the kubelet. Errors before the
   * pipe is up are answered on the socket as Status objects.
   */
  async upgrade(req: IncomingMessage, socket: Socket, head: Buffer, authenticate: (req: IncomingMessage) => UserInfo | null): Promise<void> {
    socket.on('error', () => {});
    this.tunnels.add(socket);
    socket.once('close', () => this.tunnels.delete(socket));
    try {
      const user = authenticate(req);
      if (!user) throw errors.unauthorized();
      const url = new URL(req.url ?? '/', 'https://localhost');
      const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      if (!info.isResourceRequest || info.group !== '' || info.version !== 'v1') throw errors.notFoundPath();
      let target: KubeletTarget;
      if (info.resource === 'pods' && ['exec', 'attach', 'portforward'].includes(info.subresource) && info.namespace && info.name) {
        target = await this.streamTarget(info, url.searchParams);
      } else if (info.resource === 'nodes' && info.subresource === 'proxy' && info.name) {
        target = await this.nodeProxyTarget(info.name, req.url ?? '/');
      } else {
        throw errors.badRequest(`${info.resource}${info.subresource ? '/' + info.subresource : ''} does not support upgrade requests`);
      }
      await this.pipeUpgrade(req, socket, head, target);
    } catch (err) {
      writeRawStatus(socket, err);
    }
  }

  // ---- pods/log ----

  private async serveLog(info: RequestInfo, def: ResourceDef, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
    if (info.verb !== 'get') throw errors.methodNotAllowed(info.verb, 'pods/log');
    const pod = (await this.registry.get(def, info.namespace, info.name)) as PodLike;
    const query = podLogQuery(info.name, q);
    const container = containerFor(pod, q.get('container') ?? '');
    // A pod not yet on a node has no log: kube-apiserver answers an empty stream.
    if (!pod.spec?.nodeName) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end();
      return;
    }
    const path = `/containerLogs/${encodeURIComponent(info.namespace)}/${encodeURIComponent(info.name)}/${encodeURIComponent(container)}`;
    const target = await this.kubeletOf(pod.spec.nodeName, path + (query.size ? `?${query}` : ''));
    await this.proxyRequest(req, res, target, { method: 'GET', body: false, resource: 'pods/log', name: info.name });
  }

  // ---- exec, attach, portforward ----

  private async refuseWithoutUpgrade(info: RequestInfo, def: ResourceDef, _req: IncomingMessage, q: URLSearchParams): Promise<void> {
    await this.streamTarget(info, q, def);
    throw errors.badRequest('Upgrade request required');
  }

  private async streamTarget(info: RequestInfo, q: URLSearchParams, def?: ResourceDef): Promise<KubeletTarget> {
    const podsDef = def ?? this.registry.resources.lookup('', 'v1', 'pods')!;
    const pod = (await this.registry.get(podsDef, info.namespace, info.name)) as PodLike;
    const ns = encodeURIComponent(info.namespace);
    const name = encodeURIComponent(info.name);
    let path: string;
    if (info.subresource === 'portforward') {
      const query = new URLSearchParams();
      for (const p of q.getAll('ports')) query.append('port', p);
      path = `/portForward/${ns}/${name}${query.size ? `?${query}` : ''}`;
    } else {
      const container = containerFor(pod, q.get('container') ?? '');
      const query = new URLSearchParams();
      if (info.subresource === 'exec') {
        const cmd = q.getAll('command');
        if (cmd.length === 0) throw errors.badRequest('you must specify at least one command for the container');
        for (const c of cmd) query.append('command', c);
      }
      for (const [theirs, ours] of STREAM_PARAMS) if (truthy(q.get(theirs))) query.set(ours, '1');
      if (!['input', 'output', 'error'].some((k) => query.has(k))) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
      path = `/${info.subresource}/${ns}/${name}/${encodeURIComponent(container)}?${query}`;
    }
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) throw errors.badRequest(`pod ${info.name} does not have a host assigned`);
    return this.kubeletOf(nodeName, path);
  }

  // ---- nodes/proxy ----

  private async serveNodeProxy(info: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = await this.nodeProxyTarget(info.name, req.url ?? '/');
    await this.proxyRequest(req, res, target, { method: req.method ?? 'GET', body: true, resource: 'nodes/proxy', name: info.name });
  }

  /** /api/v1/nodes/<name>/proxy/<rest>?q → /<rest>?q on the node's kubelet. */
  private async nodeProxyTarget(node: string, rawUrl: string): Promise<KubeletTarget> {
    const [pathPart, query] = splitOnce(rawUrl, '?');
    const rest = /^\/api\/v1\/nodes\/[^/]+\/proxy(\/.*)?$/.exec(pathPart)?.[1] ?? '/';
    return this.kubeletOf(node, rest + (query !== undefined ? `?${query}` : ''));
  }

  // ---- reaching a kubelet ----

  private async kubeletOf(nodeName: string, path: string): Promise<KubeletTarget> {
    const nodesDef = this.registry.resources.lookup('', 'v1', 'nodes')!;
    const node = (await this.registry.get(nodesDef, '', nodeName)) as NodeLike;
    const addresses = node.status?.addresses ?? [];
    const host = ['InternalIP', 'Hostname', 'ExternalIP'].map((t) => addresses.find((a) => a.type === t)?.address).find(Boolean);
    const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
    if (!host || !port) throw errors.unavailable(`no kubelet endpoint for node "${nodeName}"`);
    if (!this.client) throw errors.unavailable('this API server has no kubelet client credentials configured');
    return { node: nodeName, host, port, path };
  }

  /** TLS options toward a kubelet: our client certificate, its certificate checked against the CA and its name or address. */
  private tlsOptions(target: KubeletTarget) {
    const c = this.client!;
    return {
      host: target.host, port: target.port, cert: c.cert, key: c.key, ca: c.ca, rejectUnauthorized: true,
      checkServerIdentity: (_host: string, cert: PeerCertificate) => {
        const byAddress = checkServerIdentity(target.host, cert);
        return byAddress && checkServerIdentity(target.node, cert) ? byAddress : undefined;
      },
    };
  }

  private unreachable(target: KubeletTarget, err: Error): StatusError {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ECONNREFUSED' ? 'connection refused' : err.message;
    return errors.unavailable(`no kubelet endpoint answers for node "${target.node}" at ${target.host}:${target.port}: ${why}`);
  }

  /** Proxies a plain request and streams the kubelet's answer back; kubelet errors become Status errors. */
  private proxyRequest(req: IncomingMessage, res: ServerResponse, target: KubeletTarget, o: { method: string; body: boolean; resource: string; name: string }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const headers: Record<string, string | string[]> = {};
      if (o.body) {
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_HEADERS.has(k) && k !== 'connection') headers[k] = v;
      }
      const opts: RequestOptions = { ...this.tlsOptions(target), method: o.method, path: target.path, headers, agent: false, timeout: this.client?.dialTimeoutMs ?? 10_000 };
      const up = httpsRequest(opts, (kres) => {
        up.setTimeout(0);
        const code = kres.statusCode ?? 500;
        if (o.resource === 'pods/log' && (code < 200 || code > 206)) {
          let text = '';
          kres.setEncoding('utf8');
          kres.on('data', (c: string) => { if (text.length < 16 * 1024) text += c; });
          kres.on('end', () => reject(kubeletError(code, text.trim(), o.resource, o.name)));
          return;
        }
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(kres.headers)) if (v !== undefined && !['connection', 'keep-alive', 'transfer-encoding'].includes(k)) out[k] = v;
        res.writeHead(code, out);
        res.flushHeaders();
        kres.pipe(res);
        kres.on('end', () => resolve());
        kres.on('error', () => { res.destroy(); resolve(); });
      });
      up.on('timeout', () => up.destroy(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' })));
      up.on('error', (err) => {
        if (res.headersSent) {
          res.destroy();
          resolve();
        } else reject(this.unreachable(target, err));
      });
      // A client that goes away ends the kubelet's stream too (kubectl logs -f, interrupted).
      res.on('close', () => up.destroy());
      if (o.body) req.pipe(up);
      else up.end();
    });
  }

  /** Sends the upgrade request to the kubelet and pipes both ways; the kubelet's answer (101 or an error) goes back as it is. */
  private pipeUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, target: KubeletTarget): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const up: TLSSocket = tlsConnect(this.tlsOptions(target));
      const timer = setTimeout(() => up.destroy(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' })), this.client?.dialTimeoutMs ?? 10_000);
      let piped = false;
      up.once('secureConnect', () => {
        clearTimeout(timer);
        const lines = [`${req.method} ${target.path} HTTP/1.1`, `Host: ${target.host}:${target.port}`];
        const raw = req.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) {
          if (!HOP_HEADERS.has(raw[i].toLowerCase())) lines.push(`${raw[i]}: ${raw[i + 1]}`);
        }
        up.write(lines.join('\r\n') + '\r\n\r\n');
        if (head.length) up.write(head);
        piped = true;
        up.setNoDelay(true);
        socket.setNoDelay(true);
        socket.setTimeout(0);
        up.pipe(socket);
        socket.pipe(up);
        resolve();
      });
      up.on('error', (err) => {
        clearTimeout(timer);
        if (!piped) reject(this.unreachable(target, err));
        socket.destroy();
      });
      socket.on('close', () => up.destroy());
      up.on('close', () => socket.destroy());
    });
  }
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/** A kubelet's error answer as kube-apiserver's GenericHttpResponseChecker words it. */
function kubeletError(code: number, text: string, resource: string, name: string): StatusError {
  if (code === 400) return errors.badRequest(text);
  if (code === 500) return errors.internal(text);
  if (code === 404) return new StatusError(404, 'NotFound', text || 'the server could not find the requested resource', { name, kind: resource });
  if (code === 401 || code === 403) return new StatusError(code, code === 401 ? 'Unauthorized' : 'Forbidden', `the kubelet refused the API server: ${text}`);
  return new StatusError(code, 'InternalError', text || `the server responded with the status code ${code} but did not return more information`);
}
