// The informer's local store: objects keyed namespace/name (name alone when cluster-scoped), with
// secondary indexes kept in step on every write, as client-go's cache.Indexer.
import type { KObject } from '../api/resource.js';

/** Index values an object files under, e.g. its namespace or its spec.nodeName. */
export type IndexFunc<T> = (obj: T) => string[];

export const NAMESPACE_INDEX = 'namespace';

/** client-go's MetaNamespaceKeyFunc: `namespace/name`, or `name` for cluster-scoped objects. */
export function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

export function joinKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Inverse of keyOf. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export const namespaceIndexFunc: IndexFunc<KObject> = (obj) => [obj.metadata?.namespace ?? ''];

export class Indexer<T extends KObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc<T>> = {}) {
    this.addIndexers({ [NAMESPACE_INDEX]: namespaceIndexFunc as IndexFunc<T>, ...indexers });
  }

  /** Adds indexes; existing objects are indexed at once. */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer "${name}" already exists`);
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) this.fileUnder(index, fn, key, obj);
    }
  }

  /** Stores `obj`, returning what was there before. */
  set(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      if (old) this.unfile(index, fn, key, old);
      this.fileUnder(index, fn, key, obj);
    }
    return old;
  }

  /** Removes the object at `key`, returning it. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.items.delete(key);
    for (const [name, fn] of this.indexers) this.unfile(this.indices.get(name)!, fn, key, old);
    return old;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  get size(): number {
    return this.items.size;
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  list(): T[] {
    return [...this.items.values()];
  }

  /** Objects filed under `value` in index `indexName`. */
  byIndex(indexName: string, value: string): T[] {
    return this.indexKeys(indexName, value).map((k) => this.items.get(k)!);
  }

  indexKeys(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index "${indexName}" does not exist`);
    return [...(index.get(value) ?? [])];
  }

  /** The values present in an index. */
  listIndexValues(indexName: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index "${indexName}" does not exist`);
    return [...index.keys()];
  }

  private fileUnder(index: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const v of safeIndex(fn, obj)) {
      let keys = index.get(v);
      if (!keys) index.set(v, (keys = new Set()));
      keys.add(key);
    }
  }

  private unfile(index: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const v of safeIndex(fn, obj)) {
      const keys = index.get(v);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) index.delete(v);
    }
  }
}

// An index function that throws on an odd object must not corrupt the cache; the object is
// simply not filed in that index.
function safeIndex<T>(fn: IndexFunc<T>, obj: T): string[] {
  try {
    return fn(obj) ?? [];
  } catch {
    return [];
  }
}
