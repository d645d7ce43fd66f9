// Field selectors (`?fieldSelector=metadata.name=x,status.phase!=Running`): exact-match terms
// over a few string fields of an object, parsed and matched as Kubernetes does.
import { StatusError } from './status.js';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  field: string;
  /** '=' and '==' mean the same. */
  op: FieldOperator;
  /** Unescaped value. */
  value: string;
}

const bad = (message: string) => new StatusError(400, 'BadRequest', message);

/** Escapes `\`, `,` and `=` so a literal value can sit in a field selector. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Reverses escapeFieldValue; an unescaped `,`/`=` or an unknown escape is a 400. */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw bad(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune as its code point here.
      throw bad(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw bad('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas that are not escaped; the escapes stay in the terms. */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** The field name has no escaping, so the first operator in the term splits it; "!=" and "==" win over "=". */
function splitTerm(term: string): [string, FieldOperator, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

export class FieldSelector {
  /** @param nothing a selector that matches no object */
  constructor(readonly requirements: readonly FieldRequirement[] = [], readonly nothing = false) {}

  get empty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  /** A missing field counts as the empty string, as in Kubernetes' fields.Set. */
  matches(fields: Record<string, string>): boolean {
    if (this.nothing) return false;
    return this.requirements.every((r) => {
      const v = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field] : '';
      return r.op === '!=' ? v !== r.value : v === r.value;
    });
  }

  /** The value a field must equal, if the selector pins it (e.g. spec.nodeName for a kubelet's watch). */
  requiresExactMatch(fieldName: string): string | undefined {
    const r = this.requirements.find((x) => x.field === fieldName && x.op !== '!=');
    return r?.value;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.op === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** Parses a field selector; throws 400 BadRequest with Kubernetes' message on bad syntax. */
export function parseFieldSelector(s: string): FieldSelector {
  const parts = splitTerms(s).sort();
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw bad(`invalid selector: '${s}'; can't understand '${part}'`);
    const [fieldName, op, rhs] = split;
    reqs.push({ field: fieldName, op, value: unescapeFieldValue(rhs) });
  }
  return new FieldSelector(reqs);
}

/** A selector requiring each field to equal its value (fields.SelectorFromSet). */
export function fieldSelectorFromSet(set: Record<string, string>): FieldSelector {
  return new FieldSelector(Object.entries(set).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([f, value]) => ({ field: f, op: '=' as const, value })));
}
