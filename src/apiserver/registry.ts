// The generic registry: one implementation of get, list, create, update, patch and delete for
// every resource, specialised only by the resource's declaration (ResourceDef), as kube-apiserver's
// genericregistry.Store is specialised by a strategy.
import { randomUUID } from 'node:crypto';
import type { KObject, ResourceDef } from '../api/resource.js';
import { errors, fieldErrorsToCauses, StatusError, type FieldError } from '../machinery/status.js';
import {
  CompactedError, ConflictError, FutureRevisionError, InvalidArgumentError, KeyExistsError, NotFoundError,
  UnavailableError, type KeyValue, type Store,
} from '../store/types.js';
import { decode, encode, listPrefix, storageKey, written } from './storage-codec.js';
import type { Admission, Operation } from './admission/types.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../machinery/names.js';
import { selectorFor, type ListFilter } from './selection.js';
import type { ResourceTable } from './resource-table.js';
import { recordManagedFields } from './managed-fields.js';
import { deepEqual, clone, dropEmptyMetadata } from './object-util.js';

export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
}

export interface RequestContext {
  user: UserInfo;
  dryRun: boolean;
  /** fieldManager query parameter, or derived from the user agent. */
  fieldManager: string;
  /** Warnings to return in Warning headers. */
  warnings: string[];
  /** Server-side apply computed managedFields itself. */
  applied?: boolean;
}

export interface ListOptions extends ListFilter {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
function generateName(prefix: string): string {
  let s = prefix;
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

/** Map the store's errors to Status errors a client understands. */
export function storeError(def: ResourceDef, name: string, err: unknown): never {
  const r = { group: def.group, plural: def.plural };
  if (err instanceof StatusError) throw err;
  if (err instanceof KeyExistsError) throw errors.alreadyExists(r, name);
  if (err instanceof NotFoundError) throw errors.notFound(r, name);
  if (err instanceof ConflictError) {
    throw errors.conflict(r, name, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  if (err instanceof CompactedError) throw errors.gone(`too old resource version: ${err.requested} (${err.compacted})`);
  if (err instanceof FutureRevisionError) throw errors.timeout(`Too large resource version: ${err.requested}, current: ${err.current}`);
  if (err instanceof InvalidArgumentError) throw errors.invalid(def.kind, def.group, name, [{ reason: 'FieldValueInvalid', message: err.message, field: '' }]);
  if (err instanceof UnavailableError) throw errors.unavailable(`storage is unavailable: ${err.message}`);
  throw errors.internal((err as Error)?.message ?? String(err));
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'k8ts.io/v1', ...t })).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString());
    if (t.v !== 'k8ts.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad');
    return t;
  } catch {
    throw errors.badRequest('continue key is not valid: illegal base64 data or incorrect structure');
  }
}

export class Registry {
  constructor(
    readonly store: Store,
    readonly resources: ResourceTable,
    private readonly admission: Admission[] = [],
  ) {}

  // ---- reads ----------------------------------------------------------------------------------

  async get(def: ResourceDef, ns: string, name: string, opts: { resourceVersion?: string } = {}): Promise<KObject> {
    return decode(def, await this.getStored(def, ns, name, opts));
  }

  private async getStored(def: ResourceDef, ns: string, name: string, opts: { resourceVersion?: string } = {}): Promise<KeyValue> {
    const rv = opts.resourceVersion && opts.resourceVersion !== '0' ? this.parseRV(opts.resourceVersion) : undefined;
    let res;
    try {
      res = await this.store.get(storageKey(def, ns, name), rv ? { revision: rv } : {});
    } catch (err) {
      storeError(def, name, err);
    }
    if (!res.kv) throw errors.notFound({ group: def.group, plural: def.plural }, name);
    return res.kv;
  }

  async list(def: ResourceDef, ns: string, opts: ListOptions = {}): Promise<{ items: KObject[]; resourceVersion: string; continue?: string; remainingItemCount?: number }> {
    const matches = selectorFor(def, opts);
    const prefix = listPrefix(def, ns);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    let revision = 0;
    let startKey: string | undefined;
    if (opts.continue) {
      const t = decodeContinue(opts.continue);
      if (!t.start.startsWith(prefix)) throw errors.badRequest('continue key is not valid: the key is not under the requested prefix');
      revision = t.rv;
      startKey = t.start;
    } else if (opts.resourceVersion && opts.resourceVersion !== '0' && opts.resourceVersionMatch === 'Exact') {
      revision = this.parseRV(opts.resourceVersion);
    } else if (opts.resourceVersion && opts.resourceVersion !== '0') {
      this.parseRV(opts.resourceVersion);
    }
    const items: KObject[] = [];
    let more = false;
    let lastKey = '';
    let remaining: number | undefined;
    try {
      for (;;) {
        const want = limit ? limit - items.length : 0;
        const page = await this.store.list(prefix, { revision: revision || undefined, limit: want ? Math.max(want, matches.all ? want : 100) : 0, startKey });
        revision = page.revision;
        let taken = 0;
        for (const kv of page.kvs) {
          if (limit && items.length >= limit) break;
          taken++;
          lastKey = kv.key;
          const obj = decode(def, kv);
          if (matches.test(obj)) items.push(obj);
        }
        const leftInPage = page.kvs.length - taken;
        more = page.more || leftInPage > 0;
        if (matches.all && more) remaining = page.count - taken;
        if (!more || (limit && items.length >= limit)) break;
        startKey = lastKey + '\0';
      }
    } catch (err) {
      if (err instanceof CompactedError && opts.continue) {
        throw errors.gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      storeError(def, '', err);
    }
    const out: { items: KObject[]; resourceVersion: string; continue?: string; remainingItemCount?: number } = { items, resourceVersion: String(revision) };
    if (limit && more) {
      out.continue = encodeContinue({ rv: revision, start: lastKey + '\0' });
      if (remaining !== undefined) out.remainingItemCount = remaining;
    }
    return out;
  }

  // ---- writes ---------------------------------------------------------------------------------

  async create(def: ResourceDef, ns: string, obj: KObject, ctx: RequestContext): Promise<KObject> {
    obj.metadata ??= {};
    const meta = obj.metadata;
    this.checkNamespace(def, ns, obj);
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    // Fields the server owns.
    meta.uid = randomUUID();
    meta.creationTimestamp = now();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.tracksGeneration(def)) meta.generation = 1;
    else delete meta.generation;
    if (def.subresources?.status && !def.keepStatusOnCreate) delete obj.status;
    def.defaults?.(obj);
    def.prepareForCreate?.(obj);
    await this.mutateAdmission('CREATE', def, obj, undefined, ctx);
    dropEmptyMetadata(obj.metadata as Record<string, unknown>);
    this.validate(def, obj, undefined);
    await this.admit('CREATE', def, obj, undefined, ctx);
    if (!ctx.applied) obj.metadata.managedFields = recordManagedFields(this.resources, def, null, obj, ctx, '');
    if (ctx.dryRun) return obj;
    try {
      const res = await this.store.create(storageKey(def, ns, meta.name!), encode(def, obj));
      return written(def, obj, res.kv);
    } catch (err) {
      if (!ctx.dryRun) await this.released(def, obj);
      storeError(def, meta.name!, err);
    }
  }

  /** PUT: replace the object (or its status), guarded by the resourceVersion it carries. */
  async update(def: ResourceDef, ns: string, name: string, obj: KObject, ctx: RequestContext, subresource = ''): Promise<KObject> {
    obj.metadata ??= {};
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    this.checkNamespace(def, ns, obj);
    const wantRV = obj.metadata.resourceVersion;
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(def, ns, name);
      if (wantRV && wantRV !== current.metadata.resourceVersion) {
        throw errors.conflict({ group: def.group, plural: def.plural }, name, 'the object has been modified; please apply your changes to the latest version and try again');
      }
      try {
        return await this.writeUpdate(def, ns, current, clone(obj), ctx, subresource);
      } catch (err) {
        if (err instanceof ConflictError && !wantRV && attempt < 5) continue;
        storeError(def, name, err);
      }
    }
  }

  /**
   * Read-modify-write with a mutation computed from the current object (patches, scale, finalize);
   * retried on conflicts, as kube-apiserver retries patches.
   */
  async mutate(
    def: ResourceDef, ns: string, name: string, ctx: RequestContext, subresource: string,
    fn: (current: KObject) => KObject | Promise<KObject>,
  ): Promise<KObject> {
    for (let attempt = 0; ; attempt++) {
      const stored = await this.getStored(def, ns, name);
      // Two decodes rather than a decode and a deep copy: parsing twice is cheaper.
      const current = decode(def, stored);
      const next = await fn(decode(def, stored));
      const wantRV = next.metadata?.resourceVersion;
      if (wantRV && wantRV !== current.metadata.resourceVersion) {
        throw errors.conflict({ group: def.group, plural: def.plural }, name, 'the object has been modified; please apply your changes to the latest version and try again');
      }
      try {
        return await this.writeUpdate(def, ns, current, next, ctx, subresource);
      } catch (err) {
        if (err instanceof ConflictError && attempt < 10) continue;
        storeError(def, name, err);
      }
    }
  }

  private async writeUpdate(def: ResourceDef, ns: string, old: KObject, obj: KObject, ctx: RequestContext, subresource: string): Promise<KObject> {
    let next: KObject;
    if (subresource === 'status') {
      // A status write changes status only; metadata and spec stay as stored.
      next = { ...clone(old), status: obj.status };
      if (obj.status === undefined) delete next.status;
    } else {
      next = obj;
      next.metadata ??= {};
      if (def.subresources?.status && (subresource === '' || subresource === 'scale')) {
        if (old.status === undefined) delete next.status;
        else next.status = clone(old.status);
      }
    }
    const m = next.metadata;
    const o = old.metadata;
    m.name = o.name;
    if (def.namespaced) m.namespace = o.namespace;
    m.uid = o.uid;
    m.creationTimestamp = o.creationTimestamp;
    if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp;
    else delete m.deletionTimestamp;
    if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
    else delete m.deletionGracePeriodSeconds;
    delete m.selfLink;
    m.resourceVersion = o.resourceVersion;
    if (this.tracksGeneration(def)) {
      m.generation = o.generation ?? 1;
      if (subresource === '' && specChanged(old, next)) m.generation++;
    } else if (o.generation !== undefined) {
      m.generation = o.generation;
    }
    def.defaults?.(next);
    // binding and finalize write fields that are otherwise immutable; only metadata is checked.
    const direct = subresource === 'binding' || subresource === 'finalize';
    if (subresource === '' || subresource === 'scale') def.prepareForUpdate?.(next, old);
    await this.mutateAdmission('UPDATE', def, next, old, ctx);
    dropEmptyMetadata(next.metadata as Record<string, unknown>);
    this.validate(direct ? { ...def, validate: undefined } : def, next, old, subresource);
    await this.admit('UPDATE', def, next, old, ctx);
    if (!ctx.applied) next.metadata.managedFields = recordManagedFields(this.resources, def, old, next, ctx, subresource);

    const key = storageKey(def, ns, o.name!);
    const modRevision = Number(o.resourceVersion);
    // A deleting object whose finalizers are all gone is removed now.
    if (m.deletionTimestamp && !(m.finalizers?.length) && !def.holdDeletion?.(next) && !(m.deletionGracePeriodSeconds ?? 0)) {
      if (ctx.dryRun) return next;
      await this.store.delete(key, modRevision);
      await this.released(def, next);
      return next;
    }
    if (sameObject(old, next)) return old;
    if (ctx.dryRun) return next;
    const res = await this.store.update(key, encode(def, next), modRevision);
    return written(def, next, res.kv);
  }

  async delete(def: ResourceDef, ns: string, name: string, opts: DeleteOptions, ctx: RequestContext): Promise<{ obj: KObject; deleted: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(def, ns, name);
      const m = current.metadata;
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== m.uid) {
        throw errors.conflict({ group: def.group, plural: def.plural }, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== m.resourceVersion) {
        throw errors.conflict({ group: def.group, plural: def.plural }, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion}`);
      }
      const policy = opts.propagationPolicy ?? (opts.orphanDependents === true ? 'Orphan' : opts.orphanDependents === false ? 'Background' : undefined);
      const next = clone(current);
      const nm = next.metadata;
      const finalizers = new Set(nm.finalizers ?? []);
      if (policy === 'Orphan') { finalizers.add('orphan'); finalizers.delete('foregroundDeletion'); }
      if (policy === 'Foreground') { finalizers.add('foregroundDeletion'); finalizers.delete('orphan'); }
      if (policy === 'Background') { finalizers.delete('orphan'); finalizers.delete('foregroundDeletion'); }
      const grace = def.deletionGracePeriod?.(current, opts.gracePeriodSeconds) ?? 0;
      await this.admit('DELETE', def, current, current, ctx);
      const hold = def.holdDeletion?.(next) ?? false;
      const key = storageKey(def, ns, name);
      try {
        if (finalizers.size === 0 && grace === 0 && !hold) {
          if (!ctx.dryRun) {
            await this.store.delete(key, Number(m.resourceVersion));
            await this.released(def, current);
          }
          return { obj: current, deleted: true };
        }
        // Graceful: mark the object and let finalizers, the kubelet or a controller finish.
        if (nm.deletionTimestamp) {
          // Already deleting: a shorter grace period may still shorten it.
          if (grace >= (nm.deletionGracePeriodSeconds ?? 0) && sameSet(finalizers, nm.finalizers)) return { obj: current, deleted: false };
        }
        const t = Date.now() + grace * 1000;
        if (!nm.deletionTimestamp || grace < (nm.deletionGracePeriodSeconds ?? 0)) {
          nm.deletionTimestamp = new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
          nm.deletionGracePeriodSeconds = grace;
        }
        nm.finalizers = [...finalizers];
        if (!nm.finalizers.length) delete nm.finalizers;
        if (ctx.dryRun) return { obj: next, deleted: false };
        const res = await this.store.update(key, encode(def, next), Number(m.resourceVersion));
        return { obj: decode(def, res.kv), deleted: false };
      } catch (err) {
        if (err instanceof ConflictError && attempt < 5) continue;
        storeError(def, name, err);
      }
    }
  }

  async deleteCollection(def: ResourceDef, ns: string, listOpts: ListOptions, opts: DeleteOptions, ctx: RequestContext): Promise<KObject[]> {
    const { items } = await this.list(def, ns, { labelSelector: listOpts.labelSelector, fieldSelector: listOpts.fieldSelector });
    const out: KObject[] = [];
    for (const item of items) {
      try {
        const r = await this.delete(def, item.metadata.namespace ?? '', item.metadata.name!, opts, ctx);
        out.push(r.obj);
      } catch (err) {
        if (err instanceof StatusError && err.code === 404) continue;
        throw err;
      }
    }
    return out;
  }

  // ---- helpers --------------------------------------------------------------------------------

  parseRV(rv: string): number {
    const n = Number(rv);
    if (!/^\d+$/.test(rv) || !Number.isSafeInteger(n)) throw errors.badRequest(`invalid resource version "${rv}"`);
    return n;
  }

  private tracksGeneration(def: ResourceDef): boolean {
    return def.tracksGeneration ?? !!def.subresources?.status;
  }

  private checkNamespace(def: ResourceDef, ns: string, obj: KObject): void {
    const meta = obj.metadata;
    if (!def.namespaced) {
      delete meta.namespace;
      return;
    }
    if (meta.namespace && meta.namespace !== ns) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = ns;
  }

  private validate(def: ResourceDef, obj: KObject, old: KObject | undefined, subresource?: string): void {
    const errs: FieldError[] = [];
    errs.push(...(old
      ? validateObjectMetaUpdate(obj.metadata, old.metadata, 'metadata')
      : validateObjectMeta(obj.metadata, { namespaced: def.namespaced, nameValidator: def.nameValidator }, 'metadata')));
    errs.push(...(def.validate?.(obj, { old, subresource: subresource || undefined }) ?? []));
    if (errs.length) {
      throw errors.invalid(def.kind, def.group, obj.metadata.name ?? obj.metadata.generateName ?? '', fieldErrorsToCauses(errs));
    }
  }

  private async mutateAdmission(op: Operation, def: ResourceDef, obj: KObject, old: KObject | undefined, ctx: RequestContext): Promise<void> {
    for (const a of this.admission) await a.mutate?.(op, def, obj, old, ctx, this);
  }

  private async admit(op: Operation, def: ResourceDef, obj: KObject, old: KObject | undefined, ctx: RequestContext): Promise<void> {
    for (const a of this.admission) await a.admit?.(op, def, obj, old, ctx, this);
  }

  /** The object is gone from the store (or its create failed): admission frees what it reserved. */
  private async released(def: ResourceDef, obj: KObject): Promise<void> {
    for (const a of this.admission) await a.release?.(def, obj).catch(() => undefined);
  }
}

/** Did anything but metadata and status change? (what bumps metadata.generation) */
function specChanged(old: KObject, next: KObject): boolean {
  const { metadata: _a, status: _b, ...o } = old;
  const { metadata: _c, status: _d, ...n } = next;
  return !deepEqual(o, n);
}

function sameObject(old: KObject, next: KObject): boolean {
  const strip = (o: KObject) => {
    const { managedFields: _m, resourceVersion: _r, ...meta } = o.metadata;
    return { ...o, metadata: meta };
  };
  return deepEqual(strip(old), strip(next));
}

function sameSet(a: Set<string>, b: string[] | undefined): boolean {
  const bs = new Set(b ?? []);
  return a.size === bs.size && [...a].every((x) => bs.has(x));
}
