// Label selectors: the string syntax of `?labelSelector=` and `kubectl -l`
// (`a=b,c!=d,e in (x,y),f notin (z),g,!h,n>3`) and metav1.LabelSelector, matched as Kubernetes does.
import { StatusError, field, type FieldError } from './status.js';
import { validateLabelValue, validateQualifiedName, validateLabels } from './names.js';

/** selection.Operator, spelled as Kubernetes spells it. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  /** Sorted and unique for selectors parsed from strings; as given for metav1.LabelSelector. */
  values: string[];
}

export type Labels = Record<string, string> | undefined | null;

const BINARY_OPERATORS: Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const ALL_OPERATORS: Operator[] = [...BINARY_OPERATORS, 'exists', '!'];
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const bad = (message: string) => new StatusError(400, 'BadRequest', message);

/** strconv.ParseInt(s, 10, 64), or undefined where Go would fail. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** Go's %#v of a []string, which Kubernetes prints in these messages. */
const goStrings = (vs: string[]) => `[]string{${vs.map((v) => JSON.stringify(v)).join(', ')}}`;
/** A field.Error as Go's Error() prints it: `<path>: Invalid value: "x": detail`; a nil path prints `<nil>`. */
const fieldErrorText = (path: string, body: string) => `${path || '<nil>'}: ${body}`;
/** An aggregate of errors as Go prints it: one alone, several in brackets. */
const aggregate = (msgs: string[]) => (msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`);

/** The checks of labels.NewRequirement; returns the messages (empty: valid). */
function requirementErrors(key: string, op: Operator, values: string[], path = ''): string[] {
  const sub = (child: string) => (path ? `${path}.${child}` : child);
  const errs: string[] = [];
  const keyErrs = validateQualifiedName(key);
  if (keyErrs.length) errs.push(fieldErrorText(sub('key'), `Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`));
  const vp = sub('values');
  switch (op) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(fieldErrorText(vp, `Invalid value: ${goStrings(values)}: for 'in', 'notin' operators, values set can't be empty`));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(fieldErrorText(vp, `Invalid value: ${goStrings(values)}: exact-match compatibility requires one single value`));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(fieldErrorText(vp, `Invalid value: ${goStrings(values)}: values set must be empty for exists and does not exist`));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(fieldErrorText(vp, `Invalid value: ${goStrings(values)}: for 'Gt', 'Lt' operators, exactly one value is required`));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(fieldErrorText(`${vp}[${i}]`, `Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`));
      });
      break;
    default:
      errs.push(fieldErrorText(sub('operator'), `Unsupported value: ${JSON.stringify(op)}: supported values: ${ALL_OPERATORS.map((o) => `"${o}"`).join(', ')}`));
  }
  values.forEach((v, i) => {
    const m = validateLabelValue(v);
    if (m.length) errs.push(fieldErrorText(`${vp}[${i}][${key}]`, `Invalid value: ${JSON.stringify(v)}: ${m.join('; ')}`));
  });
  return errs;
}

/** labels.NewRequirement: a checked requirement, or a 400 with Kubernetes' message. */
export function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const errs = requirementErrors(key, operator, values);
  if (errs.length) throw bad(aggregate(errs));
  return { key, operator, values: [...values] };
}

function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels != null && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels![r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const have = parseInt64(value!);
      const want = parseInt64(r.values[0]);
      if (have === undefined || want === undefined) return false;
      return r.operator === 'gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

const sortedUnique = (vs: string[]) => [...new Set(vs)].sort();

function requirementString(r: Requirement): string {
  const values = [...r.values].sort().join(',');
  switch (r.operator) {
    case '!': return `!${r.key}`;
    case 'exists': return r.key;
    case 'in': return `${r.key} in (${values})`;
    case 'notin': return `${r.key} notin (${values})`;
    case 'gt': return `${r.key}>${values}`;
    case 'lt': return `${r.key}<${values}`;
    default: return `${r.key}${r.operator}${values}`;
  }
}

const byKey = (a: Requirement, b: Requirement) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class Selector {
  /** Requirements sorted by key, all of which must hold. */
  readonly requirements: readonly Requirement[];

  /** @param nothing a selector that matches no object (a null metav1.LabelSelector) */
  constructor(requirements: readonly Requirement[] = [], readonly nothing = false) {
    this.requirements = [...requirements].sort(byKey);
  }

  /** True when the selector restricts nothing (and so matches every object). */
  get empty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  matches(labels: Labels): boolean {
    if (this.nothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  /** The one value a label must have, if the selector pins it (for index lookups). */
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((x) => x.key === key);
    if (r && (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }

  add(...reqs: Requirement[]): Selector {
    return this.nothing ? this : new Selector([...this.requirements, ...reqs]);
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

export const everything = (): Selector => new Selector([]);
export const nothing = (): Selector => new Selector([], true);

// ---- the string syntax -----------------------------------------------------------------------

type Tok = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';
interface Item { tok: Tok; lit: string }

const KEYWORDS: Record<string, Tok> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(' };
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos])) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    if (isSpecial(s[pos])) {
      // Longest run of symbols that is still an operator: "!=" before "!", "==" before "=".
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos])) {
        buf += s[pos];
        const t = KEYWORDS[buf];
        if (t) last = { tok: t, lit: buf };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    const start = pos;
    while (pos < s.length && !isSpecial(s[pos]) && !isSpace(s[pos])) pos++;
    const word = s.slice(start, pos);
    items.push({ tok: KEYWORDS[word] ?? 'id', lit: word });
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  /** In value position the words "in" and "notin" are plain identifiers. */
  private peek(values = true): Item {
    const it = this.items[Math.min(this.pos, this.items.length - 1)];
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }

  private next(values = true): Item {
    const it = this.peek(values);
    if (this.pos < this.items.length - 1) this.pos++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'eos') return reqs;
      if (tok !== 'id' && tok !== '!') throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (e) {
        throw new Error(`unable to parse requirement: ${(e as Error).message}`);
      }
      const after = this.next();
      if (after.tok === 'eos') return reqs;
      if (after.tok !== ',') throw new Error(`found '${after.lit}', expected: ',' or 'end of string'`);
      const t2 = this.peek();
      if (t2.tok !== 'id' && t2.tok !== '!') throw new Error(`found '${t2.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let op: Operator | undefined;
    let { tok, lit } = this.next();
    if (tok === '!') {
      op = '!';
      ({ tok, lit } = this.next());
    }
    if (tok !== 'id') throw new Error(`found '${lit}', expected: identifier`);
    const key = lit;
    const keyErrs = validateQualifiedName(key);
    if (keyErrs.length) throw new Error(fieldErrorText('', `Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`));
    const la = this.peek().tok;
    if (la === 'eos' || la === ',') op = op ?? 'exists';
    if (op === 'exists' || op === '!') return this.checked(key, op, []);
    const o = this.next(false);
    switch (o.tok) {
      case 'in': op = 'in'; break;
      case 'notin': op = 'notin'; break;
      case '=': op = '='; break;
      case '==': op = '=='; break;
      case '!=': op = '!='; break;
      case '>': op = 'gt'; break;
      case '<': op = 'lt'; break;
      default: throw new Error(`found '${o.lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
    const values = op === 'in' || op === 'notin' ? this.setValues() : this.exactValue();
    return this.checked(key, op, values);
  }

  private checked(key: string, op: Operator, values: string[]): Requirement {
    const errs = requirementErrors(key, op, values);
    if (errs.length) throw new Error(aggregate(errs));
    return { key, operator: op, values };
  }

  private setValues(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.peek();
    if (tok === ')') {
      this.next();
      return [''];
    }
    if (tok !== 'id' && tok !== ',') throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    const vals = this.identifiers();
    if (this.next().tok !== ')') throw new Error(`found '${lit}', expected: ')'`);
    return sortedUnique(vals);
  }

  /** Comma-separated, possibly empty identifiers: "(a,,b)" and "(,)" include the empty string. */
  private identifiers(): string[] {
    const vals: string[] = [];
    for (;;) {
      const { tok, lit } = this.next();
      if (tok === 'id') {
        vals.push(lit);
        const t2 = this.peek();
        if (t2.tok === ',') continue;
        if (t2.tok === ')') return vals;
        throw new Error(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (tok === ',') {
        if (vals.length === 0) vals.push('');
        const t2 = this.peek().tok;
        if (t2 === ')') {
          vals.push('');
          return vals;
        }
        if (t2 === ',') {
          this.next();
          vals.push('');
        }
      } else {
        throw new Error(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string[] {
    const la = this.peek().tok;
    if (la === 'eos' || la === ',') return [''];
    const { tok, lit } = this.next();
    if (tok === 'id') return [lit];
    throw new Error(`found '${lit}', expected: identifier`);
  }
}

/** Parses a label selector string; throws 400 BadRequest with Kubernetes' message on bad syntax. */
export function parseSelector(s: string): Selector {
  try {
    return new Selector(new Parser(lex(s)).parse());
  } catch (e) {
    if (e instanceof StatusError) throw e;
    throw bad((e as Error).message);
  }
}

/** A selector that matches exactly these labels (labels.SelectorFromSet); no labels: everything. */
export function selectorFromSet(set: Record<string, string> | undefined | null): Selector {
  return new Selector(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: '=' as Operator, values: [v] })));
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[] | null;
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

const OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: null/undefined matches nothing, `{}` matches everything.
 * Throws 400 BadRequest on an invalid selector (bad key, value or operator).
 */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return nothing();
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push(newRequirement(k, '=', [v]));
  for (const e of ls.matchExpressions ?? []) {
    const op = OPERATORS[e.operator];
    if (!op) throw bad(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(e.key, op, [...(e.values ?? [])]));
  }
  return new Selector(reqs);
}

/**
 * The label selector a metav1.LabelSelector stands for, as a string (metav1.FormatLabelSelector):
 * "<none>" for an empty one, "<error>" for one that cannot be parsed.
 */
export function formatLabelSelector(ls: LabelSelector | null | undefined): string {
  if (ls === null || ls === undefined) return '<none>';
  try {
    const s = selectorFromLabelSelector(ls).toString();
    return s === '' ? '<none>' : s;
  } catch {
    return '<error>';
  }
}

/** Field errors for a metav1.LabelSelector in an object (metav1validation.ValidateLabelSelector). */
export function validateLabelSelector(ls: unknown, fieldPath: string): FieldError[] {
  if (ls === null || ls === undefined) return [];
  if (typeof ls !== 'object' || Array.isArray(ls)) return [field.typeInvalid(fieldPath, ls, 'must be an object')];
  const sel = ls as Record<string, unknown>;
  const errs = validateLabels(sel.matchLabels, `${fieldPath}.matchLabels`);
  const exprs = sel.matchExpressions;
  if (exprs === undefined || exprs === null) return errs;
  if (!Array.isArray(exprs)) return [...errs, field.typeInvalid(`${fieldPath}.matchExpressions`, exprs, 'must be a list')];
  exprs.forEach((e, i) => {
    const p = `${fieldPath}.matchExpressions[${i}]`;
    const r = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
    const values = Array.isArray(r.values) ? (r.values as unknown[]) : [];
    switch (r.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(field.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(field.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(field.invalid(`${p}.operator`, r.operator ?? '', 'not a valid selector operator'));
    }
    const key = typeof r.key === 'string' ? r.key : '';
    for (const msg of validateQualifiedName(key)) errs.push(field.invalid(`${p}.key`, key, msg));
    values.forEach((v, j) => {
      if (typeof v !== 'string') {
        errs.push(field.typeInvalid(`${p}.values[${j}]`, v, 'must be a string'));
        return;
      }
      for (const msg of validateLabelValue(v)) errs.push(field.invalid(`${p}.values[${j}]`, v, msg));
    });
  });
  return errs;
}
