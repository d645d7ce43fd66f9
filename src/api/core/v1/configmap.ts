// core/v1 ConfigMap: the pattern every resource file follows (schema, defaults, validation, printer).
import { bool, mapOf, strMap, bytes } from '../../../machinery/schema.js';
import type { ResourceDef } from '../../resource.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { age } from '../../printers.js';
import { kindObj } from './common.js';
import { configKeyErrors, semanticEqual } from './validation.js';

const CM = 'io.k8s.api.core.v1.ConfigMap';

export const definitions = {
  [CM]: kindObj('', 'ConfigMap', {
    data: strMap('Configuration data; keys are file-name-like.'),
    binaryData: mapOf(bytes(), 'Binary configuration data, base64 encoded on the wire.'),
    immutable: bool('If true, data cannot be changed after creation.'),
  }, 'Non-confidential configuration as key/value pairs.'),
};

/** Kubernetes caps a ConfigMap's data as it caps a Secret's. */
const MAX_SIZE = 1024 * 1024;
const mapOfStrings = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {});

export const configMaps: ResourceDef = {
  group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap',
  namespaced: true, shortNames: ['cm'], schemaName: CM,
  validate(cm, { old }) {
    const errs: FieldError[] = [];
    const data = mapOfStrings(cm.data);
    const bin = mapOfStrings(cm.binaryData);
    let size = 0;
    for (const [k, v] of Object.entries(data)) {
      for (const m of configKeyErrors(k)) errs.push(field.invalid(`data[${k}]`, k, m));
      if (k in bin) errs.push(field.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
      size += Buffer.byteLength(String(v));
    }
    for (const [k, v] of Object.entries(bin)) {
      for (const m of configKeyErrors(k)) errs.push(field.invalid(`binaryData[${k}]`, k, m));
      size += typeof v === 'string' ? Buffer.from(v, 'base64').length : 0;
    }
    if (size > MAX_SIZE) errs.push(field.tooLong('', MAX_SIZE));
    if (old?.immutable === true) {
      if (cm.immutable !== true) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
      if (!semanticEqual(old.data ?? {}, cm.data ?? {})) errs.push(field.forbidden('data', 'field is immutable when `immutable` is set'));
      if (!semanticEqual(old.binaryData ?? {}, cm.binaryData ?? {})) errs.push(field.forbidden('binaryData', 'field is immutable when `immutable` is set'));
    }
    return errs;
  },
  columns: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name of the object', priority: 0 },
    { name: 'Data', type: 'integer', description: 'Number of keys in data and binaryData', priority: 0 },
    { name: 'Age', type: 'string', description: 'Time since creation', priority: 0 },
  ],
  row: (cm, now) => [
    cm.metadata.name,
    Object.keys(mapOfStrings(cm.data)).length + Object.keys(mapOfStrings(cm.binaryData)).length,
    age(cm.metadata.creationTimestamp, now),
  ],
};
