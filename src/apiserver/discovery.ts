// Discovery documents, built from the served resources exactly as kube-apiserver shapes them:
// the legacy per-group-version lists (/api, /api/v1, /apis, /apis/<g>, /apis/<g>/<v>) and the
// aggregated documents (apidiscovery.k8s.io v2 and v2beta1) that kubectl 1.32 asks for first.
// Rebuild (call buildDiscovery again) whenever the set of resources changes, e.g. for CRDs.
import { createHash } from 'node:crypto';
import { ALL_VERBS, apiVersionOf, type ResourceDef } from '../api/resource.js';
import { errors } from '../machinery/status.js';

// ---- wire types (meta/v1 and apidiscovery.k8s.io) ------------------------------------------

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion?: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface ServerAddressByClientCIDR {
  clientCIDR: string;
  serverAddress: string;
}

export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: ServerAddressByClientCIDR[];
}

export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  acceptedTypes?: GroupVersionKind[];
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Cluster' | 'Namespaced';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: 'apidiscovery.k8s.io/v2' | 'apidiscovery.k8s.io/v2beta1';
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

// ---- subresources served by dedicated handlers ----------------------------------------------

/** A subresource that is not status or scale (those come from ResourceDef.subresources). */
export interface SubresourceDecl {
  /** The parent resource: group, version and plural. */
  group: string;
  version: string;
  resource: string;
  subresource: string;
  /** The kind the subresource takes or returns, and its group/version when they differ from the parent's. */
  kind: string;
  kindGroup?: string;
  kindVersion?: string;
  verbs: string[];
}

const PROXY_VERBS = ['create', 'delete', 'get', 'patch', 'update'];
const core = (resource: string, subresource: string, kind: string, verbs: string[], more: Partial<SubresourceDecl> = {}): SubresourceDecl =>
  ({ group: '', version: 'v1', resource, subresource, kind, verbs, ...more });

/** The subresources of core/v1 that kube-apiserver serves through dedicated handlers. */
export const KUBERNETES_SUBRESOURCES: SubresourceDecl[] = [
  core('pods', 'attach', 'PodAttachOptions', ['create', 'get']),
  core('pods', 'binding', 'Binding', ['create']),
  core('pods', 'eviction', 'Eviction', ['create'], { kindGroup: 'policy', kindVersion: 'v1' }),
  core('pods', 'exec', 'PodExecOptions', ['create', 'get']),
  core('pods', 'log', 'Pod', ['get']),
  core('pods', 'portforward', 'PodPortForwardOptions', ['create', 'get']),
  core('services', 'proxy', 'ServiceProxyOptions', PROXY_VERBS),
  core('nodes', 'proxy', 'NodeProxyOptions', PROXY_VERBS),
  core('namespaces', 'finalize', 'Namespace', ['update']),
];

/** Further core/v1 subresources, for a server that implements them. */
export const OPTIONAL_SUBRESOURCES: SubresourceDecl[] = [
  core('pods', 'proxy', 'PodProxyOptions', PROXY_VERBS),
  core('pods', 'ephemeralcontainers', 'Pod', ['get', 'patch', 'update']),
  core('serviceaccounts', 'token', 'TokenRequest', ['create'], { kindGroup: 'authentication.k8s.io', kindVersion: 'v1' }),
];

// ---- ordering --------------------------------------------------------------------------------

/**
 * The built-in groups in the order kube-apiserver lists them under /apis (its APIService group
 * priorities, highest first). Other groups (CRDs, aggregated APIs) follow, alphabetically.
 */
export const BUILTIN_GROUP_ORDER = [
  'apiregistration.k8s.io', 'apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io',
  'autoscaling', 'batch', 'certificates.k8s.io', 'networking.k8s.io', 'policy', 'rbac.authorization.k8s.io',
  'storage.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io',
  'coordination.k8s.io', 'node.k8s.io', 'discovery.k8s.io', 'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io', 'storagemigration.k8s.io', 'internal.apiserver.k8s.io',
];

/** Whether a group is one of Kubernetes' own (not a CRD's): CRD groups may not use these names. */
export function isBuiltinGroup(group: string): boolean {
  return group === '' || BUILTIN_GROUP_ORDER.includes(group) || group === 'extensions';
}

function compareGroups(a: string, b: string): number {
  const ia = BUILTIN_GROUP_ORDER.indexOf(a);
  const ib = BUILTIN_GROUP_ORDER.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes' version priority: GA before beta before alpha, higher numbers first
 * (v2 > v1 > v2beta1 > v1beta2 > v1alpha1), and versions not of that shape last, alphabetically.
 * Negative when a is preferred.
 */
export function compareKubeVersions(a: string, b: string): number {
  const ma = KUBE_VERSION.exec(a);
  const mb = KUBE_VERSION.exec(b);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const stability = (m: RegExpExecArray) => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  return stability(mb) - stability(ma) || Number(mb[1]) - Number(ma[1]) || Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

// ---- building ------------------------------------------------------------------------------

/** Kubernetes' storageVersionHash: the first 8 bytes of sha256("<group>/<version>/<kind>") of the stored form. */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

const sortedVerbs = (verbs: readonly string[]) => [...new Set(verbs)].sort();
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export interface DiscoveryOptions {
  /** The address clients reach the API server at (host:port), for serverAddressByClientCIDRs. */
  serverAddress?: string;
  /** Which resources are custom (CRDs); default: ResourceDef.custom, else those outside Kubernetes' own groups. */
  isCustom?(r: ResourceDef): boolean;
}

export interface Discovery {
  /** GET /api */
  api(): APIVersions;
  /** GET /apis */
  apis(): APIGroupList;
  /** GET /apis/<group>; undefined when no such group is served. */
  group(name: string): APIGroup | undefined;
  /** GET /api/v1 (group '') or /apis/<group>/<version>; undefined when not served. */
  groupVersion(group: string, version: string): APIResourceList | undefined;
  /** GET /api or /apis in aggregated form. */
  aggregated(kind: 'api' | 'apis', version: 'v2' | 'v2beta1'): APIGroupDiscoveryList;
  /** The served group versions, preferred first within each group, e.g. [['', 'v1'], ['apps', 'v1']]. */
  groupVersions(): Array<{ group: string; version: string }>;
}

interface GV {
  group: string;
  version: string;
  resources: ResourceDef[];
  subresources: SubresourceDecl[];
}

function memo<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

/** Status and scale subresources of a resource, as SubresourceDecls. */
function declaredSubresources(r: ResourceDef): SubresourceDecl[] {
  const out: SubresourceDecl[] = [];
  const base = { group: r.group, version: r.version, resource: r.plural };
  if (r.subresources?.status) out.push({ ...base, subresource: 'status', kind: r.kind, verbs: ['get', 'patch', 'update'] });
  if (r.subresources?.scale) out.push({ ...base, subresource: 'scale', kind: 'Scale', kindGroup: 'autoscaling', kindVersion: 'v1', verbs: ['get', 'patch', 'update'] });
  return out;
}

export function buildDiscovery(
  resources: ResourceDef[],
  extraSubresources: SubresourceDecl[] = KUBERNETES_SUBRESOURCES,
  opts: DiscoveryOptions = {},
): Discovery {
  const isCustom = opts.isCustom ?? ((r: ResourceDef) => r.custom ?? !isBuiltinGroup(r.group));

  // Group versions, each group's versions in preference order, groups in /apis order.
  const gvs = new Map<string, GV>();
  for (const r of resources) {
    const key = apiVersionOf(r);
    let gv = gvs.get(key);
    if (!gv) gvs.set(key, (gv = { group: r.group, version: r.version, resources: [], subresources: [] }));
    gv.resources.push(r);
    gv.subresources.push(...declaredSubresources(r));
  }
  for (const s of extraSubresources) {
    const gv = gvs.get(apiVersionOf(s));
    if (gv?.resources.some((r) => r.plural === s.resource)) gv.subresources.push(s);
  }
  const groups = new Map<string, GV[]>();
  for (const gv of gvs.values()) {
    const list = groups.get(gv.group) ?? [];
    list.push(gv);
    groups.set(gv.group, list);
  }
  for (const list of groups.values()) list.sort((a, b) => compareKubeVersions(a.version, b.version));
  const groupNames = [...groups.keys()].filter((g) => g !== '').sort(compareGroups);

  const gvd = (gv: GV): GroupVersionForDiscovery => ({ groupVersion: apiVersionOf(gv), version: gv.version });
  const apiGroup = (name: string): APIGroup => {
    const versions = groups.get(name)!;
    return { name, versions: versions.map(gvd), preferredVersion: gvd(versions[0]) };
  };

  function resourceList(gv: GV): APIResourceList {
    const out: APIResource[] = [];
    for (const r of gv.resources) {
      const verbs = r.verbs ?? ALL_VERBS;
      const res: APIResource = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: sortedVerbs(verbs) };
      if (r.shortNames?.length) res.shortNames = [...r.shortNames];
      if (r.categories?.length) res.categories = [...r.categories];
      // Only what is stored has a storage version; create-only resources (bindings, reviews) do not.
      if (verbs.includes('get') || verbs.includes('list')) {
        const s = r.storage ?? r;
        res.storageVersionHash = storageVersionHash(s.group, s.version, r.kind);
      }
      out.push(res);
    }
    for (const s of gv.subresources) {
      const parent = gv.resources.find((r) => r.plural === s.resource)!;
      const res: APIResource = { name: `${s.resource}/${s.subresource}`, singularName: '', namespaced: parent.namespaced, kind: s.kind, verbs: sortedVerbs(s.verbs) };
      if (s.kindGroup !== undefined || s.kindVersion !== undefined) {
        // Fields in declaration order, as Kubernetes serializes them: group and version before kind.
        const { name, singularName, namespaced, kind, verbs } = res;
        out.push({ name, singularName, namespaced, group: s.kindGroup ?? gv.group, version: s.kindVersion ?? gv.version, kind, verbs });
        continue;
      }
      out.push(res);
    }
    out.sort(byName);
    const list: APIResourceList = gv.group === ''
      ? { kind: 'APIResourceList', groupVersion: gv.version, resources: out }
      : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(gv), resources: out };
    return list;
  }

  function versionDiscovery(gv: GV): APIVersionDiscovery {
    const items: APIResourceDiscovery[] = [];
    for (const r of [...gv.resources].sort((a, b) => (a.plural < b.plural ? -1 : 1))) {
      const custom = isCustom(r);
      // Built-in resources leave group/version empty (meaning: the enclosing group version), as
      // kube-apiserver does; CRDs spell them out, as apiextensions-apiserver does.
      const kindOf = (kind: string, group?: string, version?: string): GroupVersionKind =>
        group !== undefined || version !== undefined || custom
          ? { group: group ?? r.group, version: version ?? r.version, kind }
          : { group: '', version: '', kind };
      const d: APIResourceDiscovery = {
        resource: r.plural,
        responseKind: kindOf(r.kind),
        scope: r.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: r.singular,
        verbs: sortedVerbs(r.verbs ?? ALL_VERBS),
      };
      if (r.shortNames?.length) d.shortNames = [...r.shortNames];
      if (r.categories?.length) d.categories = [...r.categories];
      const subs = gv.subresources
        .filter((s) => s.resource === r.plural)
        .sort((a, b) => (a.subresource < b.subresource ? -1 : 1))
        .map((s): APISubresourceDiscovery => ({ subresource: s.subresource, responseKind: kindOf(s.kind, s.kindGroup, s.kindVersion), verbs: sortedVerbs(s.verbs) }));
      if (subs.length) d.subresources = subs;
      items.push(d);
    }
    return { version: gv.version, resources: items, freshness: 'Current' };
  }

  const lists = new Map<string, () => APIResourceList>();
  for (const [key, gv] of gvs) lists.set(key, memo(() => resourceList(gv)));

  const aggregatedItems = {
    api: memo((): APIGroupDiscovery[] =>
      groups.has('') ? [{ metadata: { creationTimestamp: null }, versions: groups.get('')!.map(versionDiscovery) }] : []),
    apis: memo((): APIGroupDiscovery[] =>
      groupNames.map((name) => ({ metadata: { name, creationTimestamp: null }, versions: groups.get(name)!.map(versionDiscovery) }))),
  };

  return {
    api: memo((): APIVersions => ({
      kind: 'APIVersions',
      versions: (groups.get('') ?? []).map((gv) => gv.version),
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: opts.serverAddress ?? '127.0.0.1:6443' }],
    })),
    apis: memo((): APIGroupList => ({ kind: 'APIGroupList', apiVersion: 'v1', groups: groupNames.map(apiGroup) })),
    group: (name) => (name !== '' && groups.has(name) ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(name) } : undefined),
    groupVersion: (group, version) => lists.get(group ? `${group}/${version}` : version)?.(),
    aggregated: (kind, version) => ({
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${version}`,
      metadata: {},
      items: aggregatedItems[kind](),
    }),
    groupVersions: memo(() => [...(groups.get('') ?? []), ...groupNames.flatMap((g) => groups.get(g)!)].map(({ group, version }) => ({ group, version }))),
  };
}

// ---- content negotiation ---------------------------------------------------------------------

export const AGGREGATED_CONTENT_TYPE = {
  v2: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  v2beta1: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
} as const;

/**
 * Which form of /api or /apis an Accept header asks for: the aggregated list (v2 or v2beta1),
 * the legacy JSON documents, or nothing this server can produce (answer 406). Media ranges are
 * taken by descending q, ties in the order given, as kube-apiserver negotiates.
 */
export function negotiateDiscovery(accept: string | undefined): { aggregated: 'v2' | 'v2beta1' } | 'legacy' | undefined {
  if (!accept) return 'legacy';
  const ranges = accept.split(',').map((part, i) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const eq = kv.indexOf('=');
      if (eq > 0) p[kv.slice(0, eq).trim().toLowerCase()] = kv.slice(eq + 1).trim();
    }
    const q = p.q === undefined ? 1 : Number(p.q);
    return { type: type.toLowerCase(), p, q: Number.isFinite(q) ? q : 0, i };
  }).filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    const jsonish = r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*';
    if (!jsonish) continue;
    if (r.p.as === undefined && r.p.g === undefined) return 'legacy';
    if (r.type === 'application/json' && r.p.g === 'apidiscovery.k8s.io' && r.p.as === 'APIGroupDiscoveryList' && (r.p.v === 'v2' || r.p.v === 'v2beta1')) {
      return { aggregated: r.p.v };
    }
  }
  return undefined;
}

// ---- serving -------------------------------------------------------------------------------------

export interface DiscoveryReply {
  status: 200 | 304;
  headers: Record<string, string>;
  body: string;
}

/**
 * Answers the discovery paths (/api, /apis, /api/<v>, /apis/<g>, /apis/<g>/<v>) from a built
 * Discovery; undefined for other paths and for group versions not served (the caller's 404).
 * /api and /apis honour the Accept header: the aggregated list with its own content type and an
 * ETag (If-None-Match answers 304), or the legacy document. Throws a 406 StatusError when the
 * Accept header allows neither.
 */
const serialized = new WeakMap<Discovery, Map<string, { body: string; etag: string }>>();

/** The aggregated document as served, computed once per Discovery (kubectl asks on every run). */
function aggregatedBody(d: Discovery, kind: 'api' | 'apis', version: 'v2' | 'v2beta1'): { body: string; etag: string } {
  let m = serialized.get(d);
  if (!m) serialized.set(d, (m = new Map()));
  const key = `${kind}/${version}`;
  let hit = m.get(key);
  if (!hit) {
    const body = JSON.stringify(d.aggregated(kind, version));
    hit = { body, etag: `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"` };
    m.set(key, hit);
  }
  return hit;
}

export function serveDiscovery(d: Discovery, path: string, accept: string | undefined, ifNoneMatch?: string): DiscoveryReply | undefined {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const json = (doc: unknown, headers: Record<string, string> = {}): DiscoveryReply =>
    ({ status: 200, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(doc) });
  if (p === '/api' || p === '/apis') {
    const form = negotiateDiscovery(accept);
    if (form === undefined) {
      throw errors.notAcceptable(`only the following media types are accepted: application/json, ${AGGREGATED_CONTENT_TYPE.v2}, ${AGGREGATED_CONTENT_TYPE.v2beta1}`);
    }
    if (form === 'legacy') return json(p === '/api' ? d.api() : d.apis(), { Vary: 'Accept' });
    const { body, etag } = aggregatedBody(d, p === '/api' ? 'api' : 'apis', form.aggregated);
    const headers = { 'Content-Type': AGGREGATED_CONTENT_TYPE[form.aggregated], ETag: etag, Vary: 'Accept' };
    if (ifNoneMatch?.split(',').some((t) => t.trim() === etag)) return { status: 304, headers, body: '' };
    return { status: 200, headers, body };
  }
  const m = /^\/(?:api\/([^/]+)|apis\/([^/]+)(?:\/([^/]+))?)$/.exec(p);
  if (!m) return undefined;
  const doc = m[1] !== undefined ? d.groupVersion('', m[1]) : m[3] !== undefined ? d.groupVersion(m[2], m[3]) : d.group(m[2]);
  return doc ? json(doc) : undefined;
}
