// core/v1 Secret: confidential data (passwords, tokens, keys), base64 encoded on the wire.
import { bool, bytes, mapOf, str, strMap, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import type { ResourceDef } from '../../resource.js';
import { age } from '../../printers.js';
import { col, core, kindObj, nameColumn, ageColumn } from './common.js';
import { configKeyErrors, IMMUTABLE, isObj, semanticEqual, type O } from './validation.js';

/** Kubernetes' limit on a secret's decoded data. */
export const MAX_SECRET_SIZE = 1024 * 1024;

export const definitions: Record<string, Schema> = {
  [core('Secret')]: kindObj('', 'Secret', {
    data: mapOf(bytes(), 'The secret data, each value base64 encoded; keys are file-name-like.'),
    stringData: strMap('Write-only convenience: plain-text values merged into data (winning over it) when written.'),
    type: str('Kind of secret, e.g. Opaque (default), kubernetes.io/tls, kubernetes.io/dockerconfigjson, kubernetes.io/service-account-token.'),
    immutable: bool('If true, data cannot be changed after creation.'),
  }, 'Holds a small amount of confidential data, such as a password, a token or a key.'),
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const decodedSize = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64').length : 0);

export function defaultSecret(s: O): void {
  if (!s.type) s.type = 'Opaque';
  // stringData is folded into data on every write and never stored, as Kubernetes' conversion does.
  if (isObj(s.stringData)) {
    const data: O = isObj(s.data) ? s.data : {};
    for (const [k, v] of Object.entries(s.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    s.data = data;
  }
  delete s.stringData;
}

function validateSecret(s: O): FieldError[] {
  const errs: FieldError[] = [];
  const data: O = isObj(s.data) ? s.data : {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of configKeyErrors(k)) errs.push(field.invalid(`data[${k}]`, k, m));
    const b64 = typeof v === 'string' ? v.replace(/[\r\n]/g, '') : undefined;
    if (b64 === undefined || b64.length % 4 !== 0 || !BASE64.test(b64)) {
      errs.push(field.invalid(`data[${k}]`, '<secret contents redacted>', 'must be base64 encoded'));
    }
    total += decodedSize(v);
  }
  if (total > MAX_SECRET_SIZE) errs.push(field.tooLong('data', MAX_SECRET_SIZE));
  const has = (k: string) => k in data;
  switch (s.type) {
    case 'kubernetes.io/service-account-token':
      if (!s.metadata?.annotations?.['kubernetes.io/service-account.name']) errs.push(field.required('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = s.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) { errs.push(field.required(`data[${key}]`)); break; }
      try {
        const parsed = JSON.parse(Buffer.from(String(data[key]), 'base64').toString('utf8'));
        if (!isObj(parsed)) throw new Error('not a JSON object');
      } catch (e) {
        errs.push(field.invalid(`data[${key}]`, '<secret contents redacted>', (e as Error).message));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) {
        errs.push(field.required('data[username]'));
        errs.push(field.required('data[password]'));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!decodedSize(data['ssh-privatekey'])) errs.push(field.required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(field.required('data[tls.crt]'));
      if (!has('tls.key')) errs.push(field.required('data[tls.key]'));
      break;
    default:
      break;
  }
  return errs;
}

export const secrets: ResourceDef = {
  group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true,
  schemaName: core('Secret'),
  defaults: (s) => defaultSecret(s),
  validate(s, { old }) {
    const errs: FieldError[] = [];
    if (old) {
      if ((s.type ?? '') !== (old.type ?? '')) errs.push(field.invalid('type', s.type ?? '', IMMUTABLE));
      if (old.immutable === true) {
        if (s.immutable !== true) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
        if (!semanticEqual(s.data ?? {}, old.data ?? {})) errs.push(field.forbidden('data', 'field is immutable when `immutable` is set'));
      }
    }
    errs.push(...validateSecret(s));
    return errs;
  },
  columns: [
    nameColumn,
    col('Type', 'string', 'The type of the secret.'),
    col('Data', 'integer', 'Number of keys in the secret.'),
    ageColumn,
  ],
  row: (s, now) => [s.metadata.name, s.type ?? '', Object.keys(isObj(s.data) ? s.data : {}).length, age(s.metadata.creationTimestamp, now)],
  selectableFields: (s) => ({ type: String(s.type ?? '') }),
};
