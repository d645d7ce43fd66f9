// The API server: HTTPS front door, authentication, discovery and OpenAPI, and the generic
// registry for every resource. Components (controllers, scheduler, kubelet) reach it over HTTPS
// like any other client.
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { builtinResources, definitions as builtinDefinitions } from '../api/index.js';
import { errors, StatusError } from '../machinery/status.js';
import type { Store } from '../store/types.js';
import type { Admission } from './admission/types.js';
import { sendJSON, sendStatus } from './http.js';
import { Registry, type UserInfo } from './registry.js';
import { parseRequestInfo } from './request-info.js';
import { handleResource } from './resource-handler.js';
import { ResourceTable } from './resource-table.js';
import { bindingHandler, evictionHandler, finalizeHandler, tokenRequestHandler, type SubresourceHandler } from './subresources.js';
import type { ServiceAccountTokens } from './serviceaccount-token.js';
import { defaultTolerationSeconds } from './admission/default-tolerations.js';
import { defaultStorageClass } from './admission/default-storage-class.js';
import { priority } from './admission/priority.js';
import { Documents } from './documents.js';
import { namespaceLifecycle } from './admission/namespace-lifecycle.js';
import { serviceAccount } from './admission/service-account.js';
import { firstServiceIP, serviceAllocation } from './admission/service-allocation.js';
import { bootstrap } from './bootstrap.js';
import { CRDController, crdFinalizer } from './crd/controller.js';
import { log } from '../machinery/log.js';
import { NodeProxy, type KubeletClientConfig } from './node-proxy.js';

export interface ApiServerOptions {
  store: Store;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  tls: { cert: string; key: string; ca: string };
  /** Maps a request to its user, or null (anonymous). */
  authenticate(req: IncomingMessage): UserInfo | null;
  serviceCIDR?: string;
  /** Issues and verifies service account tokens (serviceaccounts/<name>/token). */
  serviceAccountTokens?: ServiceAccountTokens;
  /** How long to wait for in-flight requests on close. */
  shutdownTimeoutMs?: number;
  /** Client certificate for kubelets (logs, exec, attach, port-forward, nodes/proxy) and the CA of their serving certificates. */
  kubeletClient?: KubeletClientConfig;
}

export const VERSION = {
  major: '1', minor: '32', gitVersion: 'v1.32.5+k8ts', gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean', buildDate: '2026-11-23T00:00:00Z', goVersion: 'node' + process.versions.node, compiler: 'k8ts',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

/** kube-apiserver's defaults: 400 requests in flight, 200 of them mutating. */
const MAX_IN_FLIGHT = 400;
const MAX_MUTATING_IN_FLIGHT = 200;
/** Paths anyone may read, as system:public-info-viewer allows. */
const PUBLIC = new Set(['/healthz', '/livez', '/readyz', '/version']);

export class ApiServer {
  readonly resources: ResourceTable;
  readonly registry: Registry;
  readonly subresources = new Map<string, SubresourceHandler>();
  /** Paths outside the Kubernetes API (the node join endpoints), with whether they need a user. */
  readonly routes = new Map<string, { public: boolean; handle(req: IncomingMessage, res: ServerResponse, user: UserInfo | null): Promise<void> }>();
  private readonly docs: Documents;
  private server?: Server;
  private inFlight = 0;
  private mutatingInFlight = 0;
  private ready = false;
  private crds?: CRDController;
  private readonly nodeProxy: NodeProxy;

  constructor(private readonly opts: ApiServerOptions) {
    this.resources = new ResourceTable(builtinResources, new Map(builtinDefinitions));
    const admission: Admission[] = [namespaceLifecycle(), serviceAccount(), serviceAllocation(opts.store, opts.serviceCIDR ?? '10.43.0.0/16'), defaultTolerationSeconds(), defaultStorageClass(), priority(), crdFinalizer];
    this.registry = new Registry(opts.store, this.resources, admission);
    this.docs = new Documents(this.resources, () => this.subresources.keys());
    this.subresources.set('pods/binding', bindingHandler(this.registry));
    this.subresources.set('namespaces/finalize', finalizeHandler(this.registry));
    this.subresources.set('pods/eviction', evictionHandler(this.registry));
    if (opts.serviceAccountTokens) this.subresources.set('serviceaccounts/token', tokenRequestHandler(this.registry, opts.serviceAccountTokens));
    this.nodeProxy = new NodeProxy(this.registry, opts.kubeletClient);
    for (const [key, handler] of this.nodeProxy.handlers()) this.subresources.set(key, handler);
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async start(): Promise<void> {
    const { tls } = this.opts;
    this.server = createHttpsServer({
      cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: false,
      keepAlive: true, keepAliveTimeout: 120_000,
    }, (req, res) => void this.handle(req, res));
    // WebSocket and SPDY upgrades (exec, attach, port-forward, nodes/proxy) bypass the request handler.
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => void this.nodeProxy.upgrade(req, socket, head, this.opts.authenticate));
    this.server.headersTimeout = 60_000;
    this.server.requestTimeout = 0; // watches and streams are long-running
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    await bootstrap(this.registry, { serviceIP: firstServiceIP(this.opts.serviceCIDR ?? '10.43.0.0/16'), port: this.port });
    if (this.resources.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')) {
      this.crds = new CRDController(this.registry);
      await this.crds.start();
    }
    this.ready = true;
    log('apiserver', 'listening', { address: `https://${this.opts.host ?? '127.0.0.1'}:${this.port}` });
  }

  async close(): Promise<void> {
    this.ready = false;
    this.crds?.stop();
    this.nodeProxy.close();
    const s = this.server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeIdleConnections?.();
      setTimeout(() => { s.closeAllConnections?.(); resolve(); }, this.opts.shutdownTimeoutMs ?? 2000).unref();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const q = url.searchParams;
    const info = parseRequestInfo(req.method ?? 'GET', path, q);
    const longRunning = info.verb === 'watch' || ['log', 'exec', 'attach', 'portforward', 'proxy'].includes(info.subresource);
    const mutating = !['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET');
    if (!longRunning) {
      if (this.inFlight >= MAX_IN_FLIGHT || (mutating && this.mutatingInFlight >= MAX_MUTATING_IN_FLIGHT)) {
        return sendStatus(res, errors.tooManyRequests('Too many requests, please try again later.'));
      }
      this.inFlight++;
      if (mutating) this.mutatingInFlight++;
      res.once('close', () => {
        this.inFlight--;
        if (mutating) this.mutatingInFlight--;
      });
    }
    try {
      const user = this.opts.authenticate(req);
      const extra = this.routes.get(path);
      if (extra) {
        if (!user && !extra.public) throw errors.unauthorized();
        return await extra.handle(req, res, user);
      }
      if (!user && !PUBLIC.has(path)) throw errors.unauthorized();
      await this.route(path, info, req, res, q, user!);
    } catch (err) {
      if (!(err instanceof StatusError)) log('apiserver', 'request failed', { method: req.method, path, error: String((err as Error)?.stack ?? err) });
      sendStatus(res, err);
    }
  }

  private async route(path: string, info: ReturnType<typeof parseRequestInfo>, req: IncomingMessage, res: ServerResponse, q: URLSearchParams, user: UserInfo): Promise<void> {
    if (info.isResourceRequest) {
      const def = this.resources.lookup(info.group, info.version, info.resource);
      if (!def) throw errors.notFoundPath();
      return handleResource({ registry: this.registry, subresources: this.subresources }, info, def, req, res, q, user);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotAllowed(req.method ?? '', path);
    switch (path) {
      case '/version':
        return sendJSON(res, 200, VERSION);
      case '/healthz':
      case '/livez':
      case '/readyz': {
        const ok = path !== '/readyz' || this.ready;
        res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        res.end(ok ? 'ok' : '[-]ready failed: not ready yet\nreadyz check failed');
        return;
      }
    }
    const doc = this.docs.serve(path, q, { accept: req.headers.accept, ifNoneMatch: req.headers['if-none-match'] });
    if (doc) {
      res.writeHead(doc.status, { ...doc.headers, 'Content-Length': String(Buffer.byteLength(doc.body)) });
      res.end(doc.body);
      return;
    }
    throw errors.notFoundPath();
  }
}
