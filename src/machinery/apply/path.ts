// Path elements of a field path, in the forms Kubernetes' structured-merge-diff gives them:
// a field or map key (`f:replicas`), an element of a list keyed by its list-map keys
// (`k:{"name":"nginx"}`), an element of a set by its value (`v:"foo"`), or a position (`i:0`).
// The FieldsV1 spelling of an element doubles as its identity, so it is written canonically:
// key fields sorted by name, JSON written as Go's encoder writes it.

export type PathElement =
  | { readonly field: string }
  | { readonly key: ReadonlyArray<readonly [string, unknown]> }
  | { readonly value: unknown }
  | { readonly index: number };

export type Path = readonly PathElement[];

/** Thrown for a FieldsV1 key or document that cannot be read. */
export class FieldPathError extends Error {
  override name = 'FieldPathError';
}

const isField = (pe: PathElement): pe is { field: string } => 'field' in pe;
const isKey = (pe: PathElement): pe is { key: ReadonlyArray<readonly [string, unknown]> } => 'key' in pe;
const isValue = (pe: PathElement): pe is { value: unknown } => 'value' in pe;

export function fieldElement(name: string): PathElement {
  return { field: name };
}

/** A keyed element; key fields are sorted by name so equal keys have one spelling. */
export function keyElement(fields: Iterable<readonly [string, unknown]>): PathElement {
  return { key: [...fields].sort((a, b) => cmpStr(a[0], b[0])) };
}

export function valueElement(v: unknown): PathElement {
  return { value: v };
}

export function indexElement(i: number): PathElement {
  return { index: i };
}

// Elements are immutable, and the same element objects recur in every path below them.
const keyCache = new WeakMap<PathElement, string>();

/** The FieldsV1 spelling: `f:name`, `k:{...}`, `v:<json>`, `i:<n>`. */
export function elementKey(pe: PathElement): string {
  if (isField(pe)) return 'f:' + pe.field;
  let k = keyCache.get(pe);
  if (k === undefined) {
    if (isKey(pe)) k = `k:{${sortedKey(pe).map(([n, v]) => `${goJSON(n)}:${goJSON(v)}`).join(',')}}`;
    else if (isValue(pe)) k = `v:${goJSON(pe.value)}`;
    else k = `i:${(pe as { index: number }).index}`;
    keyCache.set(pe, k);
  }
  return k;
}

/** Reads a FieldsV1 key; null for a kind of element this version does not know (skipped, as Kubernetes does). */
export function parseElementKey(s: string): PathElement | null {
  if (s.length < 2 || s[1] !== ':') throw new FieldPathError(`invalid path element ${JSON.stringify(s)}: missing colon`);
  const rest = s.slice(2);
  switch (s[0]) {
    case 'f':
      return { field: rest };
    case 'v':
      return { value: parseJSON(rest, s) };
    case 'k': {
      const obj = parseJSON(rest, s);
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
        throw new FieldPathError(`invalid path element ${JSON.stringify(s)}: key must be a JSON object`);
      }
      return keyElement(Object.entries(obj));
    }
    case 'i': {
      if (!/^-?\d+$/.test(rest)) throw new FieldPathError(`invalid path element ${JSON.stringify(s)}: index must be an integer`);
      return { index: Number(rest) };
    }
    default:
      return null;
  }
}

function parseJSON(text: string, whole: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FieldPathError(`invalid path element ${JSON.stringify(whole)}: malformed JSON`);
  }
}

/** Total order of elements (fields, then keys, then values, then indexes), as FieldsV1 documents are sorted. */
export function compareElements(a: PathElement, b: PathElement): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (isField(a) && isField(b)) return cmpStr(a.field, b.field);
  if (isKey(a) && isKey(b)) {
    const ka = sortedKey(a);
    const kb = sortedKey(b);
    for (let i = 0; ; i++) {
      if (i >= ka.length || i >= kb.length) return ka.length - kb.length;
      const c = cmpStr(ka[i][0], kb[i][0]) || compareValues(ka[i][1], kb[i][1]);
      if (c !== 0) return c;
    }
  }
  if (isValue(a) && isValue(b)) return compareValues(a.value, b.value);
  return (a as { index: number }).index - (b as { index: number }).index;
}

/** Key fields in name order (elements built by hand may list them in any order). */
function sortedKey(pe: { key: ReadonlyArray<readonly [string, unknown]> }): ReadonlyArray<readonly [string, unknown]> {
  for (let i = 1; i < pe.key.length; i++) if (cmpStr(pe.key[i - 1][0], pe.key[i][0]) > 0) return [...pe.key].sort((x, y) => cmpStr(x[0], y[0]));
  return pe.key;
}

function rank(pe: PathElement): number {
  return isField(pe) ? 0 : isKey(pe) ? 1 : isValue(pe) ? 2 : 3;
}

/** Orders JSON values of any type: numbers, strings, booleans, lists, maps, null. */
export function compareValues(a: unknown, b: unknown): number {
  const ta = valueRank(a);
  const tb = valueRank(b);
  if (ta !== tb) return ta - tb;
  switch (ta) {
    case 0:
      return Math.sign((a as number) - (b as number));
    case 1:
      return cmpStr(a as string, b as string);
    case 2:
      return Number(a) - Number(b);
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return la.length - lb.length;
    }
    case 4: {
      const ea = Object.entries(a as object).sort((x, y) => cmpStr(x[0], y[0]));
      const eb = Object.entries(b as object).sort((x, y) => cmpStr(x[0], y[0]));
      for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
        const c = cmpStr(ea[i][0], eb[i][0]) || compareValues(ea[i][1], eb[i][1]);
        if (c !== 0) return c;
      }
      return ea.length - eb.length;
    }
    default:
      return 0;
  }
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One element as Kubernetes prints it in conflicts: `.replicas`, `[name="nginx"]`, `[="a"]`, `[0]`. */
export function elementString(pe: PathElement): string {
  if (isField(pe)) return `.${pe.field}`;
  if (isKey(pe)) return `[${sortedKey(pe).map(([n, v]) => `${n}=${valueString(v)}`).join(',')}]`;
  if (isValue(pe)) return `[=${valueString(pe.value)}]`;
  return `[${(pe as { index: number }).index}]`;
}

/** A whole path as Kubernetes prints it: `.spec.containers[name="nginx"].image`. */
export function pathString(path: Path): string {
  return path.map(elementString).join('');
}

function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  return Object.entries(v as object).map(([k, x]) => `${k}=${valueString(x)}`).join('');
}

/** A string quoted as Go's %q quotes it (strconv.Quote). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/**
 * JSON as Go's encoding/json writes it: object keys sorted, and `<`, `>`, `&`, U+2028 and
 * U+2029 escaped, so that FieldsV1 keys match those a real API server writes byte for byte.
 */
export function goJSON(v: unknown): string {
  const s = JSON.stringify(v !== null && typeof v === 'object' ? sortKeys(v) : v);
  return GO_ESCAPED.test(s) ? s.replace(GO_ESCAPED_ALL, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : s;
}

const GO_ESCAPED = /[<>&\u2028\u2029]/;
const GO_ESCAPED_ALL = /[<>&\u2028\u2029]/g;

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(cmpStr)) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
