// Kubernetes' JSONPath dialect (client-go util/jsonpath), as kubectl's custom columns and CRD
// additionalPrinterColumns use it: `{.metadata.name}`, `.spec.containers[0].image`, `[*]`, `[1:3]`,
// `[0,2]`, `['key']`, `..name`, `.*`, filters `[?(@.type=="Ready")].status`, escaped dots
// (`.labels.app\.kubernetes\.io/name`). range/end templates are not supported.
import { StatusError } from './status.js';

export class JsonPathError extends StatusError {
  constructor(message: string) {
    super(400, 'BadRequest', message);
    this.name = 'JsonPathError';
  }
}

interface SliceParam { known: boolean; value: number; derived?: boolean }
type Node =
  | { t: 'list'; nodes: Node[] }
  | { t: 'text'; v: string }
  | { t: 'field'; name: string }
  | { t: 'array'; params: [SliceParam, SliceParam, SliceParam] }
  | { t: 'filter'; left: ListNode; right: ListNode; op: string }
  | { t: 'number'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'union'; nodes: ListNode[] }
  | { t: 'ident'; name: string };
type ListNode = { t: 'list'; nodes: Node[] };

const err = (m: string): never => {
  throw new JsonPathError(m);
};
const isSpace = (c: string) => c === ' ' || c === '\t';
const isEol = (c: string) => c === '\r' || c === '\n';
const isDigit = (c: string) => /^\p{Nd}$/u.test(c);
const isAlnum = (c: string) => c === '_' || /^[\p{L}\p{Nd}]$/u.test(c);
/** Characters that end a field name unless escaped with a backslash. */
const isTerminator = (c: string) => c === '' || isSpace(c) || isEol(c) || '.,[]$@{}'.includes(c);
const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const DICT_KEY = /^'([^']*)'$/;
const FILTER = /^([^!<>=]+)([!<>=~]+)(.+?)$/s;

class Parser {
  private pos = 0;
  private start = 0;
  readonly root: ListNode = { t: 'list', nodes: [] };

  constructor(private readonly input: string) {}

  private next(): string {
    if (this.pos >= this.input.length) return '';
    const c = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.pos += c.length;
    return c;
  }

  private peek(): string {
    return this.pos >= this.input.length ? '' : String.fromCodePoint(this.input.codePointAt(this.pos)!);
  }

  private consume(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }

  parse(): ListNode {
    this.parseText();
    return this.root;
  }

  /** Literal text up to the next `{`, then the action inside the braces. */
  private parseText(): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) this.root.nodes.push({ t: 'text', v: this.consume() });
        this.pos += 1;
        this.consume();
        const action: ListNode = { t: 'list', nodes: [] };
        this.root.nodes.push(action);
        if (this.parseAction(action)) continue;
        return;
      }
      if (this.next() === '') break;
    }
    if (this.pos > this.start) this.root.nodes.push({ t: 'text', v: this.consume() });
  }

  /** Parses up to the closing brace; true when one was found (text follows). */
  private parseAction(cur: ListNode): boolean {
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consume();
        return true;
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        const last = cur.nodes[cur.nodes.length - 1];
        if (last?.t === 'recursive') err('invalid multiple recursive descent');
        this.pos += 2;
        this.consume();
        cur.nodes.push({ t: 'recursive' });
        if (isAlnum(this.peek())) this.parseField(cur);
        continue;
      }
      const c = this.next();
      if (c === '' || isEol(c)) err('unclosed action');
      else if (c === ' ' || c === '@' || c === '$') this.consume();
      else if (c === '[') this.parseArray(cur);
      else if (c === '"' || c === "'") this.parseQuote(cur, c);
      else if (c === '.') this.parseField(cur);
      else if (c === '+' || c === '-' || isDigit(c)) {
        this.pos -= c.length;
        this.parseNumber(cur);
      } else if (isAlnum(c)) {
        this.pos -= c.length;
        this.parseIdentifier(cur);
      } else err(`unrecognized character in action: U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`);
    }
  }

  private parseField(cur: ListNode): void {
    this.consume();
    for (;;) {
      const c = this.next();
      if (c === '\\') {
        this.next();
        continue;
      }
      if (isTerminator(c)) {
        this.pos -= c.length;
        break;
      }
    }
    const value = this.consume();
    cur.nodes.push(value === '*' ? { t: 'wildcard' } : { t: 'field', name: value.replace(/\\/g, '') });
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const c = this.next();
      if (isTerminator(c)) {
        this.pos -= c.length;
        break;
      }
    }
    const value = this.consume();
    cur.nodes.push(value === 'true' || value === 'false' ? { t: 'bool', v: value === 'true' } : { t: 'ident', name: value });
  }

  private parseNumber(cur: ListNode): void {
    if (this.peek() === '+' || this.peek() === '-') this.next();
    for (;;) {
      const c = this.peek();
      if (c !== '.' && !(c !== '' && isDigit(c))) break;
      this.next();
    }
    const value = this.consume();
    const n = /^[+-]?\d+(\.\d*)?$|^[+-]?\.\d+$/.test(value) ? Number(value) : NaN;
    if (Number.isNaN(n)) err(`cannot parse number ${value}`);
    cur.nodes.push({ t: 'number', v: n });
  }

  private parseQuote(cur: ListNode, quote: string): void {
    for (;;) {
      const c = this.next();
      if (c === '' || c === '\n') err('unterminated quoted string');
      if (c === quote && this.input[this.pos - 2] !== '\\') break;
    }
    const raw = this.consume();
    cur.nodes.push({ t: 'text', v: unquote(raw) });
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const c = this.next();
      if (c === '' || c === '\n') err('unterminated array');
      if (c === ']') break;
    }
    let text = this.consume().slice(1, -1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      cur.nodes.push({ t: 'union', nodes: parts.map((p) => parseSingleAction(`[${p.trim()}]`)) });
      return;
    }
    const dict = DICT_KEY.exec(text);
    if (dict) {
      cur.nodes.push(...parseSingleAction(`.${dict[1]}`).nodes);
      return;
    }
    const m = SLICE.exec(text) ?? err(`invalid array index ${text}`);
    const raw = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
    const params: [SliceParam, SliceParam, SliceParam] = [{ known: false, value: 0 }, { known: false, value: 0 }, { known: false, value: 0 }];
    for (let i = 0; i < 3; i++) {
      let v = raw[i];
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params[i] = { known: false, value: 0 };
        else {
          const n = Number(v);
          if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n)) err(`array index ${v} is not a number`);
          params[i] = { known: true, value: n };
        }
      } else if (i === 1) {
        // "[i]" selects the single element i: an implied end of i+1.
        params[i] = { known: true, value: params[0].value + 1, derived: true };
      }
    }
    cur.nodes.push({ t: 'array', params });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consume();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const c = this.next();
      if (c === '' || c === '\n') err('unterminated filter');
      if (c === '"' || c === "'") {
        if (!begin) {
          begin = true;
          pair = c;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && c === pair) end = true;
      } else if (c === ')' && begin === end) break;
    }
    if (this.next() !== ']') err('unclosed array expect ]');
    const text = this.consume().slice(0, -2);
    const m = FILTER.exec(text);
    if (!m) {
      cur.nodes.push({ t: 'filter', left: parseSingleAction(text), right: { t: 'list', nodes: [] }, op: 'exists' });
    } else {
      cur.nodes.push({ t: 'filter', left: parseSingleAction(m[1]), right: parseSingleAction(m[3]), op: m[2] });
    }
  }
}

/** Go's strconv.Unquote, extended to single quotes. */
function unquote(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1] || (s[0] !== '"' && s[0] !== "'")) err(`unquote string ${s} error invalid syntax`);
  const body = s.slice(1, -1);
  if (!body.includes('\\')) return body;
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'u':
      case 'x': return String.fromCharCode(parseInt(e.slice(1), 16));
      case '\\': case '"': case "'": return e;
      default: return err(`unquote string ${s} error invalid syntax`);
    }
  });
}

/** One `{...}` action's contents as a list node. */
function parseSingleAction(text: string): ListNode {
  const root = new Parser(`{${text}}`).parse();
  return root.nodes[0] as ListNode;
}

/** Parses a template ("{.a}{.b}", "x={.a}") or a bare path (".a.b", "a.b") as kubectl does. */
export function parseJsonPath(path: string): ListNode {
  // kubectl's relaxed form: "a.b", ".a.b", "{a.b}" and "{.a.b}" all mean "{.a.b}".
  // Expressions that start at the root or with a literal ("{$.a}", "{'x'}") are taken as written.
  const relaxed = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/s.exec(path);
  const body = relaxed ? (relaxed[1] ?? relaxed[2]) : '';
  const template = relaxed && !/^[$@"'[]/.test(body) ? `{.${body}}` : path.includes('{') || path === '' ? path : `{${path}}`;
  return new Parser(template).parse();
}

// ---- evaluation -------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNil = (v: unknown) => v === null || v === undefined;

function goType(v: unknown): string {
  if (isObj(v)) return 'map[string]interface {}';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'interface {}';
}

function children(v: unknown): unknown[] {
  if (isObj(v)) return Object.values(v);
  if (Array.isArray(v)) return v;
  return [];
}

function compare(left: unknown, right: unknown, op: string): boolean {
  if (op === '==' || op === '!=') {
    const eq = left === right || (typeof left === typeof right && JSON.stringify(left) === JSON.stringify(right));
    if (typeof left !== typeof right && !isNil(left) && !isNil(right)) err('incompatible types for comparison');
    return op === '==' ? eq : !eq;
  }
  const ordered = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!ordered) err(typeof left === typeof right ? 'invalid type for comparison' : 'incompatible types for comparison');
  const l = left as number | string;
  const r = right as number | string;
  switch (op) {
    case '<': return l < r;
    case '>': return l > r;
    case '<=': return l <= r;
    case '>=': return l >= r;
    default: return err(`unrecognized filter operator ${op}`);
  }
}

class Evaluator {
  constructor(private readonly allowMissingKeys: boolean) {}

  walk(input: unknown[], node: Node): unknown[] {
    switch (node.t) {
      case 'list': return node.nodes.reduce<unknown[]>((cur, n) => this.walk(cur, n), input);
      case 'text': return [node.v];
      case 'number':
      case 'bool': return input.map(() => node.v);
      case 'field': return this.field(input, node.name);
      case 'array': return this.array(input, node.params);
      case 'filter': return this.filter(input, node);
      case 'wildcard': return input.flatMap((v) => (isNil(v) ? [] : typeof v === 'string' ? [...v] : children(v)));
      case 'recursive': return this.recursive(input);
      case 'union': return node.nodes.flatMap((n) => this.walk(input, n));
      case 'ident': return err(node.name === 'range' || node.name === 'end' ? `${node.name} is not supported here` : `unrecognized identifier ${node.name}`);
    }
  }

  private field(input: unknown[], name: string): unknown[] {
    if (input.length === 0) return [];
    const out: unknown[] = [];
    for (const v of input) {
      if (isObj(v) && Object.prototype.hasOwnProperty.call(v, name)) out.push(v[name]);
    }
    if (out.length === 0 && !this.allowMissingKeys) err(`${name} is not found`);
    return out;
  }

  private array(input: unknown[], p: [SliceParam, SliceParam, SliceParam]): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      if (isNil(v)) continue;
      if (!Array.isArray(v)) err(`${goType(v)} is not array or slice`);
      const arr = v as unknown[];
      const len = arr.length;
      let start = p[0].known ? p[0].value : 0;
      if (start < 0) start += len;
      let end = p[1].known ? p[1].value : len;
      if (end < 0 || (end === 0 && p[1].derived)) end += len;
      if (end === start) return out;
      if (start >= len || start < 0) err(`array index out of bounds: index ${start}, length ${len}`);
      if (end > len || end < 0) err(`array index out of bounds: index ${end - 1}, length ${len}`);
      if (start > end) err(`starting index ${start} is greater than ending index ${end}`);
      let step = 1;
      if (p[2].known) {
        if (p[2].value <= 0) err('step must be > 0');
        step = p[2].value;
      }
      for (let i = start; i < end; i += step) out.push(arr[i]);
    }
    return out;
  }

  private filter(input: unknown[], node: Extract<Node, { t: 'filter' }>): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) err(`${isNil(v) ? '<nil>' : JSON.stringify(v)} is not array or slice and cannot be filtered`);
      for (const item of v as unknown[]) {
        let lefts: unknown[];
        try {
          lefts = this.walk([item], node.left);
        } catch (e) {
          if (node.op === 'exists') continue;
          throw e;
        }
        if (node.op === 'exists') {
          if (lefts.length > 0) out.push(item);
          continue;
        }
        if (lefts.length === 0) continue;
        if (lefts.length > 1) err('can only compare one element at a time');
        const rights = this.walk([item], node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) err('can only compare one element at a time');
        if (compare(lefts[0], rights[0], node.op)) out.push(item);
      }
    }
    return out;
  }

  private recursive(input: unknown[]): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      if (isNil(v)) continue;
      const kids = children(v);
      if (kids.length === 0) continue;
      out.push(v, ...this.recursive(kids));
    }
    return out;
  }
}

export interface JsonPathOptions {
  /** A missing field gives no result instead of an error (default true, as for printer columns). */
  allowMissingKeys?: boolean;
}

/**
 * Evaluates a path ("{.metadata.name}" or ".metadata.name") against obj and returns every value
 * it selects, in order (text outside braces included). Throws JsonPathError (400) on bad syntax
 * and on evaluation errors Kubernetes reports (index out of bounds, filtering a non-list, ...).
 */
export function evalJsonPath(obj: unknown, path: string, opts: JsonPathOptions = {}): unknown[] {
  const root = parseJsonPath(path);
  const ev = new Evaluator(opts.allowMissingKeys ?? true);
  return root.nodes.flatMap((n) => ev.walk([obj], n));
}
