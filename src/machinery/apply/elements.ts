// Naming the elements of a granular list: by their list-map key fields (`k:{"name":"nginx"}`) or,
// in a set, by their value (`v:"foo"`).
import type { Definitions } from '../schema.js';
import { elementKey, goQuote, keyElement, pathString, valueElement, type Path, type PathElement } from './path.js';
import { isObject, keyDefault, type ListType } from './types.js';

/** An object that does not fit its schema where server-side apply needs it to (keys, duplicates, unknown fields). */
export class ShapeError extends Error {
  override name = 'ShapeError';
  constructor(readonly path: string, readonly detail: string) {
    super(path ? `${path}: ${detail}` : detail);
  }
}

export interface Elements {
  pes: PathElement[];
  /** elementKey of each element, parallel to pes. */
  keys: string[];
}

/** Names each element of a set or keyed list; a ShapeError when one cannot be named. */
export function listElements(items: readonly unknown[], l: ListType, defs: Definitions, at: Path): Elements {
  const pes: PathElement[] = [];
  const keys: string[] = [];
  items.forEach((item, i) => {
    const pe = l.relation === 'map' && l.keys.length > 0 ? keyedElement(item, l, defs) : setElement(item);
    if (typeof pe === 'string') throw new ShapeError(pathString(at), `element ${i}: ${pe}`);
    pes.push(pe);
    keys.push(elementKey(pe));
  });
  return { pes, keys };
}

function keyedElement(item: unknown, l: ListType, defs: Definitions): PathElement | string {
  if (item === null || item === undefined) return 'associative list with keys may not have a null element';
  if (!isObject(item)) return 'associative list with keys may not have non-map elements';
  const fields: Array<[string, unknown]> = [];
  for (const k of l.keys) {
    const v = item[k] !== undefined ? item[k] : keyDefault(l, k, defs);
    // A key field left out (with no default) is simply not part of the element's key.
    if (v !== undefined) fields.push([k, v]);
  }
  if (fields.length === 0) {
    return `associative list with keys has an element that omits all key fields [${l.keys.map(goQuote).join(' ')}] (and doesn't have default values for any key fields)`;
  }
  return keyElement(fields);
}

function setElement(item: unknown): PathElement | string {
  if (item === null || item === undefined) return "associative list without keys has an element that's an explicit null";
  if (Array.isArray(item)) return 'not supported: associative list with lists as elements';
  if (isObject(item)) return "associative list without keys has an element that's a map type";
  return valueElement(item);
}

/** The keys that occur more than once. */
export function duplicateKeys(keys: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const k of keys) (seen.has(k) ? dups : seen).add(k);
  return dups;
}
