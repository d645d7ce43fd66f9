// One schema language for every type, built-in or custom: OpenAPI v3 structural schemas with
// Kubernetes' extensions. The same schema drives the OpenAPI documents (kubectl explain and
// client-side validation), strategic merge patch (patch strategy and merge keys), server-side
// apply (list types and map keys), strict field validation, and CRD pruning.

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  /** A map with values of this schema (`true`: any value). */
  additionalProperties?: Schema | boolean;
  items?: Schema;
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  /** A reference to a named definition (`#/components/schemas/<name>` in OpenAPI v3). */
  $ref?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
  // CRDs may use these; validation honours them where the apiserver validates CRs.
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  not?: Schema;
}

/** Named definitions, keyed as Kubernetes keys them: `io.k8s.api.core.v1.Pod`. */
export type Definitions = Map<string, Schema>;

/** The definition name a `$ref` points to. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** Follows `$ref`s (and a lone allOf wrapper) until a concrete schema. */
export function resolveSchema(s: Schema | undefined, defs: Definitions): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && i < 32; i++) {
    if (cur.$ref) cur = defs.get(refName(cur.$ref));
    else if (cur.allOf?.length === 1 && !cur.type && !cur.properties) cur = cur.allOf[0];
    else return cur;
  }
  return cur;
}

// ---- builders: short declarations for the built-in types ------------------------------------

type Opts = Partial<Schema>;
const d = (description: string | Opts | undefined): Opts =>
  typeof description === 'string' ? { description } : (description ?? {});

export const str = (o?: string | Opts): Schema => ({ type: 'string', ...d(o) });
export const int32 = (o?: string | Opts): Schema => ({ type: 'integer', format: 'int32', ...d(o) });
export const int64 = (o?: string | Opts): Schema => ({ type: 'integer', format: 'int64', ...d(o) });
export const num = (o?: string | Opts): Schema => ({ type: 'number', format: 'double', ...d(o) });
export const bool = (o?: string | Opts): Schema => ({ type: 'boolean', ...d(o) });
export const bytes = (o?: string | Opts): Schema => ({ type: 'string', format: 'byte', ...d(o) });
export const time = (o?: string | Opts): Schema => ({ type: 'string', format: 'date-time', ...d(o) });
export const intOrString = (o?: string | Opts): Schema => ({ 'x-kubernetes-int-or-string': true, format: 'int-or-string', ...d(o) });
/** A resource quantity ("100m", "1Gi"), which is a string or a number on the wire. */
export const quantity = (o?: string | Opts): Schema => ({ 'x-kubernetes-int-or-string': true, format: 'quantity', ...d(o) });
export const any = (o?: string | Opts): Schema => ({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...d(o) });
export const ref = (name: string, o?: string | Opts): Schema => ({ $ref: `#/definitions/${name}`, ...d(o) });
export const obj = (properties: Record<string, Schema>, o?: string | Opts): Schema => ({ type: 'object', properties, ...d(o) });
export const mapOf = (values: Schema, o?: string | Opts): Schema => ({ type: 'object', additionalProperties: values, ...d(o) });
export const strMap = (o?: string | Opts): Schema => mapOf(str(), o);
export const enumOf = (values: string[], o?: string | Opts): Schema => ({ type: 'string', enum: values, ...d(o) });

/** An atomic list: replaced whole by patches and apply. */
export const list = (items: Schema, o?: string | Opts): Schema => ({ type: 'array', items, 'x-kubernetes-list-type': 'atomic', ...d(o) });
/** A list of scalars merged as a set. */
export const set = (items: Schema, o?: string | Opts): Schema => ({
  type: 'array', items, 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge', ...d(o),
});
/**
 * A list of objects merged by key: strategic merge patch merges on `keys[0]`, server-side apply on
 * all keys (e.g. containers by name, ports by containerPort+protocol).
 */
export const mapList = (items: Schema, keys: string[], o?: string | Opts): Schema => ({
  type: 'array', items, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys,
  'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': keys[0], ...d(o),
});
