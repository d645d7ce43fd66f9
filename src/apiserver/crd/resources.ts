// A CustomResourceDefinition becomes ResourceDefs, one per served version, so the generic
// registry serves custom resources exactly as it serves built-ins.
import type { Column, KObject, ResourceDef } from '../../api/resource.js';
import { META } from '../../api/index.js';
import { age } from '../../api/printers.js';
import { evalJsonPath } from '../../machinery/jsonpath.js';
import type { Definitions, Schema } from '../../machinery/schema.js';
import { applySchemaDefaults, validateAgainstSchema } from './schema-validation.js';

export interface CRDVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: Schema };
  subresources?: { status?: object; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  additionalPrinterColumns?: Array<{ name: string; type: string; format?: string; description?: string; priority?: number; jsonPath: string }>;
}

export interface CRD extends KObject {
  spec: {
    group: string;
    names: { kind: string; plural: string; singular?: string; shortNames?: string[]; categories?: string[]; listKind?: string };
    scope: 'Namespaced' | 'Cluster';
    versions: CRDVersion[];
  };
}

/** OpenAPI definition name of a custom kind, as Kubernetes names it: reversed group, version, kind. */
export function crdSchemaName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

/** The version's schema with the fields every object has. */
function objectSchema(v: CRDVersion, crd: CRD): Schema {
  const base: Schema = structuredClone(v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  base.type ??= 'object';
  base.properties = {
    apiVersion: { type: 'string', description: 'The versioned schema of this representation of an object.' },
    kind: { type: 'string', description: 'The REST resource this object represents.' },
    metadata: { $ref: `#/definitions/${META.ObjectMeta}`, description: 'Standard object metadata.' },
    ...(base.properties ?? {}),
  };
  base['x-kubernetes-group-version-kind'] = [{ group: crd.spec.group, version: v.name, kind: crd.spec.names.kind }];
  return base;
}

function columnType(t: string): Column['type'] {
  return t === 'integer' || t === 'number' || t === 'boolean' || t === 'date' ? t : 'string';
}

function cell(obj: KObject, path: string, type: string, now: number): unknown {
  let values: unknown[];
  try {
    values = evalJsonPath(obj, path);
  } catch {
    return '<none>';
  }
  if (!values.length || values[0] === undefined || values[0] === null) return '<none>';
  const v = values.length === 1 ? values[0] : values;
  if (type === 'date' && typeof v === 'string') return age(v, now);
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

export function crdResources(crd: CRD, defs: Definitions): { resources: ResourceDef[]; schemas: Record<string, Schema> } {
  const { group, names, scope } = crd.spec;
  const resources: ResourceDef[] = [];
  const schemas: Record<string, Schema> = {};
  for (const v of crd.spec.versions ?? []) {
    if (!v.served) continue;
    const schemaName = crdSchemaName(group, v.name, names.kind);
    const schema = objectSchema(v, crd);
    schemas[schemaName] = schema;
    const printer = v.additionalPrinterColumns ?? [];
    const columns: Column[] = [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      ...printer.map((c) => ({ name: c.name, type: columnType(c.type), format: c.format, description: c.description ?? '', priority: c.priority ?? 0 })),
    ];
    if (!printer.length) columns.push({ name: 'Age', type: 'date', description: 'Time since creation.', priority: 0 });
    const def: ResourceDef = {
      group, version: v.name, kind: names.kind, plural: names.plural, singular: names.singular || names.kind.toLowerCase(),
      namespaced: scope !== 'Cluster', shortNames: names.shortNames, categories: names.categories,
      schemaName, custom: true, tracksGeneration: true,
      subresources: { status: v.subresources?.status ? true : undefined, scale: v.subresources?.scale },
      columns,
      row: (obj, now) => [obj.metadata.name, ...(printer.length ? printer.map((c) => cell(obj, c.jsonPath, c.type, now)) : [age(obj.metadata.creationTimestamp, now)])],
      defaults: (obj) => applySchemaDefaults(obj, schema, defs),
      validate: (obj) => {
        const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = obj;
        const props = { ...schema, properties: { ...schema.properties } };
        delete props.properties!.metadata;
        delete props.properties!.apiVersion;
        delete props.properties!.kind;
        return validateAgainstSchema(rest, props, defs);
      },
    };
    resources.push(def);
  }
  return { resources, schemas };
}
