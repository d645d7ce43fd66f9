// Validation helpers shared by the core/v1 types, with Kubernetes' messages: port numbers and
// names, IPs and CIDRs, resource names and quantities, config keys, environment variable names.
import { field, type FieldError } from '../../../machinery/status.js';
import { parseQuantity, type Quantity } from '../../../machinery/quantity.js';
import { validateDNS1123Subdomain, validateQualifiedName } from '../../../machinery/names.js';
import { isIP } from 'node:net';

export type O = Record<string, any>;
export const isObj = (v: unknown): v is O => typeof v === 'object' && v !== null && !Array.isArray(v);
export const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
export const strOf = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Kubernetes' field.NotFound; status.ts has no builder for it, the wire form is the same shape. */
export function notFound(f: string, value: unknown): FieldError {
  return { type: 'FieldValueNotFound', field: f, message: `Not found: ${JSON.stringify(value ?? null)}` } as unknown as FieldError;
}

/** Kubernetes' field.TooMany. */
export function tooMany(f: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field: f, message: `Too many: ${actual}: must have at most ${max} items` } as unknown as FieldError;
}

export const inclusiveRange = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;
export const NON_NEGATIVE = 'must be greater than or equal to 0';
export const IMMUTABLE = 'field is immutable';

export function validatePortNumber(port: unknown, path: string): FieldError[] {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return [field.invalid(path, port, inclusiveRange(1, 65535))];
  return [];
}

/** An IANA_SVC_NAME: what a named port may be called. */
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens (-)');
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-'))) errs.push('must not begin or end with a hyphen (-)');
  return errs;
}

/** A port given as a number or as a container port's name (probes, Service targetPort). */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return validatePortNumber(port, path);
  if (typeof port === 'string') {
    if (port === '') return [field.required(path)];
    return portNameErrors(port).map((m) => field.invalid(path, port, m));
  }
  return [field.required(path)];
}

export const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
export const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

export const isValidIP = (ip: unknown): ip is string => typeof ip === 'string' && isIP(ip) !== 0;

export function validateIP(ip: unknown, path: string): FieldError[] {
  return isValidIP(ip) ? [] : [field.invalid(path, ip, IP_MSG)];
}

export function isValidCIDR(cidr: unknown): boolean {
  if (typeof cidr !== 'string') return false;
  const slash = cidr.indexOf('/');
  if (slash < 0) return false;
  const ip = cidr.slice(0, slash);
  const bits = cidr.slice(slash + 1);
  const fam = isIP(ip);
  if (!fam || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (fam === 4 ? 32 : 128);
}

export function validateCIDR(cidr: unknown, path: string): FieldError[] {
  return isValidCIDR(cidr) ? [] : [field.invalid(path, cidr, CIDR_MSG)];
}

export function validateNonNegative(v: unknown, path: string): FieldError[] {
  return typeof v === 'number' && v < 0 ? [field.invalid(path, v, NON_NEGATIVE)] : [];
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
/** Keys of ConfigMap and Secret data, and of key selectors. */
export function configKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!CONFIG_KEY.test(key)) {
    errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** Environment variable names: any printable ASCII but '=' (Kubernetes' relaxed rule, on by default since 1.32). */
export function envVarNameErrors(name: string): string[] {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 32 || c > 126 || name[i] === '=') {
      return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
    }
  }
  return [];
}

/** Parses a quantity field; a bad one becomes a field error rather than an exception. */
export function quantityAt(v: unknown, path: string, errs: FieldError[]): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') {
    errs.push(field.invalid(path, v, 'must be a quantity'));
    return undefined;
  }
  try {
    return parseQuantity(typeof v === 'string' ? v.trim() : v);
  } catch (e) {
    errs.push(field.invalid(path, v, (e as Error).message));
    return undefined;
  }
}

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const isHugePages = (n: string) => n.startsWith('hugepages-') || n.startsWith('requests.hugepages-');
/** Native resources are unprefixed or in kubernetes.io; others (example.com/gpu) are extended. */
export const isNativeResource = (n: string) => !n.includes('/') || n.includes('kubernetes.io/');
const isExtendedResource = (n: string) => !isNativeResource(n) && !n.startsWith('requests.');
/** CPU, memory and storage may be requested below their limit; extended resources and huge pages may not. */
export const isOvercommitAllowed = (n: string) => isNativeResource(n) && !isHugePages(n);

/** A resource name usable in a container's requests and limits. */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs: FieldError[] = validateQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-')) {
      errs.push(field.invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNativeResource(name) && !isExtendedResource(name)) {
    errs.push(field.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** A resource name anywhere else (quotas, limit ranges, node capacity): qualified, and prefixed unless standard. */
export function validateResourceName(name: string, path: string): FieldError[] {
  const errs: FieldError[] = validateQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (errs.length) return errs;
  if (name.includes('/')) {
    const prefix = name.slice(0, name.indexOf('/'));
    for (const m of validateDNS1123Subdomain(prefix)) errs.push(field.invalid(path, name, m));
  }
  return errs;
}

/** A quantity that must be non-negative, and whole for extended resources. */
export function validateResourceQuantity(name: string, v: unknown, path: string, errs: FieldError[]): Quantity | undefined {
  const q = quantityAt(v, path, errs);
  if (!q) return undefined;
  if (q.sign() < 0) errs.push(field.invalid(path, q.toString(), NON_NEGATIVE));
  else if (isExtendedResource(name) && q.milliValue() % 1000n !== 0n) errs.push(field.invalid(path, q.toString(), 'must be an integer'));
  return q;
}

/** A ResourceList (name → quantity) with non-negative quantities and valid names. */
export function validateResourceList(list: unknown, path: string, container: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(list)) return errs;
  for (const [k, v] of Object.entries(list)) {
    errs.push(...(container ? validateContainerResourceName(k, `${path}[${k}]`) : validateResourceName(k, `${path}[${k}]`)));
    validateResourceQuantity(k, v, `${path}[${k}]`, errs);
  }
  return errs;
}

/** A container's (or pod's) requests and limits: valid names, non-negative, requests within limits. */
export function validateResourceRequirements(r: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(r)) return errs;
  const limits = new Map<string, Quantity>();
  if (isObj(r.limits)) {
    for (const [k, v] of Object.entries(r.limits)) {
      errs.push(...validateContainerResourceName(k, `${path}.limits[${k}]`));
      const q = validateResourceQuantity(k, v, `${path}.limits[${k}]`, errs);
      if (q) limits.set(k, q);
    }
  }
  if (isObj(r.requests)) {
    for (const [k, v] of Object.entries(r.requests)) {
      errs.push(...validateContainerResourceName(k, `${path}.requests[${k}]`));
      const q = validateResourceQuantity(k, v, `${path}.requests[${k}]`, errs);
      if (!q) continue;
      const lim = limits.get(k);
      if (lim) {
        if (q.cmp(lim) !== 0 && !isOvercommitAllowed(k)) {
          errs.push(field.invalid(`${path}.requests`, q.toString(), `must be equal to ${k} limit of ${lim.toString()}`));
        } else if (q.cmp(lim) > 0) {
          errs.push(field.invalid(`${path}.requests`, q.toString(), `must be less than or equal to ${k} limit of ${lim.toString()}`));
        }
      } else if (!isOvercommitAllowed(k)) {
        errs.push(field.required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
      }
    }
  }
  return errs;
}

/** Duplicate-free list of values; reports each repeat. */
export function checkUnique<T>(items: T[], key: (t: T) => unknown, path: (i: number) => string, value: (t: T) => unknown = key): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  items.forEach((it, i) => {
    const k = JSON.stringify(key(it));
    if (seen.has(k)) errs.push(field.duplicate(path(i), value(it)));
    seen.add(k);
  });
  return errs;
}

/** Compares JSON values structurally, treating absent, null, empty strings, lists and maps alike (Go's zero values). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(normalize) : undefined;
  if (isObj(v)) {
    const out: O = {};
    for (const k of Object.keys(v).sort()) {
      const n = normalize(v[k]);
      if (n !== undefined) out[k] = n;
    }
    return out;
  }
  if (v === null || v === '' || v === false || v === 0) return undefined;
  return v;
}

/** The dotted paths at which two JSON values differ, for "may not change" messages. */
export function diffPaths(a: unknown, b: unknown, path: string, out: string[] = [], limit = 8): string[] {
  if (out.length >= limit || semanticEqual(a, b)) return out;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diffPaths(x, b[i], `${path}[${i}]`, out, limit));
  } else if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) diffPaths(a[k], b[k], `${path}.${k}`, out, limit);
  } else {
    out.push(path);
  }
  return out;
}

/** The CONTAINERS and IMAGES cells of workload printers: names and images joined by commas. */
export function containerCells(spec: unknown): { names: string; images: string } {
  const cs = isObj(spec) ? arr(spec.containers).filter(isObj) : [];
  return { names: cs.map((c) => strOf(c.name)).join(','), images: cs.map((c) => strOf(c.image)).join(',') };
}
