// The REST client: the Kubernetes API over HTTP(S) and JSON, addressed by resource as client-go's
// dynamic client is. Errors are ApiErrors carrying the server's Status; watches stream
// newline-delimited watch events.
import { createSecureContext } from 'node:tls';
import * as http from 'node:http';
import * as https from 'node:https';
import type { KObject } from '../api/resource.js';
import type { Status } from '../machinery/status.js';
import { ApiError, apiErrorFromResponse, isGone } from './errors.js';
import { loadKubeconfig, type ClientConfig } from './config.js';
import { apiVersionOfRef, type ResourceRef } from './resources.js';
import { TokenBucket } from './rate-limiter.js';

export type { ClientConfig } from './config.js';

/** A label selector as a query string (`app=web,tier!=db`) or as required key/value pairs. */
export type SelectorInput = string | Record<string, string>;

export interface ListOptions {
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  /** Abandons the request (not sent to the server). */
  signal?: AbortSignal;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface KList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export interface WriteOptions {
  /** Validate and default but persist nothing (dryRun=All). */
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
  /** `status`, `scale`: patch a subresource. */
  subresource?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeleteCollectionOptions extends DeleteOptions {
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
}

export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

export interface WatchHandle {
  /** Closes the stream; `done` then resolves. */
  stop(): void;
  /**
   * Resolves when the stream ends (server closed it, its timeout passed, or stop()); rejects with
   * an ApiError when the server refused the watch, or with the network error when the connection
   * failed. ERROR events inside the stream reach onEvent and do not end it by themselves.
   */
  done: Promise<void>;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** Content-Type of the body; application/json by default. */
  contentType?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

const PATCH_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Retries of a request the server answered 429 (or 5xx with Retry-After), as client-go's maxRetries. */
const MAX_RETRIES = 10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function selectorString(s: SelectorInput | undefined): string | undefined {
  if (s === undefined) return undefined;
  if (typeof s === 'string') return s;
  return Object.entries(s).map(([k, v]) => `${k}=${v}`).join(',');
}

export class RestClient {
  readonly config: Readonly<ClientConfig>;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly headers: Record<string, string>;
  private readonly throttle: TokenBucket | undefined;

  constructor(config: ClientConfig) {
    this.config = { ...config };
    this.base = new URL(config.server);
    const secure = this.base.protocol === 'https:';
    if (!secure && this.base.protocol !== 'http:') throw new Error(`unsupported server URL ${config.server}: want https:// or http://`);
    this.transport = secure ? https : http;
    this.agent = secure
      ? new https.Agent({
        keepAlive: true,
        maxSockets: Infinity,
        maxFreeSockets: 64,
        // One secure context for every connection: parsing the key and CA again per socket is costly.
        secureContext: createSecureContext({ ca: config.caCert, cert: config.clientCert, key: config.clientKey }),
        rejectUnauthorized: !config.insecureSkipTLSVerify,
        servername: config.tlsServerName,
      })
      : new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 64 });
    this.headers = {
      accept: 'application/json',
      'user-agent': config.userAgent ?? `k8ts/v0.1.0 (${process.platform}/${process.arch})`,
    };
    if (config.token) this.headers.authorization = `Bearer ${config.token}`;
    if (config.qps && config.qps > 0) this.throttle = new TokenBucket(config.qps, Math.max(1, config.burst ?? Math.ceil(config.qps)));
  }

  /** A client for the current context (or `context`) of a kubeconfig file. */
  static fromKubeconfig(path: string, opts: { context?: string; userAgent?: string; qps?: number; burst?: number } = {}): RestClient {
    const cfg = loadKubeconfig(path, opts.context);
    return new RestClient({ ...cfg, userAgent: opts.userAgent ?? cfg.userAgent, qps: opts.qps, burst: opts.burst });
  }

  /** Closes idle keep-alive connections; open watches end. */
  close(): void {
    this.agent.destroy();
  }

  // ---- paths ----

  /** `/api/v1/namespaces/ns/pods/name/status`, `/apis/apps/v1/deployments`. */
  path(res: ResourceRef, ns: string | undefined, name?: string, subresource?: string): string {
    let p = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
    if (res.namespaced && ns) p += `/namespaces/${encodeURIComponent(ns)}`;
    p += `/${res.plural}`;
    if (name !== undefined) {
      if (name === '') throw new Error(`a name is required to address one ${res.plural} object`);
      p += `/${encodeURIComponent(name)}`;
      if (subresource) p += `/${subresource}`;
    }
    return p;
  }

  private objectPath(res: ResourceRef, ns: string | undefined, name: string, subresource?: string): string {
    if (res.namespaced && !ns) throw new Error(`a namespace is required for ${res.plural} "${name}"`);
    return this.path(res, ns, name, subresource);
  }

  // ---- verbs ----

  async get<T extends KObject = KObject>(res: ResourceRef, ns: string | undefined, name: string, opts: { resourceVersion?: string } = {}): Promise<T> {
    return (await this.request('GET', this.objectPath(res, ns, name), undefined, { query: { resourceVersion: opts.resourceVersion } })) as T;
  }

  /** One page (or all, without `limit`) of a collection; items get apiVersion and kind filled in. */
  async list<T extends KObject = KObject>(res: ResourceRef, ns?: string, opts: ListOptions = {}): Promise<KList<T>> {
    const list = (await this.request('GET', this.path(res, ns), undefined, {
      query: {
        labelSelector: selectorString(opts.labelSelector),
        fieldSelector: selectorString(opts.fieldSelector),
        limit: opts.limit,
        continue: opts.continue,
        resourceVersion: opts.resourceVersion,
        resourceVersionMatch: opts.resourceVersionMatch,
      },
      signal: opts.signal,
    })) as KList<T>;
    list.metadata ??= {};
    list.items ??= [];
    const apiVersion = apiVersionOfRef(res);
    for (const item of list.items) {
      if (!item.apiVersion) item.apiVersion = apiVersion;
      if (!item.kind) item.kind = res.kind;
    }
    return list;
  }

  /**
   * Every item, read in pages of `pageSize` as client-go's pager does; when a continue token
   * expires midway it falls back to one unpaged list. The resourceVersion is the snapshot's.
   */
  async listAll<T extends KObject = KObject>(res: ResourceRef, ns?: string, opts: Omit<ListOptions, 'limit' | 'continue'> = {}, pageSize = 500): Promise<KList<T>> {
    const items: T[] = [];
    let first: KList<T> | undefined;
    let cont: string | undefined;
    do {
      let page: KList<T>;
      try {
        page = await this.list<T>(res, ns, { ...opts, limit: pageSize, continue: cont, resourceVersion: cont ? undefined : opts.resourceVersion });
      } catch (e) {
        if (cont && isGone(e)) return this.list<T>(res, ns, { ...opts });
        throw e;
      }
      first ??= page;
      items.push(...page.items);
      cont = page.metadata.continue || undefined;
    } while (cont);
    return { apiVersion: first!.apiVersion, kind: first!.kind, metadata: { resourceVersion: first!.metadata.resourceVersion }, items };
  }

  async create<T extends KObject = KObject>(res: ResourceRef, ns: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    const namespace = res.namespaced ? ns ?? obj.metadata?.namespace : undefined;
    if (res.namespaced && !namespace) throw new Error(`a namespace is required to create ${res.plural}`);
    return (await this.request('POST', this.path(res, namespace), obj, { query: writeQuery(opts) })) as T;
  }

  /** PUT: replaces the object; fails with Conflict when metadata.resourceVersion is stale. */
  async update<T extends KObject = KObject>(res: ResourceRef, ns: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(res, ns, obj, undefined, opts);
  }

  /** PUT on the status subresource: only status changes are kept. */
  async updateStatus<T extends KObject = KObject>(res: ResourceRef, ns: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(res, ns, obj, 'status', opts);
  }

  private async put<T extends KObject>(res: ResourceRef, ns: string | undefined, obj: T, sub: string | undefined, opts: WriteOptions): Promise<T> {
    const name = obj.metadata?.name;
    if (!name) throw new Error(`metadata.name is required to update ${res.plural}`);
    const namespace = res.namespaced ? ns ?? obj.metadata.namespace : undefined;
    return (await this.request('PUT', this.objectPath(res, namespace, name, sub), obj, { query: writeQuery(opts) })) as T;
  }

  /** `patch` is sent as is when a string, else as JSON (JSON is YAML, so apply takes it too). */
  async patch<T extends KObject = KObject>(res: ResourceRef, ns: string | undefined, name: string, patch: unknown, type: PatchType, opts: PatchOptions = {}): Promise<T> {
    const query: RequestOptions['query'] = writeQuery(opts);
    if (opts.force !== undefined) query.force = opts.force;
    return (await this.request('PATCH', this.objectPath(res, ns, name, opts.subresource), patch, { query, contentType: PATCH_TYPES[type] })) as T;
  }

  /** The object as deleted (with deletionTimestamp when graceful or finalized) or a Success Status. */
  async delete<T extends KObject = KObject>(res: ResourceRef, ns: string | undefined, name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    return (await this.request('DELETE', this.objectPath(res, ns, name), deleteBody(opts))) as T | Status;
  }

  async deleteCollection<T extends KObject = KObject>(res: ResourceRef, ns: string | undefined, opts: DeleteCollectionOptions = {}): Promise<KList<T> | Status> {
    return (await this.request('DELETE', this.path(res, ns), deleteBody(opts), {
      query: { labelSelector: selectorString(opts.labelSelector), fieldSelector: selectorString(opts.fieldSelector) },
    })) as KList<T> | Status;
  }

  /**
   * Streams changes to a collection (all namespaces when `ns` is empty for a namespaced resource).
   * Each event is handed to onEvent as it arrives; if onEvent throws, the watch stops and `done`
   * rejects with that error.
   */
  watch<T extends KObject = KObject>(res: ResourceRef, ns: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): WatchHandle {
    const url = this.url(this.path(res, ns), {
      watch: 'true',
      resourceVersion: opts.resourceVersion,
      labelSelector: selectorString(opts.labelSelector),
      fieldSelector: selectorString(opts.fieldSelector),
      allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
      timeoutSeconds: opts.timeoutSeconds,
    });
    let stopped = false;
    let req: http.ClientRequest | undefined;
    let settle!: (err?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      let settled = false;
      settle = (err?: unknown) => {
        if (settled) return;
        settled = true;
        if (err === undefined || stopped) resolve();
        else reject(err);
      };
    });
    // A consumer that never awaits `done` must not crash the process with an unhandled rejection.
    done.catch(() => {});

    req = this.transport.request(url, { method: 'GET', agent: this.agent, headers: this.headers }, (resp) => {
      const code = resp.statusCode ?? 0;
      if (code < 200 || code > 299) {
        collect(resp).then((body) => settle(apiErrorFromResponse(code, body, header(resp, 'retry-after'))), settle);
        return;
      }
      resp.setEncoding('utf8');
      let buf = '';
      resp.on('data', (chunk: string) => {
        buf += chunk;
        // Walk the complete lines with an index and cut the buffer once: a chunk holding
        // thousands of events must not be copied once per event.
        let start = 0;
        let nl: number;
        while (!stopped && (nl = buf.indexOf('\n', start)) >= 0) {
          const line = buf.slice(start, nl).trim();
          start = nl + 1;
          if (!line) continue;
          let event: WatchEvent<T>;
          try {
            event = JSON.parse(line) as WatchEvent<T>;
          } catch {
            settle(new Error(`watch ${url.pathname}: malformed event: ${line.slice(0, 200)}`));
            stopped = true;
            req?.destroy();
            return;
          }
          try {
            onEvent(event);
          } catch (err) {
            settle(err);
            stopped = true;
            req?.destroy();
            return;
          }
        }
        buf = start > 0 ? buf.slice(start) : buf;
      });
      resp.on('end', () => settle());
      resp.on('close', () => settle(resp.complete || stopped ? undefined : new Error(`watch ${url.pathname}: connection closed mid-stream`)));
      resp.on('error', (err) => settle(err));
    });
    req.on('error', (err) => settle(err));
    req.end();
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        req?.destroy();
        settle();
      },
      done,
    };
  }

  /**
   * Any request, for subresources and non-resource paths (pods/binding, scale, eviction, logs).
   * JSON answers are parsed; other bodies come back as text.
   */
  async request(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<unknown> {
    const url = this.url(path, opts.query ?? {});
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      if (this.throttle) {
        const wait = this.throttle.reserve();
        if (wait > 0) await sleep(wait);
      }
      const resp = await this.send(method, url, payload, opts);
      if (resp.code >= 200 && resp.code <= 299) {
        if (!resp.body) return undefined;
        if (/json/i.test(resp.contentType)) {
          try {
            return JSON.parse(resp.body);
          } catch {
            throw new Error(`${method} ${url.pathname}: the server sent malformed JSON`);
          }
        }
        return resp.body;
      }
      const err = apiErrorFromResponse(resp.code, resp.body, resp.retryAfter);
      const retryAfter = resp.retryAfter !== undefined ? Number(resp.retryAfter) : NaN;
      const retryable = resp.code === 429 || (resp.code >= 500 && Number.isFinite(retryAfter));
      if (!retryable || attempt >= MAX_RETRIES) throw err;
      await sleep(Math.min(Number.isFinite(retryAfter) ? Math.max(0, retryAfter) * 1000 : 1000, 60_000));
    }
  }

  private url(path: string, query: Record<string, string | number | boolean | undefined>): URL {
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    return url;
  }

  private send(method: string, url: URL, payload: string | Buffer | undefined, opts: RequestOptions, retriedStaleSocket = false): Promise<{ code: number; body: string; contentType: string; retryAfter?: string }> {
    const headers: Record<string, string | number> = { ...this.headers };
    if (payload !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    const timeoutMs = Math.max(1, Math.ceil(opts.timeoutMs ?? this.config.timeoutMs ?? 60_000));
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    return new Promise((resolve, reject) => {
      const req = this.transport.request(url, { method, agent: this.agent, headers, signal }, (resp) => {
        collect(resp).then(
          (body) => resolve({ code: resp.statusCode ?? 0, body, contentType: header(resp, 'content-type') ?? '', retryAfter: header(resp, 'retry-after') }),
          reject,
        );
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A keep-alive socket the server closed while idle fails the first write on it; the
        // request never reached the server, so sending it once more on a fresh socket is safe.
        if (req.reusedSocket && err.code === 'ECONNRESET' && !retriedStaleSocket) {
          this.send(method, url, payload, opts, true).then(resolve, reject);
          return;
        }
        if (err.name === 'AbortError' && timeout.aborted) {
          reject(new Error(`${method} ${url.pathname}: no answer from ${this.base.host} within ${timeoutMs} ms`));
          return;
        }
        reject(err);
      });
      req.end(payload);
    });
  }
}

function header(resp: http.IncomingMessage, name: string): string | undefined {
  const v = resp.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function collect(resp: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    resp.on('data', (c: Buffer) => chunks.push(c));
    resp.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    resp.on('error', reject);
    resp.on('aborted', () => reject(new Error('the server closed the connection before the answer was complete')));
  });
}

function writeQuery(opts: WriteOptions): Record<string, string | number | boolean | undefined> {
  return {
    dryRun: opts.dryRun ? 'All' : undefined,
    fieldManager: opts.fieldManager,
    fieldValidation: opts.fieldValidation,
  };
}

function deleteBody(opts: DeleteOptions): Record<string, unknown> | undefined {
  const body: Record<string, unknown> = {};
  if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
  if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.preconditions) body.preconditions = opts.preconditions;
  if (opts.dryRun) body.dryRun = ['All'];
  return Object.keys(body).length ? { kind: 'DeleteOptions', apiVersion: 'v1', ...body } : undefined;
}

export { ApiError };
