// /openapi/v2 in protobuf: client-go's OpenAPISchema() (kubectl's client-side validation, apply's
// fallback for patch metadata, `kubectl explain --output plaintext-openapiv2`) asks for the swagger
// document only as application/com.github.proto-openapi.spec.v2@v1.0+protobuf and parses it as
// gnostic's openapi.v2.Document. kube-apiserver makes that message by reading its JSON document
// with gnostic's compiler; this does the same mapping for the JSON k8ts publishes: maps become
// ordered (name, value) lists, `$ref` is `_ref`, a schema's `type` and `items` are lists, values of
// any shape (defaults, enums, examples, x-* extensions) are YAML text in an Any.
import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';
import { OPENAPI_V2_PACKAGE, OPENAPI_V2_PROTO } from './openapi/v2proto/proto.js';

/** The Content-Type of the protobuf document (kube-apiserver answers with this form). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** The older spelling client-go 1.32 still asks for; served the same bytes. */
export const OPENAPI_V2_PROTOBUF_DEPRECATED = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

type Json = Record<string, unknown>;
type Message = Record<string, unknown>;

// ---- negotiation ---------------------------------------------------------------------------------

interface Clause {
  type: string;
  subtype: string;
  q: number;
}

function clauses(accept: string): Clause[] {
  const out: Clause[] = [];
  for (const part of accept.split(',')) {
    const [range, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    if (!range) continue;
    const [type, subtype = '*'] = range === '*' ? ['*', '*'] : range.split('/');
    const qParam = params.find((x) => x.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > 0) out.push({ type, subtype, q });
  }
  // Highest q first, then exact media types before wildcards, as kube-openapi's negotiation orders them.
  const wild = (c: Clause) => (c.type === '*' ? 2 : c.subtype === '*' ? 1 : 0);
  return out.map((c, i) => ({ c, i })).sort((a, b) => b.c.q - a.c.q || wild(a.c) - wild(b.c) || a.i - b.i).map(({ c }) => c);
}

const FORMS: Array<{ subtype: string; form: 'json' | 'protobuf' }> = [
  { subtype: 'json', form: 'json' },
  { subtype: OPENAPI_V2_PROTOBUF_DEPRECATED.slice('application/'.length), form: 'protobuf' },
  { subtype: OPENAPI_V2_PROTOBUF.slice('application/'.length), form: 'protobuf' },
];

/**
 * Which form of /openapi/v2 an Accept header gets: the first clause (by preference) that JSON or
 * protobuf satisfies decides, JSON winning a wildcard. Undefined when neither is acceptable (406).
 */
export function negotiateOpenAPIV2(accept: string | undefined): 'json' | 'protobuf' | undefined {
  for (const c of clauses(accept?.trim() ? accept : '*/*')) {
    if (c.type !== 'application' && c.type !== '*') continue;
    const hit = FORMS.find((f) => c.subtype === '*' || c.subtype === f.subtype);
    if (hit) return hit.form;
  }
  return undefined;
}

// ---- YAML values ---------------------------------------------------------------------------------

// Readers parse these with YAML 1.1 (go-yaml v2) or 1.2 (v3) rules, so a string goes out plain
// only when both read it back as that string: a letter first, no indicator characters, and not a
// word either version takes for a boolean or null. Everything else is double-quoted, whose escapes
// are JSON's.
const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

function scalar(v: unknown): string {
  if (typeof v === 'string') return PLAIN.test(v) && !RESERVED.has(v.toLowerCase()) ? v : JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
  if (typeof v === 'boolean') return String(v);
  return 'null';
}

/** Block-style lines of a value; a non-empty collection spans lines, anything else is one. */
function yamlLines(v: unknown): string[] {
  const nested = (x: unknown) => (Array.isArray(x) ? x.length > 0 : typeof x === 'object' && x !== null && Object.keys(x).length > 0);
  if (Array.isArray(v)) {
    if (!v.length) return ['[]'];
    return v.flatMap((x) => {
      if (!nested(x)) return [`- ${yamlLines(x)[0]}`];
      const [first, ...rest] = yamlLines(x);
      return [`- ${first}`, ...rest.map((l) => `  ${l}`)];
    });
  }
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v);
    if (!entries.length) return ['{}'];
    return entries.flatMap(([k, x]) => (nested(x)
      ? [`${scalar(k)}:`, ...yamlLines(x).map((l) => `  ${l}`)]
      : [`${scalar(k)}: ${yamlLines(x)[0]}`]));
  }
  return [scalar(v)];
}

/** YAML text of a JSON value, block style as gnostic writes an Any. */
export function yamlOf(value: unknown): string {
  return `${yamlLines(value).join('\n')}\n`;
}

/** An Any holding `value` as YAML. */
function anyOf(value: unknown): Message {
  return { yaml: yamlOf(value) };
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isExtension = (key: string) => key.startsWith('x-');

/** x-* keys, in document order. */
function vendorExtensions(o: Json): Message[] {
  const out: Message[] = [];
  for (const [name, v] of Object.entries(o)) if (isExtension(name)) out.push({ name, value: anyOf(v) });
  return out;
}

// ---- field copying -------------------------------------------------------------------------------
// proto3 leaves zero values off the wire; so do these setters, as Go's encoder does.

type Kind = 'string' | 'number' | 'bool' | 'strings' | 'any' | 'anys';

/** Copies JSON keys to message fields by kind: [json key, proto field, kind]. */
function copy(out: Message, o: Json, fields: Array<[string, string, Kind]>): Message {
  for (const [key, field, kind] of fields) {
    const v = o[key];
    if (v === undefined) continue;
    switch (kind) {
      case 'string':
        if (typeof v === 'string' && v !== '') out[field] = v;
        break;
      case 'number':
        if (typeof v === 'number' && v !== 0) out[field] = v;
        break;
      case 'bool':
        if (v === true) out[field] = true;
        break;
      case 'strings':
        if (Array.isArray(v) && v.length) out[field] = v.map(String);
        break;
      case 'any':
        out[field] = anyOf(v);
        break;
      case 'anys':
        if (Array.isArray(v) && v.length) out[field] = v.map(anyOf);
        break;
    }
  }
  return out;
}

function withExtensions(out: Message, o: Json): Message {
  const ext = vendorExtensions(o);
  if (ext.length) out.vendor_extension = ext;
  return out;
}

/** A JSON map as a message of (name, value) pairs under `field`. */
function named(o: unknown, field: string, value: (v: unknown) => Message | string): Message | undefined {
  if (!isObject(o)) return undefined;
  return { [field]: Object.entries(o).map(([name, v]) => ({ name, value: value(v) })) };
}

// ---- messages ------------------------------------------------------------------------------------

const VALIDATIONS: Array<[string, string, Kind]> = [
  ['maximum', 'maximum', 'number'], ['exclusiveMaximum', 'exclusive_maximum', 'bool'],
  ['minimum', 'minimum', 'number'], ['exclusiveMinimum', 'exclusive_minimum', 'bool'],
  ['maxLength', 'max_length', 'number'], ['minLength', 'min_length', 'number'], ['pattern', 'pattern', 'string'],
  ['maxItems', 'max_items', 'number'], ['minItems', 'min_items', 'number'], ['uniqueItems', 'unique_items', 'bool'],
  ['enum', 'enum', 'anys'], ['multipleOf', 'multiple_of', 'number'],
];

function externalDocs(o: unknown): Message | undefined {
  return isObject(o) ? withExtensions(copy({}, o, [['description', 'description', 'string'], ['url', 'url', 'string']]), o) : undefined;
}

function setMessage(out: Message, field: string, m: Message | undefined): void {
  if (m) out[field] = m;
}

export function schemaMessage(s: Json): Message {
  const out = copy({}, s, [
    ['$ref', '_ref', 'string'], ['format', 'format', 'string'], ['title', 'title', 'string'],
    ['description', 'description', 'string'], ['default', 'default', 'any'], ['multipleOf', 'multiple_of', 'number'],
    ['maximum', 'maximum', 'number'], ['exclusiveMaximum', 'exclusive_maximum', 'bool'],
    ['minimum', 'minimum', 'number'], ['exclusiveMinimum', 'exclusive_minimum', 'bool'],
    ['maxLength', 'max_length', 'number'], ['minLength', 'min_length', 'number'], ['pattern', 'pattern', 'string'],
    ['maxItems', 'max_items', 'number'], ['minItems', 'min_items', 'number'], ['uniqueItems', 'unique_items', 'bool'],
    ['maxProperties', 'max_properties', 'number'], ['minProperties', 'min_properties', 'number'],
    ['required', 'required', 'strings'], ['enum', 'enum', 'anys'],
  ]);
  const ap = s.additionalProperties;
  if (typeof ap === 'boolean') out.additional_properties = { boolean: ap };
  else if (isObject(ap)) out.additional_properties = { schema: schemaMessage(ap) };
  if (typeof s.type === 'string') out.type = { value: [s.type] };
  else if (Array.isArray(s.type)) out.type = { value: s.type.map(String) };
  if (isObject(s.items)) out.items = { schema: [schemaMessage(s.items)] };
  else if (Array.isArray(s.items)) out.items = { schema: s.items.filter(isObject).map(schemaMessage) };
  if (Array.isArray(s.allOf) && s.allOf.length) out.all_of = s.allOf.filter(isObject).map(schemaMessage);
  setMessage(out, 'properties', named(s.properties, 'additional_properties', (v) => schemaMessage(isObject(v) ? v : {})));
  copy(out, s, [['discriminator', 'discriminator', 'string'], ['readOnly', 'read_only', 'bool']]);
  if (isObject(s.xml)) {
    out.xml = withExtensions(copy({}, s.xml, [
      ['name', 'name', 'string'], ['namespace', 'namespace', 'string'], ['prefix', 'prefix', 'string'],
      ['attribute', 'attribute', 'bool'], ['wrapped', 'wrapped', 'bool'],
    ]), s.xml);
  }
  setMessage(out, 'external_docs', externalDocs(s.externalDocs));
  copy(out, s, [['example', 'example', 'any']]);
  return withExtensions(out, s);
}

function primitivesItems(o: Json): Message {
  const out = copy({}, o, [['type', 'type', 'string'], ['format', 'format', 'string']]);
  if (isObject(o.items)) out.items = primitivesItems(o.items);
  copy(out, o, [['collectionFormat', 'collection_format', 'string'], ['default', 'default', 'any'], ...VALIDATIONS]);
  return withExtensions(out, o);
}

/** The fields a non-body parameter, a response header and PrimitivesItems share, after `type`. */
function simpleValue(out: Message, o: Json): Message {
  copy(out, o, [['type', 'type', 'string'], ['format', 'format', 'string']]);
  if (isObject(o.items)) out.items = primitivesItems(o.items);
  return copy(out, o, [['collectionFormat', 'collection_format', 'string'], ['default', 'default', 'any'], ...VALIDATIONS]);
}

const NON_BODY: Record<string, string> = {
  header: 'header_parameter_sub_schema',
  formData: 'form_data_parameter_sub_schema',
  query: 'query_parameter_sub_schema',
  path: 'path_parameter_sub_schema',
};

function parameter(p: Json): Message {
  if (p.in === 'body') {
    const body = copy({}, p, [['description', 'description', 'string'], ['name', 'name', 'string'], ['in', 'in', 'string'], ['required', 'required', 'bool']]);
    if (isObject(p.schema)) body.schema = schemaMessage(p.schema);
    return { body_parameter: withExtensions(body, p) };
  }
  const which = NON_BODY[String(p.in)];
  // swagger 2.0 has no other locations; gnostic's reader refuses the document, so does this.
  if (!which) throw new Error(`OpenAPI v2 parameter ${JSON.stringify(p.name)} is in ${JSON.stringify(p.in)}, not body, header, formData, query or path`);
  const sub = copy({}, p, [['required', 'required', 'bool'], ['in', 'in', 'string'], ['description', 'description', 'string'], ['name', 'name', 'string']]);
  if (p.in === 'query' || p.in === 'formData') copy(sub, p, [['allowEmptyValue', 'allow_empty_value', 'bool']]);
  return { non_body_parameter: { [which]: withExtensions(simpleValue(sub, p), p) } };
}

function parametersItem(p: unknown): Message {
  const o = isObject(p) ? p : {};
  if (typeof o.$ref === 'string') return { json_reference: copy({}, o, [['$ref', '_ref', 'string'], ['description', 'description', 'string']]) };
  return { parameter: parameter(o) };
}

function fileSchema(s: Json): Message {
  const out = copy({}, s, [
    ['format', 'format', 'string'], ['title', 'title', 'string'], ['description', 'description', 'string'],
    ['default', 'default', 'any'], ['required', 'required', 'strings'], ['type', 'type', 'string'], ['readOnly', 'read_only', 'bool'],
  ]);
  setMessage(out, 'external_docs', externalDocs(s.externalDocs));
  copy(out, s, [['example', 'example', 'any']]);
  return withExtensions(out, s);
}

function response(r: Json): Message {
  const out = copy({}, r, [['description', 'description', 'string']]);
  if (isObject(r.schema)) out.schema = r.schema.type === 'file' ? { file_schema: fileSchema(r.schema) } : { schema: schemaMessage(r.schema) };
  setMessage(out, 'headers', named(r.headers, 'additional_properties', (h) => {
    const o = isObject(h) ? h : {};
    return withExtensions(copy(simpleValue({}, o), o, [['description', 'description', 'string']]), o);
  }));
  setMessage(out, 'examples', named(r.examples, 'additional_properties', anyOf));
  return withExtensions(out, r);
}

function responses(rs: Json): Message {
  const codes = Object.entries(rs).filter(([code]) => !isExtension(code)).map(([name, v]) => {
    const o = isObject(v) ? v : {};
    const value = typeof o.$ref === 'string'
      ? { json_reference: copy({}, o, [['$ref', '_ref', 'string'], ['description', 'description', 'string']]) }
      : { response: response(o) };
    return { name, value };
  });
  return withExtensions(codes.length ? { response_code: codes } : {}, rs);
}

function securityRequirements(list: unknown): Message[] | undefined {
  if (!Array.isArray(list) || !list.length) return undefined;
  return list.map((req) => named(req, 'additional_properties', (scopes) => (
    Array.isArray(scopes) && scopes.length ? { value: scopes.map(String) } : {}
  )) ?? {});
}

function operation(op: Json): Message {
  const out = copy({}, op, [
    ['tags', 'tags', 'strings'], ['summary', 'summary', 'string'], ['description', 'description', 'string'],
  ]);
  setMessage(out, 'external_docs', externalDocs(op.externalDocs));
  copy(out, op, [['operationId', 'operation_id', 'string'], ['produces', 'produces', 'strings'], ['consumes', 'consumes', 'strings']]);
  if (Array.isArray(op.parameters) && op.parameters.length) out.parameters = op.parameters.map(parametersItem);
  if (isObject(op.responses)) out.responses = responses(op.responses);
  copy(out, op, [['schemes', 'schemes', 'strings'], ['deprecated', 'deprecated', 'bool']]);
  const security = securityRequirements(op.security);
  if (security) out.security = security;
  return withExtensions(out, op);
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function pathItem(item: Json): Message {
  const out = copy({}, item, [['$ref', '_ref', 'string']]);
  for (const m of METHODS) if (isObject(item[m])) out[m] = operation(item[m] as Json);
  if (Array.isArray(item.parameters) && item.parameters.length) out.parameters = item.parameters.map(parametersItem);
  return withExtensions(out, item);
}

function securityScheme(s: Json): Message {
  const base: Array<[string, string, Kind]> = [['type', 'type', 'string']];
  const scopes = (out: Message) => {
    setMessage(out, 'scopes', named(s.scopes, 'additional_properties', String));
    return out;
  };
  const oauth = (more: Array<[string, string, Kind]>) => withExtensions(copy(scopes(copy({}, s, [...base, ['flow', 'flow', 'string']])), s, [...more, ['description', 'description', 'string']]), s);
  switch (s.type) {
    case 'basic':
      return { basic_authentication_security: withExtensions(copy({}, s, [...base, ['description', 'description', 'string']]), s) };
    case 'apiKey':
      return { api_key_security: withExtensions(copy({}, s, [...base, ['name', 'name', 'string'], ['in', 'in', 'string'], ['description', 'description', 'string']]), s) };
    case 'oauth2':
      switch (s.flow) {
        case 'implicit': return { oauth2_implicit_security: oauth([['authorizationUrl', 'authorization_url', 'string']]) };
        case 'password': return { oauth2_password_security: oauth([['tokenUrl', 'token_url', 'string']]) };
        case 'application': return { oauth2_application_security: oauth([['tokenUrl', 'token_url', 'string']]) };
        case 'accessCode': return { oauth2_access_code_security: oauth([['authorizationUrl', 'authorization_url', 'string'], ['tokenUrl', 'token_url', 'string']]) };
      }
  }
  throw new Error(`OpenAPI v2 security scheme of type ${JSON.stringify(s.type)}${s.flow ? ` and flow ${JSON.stringify(s.flow)}` : ''} has no protobuf form`);
}

/** gnostic's openapi.v2.Document for a swagger 2.0 document, as a plain message object (proto field names). */
export function openAPIV2Message(doc: Json): Message {
  const out = copy({}, doc, [['swagger', 'swagger', 'string']]);
  if (isObject(doc.info)) {
    const info = doc.info;
    const m = copy({}, info, [['title', 'title', 'string'], ['version', 'version', 'string'], ['description', 'description', 'string'], ['termsOfService', 'terms_of_service', 'string']]);
    if (isObject(info.contact)) m.contact = withExtensions(copy({}, info.contact, [['name', 'name', 'string'], ['url', 'url', 'string'], ['email', 'email', 'string']]), info.contact);
    if (isObject(info.license)) m.license = withExtensions(copy({}, info.license, [['name', 'name', 'string'], ['url', 'url', 'string']]), info.license);
    out.info = withExtensions(m, info);
  }
  copy(out, doc, [['host', 'host', 'string'], ['basePath', 'base_path', 'string'], ['schemes', 'schemes', 'strings'], ['consumes', 'consumes', 'strings'], ['produces', 'produces', 'strings']]);
  if (isObject(doc.paths)) {
    const paths = doc.paths;
    const list = Object.entries(paths).filter(([p]) => !isExtension(p)).map(([name, item]) => ({ name, value: pathItem(isObject(item) ? item : {}) }));
    out.paths = withExtensions(list.length ? { path: list } : {}, paths);
  }
  setMessage(out, 'definitions', named(doc.definitions, 'additional_properties', (s) => schemaMessage(isObject(s) ? s : {})));
  setMessage(out, 'parameters', named(doc.parameters, 'additional_properties', (p) => parameter(isObject(p) ? p : {})));
  setMessage(out, 'responses', named(doc.responses, 'additional_properties', (r) => response(isObject(r) ? r : {})));
  const security = securityRequirements(doc.security);
  if (security) out.security = security;
  setMessage(out, 'security_definitions', named(doc.securityDefinitions, 'additional_properties', (s) => securityScheme(isObject(s) ? s : {})));
  if (Array.isArray(doc.tags) && doc.tags.length) {
    out.tags = doc.tags.filter(isObject).map((t) => {
      const m = copy({}, t, [['name', 'name', 'string'], ['description', 'description', 'string']]);
      setMessage(m, 'external_docs', externalDocs(t.externalDocs));
      return withExtensions(m, t);
    });
  }
  setMessage(out, 'external_docs', externalDocs(doc.externalDocs));
  return withExtensions(out, doc);
}

// ---- encoding ------------------------------------------------------------------------------------

let documentType: Protobuf.Type | undefined;

/** The openapi.v2.Document message type; protobufjs and the schema are loaded on first use. */
export function openAPIV2DocumentType(): Protobuf.Type {
  if (!documentType) {
    const pb = createRequire(import.meta.url)('protobufjs') as typeof Protobuf;
    const root = new pb.Root();
    pb.parse(OPENAPI_V2_PROTO, root, { keepCase: true });
    root.resolveAll();
    documentType = root.lookupType(`${OPENAPI_V2_PACKAGE}.Document`);
  }
  return documentType;
}

/** The protobuf encoding of a swagger 2.0 document. */
export function encodeOpenAPIV2(doc: Json): Buffer {
  const bytes = openAPIV2DocumentType().encode(openAPIV2Message(doc)).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// A server has one current document; a few entries cover rebuilds racing with readers and
// several servers in one process (tests).
const encoded = new Map<string, Buffer>();
const KEEP = 4;

/** The protobuf form of a served /openapi/v2 JSON document, encoded once per document hash. */
export function openAPIV2Protobuf(doc: { body: string; hash: string }): Buffer {
  let bytes = encoded.get(doc.hash);
  if (!bytes) {
    bytes = encodeOpenAPIV2(JSON.parse(doc.body) as Json);
    encoded.set(doc.hash, bytes);
    while (encoded.size > KEEP) encoded.delete(encoded.keys().next().value!);
  }
  return bytes;
}
