// What changed between two versions of an object, as field sets: what was added, modified and
// removed. Leaves (scalars, atomic lists and maps, empty ones) are compared by value; a struct,
// map or list element that appears or disappears is itself added or removed, besides its contents.
import type { Definitions } from '../schema.js';
import { FieldSet } from './fieldset.js';
import { listElements } from './elements.js';
import { fieldElement, type PathElement } from './path.js';
import { fieldRef, isObject, nodeType, DEDUCED, type NodeType, type TypeRef } from './types.js';
import { deepEqual } from './values.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compare(lhs: unknown, rhs: unknown, ref: TypeRef, defs: Definitions): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  node(lhs, rhs, nodeType(ref, defs), [], c, defs);
  return c;
}

/** Leaves out changes under the given paths (and below them), e.g. fields the server resets. */
export function excludeFromComparison(c: Comparison, ignored: FieldSet | undefined): Comparison {
  if (!ignored || ignored.isEmpty()) return c;
  return {
    added: c.added.recursiveDifference(ignored),
    modified: c.modified.recursiveDifference(ignored),
    removed: c.removed.recursiveDifference(ignored),
  };
}

type Shape = 'map' | 'list' | 'scalar' | 'null';

function shape(v: unknown, t: NodeType): Shape | undefined {
  if (v === undefined) return undefined;
  if (v === null) return 'null';
  if (isObject(v) && t.map) return 'map';
  if (Array.isArray(v) && t.list) return 'list';
  return 'scalar';
}

function node(l: unknown, r: unknown, t: NodeType, path: PathElement[], c: Comparison, defs: Definitions): void {
  const sl = shape(l, t);
  const sr = shape(r, t);
  let inLeaf: boolean;
  if (sl === undefined || sr === undefined || sl === sr) {
    inLeaf = visit((sl ?? sr)!, l, r, t, path, c, defs);
  } else if (sl === 'null' && sr !== 'scalar') {
    inLeaf = visit(sr!, l, r, t, path, c, defs);
  } else if (sr === 'null' && sl !== 'scalar') {
    inLeaf = visit(sl, l, r, t, path, c, defs);
  } else {
    // The value changed shape: each side is looked at alone, the other taken as absent.
    if (visit(sl, l, undefined, t, path, c, defs, true)) c.modified.insert(path);
    if (visit(sr, undefined, r, t, path, c, defs, true)) c.modified.insert(path);
    return;
  }
  if (!inLeaf) {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
  }
}

/**
 * Compares one node as the given shape; true when it was compared as a leaf. With onlyShape,
 * a leaf is reported to the caller rather than recorded.
 */
function visit(
  s: Shape, l: unknown, r: unknown, t: NodeType, path: PathElement[], c: Comparison, defs: Definitions, onlyShape = false,
): boolean {
  const leaf = (): boolean => {
    if (onlyShape) return true;
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!deepEqual(l, r)) c.modified.insert(path);
    return true;
  };
  if (s === 'map') {
    const lm = isObject(l) ? l : undefined;
    const rm = isObject(r) ? r : undefined;
    const m = t.map!;
    if (m.atomic || (isEmptyObj(lm) && isEmptyObj(rm))) return leaf();
    const keys = new Set([...Object.keys(lm ?? {}), ...Object.keys(rm ?? {})]);
    for (const k of keys) {
      const lv = lm?.[k];
      const rv = rm?.[k];
      if (lv === undefined && rv === undefined) continue;
      path.push(fieldElement(k));
      node(lv, rv, nodeType(fieldRef(m, k) ?? DEDUCED, defs), path, c, defs);
      path.pop();
    }
    return false;
  }
  if (s === 'list') {
    const ll = Array.isArray(l) ? l : [];
    const rl = Array.isArray(r) ? r : [];
    const lt = t.list!;
    if (lt.relation === 'atomic' || (ll.length === 0 && rl.length === 0)) return leaf();
    let ln, rn;
    try {
      ln = listElements(ll, lt, defs, path);
      rn = listElements(rl, lt, defs, path);
    } catch {
      // Elements that cannot be named: the list can only be compared whole.
      return leaf();
    }
    const groups = new Map<string, { pe: PathElement; l: unknown[]; r: unknown[] }>();
    const group = (k: string, pe: PathElement) => {
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { pe, l: [], r: [] }));
      return g;
    };
    ll.forEach((item, i) => group(ln.keys[i], ln.pes[i]).l.push(item));
    rl.forEach((item, i) => group(rn.keys[i], rn.pes[i]).r.push(item));
    const et = nodeType(lt.elem, defs);
    for (const g of groups.values()) {
      path.push(g.pe);
      if (g.l.length <= 1 && g.r.length <= 1) {
        node(g.l[0], g.r[0], et, path, c, defs);
      } else if (g.l.length >= 2 && g.r.length >= 2) {
        if (!deepEqual(g.l, g.r)) c.modified.insert(path);
      } else if (g.l.length >= 2) {
        if (g.r.length > 0) node(undefined, g.r[0], et, path, c, defs);
        c.removed.insert(path);
      } else {
        if (g.l.length > 0) node(g.l[0], undefined, et, path, c, defs);
        c.added.insert(path);
      }
      path.pop();
    }
    return false;
  }
  return leaf();
}

function isEmptyObj(m: Record<string, unknown> | undefined): boolean {
  return !m || Object.keys(m).length === 0;
}
