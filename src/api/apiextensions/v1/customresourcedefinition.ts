// apiextensions.k8s.io/v1 CustomResourceDefinition: defaults, validation and printing of the CRD
// object itself. Serving the custom resources it defines is the API server's job.
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1035Label, validateDNS1123Subdomain, validateDNS1123Label } from '../../../machinery/names.js';
import type { KObject, ResourceDef } from '../../resource.js';
import { arr, createdAt, createdAtColumn, immutable, invalidRaw, isObj, nameColumn, o, type Obj } from '../../apps/v1/common.js';
import { CRD } from './definitions.js';
import { validateOpenAPISchema, validateStructural } from './schema-validation.js';

export function defaultCRD(crd: KObject): void {
  const spec = (crd.spec ??= {}) as Obj;
  const names = (spec.names ??= {}) as Obj;
  if (!names.singular && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  if (!isObj(spec.conversion)) spec.conversion = { strategy: 'None' };
  const service = o(o(o(spec.conversion).webhook).clientConfig).service;
  if (isObj(service) && service.port == null) service.port = 443;
}

/** The version objects are stored in: the one marked storage. */
export function storageVersion(crd: KObject): string | undefined {
  return arr(o(crd.spec).versions).map(o).find((v) => v.storage === true)?.name;
}

function validateNames(names: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const dns1035 = (v: unknown, p: string, prefix = '') => {
    if (typeof v !== 'string' || v.length === 0) return;
    const msgs = validateDNS1035Label(prefix ? v.toLowerCase() : v);
    if (msgs.length) errs.push(field.invalid(p, v, `${prefix}${msgs.join(',')}`));
  };
  dns1035(names.plural, `${path}.plural`);
  dns1035(names.singular, `${path}.singular`);
  dns1035(names.kind, `${path}.kind`, 'may have mixed case, but should otherwise match: ');
  dns1035(names.listKind, `${path}.listKind`, 'may have mixed case, but should otherwise match: ');
  arr(names.shortNames).forEach((s, i) => {
    const msgs = validateDNS1035Label(String(s));
    if (msgs.length) errs.push(field.invalid(`${path}.shortNames[${i}]`, s, msgs.join(',')));
  });
  if (names.kind && names.kind === names.listKind) errs.push(field.invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  arr(names.categories).forEach((c, i) => {
    const msgs = validateDNS1035Label(String(c));
    if (msgs.length) errs.push(field.invalid(`${path}.categories[${i}]`, c, msgs.join(',')));
  });
  return errs;
}

/** A simple JSON path (.spec.replicas, .metadata.labels['x']): what columns and scale paths accept. */
function validateSimpleJSONPath(p: string, path: string): FieldError[] {
  if (!p.startsWith('.')) return [field.invalid(path, p, 'must be a simple json path starting with .')];
  if (!/^(\.[A-Za-z0-9_\-$]+|\[(\d+|'[^']*'|"[^"]*")\])+$/.test(p)) return [field.invalid(path, p, 'is an invalid JSONPath expression')];
  return [];
}

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'name', 'password'];

function validateVersion(v: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (v.deprecationWarning != null) {
    if (v.deprecated !== true) errs.push(field.invalid(`${path}.deprecationWarning`, v.deprecationWarning, 'can only be set for deprecated versions'));
    else if (String(v.deprecationWarning).length > 256) errs.push(field.tooLong(`${path}.deprecationWarning`, 256));
  }
  const schema = o(v.schema).openAPIV3Schema;
  const sp = `${path}.schema.openAPIV3Schema`;
  if (!isObj(schema)) errs.push(field.required(sp, 'schemas are required'));
  else {
    const apiErrs = validateOpenAPISchema(schema, sp);
    errs.push(...(apiErrs.length ? apiErrs : validateStructural(schema, sp)));
  }
  const scale = o(v.subresources).scale;
  if (isObj(scale)) {
    const sub = `${path}.subresources`;
    const check = (value: unknown, p: string, prefixes: string[], msg: string) => {
      if (typeof value !== 'string' || value.length === 0) return;
      const e = validateSimpleJSONPath(value, p);
      if (e.length) errs.push(...e);
      else if (!prefixes.some((pre) => value.startsWith(pre))) errs.push(field.invalid(p, value, msg));
    };
    if (!scale.specReplicasPath) errs.push(field.required(`${sub}.scale.specReplicasPath`));
    else check(scale.specReplicasPath, `${sub}.scale.specReplicasPath`, ['.spec.'], 'should be a json path under .spec');
    if (!scale.statusReplicasPath) errs.push(field.required(`${sub}.scale.statusReplicasPath`));
    else check(scale.statusReplicasPath, `${sub}.scale.statusReplicasPath`, ['.status.'], 'should be a json path under .status');
    check(scale.labelSelectorPath, `${sub}.scale.labelSelectorPath`, ['.spec.', '.status.'], 'should be a json path under either .spec or .status');
  }
  arr(v.additionalPrinterColumns).forEach((c, i) => {
    const col = o(c);
    const p = `${path}.additionalPrinterColumns[${i}]`;
    if (!col.name) errs.push(field.required(`${p}.name`));
    if (!col.type) errs.push(field.required(`${p}.type`, `must be one of ${COLUMN_TYPES.join(',')}`));
    else if (!COLUMN_TYPES.includes(col.type)) errs.push(field.invalid(`${p}.type`, col.type, `must be one of ${COLUMN_TYPES.join(',')}`));
    if (col.format && !COLUMN_FORMATS.includes(col.format)) errs.push(field.invalid(`${p}.format`, col.format, `must be one of ${COLUMN_FORMATS.join(',')}`));
    if (!col.jsonPath) errs.push(field.required(`${p}.JSONPath`));
    else errs.push(...validateSimpleJSONPath(String(col.jsonPath), `${p}.JSONPath`));
  });
  arr(v.selectableFields).forEach((f, i) => {
    const jp = o(f).jsonPath;
    const p = `${path}.selectableFields[${i}].jsonPath`;
    if (!jp) errs.push(field.required(p));
    else errs.push(...validateSimpleJSONPath(String(jp), p));
  });
  return errs;
}

function validateConversion(conv: unknown, path: string): FieldError[] {
  if (!isObj(conv)) return [];
  const errs: FieldError[] = [];
  const strategy = typeof conv.strategy === 'string' ? conv.strategy : '';
  if (!strategy) errs.push(field.required(`${path}.strategy`));
  else if (strategy !== 'None' && strategy !== 'Webhook') errs.push(field.notSupported(`${path}.strategy`, strategy, ['None', 'Webhook']));
  const webhook = o(conv.webhook);
  const cc = webhook.clientConfig;
  const versions = arr(webhook.conversionReviewVersions);
  if (strategy === 'Webhook') {
    if (!isObj(cc)) errs.push(field.required(`${path}.webhookClientConfig`, 'required when strategy is set to Webhook'));
    else if ((cc.url == null) === (cc.service == null)) errs.push(field.required(`${path}.webhookClientConfig`, 'exactly one of url or service is required'));
    else if (cc.url != null) {
      let u: URL | undefined;
      try { u = new URL(String(cc.url)); } catch { /* reported below */ }
      if (!u) errs.push(field.invalid(`${path}.webhookClientConfig.url`, cc.url, 'must be a valid URL'));
      else if (u.protocol !== 'https:') errs.push(field.invalid(`${path}.webhookClientConfig.url`, cc.url, "'https' is the only allowed URL scheme"));
    } else {
      const svc = o(cc.service);
      const sp = `${path}.webhookClientConfig.service`;
      if (!svc.name) errs.push(field.required(`${sp}.name`, 'service name is required'));
      else for (const msg of validateDNS1035Label(String(svc.name))) errs.push(field.invalid(`${sp}.name`, svc.name, msg));
      if (!svc.namespace) errs.push(field.required(`${sp}.namespace`, 'service namespace is required'));
      else for (const msg of validateDNS1123Label(String(svc.namespace))) errs.push(field.invalid(`${sp}.namespace`, svc.namespace, msg));
      if (svc.port != null && !(Number.isInteger(svc.port) && svc.port >= 1 && svc.port <= 65535)) {
        errs.push(field.invalid(`${sp}.port`, svc.port, 'port is not valid: must be between 1 and 65535, inclusive'));
      }
    }
    const vp = `${path}.conversionReviewVersions`;
    if (versions.length === 0) errs.push(field.required(vp));
    const seen = new Set<string>();
    versions.forEach((v, i) => {
      if (seen.has(v)) errs.push(field.invalid(`${vp}[${i}]`, v, 'duplicate version'));
      seen.add(v);
    });
    if (versions.length > 0 && !versions.some((v) => v === 'v1' || v === 'v1beta1')) {
      errs.push(invalidRaw(vp, `[]string{${versions.map((v) => JSON.stringify(String(v))).join(', ')}}`, 'must include at least one of v1, v1beta1'));
    }
  } else {
    if (cc != null) errs.push(field.forbidden(`${path}.webhookClientConfig`, 'should not be set when strategy is not set to Webhook'));
    if (versions.length > 0) errs.push(field.forbidden(`${path}.conversionReviewVersions`, 'should not be set when strategy is not set to Webhook'));
  }
  return errs;
}

function validateSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const group = typeof spec.group === 'string' ? spec.group : '';
  if (!group) errs.push(field.required('spec.group'));
  else {
    const msgs = validateDNS1123Subdomain(group);
    if (msgs.length) errs.push(field.invalid('spec.group', group, msgs.join(',')));
    else if (group.split('.').length < 2) errs.push(field.invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(field.required('spec.scope'));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(field.notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  const versions = arr(spec.versions).map(o);
  let storage = 0;
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    if (v.storage === true) storage++;
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    const msgs = validateDNS1035Label(String(v.name ?? ''));
    if (msgs.length) errs.push(field.invalid(`spec.versions[${i}].name`, v.name ?? '', msgs.join(',')));
    errs.push(...validateVersion(v, `spec.versions[${i}]`));
  });
  const goVersions = '[]apiextensions.CustomResourceDefinitionVersion{...}';
  if (!unique) errs.push(invalidRaw('spec.versions', goVersions, 'must contain unique version names'));
  if (storage !== 1) errs.push(invalidRaw('spec.versions', goVersions, 'must have exactly one version marked as storage version'));
  const names = o(spec.names);
  for (const k of ['plural', 'singular', 'kind', 'listKind']) if (!names[k]) errs.push(field.required(`spec.names.${k}`));
  errs.push(...validateNames(names, 'spec.names'));
  if (spec.preserveUnknownFields === true) {
    errs.push(field.invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  }
  errs.push(...validateConversion(spec.conversion, 'spec.conversion'));
  return errs;
}

function validateStoredVersions(crd: KObject): FieldError[] {
  const stored = arr(o(crd.status).storedVersions).map(String);
  if (stored.length === 0) return [invalidRaw('status.storedVersions', '[]string(nil)', 'must have at least one stored version')];
  const names = new Set(arr(o(crd.spec).versions).map((v) => o(v).name));
  const errs: FieldError[] = [];
  stored.forEach((v, i) => {
    if (!names.has(v)) errs.push(field.invalid(`status.storedVersions[${i}]`, v, 'must appear in spec.versions'));
  });
  const sv = storageVersion(crd);
  if (sv && !stored.includes(sv)) errs.push(field.invalid('status.storedVersions', sv, `must have the storage version ${sv}`));
  return errs;
}

function isEstablished(crd: KObject): boolean {
  return arr(o(crd.status).conditions).some((c) => o(c).type === 'Established' && o(c).status === 'True');
}

export function validateCRD(crd: KObject, old?: KObject): FieldError[] {
  const spec = o(crd.spec);
  const errs: FieldError[] = [];
  const name = crd.metadata.name ?? '';
  const required = `${o(spec.names).plural ?? ''}.${spec.group ?? ''}`;
  if (name && name !== required) errs.push(field.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  errs.push(...validateSpec(spec));
  if (old) {
    const os = o(old.spec);
    if (isEstablished(old)) {
      errs.push(...immutable(spec.scope, os.scope, 'spec.scope'));
      errs.push(...immutable(o(spec.names).kind, o(os.names).kind, 'spec.names.kind'));
    }
    errs.push(...immutable(spec.group, os.group, 'spec.group'));
    errs.push(...immutable(o(spec.names).plural, o(os.names).plural, 'spec.names.plural'));
  }
  errs.push(...validateNames(o(o(crd.status).acceptedNames), 'status.acceptedNames'));
  errs.push(...validateStoredVersions(crd));
  return errs;
}

/** The storage version joins status.storedVersions when it is first used. */
function recordStorageVersion(crd: KObject): void {
  const status = (crd.status ??= {}) as Obj;
  const sv = storageVersion(crd);
  const stored: string[] = Array.isArray(status.storedVersions) ? status.storedVersions : [];
  if (sv && !stored.includes(sv)) stored.push(sv);
  status.storedVersions = stored;
}

export const customResourceDefinitions: ResourceDef = {
  group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition', namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'],
  schemaName: CRD,
  subresources: { status: true },
  defaults: defaultCRD,
  prepareForCreate(crd) {
    crd.status = { acceptedNames: { plural: '', kind: '' } };
    recordStorageVersion(crd);
  },
  // The generic registry keeps the stored status on spec updates; a new storage version joins it.
  prepareForUpdate(crd) {
    recordStorageVersion(crd);
  },
  validate: (crd, { old }) => validateCRD(crd, old),
  columns: [nameColumn, createdAtColumn],
  row: (crd) => [crd.metadata.name, createdAt(crd.metadata.creationTimestamp)],
};
