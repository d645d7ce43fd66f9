// Names and metadata validation, with the messages Kubernetes returns, so that a client sees the
// same 422 causes from k8ts as from kube-apiserver (tools and tests match on these strings).
import { field, type FieldError } from './status.js';

// Go measures strings in bytes; so do Kubernetes' length limits.
const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;

const whole = (fmt: string) => new RegExp(`^${fmt}$`);
const DNS1123_LABEL = whole(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN = whole(DNS1123_SUBDOMAIN_FMT);
const DNS1035_LABEL = whole(DNS1035_LABEL_FMT);
const QNAME = whole(QNAME_FMT);
const LABEL_VALUE = whole(LABEL_VALUE_FMT);

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const DNS1035_LABEL_MAX_LENGTH = 63;
export const QUALIFIED_NAME_MAX_LENGTH = 63;
export const LABEL_VALUE_MAX_LENGTH = 63;
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

export const maxLenError = (n: number) => `must be no more than ${n} characters`;
export const emptyError = () => 'must be non-empty';

/** Kubernetes' "<what> (e.g. 'a' or 'b', regex used for validation is '<re>')" wording. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

const DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

export function validateDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN.test(v)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

export function validateDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL.test(v)) {
    // A valid subdomain that is not a valid label can only be wrong for its dots: say so plainly.
    if (DNS1123_SUBDOMAIN.test(v)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

export function validateDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!DNS1035_LABEL.test(v)) errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/** Label and annotation keys, finalizers: `[prefix/]name`, the prefix a DNS subdomain. */
export function validateQualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else for (const m of validateDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [`a qualified name ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!QNAME.test(name)) errs.push(`name part ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

export function validateLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE.test(v)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** Checks a name; returns Kubernetes' messages (empty: valid). generateName is checked with maskTrailingDash applied. */
export type NameValidator = (v: string) => string[];

/**
 * generateName gets a random suffix appended, so a trailing '-' is fine there; Kubernetes checks
 * the prefix with its last two characters replaced by one alphanumeric.
 */
export function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks that v is a map of strings; reports what is not. */
function stringMap(v: unknown, fieldPath: string, errs: FieldError[]): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) {
    errs.push(field.typeInvalid(fieldPath, v, 'must be a map of string keys to string values'));
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') errs.push(field.typeInvalid(`${fieldPath}[${k}]`, val, 'must be a string'));
    else out[k] = val;
  }
  return out;
}

/** metadata.labels: keys are qualified names, values label values; errors name the whole map's path. */
export function validateLabels(labels: unknown, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  const m = stringMap(labels, fieldPath, errs);
  if (!m) return errs;
  for (const [k, v] of Object.entries(m)) {
    for (const msg of validateQualifiedName(k)) errs.push(field.invalid(fieldPath, k, msg));
    for (const msg of validateLabelValue(v)) errs.push(field.invalid(fieldPath, v, msg));
  }
  return errs;
}

/** metadata.annotations: keys are qualified names (case-insensitive); keys and values total at most 256 KiB. */
export function validateAnnotations(annotations: unknown, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  const m = stringMap(annotations, fieldPath, errs);
  if (!m) return errs;
  let total = 0;
  for (const [k, v] of Object.entries(m)) {
    for (const msg of validateQualifiedName(k.toLowerCase())) errs.push(field.invalid(fieldPath, k, msg));
    total += byteLength(k) + byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(field.tooLong(fieldPath, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

/** Kinds that may never own another object. */
const BANNED_OWNERS = new Set(['/v1, Kind=Event']);

export function validateOwnerReferences(refs: unknown, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (refs === undefined || refs === null) return errs;
  if (!Array.isArray(refs)) return [field.typeInvalid(fieldPath, refs, 'must be a list of owner references')];
  let firstController = '';
  refs.forEach((r, i) => {
    if (!isRecord(r)) {
      errs.push(field.typeInvalid(`${fieldPath}[${i}]`, r, 'must be an object'));
      return;
    }
    const s = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : '');
    const apiVersion = s('apiVersion');
    const kind = s('kind');
    const slash = apiVersion.indexOf('/');
    const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
    const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
    if (!version) errs.push(field.invalid(`${fieldPath}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!kind) errs.push(field.invalid(`${fieldPath}.kind`, kind, 'kind must not be empty'));
    if (!s('name')) errs.push(field.invalid(`${fieldPath}.name`, s('name'), 'name must not be empty'));
    if (!s('uid')) errs.push(field.invalid(`${fieldPath}.uid`, s('uid'), 'uid must not be empty'));
    const gvk = `${group}/${version}, Kind=${kind}`;
    if (BANNED_OWNERS.has(gvk)) errs.push(field.invalid(fieldPath, r, `${gvk} is disallowed from being an owner`));
    if (r.controller === true) {
      const cur = `${kind}/${s('name')}`;
      if (firstController) {
        errs.push(field.invalid(fieldPath, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`));
      } else {
        firstController = cur;
      }
    }
  });
  return errs;
}

export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

export function validateFinalizers(finalizers: unknown, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (finalizers === undefined || finalizers === null) return errs;
  if (!Array.isArray(finalizers)) return [field.typeInvalid(fieldPath, finalizers, 'must be a list of strings')];
  let orphan = false;
  let foreground = false;
  finalizers.forEach((f, i) => {
    if (typeof f !== 'string') {
      errs.push(field.typeInvalid(`${fieldPath}[${i}]`, f, 'must be a string'));
      return;
    }
    for (const msg of validateQualifiedName(f)) errs.push(field.invalid(fieldPath, f, msg));
    if (f === FINALIZER_ORPHAN_DEPENDENTS) orphan = true;
    if (f === FINALIZER_DELETE_DEPENDENTS) foreground = true;
  });
  if (orphan && foreground) {
    errs.push(field.invalid(fieldPath, finalizers, `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`));
  }
  return errs;
}

const FIELD_MANAGER_MAX_LENGTH = 128;
const MAX_SUBRESOURCE_NAME_LENGTH = 256;

export function validateManagedFields(entries: unknown, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (entries === undefined || entries === null) return errs;
  if (!Array.isArray(entries)) return [field.typeInvalid(fieldPath, entries, 'must be a list of managed fields entries')];
  entries.forEach((e, i) => {
    const p = `${fieldPath}[${i}]`;
    if (!isRecord(e)) {
      errs.push(field.typeInvalid(p, e, 'must be an object'));
      return;
    }
    const op = typeof e.operation === 'string' ? e.operation : '';
    if (op !== 'Apply' && op !== 'Update') errs.push(field.invalid(`${p}.operation`, op, 'must be `Apply` or `Update`'));
    if (typeof e.fieldsType === 'string' && e.fieldsType && e.fieldsType !== 'FieldsV1') {
      errs.push(field.invalid(`${p}.fieldsType`, e.fieldsType, 'must be `FieldsV1`'));
    }
    const manager = typeof e.manager === 'string' ? e.manager : '';
    if (byteLength(manager) > FIELD_MANAGER_MAX_LENGTH) errs.push(field.tooLong(`${p}.manager`, FIELD_MANAGER_MAX_LENGTH));
    if (typeof e.subresource === 'string' && byteLength(e.subresource) > MAX_SUBRESOURCE_NAME_LENGTH) {
      errs.push(field.tooLong(`${p}.subresource`, MAX_SUBRESOURCE_NAME_LENGTH));
    }
  });
  return errs;
}

export interface ObjectMetaValidationOptions {
  namespaced: boolean;
  /** Validates metadata.name; default: DNS-1123 subdomain. generateName is checked with it too. */
  nameValidator?: NameValidator;
}

/**
 * metadata on create, after generateName has been turned into a name: what kube-apiserver's
 * ValidateObjectMeta checks, with the same field paths and messages.
 */
export function validateObjectMeta(meta: unknown, opts: ObjectMetaValidationOptions, fieldPath = 'metadata'): FieldError[] {
  if (meta === undefined || meta === null) return [field.required(`${fieldPath}.name`, 'name or generateName is required')];
  if (!isRecord(meta)) return [field.typeInvalid(fieldPath, meta, 'must be an object')];
  const errs: FieldError[] = [];
  const nameOk = opts.nameValidator ?? validateDNS1123Subdomain;
  const str = (k: string): string | undefined => {
    const v = meta[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      errs.push(field.typeInvalid(`${fieldPath}.${k}`, v, 'must be a string'));
      return undefined;
    }
    return v;
  };
  const generateName = str('generateName');
  const name = str('name');
  const namespace = str('namespace');
  if (generateName) {
    for (const msg of nameOk(maskTrailingDash(generateName))) errs.push(field.invalid(`${fieldPath}.generateName`, generateName, msg));
  }
  if (!name) errs.push(field.required(`${fieldPath}.name`, 'name or generateName is required'));
  else for (const msg of nameOk(name)) errs.push(field.invalid(`${fieldPath}.name`, name, msg));
  if (opts.namespaced) {
    if (!namespace) errs.push(field.required(`${fieldPath}.namespace`));
    else for (const msg of validateDNS1123Label(namespace)) errs.push(field.invalid(`${fieldPath}.namespace`, namespace, msg));
  } else if (namespace) {
    errs.push(field.forbidden(`${fieldPath}.namespace`, 'not allowed on this type'));
  }
  const gen = meta.generation;
  if (typeof gen === 'number' && gen < 0) errs.push(field.invalid(`${fieldPath}.generation`, gen, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(meta.labels, `${fieldPath}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${fieldPath}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${fieldPath}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${fieldPath}.finalizers`));
  errs.push(...validateManagedFields(meta.managedFields, `${fieldPath}.managedFields`));
  return errs;
}

const FIELD_IMMUTABLE = 'field is immutable';

/** metadata on update: immutable identity fields, no new finalizers while deleting, and the create checks that still apply. */
export function validateObjectMetaUpdate(meta: unknown, old: unknown, fieldPath = 'metadata'): FieldError[] {
  if (!isRecord(meta)) return [field.typeInvalid(fieldPath, meta, 'must be an object')];
  const o = isRecord(old) ? old : {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const before = new Set(Array.isArray(o.finalizers) ? o.finalizers : []);
    const extra = [...new Set(Array.isArray(meta.finalizers) ? meta.finalizers : [])].filter((f) => !before.has(f)).sort();
    if (extra.length) {
      errs.push(field.forbidden(`${fieldPath}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`));
    }
  }
  if (!meta.resourceVersion) errs.push(field.invalid(`${fieldPath}.resourceVersion`, meta.resourceVersion ?? '', 'must be specified for an update'));
  if (typeof meta.generation === 'number' && typeof o.generation === 'number' && meta.generation < o.generation) {
    errs.push(field.invalid(`${fieldPath}.generation`, meta.generation, 'must not be decremented'));
  }
  for (const k of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
    const a = meta[k] ?? (k === 'deletionGracePeriodSeconds' || k === 'deletionTimestamp' ? null : '');
    const b = o[k] ?? (k === 'deletionGracePeriodSeconds' || k === 'deletionTimestamp' ? null : '');
    if (JSON.stringify(a) !== JSON.stringify(b)) errs.push(field.invalid(`${fieldPath}.${k}`, a, FIELD_IMMUTABLE));
  }
  errs.push(...validateLabels(meta.labels, `${fieldPath}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${fieldPath}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${fieldPath}.ownerReferences`));
  errs.push(...validateManagedFields(meta.managedFields, `${fieldPath}.managedFields`));
  return errs;
}
