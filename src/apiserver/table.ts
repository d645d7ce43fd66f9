// Server-side printing: `kubectl get` asks for meta.k8s.io/v1 Tables and prints the rows as given.
import type { Column, KObject, ResourceDef } from '../api/resource.js';
import { age } from '../api/printers.js';

const DEFAULT_COLUMNS: Column[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  { name: 'Age', type: 'date', description: 'Time since the object was created.', priority: 0 },
];

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function partialMetadata(obj: KObject) {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function tableRows(def: ResourceDef, objs: KObject[], include: IncludeObject) {
  const now = Date.now();
  return objs.map((obj) => {
    const cells = def.row ? def.row(obj, now) : [obj.metadata.name, age(obj.metadata.creationTimestamp, now)];
    const row: Record<string, unknown> = { cells };
    if (include === 'Object') row.object = obj;
    else if (include === 'Metadata') row.object = partialMetadata(obj);
    return row;
  });
}

export function toTable(def: ResourceDef, objs: KObject[], include: IncludeObject, listMeta: Record<string, unknown> = {}) {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: def.columns ?? DEFAULT_COLUMNS,
    rows: tableRows(def, objs, include),
  };
}

export function parseIncludeObject(v: string | null): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}
