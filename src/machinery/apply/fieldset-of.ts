// The fields an object sets, as the owner of that object's configuration would own them: every
// leaf value, every map entry, every element of a granular list, and atomic lists and maps whole.
// A struct field holding a non-empty object is not itself a member, only what is inside it.
import type { Definitions, Schema } from '../schema.js';
import { FieldSet } from './fieldset.js';
import { duplicateKeys, listElements, ShapeError } from './elements.js';
import { fieldElement, pathString, type PathElement } from './path.js';
import { fieldRef, isDeclared, isObject, nodeType, rootRef, DEDUCED, type NodeType, type TypeRef } from './types.js';

export interface WalkOptions {
  /**
   * Reject what apply must reject in a configuration: keys not declared in the schema,
   * duplicate list-map keys, elements that cannot be named. Otherwise such lists are owned
   * whole and unknown keys are taken as they come, so a stored object always has a field set.
   */
  strict?: boolean;
}

/** The field set of an object under its schema (lenient: see WalkOptions). */
export function fieldSetOf(obj: unknown, schema: Schema, defs: Definitions): FieldSet {
  return toFieldSet(obj, rootRef(schema), defs, {});
}

export function toFieldSet(obj: unknown, ref: TypeRef, defs: Definitions, opts: WalkOptions): FieldSet {
  const set = new FieldSet();
  walk(obj, nodeType(ref, defs), [], set, defs, opts);
  return set;
}

function walk(v: unknown, t: NodeType, path: PathElement[], set: FieldSet, defs: Definitions, opts: WalkOptions): void {
  if (isObject(v) && t.map) {
    const m = t.map;
    if (m.atomic) {
      set.insert(path);
      return;
    }
    for (const [k, cv] of Object.entries(v)) {
      if (cv === undefined) continue;
      const ref = childRef(t, k, path, opts);
      path.push(fieldElement(k));
      walk(cv, nodeType(ref, defs), path, set, defs, opts);
      if (cv === null || (isObject(cv) && Object.keys(cv).length === 0) || !isDeclared(m, k)) set.insert(path);
      path.pop();
    }
    return;
  }
  if (Array.isArray(v) && t.list) {
    const l = t.list;
    if (l.relation === 'atomic') {
      set.insert(path);
      return;
    }
    let names;
    try {
      names = listElements(v, l, defs, path);
    } catch (e) {
      if (opts.strict) throw e;
      set.insert(path);
      return;
    }
    const dups = duplicateKeys(names.keys);
    if (dups.size > 0 && opts.strict) {
      const first = names.pes[names.keys.findIndex((k) => dups.has(k))];
      throw new ShapeError(pathString(path), `duplicate entries for key ${pathString([first])}`);
    }
    const elemType = nodeType(l.elem, defs);
    v.forEach((item, i) => {
      path.push(names.pes[i]);
      // Duplicated elements cannot be told apart, so only the element as a whole is owned.
      if (!dups.has(names.keys[i])) walk(item, elemType, path, set, defs, opts);
      set.insert(path);
      path.pop();
    });
    return;
  }
  set.insert(path);
}

function childRef(t: NodeType, key: string, path: PathElement[], opts: WalkOptions): TypeRef {
  const ref = fieldRef(t.map!, key);
  if (ref) return ref;
  if (opts.strict) throw new ShapeError(pathString([...path, fieldElement(key)]), 'field not declared in schema');
  return DEDUCED;
}

/**
 * Adds each declared struct field that has members below it as a member itself, so that removing
 * the set from an object also removes struct fields left behind empty (used when pruning).
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, ref: TypeRef, defs: Definitions): FieldSet {
  const t = nodeType(ref, defs);
  const out = new FieldSet();
  addNamed(set, t, [], out, defs);
  return out;
}

function addNamed(set: FieldSet, t: NodeType, path: PathElement[], out: FieldSet, defs: Definitions): void {
  for (const pe of set.memberElements()) out.insert([...path, pe]);
  for (const pe of set.childElements()) {
    let childType: NodeType;
    if ('field' in pe) {
      if (t.map && isDeclared(t.map, pe.field)) out.insert([...path, pe]);
      childType = nodeType((t.map && fieldRef(t.map, pe.field)) ?? DEDUCED, defs);
    } else {
      childType = nodeType(t.list?.elem ?? DEDUCED, defs);
    }
    path.push(pe);
    addNamed(set.withPrefix(pe), childType, path, out, defs);
    path.pop();
  }
}
