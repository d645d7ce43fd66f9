// /openapi/v2 in gnostic's protobuf form: the encoding decoded back equals the JSON document, the
// wire field numbers are gnostic's, the document is one kube-openapi's model parser accepts, and
// the real kubectl reads it (client-side validation of unknown kinds, explain from v2).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import type * as Protobuf from 'protobufjs';
import { parse as parseYAML } from 'yaml';
import { builtinResources, definitions as builtinDefinitions } from '../../src/api/index.js';
import type { ResourceDef } from '../../src/api/resource.js';
import type { Definitions, Schema } from '../../src/machinery/schema.js';
import { buildOpenAPI, serveOpenAPI } from '../../src/apiserver/openapi.js';
import {
  encodeOpenAPIV2, negotiateOpenAPIV2, openAPIV2DocumentType, openAPIV2Protobuf, yamlOf,
  OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_DEPRECATED,
} from '../../src/apiserver/openapi-v2-proto.js';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { API_ONLY, credentialsOf, fixture, kubectlFor, type Credentials, type Kubectl } from '../e2e/fixtures/kube-http.js';

type Json = any;

// ---- fixtures ------------------------------------------------------------------------------------

const GADGET = 'com.example.v1.Gadget';
const gadgets: ResourceDef = {
  group: 'example.com', version: 'v1', kind: 'Gadget', plural: 'gadgets', singular: 'gadget', namespaced: true,
  schemaName: GADGET, custom: true, subresources: { status: true },
};
const gadgetSchema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' }, kind: { type: 'string' },
    metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
    spec: {
      type: 'object', required: ['size'],
      properties: {
        size: { type: 'string', enum: ['small', 'no', 'on', '1.0'], default: 'small' },
        replicas: { type: 'integer', format: 'int32', minimum: 1, maximum: 10, exclusiveMaximum: true },
        labels: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 8 },
        ports: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 4, uniqueItems: true, 'x-kubernetes-list-type': 'set' },
        name: { type: 'string', pattern: '^[a-z]+$', minLength: 2, maxLength: 20 },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
} as unknown as Schema;

const resources = [...builtinResources, gadgets];
const definitions: Definitions = new Map([...builtinDefinitions, [GADGET, gadgetSchema]]);

/** A swagger document using what k8ts' own documents do not: every message kind the proto has. */
const handmade: Json = {
  swagger: '2.0',
  info: {
    title: 'Pets', version: '1.0', description: 'A store.', termsOfService: 'https://example.com/terms',
    contact: { name: 'Ops', url: 'https://example.com', email: 'ops@example.com' },
    license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' }, 'x-logo': 'pets.png',
  },
  host: 'example.com', basePath: '/v1', schemes: ['https'], consumes: ['application/json'], produces: ['application/json', 'text/plain'],
  paths: {
    '/pets/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }, { $ref: '#/parameters/trace' }],
      get: {
        tags: ['pets'], summary: 'Read a pet', description: 'Reads one.', externalDocs: { url: 'https://example.com/docs' },
        operationId: 'getPet', deprecated: true,
        parameters: [
          { name: 'fields', in: 'query', type: 'array', items: { type: 'string', enum: ['a', 'b'] }, collectionFormat: 'csv', allowEmptyValue: true },
          { name: 'X-Rate', in: 'header', type: 'integer', format: 'int64', minimum: 1, maximum: 100, default: 10 },
        ],
        responses: {
          200: {
            description: 'The pet', schema: { $ref: '#/definitions/Pet' },
            headers: { 'X-Left': { type: 'integer', description: 'calls left' } },
            examples: { 'application/json': { name: 'Rex', tags: ['dog'] } },
          },
          404: { $ref: '#/responses/NotFound' },
          default: { description: 'A file', schema: { type: 'file', description: 'raw' } },
          'x-rate-limited': true,
        },
        security: [{ oauth: ['read', 'write'] }, { key: [] }],
        'x-kubernetes-action': 'get',
      },
      put: {
        consumes: ['multipart/form-data'],
        parameters: [
          { name: 'body', in: 'body', required: true, description: 'The pet', schema: { $ref: '#/definitions/Pet' } },
          { name: 'photo', in: 'formData', type: 'file' },
        ],
        responses: { 204: { description: 'Stored' } },
      },
    },
    'x-paths-note': { a: [1, 2] },
  },
  definitions: {
    Pet: {
      type: 'object', title: 'Pet', required: ['name'], discriminator: 'kind', readOnly: true,
      xml: { name: 'pet', namespace: 'urn:pets', prefix: 'p', attribute: true, wrapped: true },
      externalDocs: { description: 'more', url: 'https://example.com/pet' }, example: { name: 'Rex' },
      properties: {
        name: { type: 'string' },
        tags: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] },
        either: { type: ['string', 'null'] },
        closed: { type: 'object', additionalProperties: false, minProperties: 1 },
        score: { type: 'number', multipleOf: 0.5, minimum: -1.5, exclusiveMinimum: true },
        $ref: { type: 'string', description: 'a field named $ref' },
      },
      allOf: [{ $ref: '#/definitions/Base' }],
    },
    Base: {},
  },
  parameters: { trace: { name: 'trace', in: 'query', type: 'boolean' } },
  responses: { NotFound: { description: 'No such pet' } },
  security: [{ key: [] }],
  securityDefinitions: {
    basic: { type: 'basic', description: 'user and password' },
    key: { type: 'apiKey', name: 'X-Key', in: 'header' },
    implicit: { type: 'oauth2', flow: 'implicit', authorizationUrl: 'https://example.com/auth', scopes: { read: 'Read' } },
    password: { type: 'oauth2', flow: 'password', tokenUrl: 'https://example.com/token', scopes: {} },
    application: { type: 'oauth2', flow: 'application', tokenUrl: 'https://example.com/token', scopes: { write: 'Write' } },
    oauth: { type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://example.com/auth', tokenUrl: 'https://example.com/token', scopes: { read: 'Read', write: 'Write' } },
  },
  tags: [{ name: 'pets', description: 'Pets', externalDocs: { url: 'https://example.com/tags' }, 'x-order': 1 }],
  externalDocs: { description: 'Home', url: 'https://example.com' },
  'x-generated': { by: 'hand', at: '2024-01-02' },
};

// ---- reading the message back, by the schema's reflection alone -------------------------------------

/** A YAML value as both YAML 1.1 (go-yaml v2) and 1.2 (v3) readers see it; they must agree. */
function yamlValue(text: string): unknown {
  const v11 = parseYAML(text, { version: '1.1' });
  assert.deepEqual(parseYAML(text, { version: '1.2' }), v11, `YAML 1.1 and 1.2 read ${JSON.stringify(text)} alike`);
  return v11;
}

const camel = (s: string) => (s === '_ref' ? '$ref' : s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));

/**
 * The swagger JSON a decoded message stands for, from its proto declaration: lists of Named*
 * pairs are the maps they spread into, oneof wrappers are their one member, `_ref` is `$ref`.
 */
function toSwagger(type: Protobuf.Type, m: Json): unknown {
  switch (type.name) {
    case 'Any': return yamlValue(m.yaml);
    case 'TypeItem': return m.value.length === 1 ? m.value[0] : m.value;
    case 'ItemsItem': return m.schema.length === 1 ? value(type.fields.schema, m.schema[0]) : m.schema.map((s: Json) => value(type.fields.schema, s));
    case 'StringArray': return m.value ?? [];
  }
  if (type.oneofsArray.length) {
    const set = type.fieldsArray.filter((f) => m[f.name] !== undefined && m[f.name] !== null);
    assert.equal(set.length, 1, `${type.name} has exactly one member set`);
    return value(set[0], m[set[0].name]);
  }
  const out: Json = {};
  for (const f of type.fieldsArray) {
    const v = m[f.name];
    if (v === undefined || v === null) continue;
    if (f.name === 'vendor_extension') {
      for (const na of v) out[na.name] = yamlValue(na.value.yaml);
    } else if (f.repeated && f.resolvedType?.name.startsWith('Named')) {
      const valueField = (f.resolvedType as Protobuf.Type).fields.value;
      for (const na of v) out[na.name] = value(valueField, na.value);
    } else {
      out[camel(f.name)] = f.repeated ? v.map((x: unknown) => value(f, x)) : value(f, v);
    }
  }
  return out;
}

function value(f: Protobuf.Field, v: unknown): unknown {
  return f.resolvedType instanceof Object && 'fieldsArray' in f.resolvedType ? toSwagger(f.resolvedType as Protobuf.Type, v) : v;
}

function decode(bytes: Uint8Array): Json {
  const type = openAPIV2DocumentType();
  const m = type.toObject(type.decode(bytes), { longs: Number });
  return { message: m, swagger: toSwagger(type, m) };
}

/** proto3 cannot carry zero values (kube-apiserver's encoding drops them too). */
function withoutZeroValues(x: unknown, inAny = false): Json {
  if (inAny) return x;
  if (Array.isArray(x)) return x.map((y) => withoutZeroValues(y));
  if (!x || typeof x !== 'object') return x;
  const out: Json = {};
  for (const [k, v] of Object.entries(x)) {
    // Values in an Any keep their zeroes, and so do a security requirement's empty scope lists and
  // oneof members (additionalProperties: false).
    const any = /^x-/.test(k) || ['default', 'example', 'examples', 'enum'].includes(k);
    const kept = any || k === 'security' || (k === 'additionalProperties' && v === false);
    if (v === undefined || (!kept && (v === false || v === 0 || v === '' || (Array.isArray(v) && !v.length)))) continue;
    out[k] = withoutZeroValues(v, any || k === 'security');
  }
  return out;
}

// ---- a reader of the raw wire form, for field numbers ---------------------------------------------

/** The fields of one encoded message: [field number, wire type, payload] in order. */
function wireFields(buf: Uint8Array): Array<[number, number, Uint8Array | number]> {
  const out: Array<[number, number, Uint8Array | number]> = [];
  let i = 0;
  const varint = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const [field, wire] = [Math.floor(key / 8), key % 8];
    if (wire === 0) out.push([field, wire, varint()]);
    else if (wire === 2) {
      const n = varint();
      out.push([field, wire, buf.subarray(i, i + n)]);
      i += n;
    } else if (wire === 1) {
      out.push([field, wire, buf.subarray(i, i + 8)]);
      i += 8;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

/** The payload reached by following field numbers (the first occurrence of each). */
function wirePath(buf: Uint8Array, ...fields: number[]): Uint8Array | number | undefined {
  let cur: Uint8Array | number | undefined = buf;
  for (const f of fields) {
    if (!(cur instanceof Uint8Array)) return undefined;
    cur = wireFields(cur).find(([n]) => n === f)?.[2];
  }
  return cur;
}

/** The value of the (name, value) pair called `name` among a container message's pairs (field 1). */
function wireEntry(buf: Uint8Array, name: string): Uint8Array | undefined {
  const pair = wireFields(buf).find(([n, , v]) => n === 1 && v instanceof Uint8Array && text(wirePath(v, 1)) === name)?.[2] as Uint8Array | undefined;
  return pair && (wirePath(pair, 2) as Uint8Array);
}

const text = (x: unknown) => (x instanceof Uint8Array ? Buffer.from(x).toString() : x);

// ---- tests -----------------------------------------------------------------------------------------

describe('OpenAPI v2 protobuf encoding', () => {
  const api = buildOpenAPI(resources, definitions, { version: 'v1.32.5+k8ts' });
  const json = JSON.parse(api.v2().body);
  const bytes = encodeOpenAPIV2(json);

  test('decoded back, it is the JSON document: paths, definitions, security, extensions', () => {
    const { swagger } = decode(bytes);
    assert.deepEqual(swagger, withoutZeroValues(json));
    assert.ok(swagger.definitions[GADGET], 'the custom resource is in it');
    assert.deepEqual(swagger.definitions['io.k8s.api.core.v1.ConfigMap']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ConfigMap', version: 'v1' }]);
  });

  test('maps keep the JSON document\'s order (gnostic keeps the order it read)', () => {
    const { message } = decode(bytes);
    assert.deepEqual(message.definitions.additional_properties.map((d: Json) => d.name), Object.keys(json.definitions));
    assert.deepEqual(message.paths.path.map((p: Json) => p.name), Object.keys(json.paths));
    const cm = message.definitions.additional_properties.find((d: Json) => d.name === 'io.k8s.api.core.v1.ConfigMap').value;
    assert.deepEqual(cm.properties.additional_properties.map((p: Json) => p.name), Object.keys(json.definitions['io.k8s.api.core.v1.ConfigMap'].properties));
  });

  test('every message kind of the schema round-trips: parameters, responses, file schemas, security schemes, xml, tags', () => {
    const { swagger, message } = decode(encodeOpenAPIV2(handmade));
    assert.deepEqual(swagger, withoutZeroValues(handmade));
    const get = message.paths.path[0].value.get;
    assert.deepEqual(Object.keys(get.parameters[0].parameter.non_body_parameter), ['query_parameter_sub_schema']);
    assert.deepEqual(Object.keys(get.parameters[1].parameter.non_body_parameter), ['header_parameter_sub_schema']);
    assert.deepEqual(Object.keys(message.paths.path[0].value.put.parameters[1].parameter.non_body_parameter), ['form_data_parameter_sub_schema']);
    assert.equal(message.paths.path[0].value.parameters[1].json_reference._ref, '#/parameters/trace');
    assert.ok(get.responses.response_code.find((r: Json) => r.name === 'default').value.response.schema.file_schema);
    assert.deepEqual(message.security_definitions.additional_properties.map((s: Json) => Object.keys(s.value)[0]), [
      'basic_authentication_security', 'api_key_security', 'oauth2_implicit_security', 'oauth2_password_security',
      'oauth2_application_security', 'oauth2_access_code_security',
    ]);
    const pet = message.definitions.additional_properties[0].value;
    assert.deepEqual(pet.additional_properties, undefined);
    assert.deepEqual(pet.properties.additional_properties.find((p: Json) => p.name === 'closed').value.additional_properties, { boolean: false });
    assert.equal(pet.properties.additional_properties.find((p: Json) => p.name === '$ref').value.description, 'a field named $ref');
  });

  test('field numbers on the wire are gnostic\'s (openapi.v2, OpenAPIv2.proto)', () => {
    assert.deepEqual([...encodeOpenAPIV2({ swagger: '2.0' })], [0x0a, 3, 0x32, 0x2e, 0x30]);
    const b = encodeOpenAPIV2(handmade);
    assert.equal(text(wirePath(b, 2, 1)), 'Pets'); // Document.info, Info.title
    assert.equal(text(wirePath(b, 2, 4)), 'https://example.com/terms'); // Info.terms_of_service
    assert.equal(text(wirePath(b, 4)), '/v1'); // Document.base_path
    assert.equal(text(wirePath(b, 8, 2, 1)), '/pets/{id}'); // Document.paths, Paths.path, NamedPathItem.name
    assert.equal(text(wirePath(b, 8, 1, 1)), 'x-paths-note'); // Paths.vendor_extension
    const op = wirePath(b, 8, 2, 2, 2) as Uint8Array; // NamedPathItem.value, PathItem.get
    assert.equal(text(wirePath(op, 5)), 'getPet'); // Operation.operation_id
    assert.equal(wirePath(op, 11), 1); // Operation.deprecated
    assert.equal(text(wirePath(op, 13, 1)), 'x-kubernetes-action'); // Operation.vendor_extension
    assert.equal(text(wirePath(op, 13, 2, 2)), 'get\n'); // NamedAny.value, Any.yaml
    // Operation.parameters, ParametersItem.parameter, Parameter.non_body_parameter, query sub-schema, its type (6)
    assert.equal(text(wirePath(op, 8, 1, 2, 3, 6)), 'array');
    assert.equal(wirePath(op, 8, 1, 2, 3, 5), 1); // allow_empty_value
    assert.equal(text(wirePath(op, 9, 1, 1)), '200'); // Operation.responses, Responses.response_code, name
    assert.equal(text(wirePath(op, 9, 1, 2, 1, 2, 1, 1)), '#/definitions/Pet'); // ResponseValue.response, Response.schema, SchemaItem.schema, Schema._ref
    const pet = wirePath(b, 9, 1, 2) as Uint8Array; // Document.definitions, additional_properties, NamedSchema.value
    assert.equal(text(wirePath(pet, 3)), 'Pet'); // Schema.title
    assert.equal(text(wirePath(pet, 22, 1)), 'object'); // Schema.type, TypeItem.value
    assert.equal(text(wirePath(pet, 19)), 'name'); // Schema.required
    assert.equal(text(wirePath(pet, 25, 1, 1)), 'name'); // Schema.properties, Properties.additional_properties, name
    assert.equal(text(wirePath(pet, 24, 1)), '#/definitions/Base'); // Schema.all_of
    assert.equal(text(wirePath(pet, 26)), 'kind'); // Schema.discriminator
    assert.equal(text(wirePath(pet, 28, 2)), 'urn:pets'); // Schema.xml, Xml.namespace
    assert.equal(text(wirePath(pet, 30, 2)), 'name: Rex\n'); // Schema.example
    const securityDefinitions = wirePath(b, 13) as Uint8Array;
    assert.equal(text(wirePath(wireEntry(securityDefinitions, 'key')!, 2, 2)), 'X-Key'); // api_key_security.name
    assert.equal(text(wirePath(wireEntry(securityDefinitions, 'oauth')!, 6, 5)), 'https://example.com/token'); // oauth2_access_code_security.token_url
    assert.equal(text(wirePath(wireEntry(securityDefinitions, 'oauth')!, 6, 3, 1, 2)), 'Read'); // scopes, NamedString.value
    assert.equal(text(wirePath(b, 12, 1, 1)), 'key'); // Document.security, NamedStringArray.name
    assert.equal(text(wirePath(b, 16, 1)), 'x-generated'); // Document.vendor_extension

    const cm = wireEntry(wirePath(bytes, 9) as Uint8Array, 'io.k8s.api.core.v1.ConfigMap')!;
    assert.equal(text(wirePath(cm, 31, 1)), 'x-kubernetes-group-version-kind'); // Schema.vendor_extension
    assert.equal(text(wirePath(cm, 31, 2, 2)), '- group: ""\n  kind: ConfigMap\n  version: v1\n');
    const props = wirePath(cm, 25) as Uint8Array; // Schema.properties
    assert.equal(text(wirePath(wireEntry(props, 'metadata')!, 1)), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    assert.equal(text(wirePath(wireEntry(props, 'data')!, 21, 1, 22, 1)), 'string'); // additional_properties.schema.type
  });

  test('the definitions are what kube-openapi\'s model parser (kubectl) accepts', () => {
    // kube-openapi/pkg/util/proto: every $ref names a definition, one type at most, arrays have
    // exactly one item schema, primitive types are the four JSON ones.
    const { message } = decode(bytes);
    const names = new Set(message.definitions.additional_properties.map((d: Json) => d.name));
    const problems: string[] = [];
    const check = (s: Json, path: string): void => {
      if (s._ref) {
        if (!names.has(s._ref.replace(/^#\/definitions\//, ''))) problems.push(`${path}: dangling ${s._ref}`);
        return;
      }
      const types: string[] = s.type?.value ?? [];
      if (types.length > 1) problems.push(`${path}: several types`);
      const t = types[0];
      if (t === 'array') {
        if (s.items?.schema?.length !== 1) problems.push(`${path}: array without exactly one item schema`);
        else check(s.items.schema[0], `${path}[]`);
      } else if (t && t !== 'object' && !['string', 'number', 'integer', 'boolean'].includes(t)) problems.push(`${path}: unknown type ${t}`);
      for (const p of s.properties?.additional_properties ?? []) check(p.value, `${path}.${p.name}`);
      if (s.additional_properties?.schema) check(s.additional_properties.schema, `${path}{}`);
    };
    for (const d of message.definitions.additional_properties) check(d.value, d.name);
    assert.deepEqual(problems, []);
  });

  test('YAML values read back the same under YAML 1.1 and 1.2, strings staying strings', () => {
    const values: unknown[] = [
      'no', 'No', 'on', 'OFF', 'y', 'n', 'yes', 'true', 'null', 'Null', '~', '', ' ', '1', '1.0', '0o12', '012', '0x1F', '1e3',
      '.inf', '-.inf', '.nan', '2001-12-14', '12:30', 'a: b', 'a #b', '#c', '- x', '-x', '[x]', '{x}', '*x', '&x', '!x', '|', '>',
      '%x', '@x', '`x', '"q"', "'q'", 'x\ny', 'tab\there', 'é ü', '<<', '=', 'plain-word', 'k8s.io/name',
      0, -1, 1.5, 1e21, true, false, null, [], {}, [[]], [{}], ['a', ['b', 'c'], { d: ['e'] }],
      { group: '', kind: 'Pod', version: 'v1' }, [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
      { 'key: x': 1, 'yes': 'no', '1': [1, { 'a b': null }] }, { nested: { deeper: { list: [1, 'two', false] } } },
    ];
    for (const v of values) assert.deepEqual(yamlValue(yamlOf(v)), v, `${JSON.stringify(v)} as ${JSON.stringify(yamlOf(v))}`);
    assert.equal(yamlOf('atomic'), 'atomic\n');
    assert.equal(yamlOf(['name']), '- name\n');
  });

  test('bad input: a parameter in no swagger location or an unknown security scheme is an error, not a crash', () => {
    assert.throws(() => encodeOpenAPIV2({ swagger: '2.0', paths: { '/x': { get: { parameters: [{ name: 'q', in: 'cookie', type: 'string' }] } } } }), /in "cookie"/);
    assert.throws(() => encodeOpenAPIV2({ swagger: '2.0', securityDefinitions: { s: { type: 'mutualTLS' } } }), /type "mutualTLS"/);
    // Shapes swagger does not allow are left out rather than failing the whole document.
    const { swagger } = decode(encodeOpenAPIV2({ swagger: '2.0', definitions: { A: { type: 'object', properties: 'nope', items: 3 } }, paths: { '/y': 'nope' } }));
    assert.deepEqual(swagger, { swagger: '2.0', definitions: { A: { type: 'object' } }, paths: { '/y': {} } });
  });
});

describe('negotiation and serving of /openapi/v2', () => {
  test('Accept headers: protobuf when it is preferred, JSON for wildcards and JSON clients, none otherwise', () => {
    assert.equal(negotiateOpenAPIV2(undefined), 'json');
    assert.equal(negotiateOpenAPIV2(''), 'json');
    assert.equal(negotiateOpenAPIV2('*/*'), 'json');
    assert.equal(negotiateOpenAPIV2('application/*'), 'json');
    assert.equal(negotiateOpenAPIV2('application/json, */*'), 'json');
    assert.equal(negotiateOpenAPIV2(OPENAPI_V2_PROTOBUF_DEPRECATED), 'protobuf');
    assert.equal(negotiateOpenAPIV2(OPENAPI_V2_PROTOBUF), 'protobuf');
    assert.equal(negotiateOpenAPIV2(`application/json;q=0.5, ${OPENAPI_V2_PROTOBUF_DEPRECATED}`), 'protobuf');
    assert.equal(negotiateOpenAPIV2(`${OPENAPI_V2_PROTOBUF};q=0.5, application/json`), 'json');
    assert.equal(negotiateOpenAPIV2(`*/*, ${OPENAPI_V2_PROTOBUF}`), 'protobuf', 'an exact type outranks a wildcard of the same q');
    assert.equal(negotiateOpenAPIV2('text/html'), undefined);
    assert.equal(negotiateOpenAPIV2(`${OPENAPI_V2_PROTOBUF};q=0`), undefined);
    assert.equal(negotiateOpenAPIV2('application/vnd.kubernetes.protobuf'), undefined);
  });

  test('serveOpenAPI: protobuf with the JSON ETag and Vary, 304 on a match, bytes encoded once per document', () => {
    const api = buildOpenAPI(builtinResources, builtinDefinitions);
    const accept = OPENAPI_V2_PROTOBUF_DEPRECATED;
    const r = serveOpenAPI(api, '/openapi/v2', new URLSearchParams(), { accept })!;
    assert.equal(r.status, 200);
    assert.equal(r.headers['Content-Type'], OPENAPI_V2_PROTOBUF);
    assert.equal(r.headers.ETag, api.v2().etag);
    assert.equal(r.headers.Vary, 'Accept');
    assert.ok(Buffer.isBuffer(r.body));
    assert.deepEqual(decode(r.body as Buffer).swagger, withoutZeroValues(JSON.parse(api.v2().body)));
    assert.equal(serveOpenAPI(api, '/openapi/v2/', new URLSearchParams(), { accept })!.body, r.body, 'the same bytes, not a new encoding');
    const notModified = serveOpenAPI(api, '/openapi/v2', new URLSearchParams(), { accept, ifNoneMatch: api.v2().etag })!;
    assert.equal(notModified.status, 304);
    assert.equal(notModified.body, '');
    const asJSON = serveOpenAPI(api, '/openapi/v2', new URLSearchParams(), { accept: 'application/json' })!;
    assert.equal(asJSON.headers['Content-Type'], 'application/json');
    assert.equal(asJSON.body, api.v2().body);
    assert.equal(serveOpenAPI(api, '/openapi/v2', new URLSearchParams(), { accept: 'text/html' })!.status, 406);

    // A rebuild with another resource is another document, with its own encoding.
    const rebuilt = buildOpenAPI(resources, definitions, {}, api);
    const again = serveOpenAPI(rebuilt, '/openapi/v2', new URLSearchParams(), { accept })!;
    assert.notEqual(again.headers.ETag, r.headers.ETag);
    assert.ok(decode(again.body as Buffer).swagger.definitions[GADGET]);
    assert.equal(openAPIV2Protobuf(rebuilt.v2()), again.body);
  });
});

// ---- the real kubectl --------------------------------------------------------------------------------

function getBytes(creds: Credentials, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, creds.server);
    const req = request({
      method: 'GET', hostname: url.hostname, port: url.port, path: url.pathname, ca: creds.ca, cert: creds.cert, key: creds.key, agent: false, headers,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(15000, () => req.destroy(new Error(`GET ${path}: no answer in 15 s`)));
    req.on('error', reject);
    req.end();
  });
}

describe('kubectl against a server', () => {
  let server: TestServer;
  let kubectl: Kubectl;
  let creds: Credentials;
  before(async () => {
    server = await startServer({ args: API_ONLY });
    kubectl = kubectlFor(server);
    creds = credentialsOf(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  test('GET /openapi/v2 as client-go asks for it: protobuf that decodes to the JSON document', async () => {
    const proto = await getBytes(creds, '/openapi/v2', { Accept: OPENAPI_V2_PROTOBUF_DEPRECATED });
    assert.equal(proto.status, 200);
    assert.equal(proto.headers['content-type'], OPENAPI_V2_PROTOBUF);
    const json = await getBytes(creds, '/openapi/v2', { Accept: 'application/json' });
    assert.equal(json.headers['content-type'], 'application/json');
    assert.equal(proto.headers.etag, json.headers.etag);
    assert.equal(Number(proto.headers['content-length']), proto.body.length);
    assert.deepEqual(decode(proto.body).swagger, withoutZeroValues(JSON.parse(json.body.toString())));
    const cached = await getBytes(creds, '/openapi/v2', { Accept: OPENAPI_V2_PROTOBUF_DEPRECATED, 'If-None-Match': String(proto.headers.etag) });
    assert.equal(cached.status, 304);
  });

  test('kubectl apply with default validation: an unknown kind is "no matches", a valid built-in is applied', async () => {
    const unknown = await kubectl(['apply', '-f', '-'], { input: 'apiVersion: apps/v1\nkind: ConfigMap\nmetadata:\n  name: misplaced\n', allowFail: true });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no matches for kind "ConfigMap" in version "apps\/v1"/);
    assert.doesNotMatch(unknown.stderr, /openapi/);
    const valid = await kubectl(['apply', '--validate=true', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: valid\ndata:\n  a: b\n' });
    assert.equal(valid.stdout.trim(), 'configmap/valid created');
    const strict = await kubectl(['apply', '--validate=strict', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\ndatta:\n  a: b\n', allowFail: true });
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /unknown field "datta"/);
  });

  test('kubectl explain reads /openapi/v2 with --output plaintext-openapiv2, and v3 as before', async () => {
    const v2 = await kubectl(['explain', 'configmap', '--output', 'plaintext-openapiv2']);
    assert.match(v2.stdout, /^KIND:\s+ConfigMap\nVERSION:\s+v1\n/);
    assert.match(v2.stdout, /\n {3}data\t<map\[string\]string>\n/);
    assert.match(v2.stdout, /\n {3}metadata\t<Object>\n/);
    const deep = await kubectl(['explain', 'deployment.spec.template.spec.containers', '--output', 'plaintext-openapiv2']);
    assert.match(deep.stdout, /^KIND:\s+Deployment\nVERSION:\s+apps\/v1\n/);
    assert.match(deep.stdout, /\n {3}name\t<string> -required-\n/);
    const v3 = await kubectl(['explain', 'configmap']);
    assert.match(v3.stdout, /^KIND:\s+ConfigMap\nVERSION:\s+v1\n/);
  });

  test('a CRD joins the protobuf document: kubectl explain shows its schema from v2', async () => {
    await kubectl(['apply', '-f', fixture('crd-widgets.yaml')]);
    await kubectl(['wait', '--for', 'condition=Established', 'crd/widgets.example.com', '--timeout=20s']);
    const spec = await kubectl(['explain', 'widgets.spec', '--output', 'plaintext-openapiv2']);
    assert.match(spec.stdout, /^KIND:\s+Widget\nVERSION:\s+example\.com\/v1\n/);
    assert.match(spec.stdout, /\n {3}size\t<string> -required-\n/);
    assert.match(spec.stdout, /\n {3}replicas\t<integer>\n/);
  });
});
