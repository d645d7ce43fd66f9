// Read access to an informer's cache, as client-go's generated listers: controllers read the
// world from here, never from the API server, on every sync.
import type { KObject } from '../api/resource.js';
import { parseSelector, selectorFromSet, Selector } from '../machinery/labels.js';
import { Indexer, joinKey, NAMESPACE_INDEX } from './cache.js';

/** A label selector: parsed, as a query string, or as labels that must all match. */
export type ListerSelector = Selector | string | Record<string, string>;

function toSelector(s: ListerSelector | undefined): Selector | undefined {
  if (s === undefined) return undefined;
  if (s instanceof Selector) return s;
  return typeof s === 'string' ? parseSelector(s) : selectorFromSet(s);
}

export class Lister<T extends KObject> {
  constructor(private readonly indexer: Indexer<T>) {}

  /** The cached object, or undefined. Pass '' or undefined as namespace for cluster-scoped objects. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.indexer.get(joinKey(namespace, name));
  }

  /** Cached objects in `namespace` (all when empty) whose labels match `selector` (all when absent). */
  list(namespace?: string, selector?: ListerSelector): T[] {
    const sel = toSelector(selector);
    const items = namespace ? this.indexer.byIndex(NAMESPACE_INDEX, namespace) : this.indexer.list();
    if (!sel || sel.empty) return items;
    return items.filter((o) => sel.matches(o.metadata?.labels));
  }

  /** Objects filed under `value` in a custom index. */
  byIndex(indexName: string, value: string): T[] {
    return this.indexer.byIndex(indexName, value);
  }
}
