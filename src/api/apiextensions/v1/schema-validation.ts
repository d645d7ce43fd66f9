// Checks of a CRD version's openAPIV3Schema: first the parts of JSON Schema Kubernetes does not
// support ($ref, uniqueItems, ...), then, when those pass, the structural-schema rules that make
// pruning, defaulting and server-side apply possible (every field typed, object at the root,
// metadata limited to name and generateName, value validations free of structure).
import { field, type FieldError } from '../../../machinery/status.js';

type S = Record<string, any>;
const isObj = (v: unknown): v is S => typeof v === 'object' && v !== null && !Array.isArray(v);
const key = (path: string, k: string) => `${path}[${k}]`;

/** The unsupported-feature checks (apiextensions' OpenAPI schema validation). */
export function validateOpenAPISchema(s: unknown, path: string): FieldError[] {
  if (!isObj(s)) return [];
  const errs: FieldError[] = [];
  if (typeof s.$ref === 'string' && s.$ref.length > 0) errs.push(field.forbidden(`${path}.$ref`, '$ref is not supported'));
  if (s.uniqueItems === true) errs.push(field.forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties !== undefined && s.properties !== undefined) {
    errs.push(field.forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  } else if (s.additionalProperties === false) {
    errs.push(field.forbidden(`${path}.additionalProperties`, 'additionalProperties cannot be set to false'));
  }
  if (Array.isArray(s.items)) errs.push(field.forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(field.invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  const listType = s['x-kubernetes-list-type'];
  const mapKeys = s['x-kubernetes-list-map-keys'];
  if (listType !== undefined) {
    if (!['atomic', 'set', 'map'].includes(listType)) errs.push(field.notSupported(`${path}.x-kubernetes-list-type`, listType, ['atomic', 'set', 'map']));
    else if (s.type !== 'array') errs.push(field.invalid(`${path}.type`, s.type ?? '', 'must be array if x-kubernetes-list-type is specified'));
    if (listType === 'map' && (!Array.isArray(mapKeys) || mapKeys.length === 0)) {
      errs.push(field.required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    }
  }
  if (Array.isArray(mapKeys) && mapKeys.length > 0 && listType !== 'map') {
    errs.push(field.forbidden(`${path}.x-kubernetes-list-map-keys`, 'must be empty if x-kubernetes-list-type is not map'));
  }
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && mapType !== 'granular' && mapType !== 'atomic') {
    errs.push(field.notSupported(`${path}.x-kubernetes-map-type`, mapType, ['granular', 'atomic']));
  }
  (Array.isArray(s['x-kubernetes-validations']) ? s['x-kubernetes-validations'] : []).forEach((r: unknown, i: number) => {
    if (!isObj(r) || !r.rule) errs.push(field.required(`${path}.x-kubernetes-validations[${i}].rule`));
  });
  for (const k of ['properties', 'patternProperties', 'definitions']) {
    if (isObj(s[k])) for (const [name, sub] of Object.entries(s[k])) errs.push(...validateOpenAPISchema(sub, key(`${path}.${k}`, name)));
  }
  if (isObj(s.items)) errs.push(...validateOpenAPISchema(s.items, `${path}.items`));
  if (isObj(s.additionalProperties)) errs.push(...validateOpenAPISchema(s.additionalProperties, `${path}.additionalProperties`));
  if (isObj(s.not)) errs.push(...validateOpenAPISchema(s.not, `${path}.not`));
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(s[k])) s[k].forEach((sub: unknown, i: number) => errs.push(...validateOpenAPISchema(sub, `${path}.${k}[${i}]`)));
  }
  return errs;
}

type Level = 'root' | 'item' | 'field';

const isIntOrStringAnyOf = (anyOf: unknown): boolean =>
  Array.isArray(anyOf) && anyOf.length === 2 &&
  isObj(anyOf[0]) && Object.keys(anyOf[0]).length === 1 && anyOf[0].type === 'integer' &&
  isObj(anyOf[1]) && Object.keys(anyOf[1]).length === 1 && anyOf[1].type === 'string';

function validateValueValidation(s: S, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf && Array.isArray(s.anyOf)) s.anyOf.forEach((v: unknown, i: number) => errs.push(...validateNested(v, false, `${path}.anyOf[${i}]`)));
  if (Array.isArray(s.allOf)) s.allOf.forEach((v: unknown, i: number) => errs.push(...validateNested(v, skipFirstAllOfAnyOf && i === 0, `${path}.allOf[${i}]`)));
  if (Array.isArray(s.oneOf)) s.oneOf.forEach((v: unknown, i: number) => errs.push(...validateNested(v, false, `${path}.oneOf[${i}]`)));
  if (s.not !== undefined) errs.push(...validateNested(s.not, false, `${path}.not`));
  if (typeof s.pattern === 'string' && s.pattern.length > 0) {
    try {
      new RegExp(s.pattern, 'u');
    } catch (e) {
      errs.push(field.invalid(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${(e as Error).message}`));
    }
  }
  return errs;
}

/** Schemas under allOf/anyOf/oneOf/not may only validate values, never declare structure. */
function validateNested(v: unknown, skipAnyOf: boolean, path: string): FieldError[] {
  if (!isObj(v)) return [];
  const errs = validateValueValidation(v, skipAnyOf, false, path);
  if (v.items !== undefined) errs.push(...validateNested(v.items, false, `${path}.items`));
  if (isObj(v.properties)) for (const [k, p] of Object.entries(v.properties)) errs.push(...validateNested(p, false, key(`${path}.properties`, k)));
  if (v.type) errs.push(field.forbidden(`${path}.type`, 'must be empty to be structural'));
  if (v.additionalProperties !== undefined) errs.push(field.forbidden(`${path}.additionalProperties`, 'must be undefined to be structural'));
  if (v.default !== undefined) errs.push(field.forbidden(`${path}.default`, 'must be undefined to be structural'));
  if (v.title) errs.push(field.forbidden(`${path}.title`, 'must be empty to be structural'));
  if (v.description) errs.push(field.forbidden(`${path}.description`, 'must be empty to be structural'));
  if (v.nullable === true) errs.push(field.forbidden(`${path}.nullable`, 'must be false to be structural'));
  if (v['x-kubernetes-preserve-unknown-fields'] === true) errs.push(field.forbidden(`${path}.x-kubernetes-preserve-unknown-fields`, 'must be false to be structural'));
  if (v['x-kubernetes-embedded-resource'] === true) errs.push(field.forbidden(`${path}.x-kubernetes-embedded-resource`, 'must be false to be structural'));
  if (v['x-kubernetes-int-or-string'] === true) errs.push(field.forbidden(`${path}.x-kubernetes-int-or-string`, 'must be false to be structural'));
  if (Array.isArray(v['x-kubernetes-list-map-keys']) && v['x-kubernetes-list-map-keys'].length > 0) errs.push(field.forbidden(`${path}.x-kubernetes-list-map-keys`, 'must be empty to be structural'));
  if (v['x-kubernetes-list-type'] !== undefined) errs.push(field.forbidden(`${path}.x-kubernetes-list-type`, 'must be undefined to be structural'));
  if (isObj(v.properties) && 'metadata' in v.properties) errs.push(field.forbidden(key(`${path}.properties`, 'metadata'), 'must not be specified in a nested context'));
  return errs;
}

function validateInvariants(s: unknown, lvl: Level, path: string): FieldError[] {
  if (!isObj(s)) return [];
  const errs: FieldError[] = [];
  if (s.type === 'array' && s.items === undefined) errs.push(field.required(`${path}.items`, 'must be specified'));
  errs.push(...validateInvariants(s.items, 'item', `${path}.items`));
  if (isObj(s.properties)) for (const [k, p] of Object.entries(s.properties)) errs.push(...validateInvariants(p, 'field', key(`${path}.properties`, k)));
  if (s.additionalProperties !== undefined && s.additionalProperties !== null) {
    if (lvl === 'root') errs.push(field.forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    if (isObj(s.additionalProperties)) errs.push(...validateInvariants(s.additionalProperties, 'field', `${path}.additionalProperties`));
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) errs.push(field.invalid(`${path}.x-kubernetes-preserve-unknown-fields`, true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) errs.push(field.invalid(`${path}.x-kubernetes-embedded-resource`, true, 'must be false if x-kubernetes-int-or-string is true'));
  const skipAnyOf = isIntOrStringAnyOf(s.anyOf);
  const skipFirstAllOfAnyOf = Array.isArray(s.allOf) && s.allOf.length >= 1 && isObj(s.allOf[0]) && isIntOrStringAnyOf(s.allOf[0].anyOf);
  errs.push(...validateValueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, path));
  const checkMetadata = lvl === 'root' || embedded;
  const type = typeof s.type === 'string' ? s.type : '';
  if (embedded && type !== 'object') {
    if (!type) errs.push(field.required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(field.invalid(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!type && !intOrString && !preserve) {
    const why = lvl === 'root' ? 'must not be empty at the root' : lvl === 'item' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields';
    errs.push(field.required(`${path}.type`, why));
  }
  if (embedded && s.additionalProperties !== undefined) errs.push(field.forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'));
  if (lvl === 'root' && type && type !== 'object') errs.push(field.invalid(`${path}.type`, type, 'must be object at the root'));
  const props = isObj(s.properties) ? s.properties : {};
  if (checkMetadata) {
    for (const [k, want] of [['kind', 'string'], ['apiVersion', 'string'], ['metadata', 'object']] as const) {
      if (k in props && o(props[k]).type !== want) errs.push(field.invalid(`${key(`${path}.properties`, k)}.type`, o(props[k]).type ?? '', `must be ${want}`));
    }
  }
  if (lvl === 'root' && isObj(props.metadata) && !metadataOnlyNames(props.metadata)) {
    errs.push(field.forbidden(key(`${path}.properties`, 'metadata'), 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
  if (embedded && !preserve && Object.keys(props).length === 0) {
    errs.push(field.required(`${path}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  return errs;
}

const o = (v: unknown): S => (isObj(v) ? v : {});

/** The root metadata schema may be `type: object` with at most name and generateName restricted. */
function metadataOnlyNames(m: S): boolean {
  const rest = Object.keys(m).filter((k) => k !== 'type' && k !== 'properties' && k !== 'default');
  if (rest.length > 0) return false;
  const props = isObj(m.properties) ? Object.keys(m.properties) : [];
  return props.every((p) => p === 'name' || p === 'generateName');
}

/** The structural-schema rules, errors sorted as Kubernetes sorts them. */
export function validateStructural(s: unknown, path: string): FieldError[] {
  const errs = validateInvariants(s, 'root', path);
  const text = (e: FieldError) => `${e.field}: ${e.message}`;
  return errs.sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}
