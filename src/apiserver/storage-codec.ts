// Where and how a resource's objects live in the store. resourceVersion is never stored: it is
// the key's modRevision, filled in on every read, as kube-apiserver's etcd3 storage does.
import { apiVersionOf, type KObject, type ResourceDef } from '../api/resource.js';
import type { KeyValue } from '../store/types.js';

/** `/registry/<group or core>/<plural>/`: shared by every version served from the same storage. */
export function storagePrefix(def: ResourceDef): string {
  const group = def.storage ? def.storage.group : def.group;
  return `/registry/${group || 'core'}/${def.plural}/`;
}

export function storageKey(def: ResourceDef, namespace: string, name: string): string {
  return storagePrefix(def) + (def.namespaced ? `${namespace}/${name}` : name);
}

/** The prefix of one namespace's objects, or of all of them. */
export function listPrefix(def: ResourceDef, namespace: string): string {
  return storagePrefix(def) + (def.namespaced && namespace ? `${namespace}/` : '');
}

export function encode(def: ResourceDef, obj: KObject): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  let stored: KObject = { ...obj, metadata };
  if (def.storage) {
    stored = def.storage.toStorage(stored as never);
    stored.apiVersion = def.storage.group ? `${def.storage.group}/${def.storage.version}` : def.storage.version;
  } else {
    stored.apiVersion = apiVersionOf(def);
  }
  stored.kind = def.kind;
  return JSON.stringify(stored);
}

export function decode(def: ResourceDef, kv: KeyValue): KObject {
  let obj = JSON.parse(kv.value) as KObject;
  if (def.storage) obj = def.storage.fromStorage(obj);
  obj.apiVersion = apiVersionOf(def);
  obj.kind = def.kind;
  obj.metadata = { ...obj.metadata, resourceVersion: String(kv.modRevision) };
  return reorder(obj);
}

/**
 * What decode would give for `obj` just written and stored as `kv`: the object itself with its new
 * resourceVersion, unless the storage version differs and the round trip could change it. Saves
 * parsing back every write's answer.
 */
export function written(def: ResourceDef, obj: KObject, kv: KeyValue): KObject {
  if (def.storage) return decode(def, kv);
  return reorder({ ...obj, apiVersion: apiVersionOf(def), kind: def.kind, metadata: { ...obj.metadata, resourceVersion: String(kv.modRevision) } });
}

/** apiVersion, kind, metadata first, as Kubernetes serializes them. */
function reorder(obj: KObject): KObject {
  const { apiVersion, kind, metadata, ...rest } = obj;
  return { apiVersion, kind, metadata, ...rest };
}
