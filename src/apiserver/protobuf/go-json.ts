// A decoded protobuf message → the JSON Go's encoder writes for the Kubernetes struct it decodes
// into, so a protobuf body reaches the registry exactly as the same object sent as JSON would
// (`creationTimestamp: null`, `replicas: 0` kept when set, zero strings dropped where omitempty).
import type * as Protobuf from 'protobufjs';
import { errors } from '../../machinery/status.js';

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1.';
const TIME = META + 'Time';
const MICRO_TIME = META + 'MicroTime';
const FIELDS_V1 = META + 'FieldsV1';
const RAW_EXTENSION = '.k8s.io.apimachinery.pkg.runtime.RawExtension';
const INT_OR_STRING = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = '.k8s.io.apimachinery.pkg.api.resource.Quantity';

type Decoded = Record<string, unknown>;
/** The value a JSON field is left out with. */
const OMIT = Symbol('omit');

/** How one field is written, worked out once per message type from its options. */
interface FieldPlan {
  name: string;
  json: string;
  shape: 'map' | 'repeated' | 'single';
  inline: boolean;
  go: 'ptr' | 'val' | undefined;
  message: Protobuf.Type | null;
  protoType: string;
}

const plans = new WeakMap<Protobuf.Type, FieldPlan[]>();

function planOf(type: Protobuf.Type): FieldPlan[] {
  let plan = plans.get(type);
  if (!plan) {
    plan = type.fieldsArray.map((f) => ({
      name: f.name,
      json: (f.options?.['(json)'] as string | undefined) ?? f.name,
      shape: f.map ? 'map' : f.repeated ? 'repeated' : 'single',
      inline: !!f.options?.['(inline)'],
      go: f.options?.['(go)'] as FieldPlan['go'],
      // Kubernetes' protos declare no enums: a resolved type is always a message.
      message: f.resolve().resolvedType as Protobuf.Type | null,
      protoType: f.type,
    }));
    plans.set(type, plan);
  }
  return plan;
}

/** Converts a message decoded by protobufjs (own properties = fields present on the wire). */
export function messageToJSON(type: Protobuf.Type, msg: Decoded, path = ''): unknown {
  switch (type.fullName) {
    case TIME: return timeJSON(msg, false, path);
    case MICRO_TIME: return timeJSON(msg, true, path);
    case INT_OR_STRING: return intOrStringJSON(msg, path);
    case QUANTITY: return has(msg, 'string') ? msg.string : '0';
    case FIELDS_V1: return rawJSON(msg.Raw, path);
    case RAW_EXTENSION: return rawJSON(msg.raw, path);
  }
  if (type.options?.['(slice)']) {
    const items = msg[type.fieldsArray[0].name];
    return Array.isArray(items) ? items.map((v) => scalarJSON(v)) : [];
  }
  const out: Decoded = {};
  for (const field of planOf(type)) {
    const value = fieldJSON(field, msg, path);
    if (value === OMIT) continue;
    if (field.inline) Object.assign(out, value);
    else out[field.json] = value;
  }
  return out;
}

function fieldJSON(field: FieldPlan, msg: Decoded, parent: string): unknown {
  const value = msg[field.name];
  const message = field.message;
  if (field.shape === 'map') {
    const entries = Object.entries((value ?? {}) as Decoded);
    if (!entries.length) return OMIT;
    // An entry without its value is the value type's zero value, as in Go.
    return Object.fromEntries(entries.map(([k, v]) => [k, message ? messageToJSON(message, (v ?? {}) as Decoded, `${parent}.${field.json}[${k}]`) : scalarJSON(v)]));
  }
  if (field.shape === 'repeated') {
    const items = (value ?? []) as unknown[];
    if (!items.length) return OMIT;
    return items.map((v, i) => (message ? messageToJSON(message, v as Decoded, `${parent}.${field.json}[${i}]`) : scalarJSON(v)));
  }
  const present = has(msg, field.name);
  if (message) {
    if (field.go === 'ptr' && !present) return OMIT;
    // A Go struct field is written even when absent from the wire: as its zero value.
    const json = messageToJSON(message, present ? (value as Decoded) : {}, field.inline ? parent : `${parent}.${field.json}`);
    return json === undefined ? OMIT : json;
  }
  if (field.go === 'ptr') return present ? scalarJSON(value) : OMIT;
  if (field.go === 'val') return present ? scalarJSON(value) : zeroJSON(field.protoType);
  return present && !isZero(value) ? scalarJSON(value) : OMIT;
}

function has(msg: Decoded, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(msg, name);
}

function scalarJSON(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (isLong(v)) return v.toNumber();
  return v;
}

function zeroJSON(protoType: string): unknown {
  if (protoType === 'string' || protoType === 'bytes') return '';
  if (protoType === 'bool') return false;
  return 0;
}

function isZero(v: unknown): boolean {
  if (v instanceof Uint8Array) return v.length === 0;
  if (isLong(v)) return v.isZero();
  return v === '' || v === 0 || v === false;
}

interface LongLike { toNumber(): number; isZero(): boolean }
function isLong(v: unknown): v is LongLike {
  return typeof v === 'object' && v !== null && typeof (v as LongLike).toNumber === 'function';
}

function num(v: unknown): number {
  return v === undefined ? 0 : isLong(v) ? v.toNumber() : Number(v);
}

/** metav1.Time is whole seconds in JSON (nanoseconds are dropped on decode); MicroTime keeps microseconds. */
function timeJSON(msg: Decoded, micro: boolean, path: string): string | null {
  // An empty message is how Go writes the zero time, which its JSON spells null.
  if (!has(msg, 'seconds') && !has(msg, 'nanos')) return null;
  const seconds = num(msg.seconds);
  const date = new Date(seconds * 1000);
  const iso = Number.isNaN(date.getTime()) ? '' : date.toISOString();
  if (!/^\d{4}-/.test(iso)) throw errors.badRequest(`error decoding protobuf: ${path.slice(1)}: time ${seconds}s is outside the years 0 to 9999`);
  const base = iso.slice(0, 19);
  if (!micro) return `${base}Z`;
  const nanos = num(msg.nanos);
  if (nanos < 0 || nanos > 999_999_999) throw errors.badRequest(`error decoding protobuf: ${path.slice(1)}: nanos ${nanos} out of range`);
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

function intOrStringJSON(msg: Decoded, path: string): number | string {
  const type = num(msg.type);
  if (type === 0) return num(msg.intVal);
  if (type === 1) return has(msg, 'strVal') ? (msg.strVal as string) : '';
  throw errors.badRequest(`error decoding protobuf: ${path.slice(1)}: impossible IntOrString.Type ${type}`);
}

/** RawExtension and FieldsV1 carry JSON text; nothing (or nothing present) is Go's null, left out here. */
function rawJSON(raw: unknown, path: string): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw errors.badRequest(`error decoding protobuf: ${path.slice(1)}: embedded object is not JSON: ${(err as Error).message}`);
  }
}
