// Serves one resource request (after authentication): verbs, subresources, patches, tables.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, type KObject, type ResourceDef } from '../api/resource.js';
import { errors, StatusError } from '../machinery/status.js';
import { applyJsonPatch } from '../machinery/json-patch.js';
import { applyMergePatch } from '../machinery/merge-patch.js';
import { applyStrategicMergePatch } from '../machinery/strategic-merge-patch.js';
import { apply as serverSideApply } from '../machinery/apply/index.js';
import { decodeObject, parseFieldValidation, type FieldValidation } from './decode.js';
import { mediaType, parseBody, readBody, sendJSON, successStatus, wantsTable } from './http.js';
import type { RequestInfo } from './request-info.js';
import { now, type DeleteOptions, type Registry, type RequestContext } from './registry.js';
import { resetFields } from './managed-fields.js';
import { parseIncludeObject, toTable } from './table.js';
import { serveWatch } from './watch.js';
import { getScale, scaleSubresourceDef, writeScale } from './scale.js';
import type { UserInfo } from './registry.js';
import type { SubresourceHandler } from './subresources.js';
import { reviews } from './reviews.js';

const PATCH_TYPES = new Set([
  'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml',
]);

export interface HandlerDeps {
  registry: Registry;
  /** Extra subresources (pods/binding, pods/eviction, pods/log ...), by `<plural>/<subresource>`. */
  subresources: Map<string, SubresourceHandler>;
}

/** The default field manager is the user agent's program name, as Kubernetes derives it. */
function fieldManagerOf(req: IncomingMessage, q: URLSearchParams): string {
  const fm = q.get('fieldManager');
  if (fm) {
    if (fm.length > 128) throw errors.badRequest('fieldManager: Too long: may not be more than 128 bytes');
    return fm;
  }
  const ua = String(req.headers['user-agent'] ?? 'unknown');
  return ua.split('/')[0] || 'unknown';
}

function contextOf(req: IncomingMessage, q: URLSearchParams, user: UserInfo): RequestContext {
  const dryRun = q.getAll('dryRun');
  for (const d of dryRun) if (d !== 'All') throw errors.badRequest(`unsupported dry run option: ${d}; the only supported value is All`);
  return { user, dryRun: dryRun.length > 0, fieldManager: fieldManagerOf(req, q), warnings: [] };
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw errors.badRequest(`${name}: invalid integer value "${v}"`);
  return n;
}

function listMeta(r: { resourceVersion: string; continue?: string; remainingItemCount?: number }) {
  const m: Record<string, unknown> = { resourceVersion: r.resourceVersion };
  if (r.continue) m.continue = r.continue;
  if (r.remainingItemCount !== undefined) m.remainingItemCount = r.remainingItemCount;
  return m;
}

export async function handleResource(deps: HandlerDeps, info: RequestInfo, def: ResourceDef, req: IncomingMessage, res: ServerResponse, q: URLSearchParams, user: UserInfo): Promise<void> {
  const { registry } = deps;
  const ns = info.namespace;
  if (def.namespaced && !ns && info.name && info.verb !== 'list' && info.verb !== 'watch') {
    throw errors.notFoundPath();
  }
  if (!def.namespaced && ns) throw errors.notFoundPath();
  const sub = info.subresource;
  if (sub && sub !== 'status' && sub !== 'scale') {
    const h = deps.subresources.get(`${def.plural}/${sub}`);
    if (!h) throw errors.notFoundPath();
    return h(info, def, req, res, q, user);
  }
  if (sub === 'status' && !def.subresources?.status) throw errors.notFoundPath();
  if (sub === 'scale' && !def.subresources?.scale) throw errors.notFoundPath();
  const verbs = def.verbs;
  const verb = info.verb;
  if (verbs && !verbs.includes(verb as never)) throw errors.methodNotAllowed(verb, `resource ${def.plural}`);

  const table = wantsTable(req) && !sub;
  const include = parseIncludeObject(q.get('includeObject'));
  const validation: FieldValidation = parseFieldValidation(q.get('fieldValidation'));

  switch (verb) {
    case 'get': {
      if (sub === 'scale') return sendJSON(res, 200, getScale(def, await registry.get(def, ns, info.name)));
      const obj = await registry.get(def, ns, info.name, { resourceVersion: q.get('resourceVersion') ?? undefined });
      return sendJSON(res, 200, table ? toTable(def, [obj], include, { resourceVersion: obj.metadata.resourceVersion }) : obj);
    }
    case 'list': {
      const r = await registry.list(def, ns, {
        labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined,
        limit: intParam(q, 'limit'), continue: q.get('continue') ?? undefined,
        resourceVersion: q.get('resourceVersion') ?? undefined, resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
      });
      if (table) return sendJSON(res, 200, toTable(def, r.items, include, listMeta(r)));
      return sendJSON(res, 200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: listMeta(r), items: r.items });
    }
    case 'watch': {
      let name = info.name || undefined;
      return serveWatch(registry, def, ns, {
        name, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined,
        resourceVersion: q.get('resourceVersion') ?? undefined, allowWatchBookmarks: q.get('allowWatchBookmarks') === 'true',
        timeoutSeconds: intParam(q, 'timeoutSeconds'), sendInitialEvents: q.get('sendInitialEvents') === 'true',
        asTable: wantsTable(req) ? { include } : undefined,
      }, res);
    }
    case 'create': {
      if (info.name) throw errors.methodNotAllowed('create', `${def.plural} with a name in the path`);
      const ctx = contextOf(req, q, user);
      const obj = decodeObject(registry.resources, def, parseBody(await readBody(req), mediaType(req)), validation, ctx.warnings);
      const review = reviews.get(`${def.group}/${def.plural}`);
      if (review) return sendJSON(res, 201, review(obj, user), ctx.warnings);
      const created = await registry.create(def, ns, obj, ctx);
      return sendJSON(res, 201, created, ctx.warnings);
    }
    case 'update': {
      const ctx = contextOf(req, q, user);
      const body = parseBody(await readBody(req), mediaType(req));
      if (sub === 'scale') {
        const scale = body as { spec?: { replicas?: number }; metadata?: { resourceVersion?: string } };
        const out = await writeScale(registry, def, ns, info.name, ctx, () => scale);
        return sendJSON(res, 200, out, ctx.warnings);
      }
      const obj = decodeObject(registry.resources, def, body, validation, ctx.warnings);
      const updated = await registry.update(def, ns, info.name, obj, ctx, sub);
      return sendJSON(res, 200, updated, ctx.warnings);
    }
    case 'patch': {
      const ctx = contextOf(req, q, user);
      const type = mediaType(req);
      if (!PATCH_TYPES.has(type)) throw errors.unsupportedMediaType(type);
      if (type === 'application/strategic-merge-patch+json' && def.custom) {
        throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
      }
      const patch = parseBody(await readBody(req), type);
      const force = q.get('force') === 'true';
      if (force && type !== 'application/apply-patch+yaml') throw errors.badRequest('force: Invalid value: true: may not be specified for non-apply patch');
      if (sub === 'scale') {
        const out = await writeScale(registry, def, ns, info.name, ctx, (scale) => patchValue(registry, scaleSubresourceDef, scale, patch, type));
        return sendJSON(res, 200, out, ctx.warnings);
      }
      if (type === 'application/apply-patch+yaml') {
        const { obj, created } = await applyPatch(registry, def, ns, info.name, patch, ctx, force, validation, sub);
        return sendJSON(res, created ? 201 : 200, obj, ctx.warnings);
      }
      const out = await registry.mutate(def, ns, info.name, ctx, sub, (current) => {
        const patched = patchValue(registry, def, current, patch, type) as KObject;
        return decodeObject(registry.resources, def, patched, validation, ctx.warnings);
      });
      return sendJSON(res, 200, out, ctx.warnings);
    }
    case 'delete': {
      const ctx = contextOf(req, q, user);
      const opts = await deleteOptions(req, q);
      const { obj, deleted } = await registry.delete(def, ns, info.name, opts, ctx);
      if (deleted) {
        return sendJSON(res, 200, successStatus({ name: info.name, group: def.group, kind: def.plural, uid: obj.metadata.uid }));
      }
      return sendJSON(res, 200, obj);
    }
    case 'deletecollection': {
      const ctx = contextOf(req, q, user);
      const opts = await deleteOptions(req, q);
      const items = await registry.deleteCollection(def, ns, { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined }, opts, ctx);
      return sendJSON(res, 200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: {}, items });
    }
    default:
      throw errors.methodNotAllowed(verb, def.plural);
  }
}

function patchValue(registry: Registry, def: ResourceDef, current: unknown, patch: unknown, type: string): unknown {
  switch (type) {
    case 'application/json-patch+json':
      if (!Array.isArray(patch)) throw errors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      return applyJsonPatch(current, patch);
    case 'application/merge-patch+json':
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw errors.badRequest('the merge patch must be a JSON object');
      return applyMergePatch(current, patch);
    case 'application/strategic-merge-patch+json': {
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw errors.badRequest('the strategic merge patch must be a JSON object');
      const schema = registry.resources.schemaOf(def);
      if (!schema) return applyMergePatch(current, patch);
      return applyStrategicMergePatch(current, patch, schema, registry.resources.definitions);
    }
  }
  throw errors.unsupportedMediaType(type);
}

async function applyPatch(
  registry: Registry, def: ResourceDef, ns: string, name: string, patch: unknown, ctx: RequestContext, force: boolean,
  validation: FieldValidation, sub: string,
): Promise<{ obj: KObject; created: boolean }> {
  if (!ctx.fieldManager || ctx.fieldManager === 'unknown') throw errors.badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
  const config = decodeObject(registry.resources, def, patch, validation, ctx.warnings);
  if (config.metadata.name && config.metadata.name !== name) {
    throw errors.badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
  }
  config.metadata.name = name;
  if (def.namespaced) {
    if (config.metadata.namespace && config.metadata.namespace !== ns) throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    config.metadata.namespace = ns;
  }
  const schema = registry.resources.schemaOf(def)!;
  const opts = { manager: ctx.fieldManager, force, apiVersion: apiVersionOf(def), time: now(), subresource: sub || undefined, resetFields: resetFields(def, sub) };
  const actx = { ...ctx, applied: true };
  try {
    const out = await registry.mutate(def, ns, name, actx, sub, (current) => {
      const merged = serverSideApply(current, config, opts, schema, registry.resources.definitions);
      merged.metadata.resourceVersion = current.metadata.resourceVersion;
      return merged;
    });
    return { obj: out, created: false };
  } catch (err) {
    if (!(err instanceof StatusError && err.code === 404 && err.details?.name === name)) throw err;
  }
  if (sub) throw errors.notFound({ group: def.group, plural: def.plural }, name);
  const fresh = serverSideApply(null, config, opts, schema, registry.resources.definitions);
  return { obj: await registry.create(def, ns, fresh, actx), created: true };
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const opts: DeleteOptions = {};
  const buf = await readBody(req);
  if (buf.length && buf.toString().trim()) {
    const body = parseBody(buf, mediaType(req)) as DeleteOptions & { kind?: string };
    Object.assign(opts, body);
  }
  const gp = intParam(q, 'gracePeriodSeconds');
  if (gp !== undefined) opts.gracePeriodSeconds = gp;
  const pp = q.get('propagationPolicy');
  if (pp) opts.propagationPolicy = pp as DeleteOptions['propagationPolicy'];
  if (q.get('orphanDependents') !== null) opts.orphanDependents = q.get('orphanDependents') === 'true';
  if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw errors.invalid('DeleteOptions', '', '', [{ reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"` }]);
  }
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 0;
  return opts;
}
