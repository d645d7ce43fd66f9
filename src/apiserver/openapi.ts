// /openapi/v2 and /openapi/v3: the served resources and their schemas as OpenAPI documents, the
// way kube-apiserver publishes them. kubectl explain reads v3; kubectl apply reads the v3 PATCH
// operations to pick strategic merge patch and server-side field validation.
// Documents are built lazily, cached, and hashed (sha512, upper-case hex, as Kubernetes' ETags);
// a per-group-version v3 document is reused across rebuilds while its resources and schemas are
// the same objects, so adding a CRD only rebuilds its own group version.
import { createHash } from 'node:crypto';
import type { ResourceDef } from '../api/resource.js';
import { apiVersionOf } from '../api/resource.js';
import { META } from '../api/meta/v1.js';
import type { Definitions, Schema } from '../machinery/schema.js';
import { compareKubeVersions, isBuiltinGroup } from './discovery.js';
import { groupVersionPath, resourcePaths, type GVK, type Operation, type Param, type PathItem } from './openapi/operations.js';
import { definitionSource, reachableDefinitions, refPrefix, refsOf, type Flavor } from './openapi/schemas.js';
import { listDefinition } from './openapi/meta.js';
import { negotiateOpenAPIV2, OPENAPI_V2_PROTOBUF, openAPIV2Protobuf } from './openapi-v2-proto.js';

export interface ServedDocument {
  /** The JSON text, exactly what is hashed and served. */
  body: string;
  /** sha512 of body, upper-case hex. */
  hash: string;
  /** The ETag header value: the hash in quotes. */
  etag: string;
}

export interface OpenAPIOptions {
  /** Which resources are custom (CRDs): no strategic merge patch for them. Default: ResourceDef.custom, else a non-Kubernetes group. */
  isCustom?(r: ResourceDef): boolean;
  /** info.version of the documents. */
  version?: string;
}

export interface OpenAPI {
  /** GET /openapi/v2 (swagger 2.0, JSON). */
  v2(): ServedDocument;
  /** GET /openapi/v3: `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"}, …}}`. */
  v3Index(): ServedDocument;
  /** GET /openapi/v3/<path>, path like `api/v1` or `apis/apps/v1`; undefined when not served. */
  v3(path: string): ServedDocument | undefined;
  /** The v3 paths served, e.g. ['api/v1', 'apis/apps/v1']. */
  v3Paths(): string[];
}

type Json = Record<string, unknown>;

function served(doc: unknown): ServedDocument {
  const body = JSON.stringify(doc);
  const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
  return { body, hash, etag: `"${hash}"` };
}

function sortedObject<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const v3PathOf = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

// ---- rendering operations ----------------------------------------------------------------------

function renderParam(p: Param, flavor: Flavor): Json {
  const out: Json = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  if (flavor === 'v3') out.schema = { type: p.type, uniqueItems: true };
  else Object.assign(out, { type: p.type, uniqueItems: true });
  return out;
}

function renderOperation(op: Operation, flavor: Flavor): Json {
  const ref = (name: string) => ({ $ref: refPrefix(flavor) + name });
  const out: Json = { description: op.description, operationId: op.operationId };
  if (flavor === 'v3') {
    const params = op.params.map((p) => renderParam(p, flavor));
    if (params.length) out.parameters = params;
    if (op.body) {
      out.requestBody = {
        content: sortedObject(op.body.contentTypes.map((ct) => [ct, { schema: ref(op.body!.schema) }])),
        ...(op.body.required ? { required: true } : {}),
      };
    }
    out.responses = Object.fromEntries(op.responses.map((r) => [r.code, r.schema
      ? { content: sortedObject(op.produces.map((ct) => [ct, { schema: ref(r.schema!) }])), description: r.description }
      : { description: r.description }]));
  } else {
    out.consumes = op.body ? op.body.contentTypes : ['*/*'];
    out.produces = op.produces;
    out.schemes = ['https'];
    const params = op.params.map((p) => renderParam(p, flavor));
    if (op.body) params.unshift({ in: 'body', name: 'body', ...(op.body.required ? { required: true } : {}), schema: ref(op.body.schema) });
    if (params.length) out.parameters = params;
    out.responses = Object.fromEntries(op.responses.map((r) => [r.code, r.schema ? { description: r.description, schema: ref(r.schema) } : { description: r.description }]));
  }
  out.tags = [op.tag];
  if (op.action) out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = op.gvk;
  return out;
}

function renderPaths(items: PathItem[], flavor: Flavor): Record<string, Json> {
  const paths = new Map<string, Json>();
  for (const item of items) {
    const out: Json = paths.get(item.path) ?? {};
    for (const op of item.operations) out[op.method] = renderOperation(op, flavor);
    if (item.params.length) out.parameters = item.params.map((p) => renderParam(p, flavor));
    paths.set(item.path, out);
  }
  return sortedObject([...paths].map(([p, v]) => [p, sortedObject(Object.entries(v))]));
}

// ---- assembling documents ----------------------------------------------------------------------

interface Model {
  resources: ResourceDef[];
  lookup(name: string): Schema | undefined;
  isCustom(r: ResourceDef): boolean;
  isBuiltinSchema(name: string): boolean;
  /** Definition name of each resource's list kind. */
  listName(r: ResourceDef): string;
}

function paths(model: Model, resources: ResourceDef[]): PathItem[] {
  const out: PathItem[] = [];
  const gvs = new Set<string>();
  for (const r of resources) {
    const key = apiVersionOf(r);
    if (!gvs.has(key)) {
      gvs.add(key);
      out.push(groupVersionPath(r.group, r.version));
    }
    out.push(...resourcePaths({ r, schema: r.schemaName, listSchema: model.listName(r), custom: model.isCustom(r) }));
  }
  return out;
}

/** The x-kubernetes-group-version-kind each definition carries in a document. */
function kindsOf(resources: ResourceDef[], model: Model, servedGVs: Array<{ group: string; version: string }>): Map<string, GVK[]> {
  const m = new Map<string, GVK[]>();
  const add = (name: string, gvk: GVK) => {
    const list = m.get(name) ?? [];
    if (!list.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) list.push(gvk);
    m.set(name, list);
  };
  for (const r of resources) {
    add(r.schemaName, { group: r.group, kind: r.kind, version: r.version });
    add(model.listName(r), { group: r.group, kind: `${r.kind}List`, version: r.version });
  }
  add(META.Status, { group: '', kind: 'Status', version: 'v1' });
  for (const gv of [{ group: '', version: 'v1' }, ...servedGVs]) {
    add(META.DeleteOptions, { group: gv.group, kind: 'DeleteOptions', version: gv.version });
    add(META.WatchEvent, { group: gv.group, kind: 'WatchEvent', version: gv.version });
  }
  for (const list of m.values()) list.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : compareKubeVersions(a.version, b.version)));
  return m;
}

/** Definitions the rendered paths reach, with their GVK extensions. */
function definitionsFor(renderedPaths: Record<string, Json>, model: Model, flavor: Flavor, kinds: Map<string, GVK[]>): Record<string, Json> {
  const defs = reachableDefinitions(refsOf(renderedPaths), model.lookup, flavor, model.isBuiltinSchema);
  for (const [name, gvks] of kinds) {
    const d = defs.get(name);
    if (d) defs.set(name, { ...d, 'x-kubernetes-group-version-kind': gvks });
  }
  return sortedObject(defs);
}

const SECURITY_SCHEME = { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' };

function v2Document(model: Model, version: string): Json {
  const rendered = renderPaths(paths(model, model.resources), 'v2');
  const gvs = uniqueGVs(model.resources);
  return {
    definitions: definitionsFor(rendered, model, 'v2', kindsOf(model.resources, model, gvs)),
    info: { title: 'Kubernetes', version },
    paths: rendered,
    security: [{ BearerToken: [] }],
    securityDefinitions: { BearerToken: SECURITY_SCHEME },
    swagger: '2.0',
  };
}

function v3Document(model: Model, resources: ResourceDef[], version: string): Json {
  const rendered = renderPaths(paths(model, resources), 'v3');
  return {
    components: {
      schemas: definitionsFor(rendered, model, 'v3', kindsOf(resources, model, uniqueGVs(resources))),
      securitySchemes: { BearerToken: SECURITY_SCHEME },
    },
    info: { title: 'Kubernetes', version },
    openapi: '3.0.0',
    paths: rendered,
    security: [{ BearerToken: [] }],
  };
}

function uniqueGVs(resources: ResourceDef[]): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of resources) seen.set(apiVersionOf(r), { group: r.group, version: r.version });
  return [...seen.values()];
}

// ---- caching -------------------------------------------------------------------------------------

interface CachedGV {
  resources: ResourceDef[];
  /** The raw schema objects the document was built from, to tell whether it is still current. */
  inputs: Array<[string, Schema | undefined]>;
  doc: ServedDocument;
}

/**
 * Builds the OpenAPI documents of a set of resources. Pass the previous result as `previous` when
 * rebuilding after a change, so per-group-version documents that did not change are reused.
 */
export function buildOpenAPI(resources: ResourceDef[], definitions: Definitions, opts: OpenAPIOptions = {}, previous?: OpenAPI): OpenAPI {
  const isCustom = opts.isCustom ?? ((r: ResourceDef) => r.custom ?? !isBuiltinGroup(r.group));
  const customSchemas = new Set(resources.filter(isCustom).map((r) => r.schemaName));
  const base = definitionSource(definitions);
  const lists = new Map<string, Schema>();
  const listNameOf = (r: ResourceDef) => {
    const declared = `${r.schemaName}List`;
    if (!base(declared) && !lists.has(declared)) lists.set(declared, listDefinition(r.schemaName, r.kind));
    return declared;
  };
  for (const r of resources) listNameOf(r);
  const model: Model = {
    resources,
    lookup: (name) => base(name) ?? lists.get(name),
    isCustom,
    isBuiltinSchema: (name) => !customSchemas.has(name) && !customSchemas.has(name.replace(/List$/, '')),
    listName: listNameOf,
  };
  const version = opts.version ?? 'unversioned';

  // Group versions: core first, then by group name and version preference, as the index lists them.
  const byGV = new Map<string, ResourceDef[]>();
  for (const r of resources) {
    const key = v3PathOf(r.group, r.version);
    byGV.set(key, [...(byGV.get(key) ?? []), r]);
  }
  const gvPaths = [...byGV.keys()].sort((a, b) => {
    const [ga, va] = splitGV(a);
    const [gb, vb] = splitGV(b);
    if (ga !== gb) return ga === '' ? -1 : gb === '' ? 1 : ga < gb ? -1 : 1;
    return compareKubeVersions(va, vb);
  });

  const prevCache = (previous as Built | undefined)?.[CACHE];
  const cache = new Map<string, CachedGV>();
  const v3 = (path: string): ServedDocument | undefined => {
    const rs = byGV.get(path);
    if (!rs) return undefined;
    const hit = cache.get(path);
    if (hit) return hit.doc;
    const old = prevCache?.get(path);
    if (old && sameResources(old.resources, rs) && old.inputs.every(([n, s]) => model.lookup(n) === s)) {
      cache.set(path, old);
      return old.doc;
    }
    const json = v3Document(model, rs, version);
    const names = Object.keys((json.components as { schemas: Json }).schemas);
    const entry: CachedGV = { resources: rs, inputs: names.map((n) => [n, model.lookup(n)]), doc: served(json) };
    cache.set(path, entry);
    return entry.doc;
  };

  let v2Doc: ServedDocument | undefined;
  let index: ServedDocument | undefined;
  const built: Built = {
    [CACHE]: cache,
    v2: () => (v2Doc ??= served(v2Document(model, version))),
    v3,
    v3Paths: () => [...gvPaths],
    v3Index: () => (index ??= served({
      paths: Object.fromEntries(gvPaths.map((p) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=${v3(p)!.hash}` }])),
    })),
  };
  return built;
}

const CACHE = Symbol('openapi-v3-cache');
type Built = OpenAPI & { [CACHE]: Map<string, CachedGV> };

function splitGV(path: string): [string, string] {
  const parts = path.split('/');
  return parts[0] === 'api' ? ['', parts[1]] : [parts[1], parts[2]];
}

function sameResources(a: ResourceDef[], b: ResourceDef[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

// ---- serving -------------------------------------------------------------------------------------

export interface DocumentReply {
  status: 200 | 301 | 304 | 404 | 406;
  headers: Record<string, string>;
  /** A Buffer only for /openapi/v2 in protobuf. */
  body: string | Buffer;
}

const YEAR = 365 * 86_400_000;

/** Whether an Accept header allows JSON (the only form served; no protobuf). */
function acceptsJSON(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const q = params.find((x) => x.startsWith('q='));
    return ['application/json', 'application/*', '*/*'].includes(type) && (!q || Number(q.slice(2)) > 0);
  });
}

/**
 * Answers GET /openapi/v2, /openapi/v3 and /openapi/v3/<group version> as kube-apiserver does:
 * ETag and If-None-Match; a v3 document asked for by its current hash is immutable and cacheable
 * for a year, one asked for by a stale hash is redirected (301) to the current one. /openapi/v2 is
 * served as JSON or, when the Accept header prefers it, in gnostic's protobuf form (client-go's
 * OpenAPISchema() asks for nothing else), with the JSON document's ETag as kube-apiserver does; v3
 * is JSON only, and an Accept header that allows only protobuf there gets 406. Undefined for paths
 * outside /openapi.
 */
export function serveOpenAPI(
  api: OpenAPI,
  path: string,
  query: URLSearchParams,
  headers: { accept?: string; ifNoneMatch?: string } = {},
): DocumentReply | undefined {
  const json = 'application/json';
  const { ifNoneMatch } = headers;
  const reply = (doc: ServedDocument, headers: Record<string, string>): DocumentReply =>
    ifNoneMatch !== undefined && ifNoneMatch.split(',').map((s) => s.trim()).includes(doc.etag)
      ? { status: 304, headers: { ETag: doc.etag, ...headers }, body: '' }
      : { status: 200, headers: { 'Content-Type': json, ETag: doc.etag, ...headers }, body: doc.body };
  const p = path.replace(/\/+$/, '');
  if (p === '/openapi/v2' && negotiateOpenAPIV2(headers.accept) === 'protobuf') {
    const doc = api.v2();
    const r = reply(doc, { 'Cache-Control': 'no-cache, private', Vary: 'Accept' });
    return r.status === 200 ? { ...r, headers: { ...r.headers, 'Content-Type': OPENAPI_V2_PROTOBUF }, body: openAPIV2Protobuf(doc) } : r;
  }
  if ((p === '/openapi/v2' || p.startsWith('/openapi/v3')) && !acceptsJSON(headers.accept)) {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `only application/json is served at ${p}`, reason: 'NotAcceptable', code: 406 };
    return { status: 406, headers: { 'Content-Type': json }, body: JSON.stringify(status) };
  }
  if (p === '/openapi/v2') return reply(api.v2(), { 'Cache-Control': 'no-cache, private', Vary: 'Accept' });
  if (p === '/openapi/v3') return reply(api.v3Index(), { 'Cache-Control': 'no-cache, private' });
  if (!p.startsWith('/openapi/v3/')) return undefined;
  const gv = p.slice('/openapi/v3/'.length);
  const doc = api.v3(gv);
  if (!doc) return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: '404 page not found\n' };
  const asked = query.get('hash');
  if (asked !== null && asked !== doc.hash) {
    return { status: 301, headers: { Location: `/openapi/v3/${gv}?hash=${doc.hash}`, 'Cache-Control': 'no-cache, private' }, body: '' };
  }
  if (asked !== null) return reply(doc, { 'Cache-Control': 'public, immutable', Expires: new Date(Date.now() + YEAR).toUTCString() });
  return reply(doc, { 'Cache-Control': 'no-cache, private' });
}
