// core/v1 ConfigMap: the pattern every resource file follows (schema, defaults, validation, printer).
import { bool, mapOf, strMap, bytes } from '../../../machinery/schema.js';
import type { ResourceDef } from '../../resource.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { age } from '../../printers.js';
import { kindObj } from './common.js';

const CM = 'io.k8s.api.core.v1.ConfigMap';

export const definitions = {
  [CM]: kindObj('', 'ConfigMap', {
    data: strMap('Configuration data; keys are file-name-like.'),
    binaryData: mapOf(bytes(), 'Binary configuration data, base64 encoded on the wire.'),
    immutable: bool('If true, data cannot be changed after creation.'),
  }, 'Non-confidential configuration as key/value pairs.'),
};

const KEY = /^[-._a-zA-Z0-9]+$/;

export const configMaps: ResourceDef = {
  group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap',
  namespaced: true, shortNames: ['cm'], schemaName: CM,
  validate(cm, { old }) {
    const errs: FieldError[] = [];
    const data = (cm.data ?? {}) as Record<string, string>;
    const bin = (cm.binaryData ?? {}) as Record<string, string>;
    for (const k of [...Object.keys(data), ...Object.keys(bin)]) {
      if (!KEY.test(k) || k.length > 253) {
        errs.push(field.invalid(`${k in data ? 'data' : 'binaryData'}[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
      }
      if (k in data && k in bin) errs.push(field.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    }
    if (old?.immutable === true) {
      if (JSON.stringify(old.data ?? {}) !== JSON.stringify(cm.data ?? {}) || JSON.stringify(old.binaryData ?? {}) !== JSON.stringify(cm.binaryData ?? {})) {
        errs.push(field.forbidden('data', 'field is immutable when `immutable` is set'));
      }
      if (cm.immutable !== true) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
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
    Object.keys((cm.data as object) ?? {}).length + Object.keys((cm.binaryData as object) ?? {}).length,
    age(cm.metadata.creationTimestamp, now),
  ],
};
