// A small in-memory Kubernetes API server for the client tests: real paths, real JSON shapes
// (objects, lists, Status errors, newline-delimited watch events), resourceVersions from one global
// counter, compaction (410 Expired), and hooks to inject failures. Not a model of the real server's
// validation; only what the client's behaviour depends on.
import * as http from 'node:http';
import * as https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { errors, StatusError, type Status } from '../../src/machinery/status.js';

type Obj = { apiVersion?: string; kind?: string; metadata: Record<string, any>; [k: string]: any };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType?: string;
  headers: http.IncomingHttpHeaders;
  body?: any;
}

interface Event { rv: number; collection: string; ns: string; type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: Obj }

interface Watcher {
  collection: string;
  ns: string;
  labels: Array<[string, string]>;
  res: http.ServerResponse;
}

interface Route {
  gv: string; // 'v1', 'apps/v1'
  plural: string;
  ns: string;
  name?: string;
  sub?: string;
}

const KINDS: Record<string, string> = {
  pods: 'Pod', configmaps: 'ConfigMap', leases: 'Lease', events: 'Event', nodes: 'Node', deployments: 'Deployment',
  namespaces: 'Namespace', secrets: 'Secret', services: 'Service',
};

export interface FakeServerOptions {
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean };
}

export class FakeApiServer {
  readonly objects = new Map<string, Obj>();
  readonly history: Event[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly watchers = new Set<Watcher>();
  rv = 100;
  compactedRv = 0;
  /** Answer the next requests for which `match` holds with this Status. */
  failures: Array<{ match: (r: RecordedRequest) => boolean; status: StatusError; times: number; headers?: Record<string, string> }> = [];
  private cuts: Array<{ match: (r: RecordedRequest) => boolean; times: number }> = [];
  private server!: http.Server;
  url = '';
  /** TCP connections accepted, to observe keep-alive. */
  connections = 0;

  constructor(private readonly opts: FakeServerOptions = {}) {}

  async start(): Promise<this> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res);
    this.server = this.opts.tls
      ? https.createServer({ key: this.opts.tls.key, cert: this.opts.tls.cert, ca: this.opts.tls.ca, requestCert: this.opts.tls.requestCert, rejectUnauthorized: !!this.opts.tls.requestCert }, handler)
      : http.createServer(handler);
    this.server.on(this.opts.tls ? 'secureConnection' : 'connection', () => this.connections++);
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const port = (this.server.address() as AddressInfo).port;
    this.url = `${this.opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.dropWatches();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Cuts every watch connection mid-stream, as a network failure would. */
  dropWatches(): void {
    for (const w of this.watchers) w.res.socket?.destroy();
    this.watchers.clear();
  }

  /** Ends every watch cleanly, as the server's watch timeout does. */
  endWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** Forgets history: watches and continue tokens from before now answer 410 Expired. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  /** Sends a BOOKMARK carrying the current resourceVersion to every watcher. */
  bookmark(): void {
    for (const w of this.watchers) {
      const [group] = w.collection.split('|');
      w.res.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: KINDS[w.collection.split('|')[1]] ?? 'Object', apiVersion: group, metadata: { resourceVersion: String(this.rv) } } }) + '\n');
    }
  }

  /** Drops the connection of the next `times` requests for which `match` holds, without answering. */
  cut(match: (r: RecordedRequest) => boolean, times = 1): void {
    this.cuts.push({ match, times });
  }

  fail(match: (r: RecordedRequest) => boolean, status: StatusError, times = 1, headers?: Record<string, string>): void {
    this.failures.push({ match, status, times, headers });
  }

  // ---- direct manipulation, as another client would do it ----

  /** Stores an object; `silent` leaves no event in history or watches, as if the watch had missed it. */
  put(gv: string, plural: string, obj: Obj, silent = false): Obj {
    const ns = obj.metadata.namespace ?? '';
    const key = this.key(gv, plural, ns, obj.metadata.name);
    const existed = this.objects.get(key);
    const stored = this.stamp(gv, plural, structuredClone(obj), existed);
    this.objects.set(key, stored);
    if (!silent) this.emit(gv, plural, ns, existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  remove(gv: string, plural: string, ns: string, name: string, silent = false): void {
    const key = this.key(gv, plural, ns, name);
    const existed = this.objects.get(key);
    if (!existed) return;
    this.objects.delete(key);
    const gone = { ...existed, metadata: { ...existed.metadata, resourceVersion: String(++this.rv) } };
    if (!silent) this.emit(gv, plural, ns, 'DELETED', gone);
  }

  // ---- internals ----

  private key(gv: string, plural: string, ns: string, name: string): string {
    return `${gv}|${plural}|${ns}|${name}`;
  }

  private stamp(gv: string, plural: string, obj: Obj, existed?: Obj): Obj {
    obj.apiVersion = gv;
    obj.kind = KINDS[plural] ?? obj.kind;
    obj.metadata.uid = existed?.metadata.uid ?? obj.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp = existed?.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    obj.metadata.resourceVersion = String(++this.rv);
    return obj;
  }

  private emit(gv: string, plural: string, ns: string, type: Event['type'], object: Obj): void {
    const ev: Event = { rv: Number(object.metadata.resourceVersion), collection: `${gv}|${plural}`, ns, type, object: structuredClone(object) };
    this.history.push(ev);
    for (const w of this.watchers) this.send(w, ev);
  }

  private send(w: Watcher, ev: Event): void {
    if (w.collection !== ev.collection || (w.ns && w.ns !== ev.ns)) return;
    if (!matches(ev.object, w.labels)) return;
    w.res.write(JSON.stringify({ type: ev.type, object: ev.object }) + '\n');
  }

  private route(pathname: string): Route | undefined {
    const seg = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let gv: string;
    if (seg[0] === 'api' && seg.length >= 2) { gv = seg[1]; seg.splice(0, 2); }
    else if (seg[0] === 'apis' && seg.length >= 3) { gv = `${seg[1]}/${seg[2]}`; seg.splice(0, 3); }
    else return undefined;
    let ns = '';
    if ((seg[0] as string) === 'namespaces' && seg.length >= 3) { ns = seg[1]; seg.splice(0, 2); }
    if (!seg[0]) return undefined;
    return { gv, plural: seg[0], ns, name: seg[1], sub: seg[2] };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any;
    try { body = raw ? JSON.parse(raw) : undefined; } catch { body = raw; }
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'], headers: req.headers, body };
    this.requests.push(rec);
    const c = this.cuts.find((x) => x.times > 0 && x.match(rec));
    if (c) {
      c.times--;
      req.socket.destroy();
      return;
    }
    try {
      const f = this.failures.find((x) => x.times > 0 && x.match(rec));
      if (f) {
        f.times--;
        for (const [k, v] of Object.entries(f.headers ?? {})) res.setHeader(k, v);
        throw f.status;
      }
      const route = this.route(url.pathname);
      if (!route) throw errors.notFoundPath();
      this.serve(rec, route, res);
    } catch (e) {
      const st = e instanceof StatusError ? e : errors.internal(String(e));
      if (!res.headersSent) {
        res.writeHead(st.code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(st.toStatus()));
      }
    }
  }

  private json(res: http.ServerResponse, code: number, v: unknown): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(v));
  }

  private serve(rec: RecordedRequest, r: Route, res: http.ServerResponse): void {
    const gr = { group: r.gv.includes('/') ? r.gv.split('/')[0] : '', plural: r.plural };
    const q = rec.query;
    if (!r.name) {
      if (rec.method === 'GET' && q.get('watch') === 'true') return this.watch(r, q, res);
      if (rec.method === 'GET') return this.json(res, 200, this.list(r, q));
      if (rec.method === 'POST') {
        const obj = rec.body as Obj;
        if (!obj?.metadata) throw errors.badRequest('the object has no metadata');
        if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + Math.random().toString(36).slice(2, 7);
        if (r.ns) obj.metadata.namespace = r.ns;
        if (this.objects.has(this.key(r.gv, r.plural, r.ns, obj.metadata.name))) throw errors.alreadyExists(gr, obj.metadata.name);
        if (q.get('dryRun') === 'All') return this.json(res, 201, obj);
        return this.json(res, 201, this.put(r.gv, r.plural, obj));
      }
      if (rec.method === 'DELETE') {
        const items = this.list(r, q).items;
        for (const o of items) this.remove(r.gv, r.plural, r.ns, o.metadata.name);
        return this.json(res, 200, { kind: `${KINDS[r.plural] ?? 'Object'}List`, apiVersion: r.gv, metadata: {}, items });
      }
      throw errors.methodNotAllowed(rec.method, r.plural);
    }
    const key = this.key(r.gv, r.plural, r.ns, r.name);
    const cur = this.objects.get(key);
    if (!cur) throw errors.notFound(gr, r.name);
    switch (rec.method) {
      case 'GET':
        return this.json(res, 200, cur);
      case 'PUT': {
        const obj = rec.body as Obj;
        if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== cur.metadata.resourceVersion) {
          throw errors.conflict(gr, r.name, 'the object has been modified; please apply your changes to the latest version and try again');
        }
        const next = r.sub === 'status' ? { ...structuredClone(cur), status: obj.status } : obj;
        next.metadata = { ...next.metadata, namespace: r.ns || undefined };
        return this.json(res, 200, this.put(r.gv, r.plural, next));
      }
      case 'PATCH': {
        const patch = rec.body;
        let next: Obj;
        if (rec.contentType === 'application/json-patch+json') next = jsonPatch(structuredClone(cur), patch);
        else next = mergePatch(structuredClone(cur), patch) as Obj;
        if (patch?.metadata?.resourceVersion && patch.metadata.resourceVersion !== cur.metadata.resourceVersion) {
          throw errors.conflict(gr, r.name, 'the object has been modified; please apply your changes to the latest version and try again');
        }
        delete next.metadata.resourceVersion;
        return this.json(res, 200, this.put(r.gv, r.plural, next));
      }
      case 'DELETE': {
        const pre = (rec.body as any)?.preconditions;
        if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
          throw errors.conflict(gr, r.name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`);
        }
        this.remove(r.gv, r.plural, r.ns, r.name);
        return this.json(res, 200, cur);
      }
    }
    throw errors.methodNotAllowed(rec.method, r.plural);
  }

  private list(r: Route, q: URLSearchParams): { kind: string; apiVersion: string; metadata: Record<string, unknown>; items: Obj[] } {
    const labels = parseLabels(q.get('labelSelector'));
    const name = /metadata\.name=([^,]+)/.exec(q.get('fieldSelector') ?? '')?.[1];
    let items = [...this.objects.entries()]
      .filter(([k]) => k.startsWith(`${r.gv}|${r.plural}|${r.ns ? r.ns + '|' : ''}`))
      .map(([, o]) => o)
      .filter((o) => matches(o, labels) && (!name || o.metadata.name === name))
      .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
    let rv = this.rv;
    let start = 0;
    const cont = q.get('continue');
    if (cont) {
      const tok = JSON.parse(Buffer.from(cont, 'base64').toString());
      if (tok.rv < this.compactedRv) throw new StatusError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      rv = tok.rv;
      start = tok.start;
    }
    const limit = Number(q.get('limit') ?? 0);
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    // Items leave out apiVersion and kind, as kube-apiserver's list answers do.
    items = items.map((o) => { const { apiVersion: _a, kind: _k, ...rest } = o; return rest as Obj; });
    if (limit > 0 && items.length > start + limit) {
      metadata.continue = Buffer.from(JSON.stringify({ rv, start: start + limit })).toString('base64');
      metadata.remainingItemCount = items.length - start - limit;
      items = items.slice(start, start + limit);
    } else items = items.slice(start);
    return { kind: `${KINDS[r.plural] ?? 'Object'}List`, apiVersion: r.gv, metadata, items };
  }

  private watch(r: Route, q: URLSearchParams, res: http.ServerResponse): void {
    const w: Watcher = { collection: `${r.gv}|${r.plural}`, ns: r.ns, labels: parseLabels(q.get('labelSelector')), res };
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const from = q.get('resourceVersion');
    if (from && from !== '0' && Number(from) < this.compactedRv) {
      const st: Status = new StatusError(410, 'Expired', `too old resource version: ${from} (${this.compactedRv})`).toStatus();
      res.end(JSON.stringify({ type: 'ERROR', object: st }) + '\n');
      return;
    }
    if (!from || from === '0') {
      for (const [k, o] of this.objects) {
        if (k.startsWith(`${w.collection}|${r.ns ? r.ns + '|' : ''}`) && matches(o, w.labels)) res.write(JSON.stringify({ type: 'ADDED', object: o }) + '\n');
      }
    } else {
      for (const ev of this.history) if (ev.rv > Number(from)) this.send(w, ev);
    }
    this.watchers.add(w);
    const timeout = Number(q.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => { this.watchers.delete(w); res.end(); }, timeout * 1000) : undefined;
    res.on('close', () => { this.watchers.delete(w); if (timer) clearTimeout(timer); });
  }
}

function parseLabels(sel: string | null): Array<[string, string]> {
  if (!sel) return [];
  return sel.split(',').map((p) => p.split('=') as [string, string]);
}

function matches(o: Obj, labels: Array<[string, string]>): boolean {
  return labels.every(([k, v]) => o.metadata.labels?.[k] === v);
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function jsonPatch(doc: Obj, ops: Array<{ op: string; path: string; value?: unknown }>): Obj {
  for (const op of ops) {
    const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let at: any = doc;
    for (const p of parts) at = at[p] ??= {};
    if (op.op === 'remove') delete at[last];
    else at[last] = op.value;
  }
  return doc;
}
