// Pieces the workload groups share (apps, batch, policy, autoscaling, networking...): the top-level
// object shape, printer columns, and the generic field checks Kubernetes keeps in its core
// validation package (non-negative fields, immutability, label selectors, int-or-percent values),
// worded exactly as kube-apiserver words them.
import { obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { regexError, validateDNS1123Subdomain } from '../../../machinery/names.js';
import { selectorFromLabelSelector, validateLabelSelector as validateSelector, type LabelSelector } from '../../../machinery/labels.js';
import { META } from '../../meta/v1.js';
import type { Column } from '../../resource.js';

/** A resource object's top-level shape: apiVersion, kind, metadata plus its own fields. */
export function kindSchema(group: string, version: string, kind: string, fields: Record<string, Schema>, description: string, required?: string[]): Schema {
  return obj({
    apiVersion: str('Version of the schema of this object, e.g. apps/v1.'),
    kind: str('The kind of object, e.g. Deployment.'),
    metadata: ref(META.ObjectMeta, "The object's metadata: name, namespace, labels, annotations and the rest."),
    ...fields,
  }, {
    description,
    ...(required ? { required } : {}),
    'x-kubernetes-group-version-kind': [{ group, version, kind }],
  });
}

/**
 * A list of conditions keyed by type: merged by type in strategic merge patch and server-side
 * apply (Kubernetes' `+listType=map +listMapKey=type`).
 */
export const conditionList = (item: Schema, description: string): Schema => ({
  type: 'array', items: item, description,
  'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'],
  'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'type',
});

export const nameColumn: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 };
export const ageColumn: Column = { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 };
export const createdAtColumn: Column = { name: 'Created At', type: 'date', description: 'When the object was created.', priority: 0 };
export const col = (name: string, type: Column['type'], description: string, priority = 0): Column => ({ name, type, description, priority });

/** The cell of a `Created At` column: the timestamp in RFC 3339, UTC, as kube-apiserver prints it. */
export function createdAt(ts: string | undefined): string {
  if (!ts) return '';
  const t = Date.parse(ts);
  return Number.isNaN(t) ? ts : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---- reading untyped objects -------------------------------------------------------------------

export type Obj = Record<string, any>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The object at v, or an empty one: lets validation walk optional parts without null checks. */
export const o = (v: unknown): Obj => (isObj(v) ? v : {});
export const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
export const deepEqual = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** JSON with sorted keys, so that objects equal in content compare equal. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    isObj(val) ? Object.fromEntries(Object.keys(val).sort().map((k) => [k, val[k]])) : val);
}

// ---- Go-style values in messages ---------------------------------------------------------------

/** `map[string]string{"a":"b", "c":"d"}` as Go's %#v prints a label map (keys sorted). */
export function goStringMap(m: unknown): string {
  if (!isObj(m)) return 'map[string]string(nil)';
  return `map[string]string{${Object.keys(m).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(m[k]))}`).join(', ')}}`;
}

/** A LabelSelector as Go's %#v prints it in "field is immutable" messages. */
export function goLabelSelector(s: unknown): string {
  if (!isObj(s)) return 'null';
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions.map((e: Obj) =>
      `v1.LabelSelectorRequirement{Key:${JSON.stringify(String(e?.key ?? ''))}, Operator:${JSON.stringify(String(e?.operator ?? ''))}, Values:${Array.isArray(e?.values) ? `[]string{${e.values.map((x: unknown) => JSON.stringify(String(x))).join(', ')}}` : '[]string(nil)'}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** A FieldValueInvalid error whose value is already rendered (Go structures, maps). */
export function invalidRaw(path: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: path, message: `Invalid value: ${rendered}: ${detail}` };
}

export function tooMany(path: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueInvalid', field: path, message: `Too many: ${actual}: must have at most ${max} items` };
}

// ---- generic checks ----------------------------------------------------------------------------

export function nonNegative(v: unknown, path: string): FieldError[] {
  return typeof v === 'number' && v < 0 ? [field.invalid(path, v, 'must be greater than or equal to 0')] : [];
}

export const FIELD_IMMUTABLE = 'field is immutable';

/** ValidateImmutableField: compares by content; `render` prints the old-style Go value when needed. */
export function immutable(now: unknown, old: unknown, path: string, render?: (v: unknown) => string): FieldError[] {
  const norm = (v: unknown) => (v === undefined ? null : v);
  if (deepEqual(norm(now), norm(old))) return [];
  if (render) return [invalidRaw(path, render(now), FIELD_IMMUTABLE)];
  return [field.invalid(path, now, FIELD_IMMUTABLE)];
}

/** metav1 ValidateLabelSelector: keys, values and operators of a label selector. */
export const validateLabelSelector = validateSelector;

/** True when the selector has no requirements (it then matches everything). */
export function selectorIsEmpty(sel: unknown): boolean {
  const s = o(sel);
  return Object.keys(o(s.matchLabels)).length + arr(s.matchExpressions).length === 0;
}

/**
 * Whether a label selector matches a label set; undefined when the selector cannot be converted
 * (Kubernetes then skips the template check, having reported the selector itself).
 */
export function selectorMatches(sel: unknown, labels: unknown): boolean | undefined {
  try {
    return selectorFromLabelSelector(sel as LabelSelector).matches(o(labels) as Record<string, string>);
  } catch {
    return undefined;
  }
}

/**
 * spec.selector of a controller: required, valid and non-empty (`emptyMessage` says why not), in
 * the order kube-apiserver reports them.
 */
export function validateRequiredSelector(spec: Obj, path: string, emptyMessage: string): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.selector === undefined || spec.selector === null) {
    errs.push(field.required(`${path}.selector`));
  } else {
    errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
    if (selectorIsEmpty(spec.selector)) errs.push(invalidRaw(`${path}.selector`, goLabelSelector(spec.selector), emptyMessage));
  }
  return errs;
}

/**
 * The pod template's labels must satisfy the selector. An absent selector selects nothing (Kubernetes
 * converts it to labels.Nothing()), so it reports a mismatch beside its own "Required value".
 */
export function templateMatchesSelector(spec: Obj, path: string): FieldError[] {
  const labels = o(spec.template).metadata?.labels;
  const matches = spec.selector === undefined || spec.selector === null ? false : selectorMatches(spec.selector, labels);
  if (matches === false) {
    return [invalidRaw(`${path}.template.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`')];
  }
  return [];
}

/**
 * What a pod template of a long-running controller must satisfy besides being a valid pod template:
 * pods restart Always and have no active deadline (`what` names the controller in the message).
 */
export function validateLongRunningTemplate(template: unknown, path: string, deadlineMessage: string): FieldError[] {
  const errs: FieldError[] = [];
  const spec = o(o(template).spec);
  if (spec.restartPolicy !== 'Always') errs.push(field.notSupported(`${path}.spec.restartPolicy`, spec.restartPolicy ?? '', ['Always']));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    errs.push(field.invalid(`${path}.spec.activeDeadlineSeconds`, spec.activeDeadlineSeconds, deadlineMessage));
  }
  return errs;
}

/** An IntOrString as Go's %#v prints it in messages: `intstr.IntOrString{Type:1, IntVal:0, StrVal:"5"}`. */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'number') return `intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}`;
  return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(String(v))}}`;
}

const PERCENT = /^[0-9]+%$/;

/** An IntOrString that is a count or a percentage ("25%"): IsValidPercent and non-negative. */
export function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    if (PERCENT.test(v)) return [];
    return [invalidRaw(path, goIntOrString(v), regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%'))];
  }
  if (typeof v === 'number') return nonNegative(v, path);
  return [field.typeInvalid(path, v, "must be an integer or percentage (e.g '5%')")];
}

export function notMoreThan100Percent(v: unknown, path: string): FieldError[] {
  if (typeof v !== 'string' || !PERCENT.test(v)) return [];
  return parseInt(v, 10) > 100 ? [invalidRaw(path, goIntOrString(v), 'must not be greater than 100%')] : [];
}

/** The integer an IntOrString stands for when read as a count (percentages give their number). */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseInt(v, 10) || 0;
  return 0;
}

// ---- printing ----------------------------------------------------------------------------------

/**
 * A label selector as labels.Selector.String() prints it: requirements sorted by key,
 * `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; an empty, absent or invalid selector prints "".
 */
export function selectorString(sel: unknown): string {
  if (!isObj(sel)) return '';
  try {
    return selectorFromLabelSelector(sel as LabelSelector).toString();
  } catch {
    return '';
  }
}

/** A label map as labels.FormatLabels prints it: `k=v,k2=v2` sorted, or `<none>`. */
export function formatLabels(m: unknown): string {
  const e = Object.entries(o(m)).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** The CONTAINERS and IMAGES cells of a workload: names and images joined by commas. */
export function containerCells(template: unknown): [string, string] {
  const cs = arr(o(o(template).spec).containers).map(o);
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')];
}

export const containersColumn = col('Containers', 'string', 'Names of each container in the template.', 1);
export const imagesColumn = col('Images', 'string', 'Images referenced by each container in the template.', 1);
export const selectorColumn = col('Selector', 'string', 'The label selector of the pods this controller manages.', 1);

// ---- names and paths beyond machinery/names ----------------------------------------------------

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH = new RegExp(`^${HTTP_PATH_FMT}$`);

/** IsDomainPrefixedPath: `acme.io/foo`, the prefix a DNS subdomain (IngressClass controller, Job managedBy). */
export function isDomainPrefixedPath(v: string, path: string): FieldError[] {
  if (v.length === 0) return [field.required(path)];
  const slash = v.indexOf('/');
  if (slash <= 0 || slash === v.length - 1) return [field.invalid(path, v, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = v.slice(0, slash);
  const errs: FieldError[] = validateDNS1123Subdomain(host).map((msg) => field.invalid(path, host, msg));
  const rest = v.slice(slash + 1);
  if (!HTTP_PATH.test(rest)) errs.push(field.invalid(path, rest, regexError('Invalid path', HTTP_PATH_FMT)));
  return errs;
}

/** IsValidPathSegmentName: names that appear in URL paths. */
export function pathSegmentErrors(v: string): string[] {
  if (v === '.' || v === '..') return [`may not be '${v}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (v.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** IsValidPortNum. */
export function portNumErrors(n: unknown): string[] {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** IsValidPortName: an IANA_SVC_NAME. */
export function portNameErrors(p: string): string[] {
  const errs: string[] = [];
  if (p.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(p)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(p)) errs.push('must contain at least one letter (a-z)');
  if (p.includes('--')) errs.push('must not contain consecutive hyphens');
  if (p.length > 0 && (p.startsWith('-') || p.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

const WILDCARD_FMT = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD = new RegExp(`^${WILDCARD_FMT}$`);

/** IsWildcardDNS1123Subdomain: `*.example.com`. */
export function wildcardSubdomainErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!WILDCARD.test(v)) {
    errs.push(regexError("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character", WILDCARD_FMT, '*.example.com'));
  }
  return errs;
}
