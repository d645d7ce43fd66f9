// The REST operations of a resource, as kube-apiserver's installer publishes them: one path item
// per URL (collection, item, status, scale, watch, all namespaces), operation ids and tags named
// the way Kubernetes names them, and the query parameters each verb accepts. kubectl reads the
// PATCH operations: their patch content types choose strategic merge patch for built-in kinds,
// and a `fieldValidation` parameter turns on server-side field validation.
import { ALL_VERBS, type ResourceDef } from '../../api/resource.js';
import { META } from '../../api/meta/v1.js';
import { API_RESOURCE_LIST, PATCH, SCALE } from './meta.js';

export interface GVK {
  group: string;
  kind: string;
  version: string;
}

export interface Param {
  name: string;
  in: 'query' | 'path';
  description: string;
  type: 'string' | 'boolean' | 'integer';
  required?: boolean;
}

export type Action = 'list' | 'post' | 'deletecollection' | 'get' | 'put' | 'patch' | 'delete' | 'watch' | 'watchlist';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Response {
  code: string;
  description: string;
  /** Definition name of the response body. */
  schema?: string;
}

export interface Operation {
  method: Method;
  operationId: string;
  description: string;
  tag: string;
  action?: Action;
  gvk?: GVK;
  params: Param[];
  body?: { schema: string; contentTypes: string[]; required: boolean };
  responses: Response[];
  /** Content types of the responses. */
  produces: string[];
}

export interface PathItem {
  path: string;
  params: Param[];
  operations: Operation[];
}

// ---- parameters -------------------------------------------------------------------------------

const q = (name: string, type: Param['type'], description: string): Param => ({ name, in: 'query', type, description });

export const P = {
  pretty: q('pretty', 'string', "If 'true', the output is indented for people to read."),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'Asks for BOOKMARK events on a watch, which carry only a resourceVersion to resume from. Ignored for lists.'),
  continue: q('continue', 'string', 'The token from a previous limited list, to fetch the next page of the same list.'),
  fieldSelector: q('fieldSelector', 'string', 'Restricts the objects returned by their fields, e.g. metadata.name=x. Defaults to everything.'),
  labelSelector: q('labelSelector', 'string', 'Restricts the objects returned by their labels, e.g. app=web,tier!=db. Defaults to everything.'),
  limit: q('limit', 'integer', 'The most objects to return; when more exist, the list metadata carries a continue token for the rest.'),
  resourceVersion: q('resourceVersion', 'string', 'Which version of the data the request may be served from; see the resourceVersion semantics of the Kubernetes API.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'How resourceVersion applies to a list: NotOlderThan or Exact.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', 'With watch=true: start the watch with ADDED events for the current objects, then a bookmark marking their end.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Ends the list or watch call after this many seconds.'),
  watch: q('watch', 'boolean', 'Streams changes (ADDED, MODIFIED, DELETED) instead of returning a list; give resourceVersion to start from.'),
  dryRun: q('dryRun', 'string', 'All: run every stage of the request but persist nothing.'),
  fieldManager: q('fieldManager', 'string', 'The name of the actor making the change, recorded in managedFields. At most 128 printable characters.'),
  fieldManagerPatch: q('fieldManager', 'string', 'The name of the actor making the change, recorded in managedFields. Required for apply patches; at most 128 printable characters.'),
  fieldValidation: q('fieldValidation', 'string', 'What to do with unknown or duplicate fields in the body: Ignore (drop them), Warn (drop them and warn, the default) or Strict (fail with BadRequest).'),
  force: q('force', 'boolean', 'For apply patches: take ownership of fields other managers own instead of failing with a conflict. Must be unset for other patch types.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'Seconds the object gets to terminate gracefully; 0 deletes at once. Defaults to the kind\'s own period.'),
  ignoreStoreReadErrorWithClusterBreakingPotential: q('ignoreStoreReadErrorWithClusterBreakingPotential', 'boolean', 'Deletes an object that cannot be read from storage (corrupt or undecryptable). Dangerous: bypasses finalizers and graceful deletion.'),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated, use propagationPolicy: whether dependents are orphaned rather than garbage collected.'),
  propagationPolicy: q('propagationPolicy', 'string', 'Whether and how dependents are garbage collected: Orphan, Background or Foreground.'),
};

const LIST_PARAMS = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [P.dryRun, P.fieldManagerPatch, P.fieldValidation, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadErrorWithClusterBreakingPotential, P.orphanDependents, P.propagationPolicy];
const DELETECOLLECTION_PARAMS = [
  P.continue, P.dryRun, P.fieldSelector, P.gracePeriodSeconds, P.ignoreStoreReadErrorWithClusterBreakingPotential, P.labelSelector,
  P.limit, P.orphanDependents, P.propagationPolicy, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds,
];

const pathParam = (name: string, description: string): Param => ({ name, in: 'path', type: 'string', required: true, description });
const NAMESPACE = pathParam('namespace', 'object name and auth scope, such as for teams and projects');

// ---- naming -----------------------------------------------------------------------------------

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `Core`, `Apps`, `RbacAuthorization`, `StableExampleCom`: Kubernetes drops `.k8s.io` and camel-cases the rest. */
export function groupIdent(group: string): string {
  if (!group) return 'Core';
  return group.replace(/\.k8s\.io$/, '').split(/[.-]/).filter(Boolean).map(cap).join('');
}

/** The tag of a group version's operations: `core_v1`, `apps_v1`, `rbacAuthorization_v1`. */
export function tagOf(group: string, version: string): string {
  const id = groupIdent(group);
  return `${id.charAt(0).toLowerCase()}${id.slice(1)}_${version}`;
}

export function gvPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

// ---- content types ----------------------------------------------------------------------------

export const OBJECT_TYPES = ['application/json', 'application/yaml'];
export const LIST_TYPES = ['application/json', 'application/yaml', 'application/json;stream=watch'];
export const WATCH_TYPES = ['application/json', 'application/yaml', 'application/json;stream=watch'];
const BUILTIN_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const CUSTOM_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

const deprecated = "deprecated: use the 'watch' parameter with a list operation instead";

// ---- operations -------------------------------------------------------------------------------

const ok = (schema: string): Response => ({ code: '200', description: 'OK', schema });
const created = (schema: string): Response => ({ code: '201', description: 'Created', schema });
const accepted = (schema: string): Response => ({ code: '202', description: 'Accepted', schema });
const unauthorized: Response = { code: '401', description: 'Unauthorized' };

export interface ResourceInfo {
  r: ResourceDef;
  /** Definition name of the object and of its list. */
  schema: string;
  listSchema: string;
  custom: boolean;
}

/** The path items for one resource, in no particular order. */
export function resourcePaths({ r, schema, listSchema, custom }: ResourceInfo): PathItem[] {
  const verbs = new Set(r.verbs ?? ALL_VERBS);
  const prefix = gvPrefix(r.group, r.version);
  const tag = tagOf(r.group, r.version);
  const gvId = `${groupIdent(r.group)}${cap(r.version)}`;
  const scope = r.namespaced ? 'Namespaced' : '';
  const base = r.namespaced ? `${prefix}/namespaces/{namespace}` : prefix;
  const scopeParams = r.namespaced ? [NAMESPACE] : [];
  const gvk: GVK = { group: r.group, kind: r.kind, version: r.version };
  const K = r.kind;
  const patchTypes = custom ? CUSTOM_PATCH_TYPES : BUILTIN_PATCH_TYPES;
  const items: PathItem[] = [];
  const op = (o: Omit<Operation, 'tag'>): Operation => ({ tag, ...o });

  const collection: Operation[] = [];
  if (verbs.has('list')) {
    collection.push(op({
      method: 'get', operationId: `list${gvId}${scope}${K}`, description: `list or watch objects of kind ${K}`, action: 'list', gvk,
      params: LIST_PARAMS, responses: [ok(listSchema), unauthorized], produces: LIST_TYPES,
    }));
  }
  if (verbs.has('create')) {
    collection.push(op({
      method: 'post', operationId: `create${gvId}${scope}${K}`, description: `create ${article(K)} ${K}`, action: 'post', gvk,
      params: WRITE_PARAMS, body: { schema, contentTypes: ['*/*'], required: true },
      responses: [ok(schema), created(schema), accepted(schema), unauthorized], produces: OBJECT_TYPES,
    }));
  }
  if (verbs.has('deletecollection')) {
    collection.push(op({
      method: 'delete', operationId: `delete${gvId}Collection${scope}${K}`, description: `delete collection of ${K}`, action: 'deletecollection', gvk,
      params: DELETECOLLECTION_PARAMS, body: { schema: META.DeleteOptions, contentTypes: ['*/*'], required: false },
      responses: [ok(META.Status), unauthorized], produces: OBJECT_TYPES,
    }));
  }
  if (collection.length) items.push({ path: `${base}/${r.plural}`, params: [...scopeParams, P.pretty], operations: collection });

  const nameParam = pathParam('name', `name of the ${K}`);
  const itemParams = [nameParam, ...scopeParams, P.pretty];
  const item: Operation[] = [];
  if (verbs.has('get')) {
    item.push(op({
      method: 'get', operationId: `read${gvId}${scope}${K}`, description: `read the specified ${K}`, action: 'get', gvk,
      params: [], responses: [ok(schema), unauthorized], produces: OBJECT_TYPES,
    }));
  }
  if (verbs.has('update')) {
    item.push(op({
      method: 'put', operationId: `replace${gvId}${scope}${K}`, description: `replace the specified ${K}`, action: 'put', gvk,
      params: WRITE_PARAMS, body: { schema, contentTypes: ['*/*'], required: true },
      responses: [ok(schema), created(schema), unauthorized], produces: OBJECT_TYPES,
    }));
  }
  if (verbs.has('patch')) {
    item.push(op({
      method: 'patch', operationId: `patch${gvId}${scope}${K}`, description: `partially update the specified ${K}`, action: 'patch', gvk,
      params: PATCH_PARAMS, body: { schema: PATCH, contentTypes: patchTypes, required: true },
      responses: [ok(schema), created(schema), unauthorized], produces: OBJECT_TYPES,
    }));
  }
  if (verbs.has('delete')) {
    item.push(op({
      method: 'delete', operationId: `delete${gvId}${scope}${K}`, description: `delete ${article(K)} ${K}`, action: 'delete', gvk,
      params: DELETE_PARAMS, body: { schema: META.DeleteOptions, contentTypes: ['*/*'], required: false },
      responses: [ok(META.Status), accepted(META.Status), unauthorized], produces: OBJECT_TYPES,
    }));
  }
  if (item.length) items.push({ path: `${base}/${r.plural}/{name}`, params: itemParams, operations: item });

  const sub = (name: 'status' | 'scale', bodySchema: string, subGvk: GVK, what: string) => {
    const Name = cap(name);
    items.push({
      path: `${base}/${r.plural}/{name}/${name}`,
      params: itemParams,
      operations: [
        op({
          method: 'get', operationId: `read${gvId}${scope}${K}${Name}`, description: `read ${what} of the specified ${K}`, action: 'get', gvk: subGvk,
          params: [], responses: [ok(bodySchema), unauthorized], produces: OBJECT_TYPES,
        }),
        op({
          method: 'put', operationId: `replace${gvId}${scope}${K}${Name}`, description: `replace ${what} of the specified ${K}`, action: 'put', gvk: subGvk,
          params: WRITE_PARAMS, body: { schema: bodySchema, contentTypes: ['*/*'], required: true },
          responses: [ok(bodySchema), created(bodySchema), unauthorized], produces: OBJECT_TYPES,
        }),
        op({
          method: 'patch', operationId: `patch${gvId}${scope}${K}${Name}`, description: `partially update ${what} of the specified ${K}`, action: 'patch', gvk: subGvk,
          params: PATCH_PARAMS, body: { schema: PATCH, contentTypes: patchTypes, required: true },
          responses: [ok(bodySchema), created(bodySchema), unauthorized], produces: OBJECT_TYPES,
        }),
      ],
    });
  };
  if (r.subresources?.status) sub('status', schema, gvk, 'status');
  if (r.subresources?.scale) sub('scale', SCALE, { group: 'autoscaling', kind: 'Scale', version: 'v1' }, 'scale');

  if (verbs.has('watch')) {
    items.push({
      path: r.namespaced ? `${prefix}/watch/namespaces/{namespace}/${r.plural}` : `${prefix}/watch/${r.plural}`,
      params: [...scopeParams, ...LIST_PARAMS, P.pretty].sort(byName),
      operations: [op({
        method: 'get', operationId: `watch${gvId}${scope}${K}List`, description: `watch individual changes to a list of ${K}. ${deprecated}.`,
        action: 'watchlist', gvk, params: [], responses: [ok(META.WatchEvent), unauthorized], produces: WATCH_TYPES,
      })],
    });
    items.push({
      path: r.namespaced ? `${prefix}/watch/namespaces/{namespace}/${r.plural}/{name}` : `${prefix}/watch/${r.plural}/{name}`,
      params: [...LIST_PARAMS, nameParam, ...scopeParams, P.pretty].sort(byName),
      operations: [op({
        method: 'get', operationId: `watch${gvId}${scope}${K}`, description: `watch changes to an object of kind ${K}. ${deprecated}, filtered to a single item with the 'fieldSelector' parameter.`,
        action: 'watch', gvk, params: [], responses: [ok(META.WatchEvent), unauthorized], produces: WATCH_TYPES,
      })],
    });
  }
  if (r.namespaced && verbs.has('list')) {
    items.push({
      path: `${prefix}/${r.plural}`,
      params: [...LIST_PARAMS, P.pretty].sort(byName),
      operations: [op({
        method: 'get', operationId: `list${gvId}${K}ForAllNamespaces`, description: `list or watch objects of kind ${K}`, action: 'list', gvk,
        params: [], responses: [ok(listSchema), unauthorized], produces: LIST_TYPES,
      })],
    });
    if (verbs.has('watch')) {
      items.push({
        path: `${prefix}/watch/${r.plural}`,
        params: [...LIST_PARAMS, P.pretty].sort(byName),
        operations: [op({
          method: 'get', operationId: `watch${gvId}${K}ListForAllNamespaces`, description: `watch individual changes to a list of ${K}. ${deprecated}.`,
          action: 'watchlist', gvk, params: [], responses: [ok(META.WatchEvent), unauthorized], produces: WATCH_TYPES,
        })],
      });
    }
  }
  return items;
}

/** The discovery path of a group version: `GET /apis/apps/v1/`. */
export function groupVersionPath(group: string, version: string): PathItem {
  return {
    path: `${gvPrefix(group, version)}/`,
    params: [],
    operations: [{
      method: 'get', operationId: `get${groupIdent(group)}${cap(version)}APIResources`, description: 'get available resources',
      tag: tagOf(group, version), params: [], responses: [ok(API_RESOURCE_LIST), unauthorized], produces: OBJECT_TYPES,
    }],
  };
}

function byName(a: Param, b: Param): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? 'an' : 'a';
}
