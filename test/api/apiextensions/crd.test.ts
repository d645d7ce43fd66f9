import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clone, create, def, msgs, NOW, update } from '../apps/helpers.js';
import { definitions } from '../../../src/api/index.js';
import { resolveSchema } from '../../../src/machinery/schema.js';
import { validateStructural } from '../../../src/api/apiextensions/v1/schema-validation.js';

const crds = def('apiextensions.k8s.io', 'customresourcedefinitions');

const crontabs = (): any => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com', creationTimestamp: '2025-01-01T10:00:00Z' },
  spec: {
    group: 'stable.example.com', scope: 'Namespaced',
    names: { plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'] },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: {
        spec: { type: 'object', properties: { cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' }, replicas: { type: 'integer', minimum: 1 }, port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } },
        status: { type: 'object', properties: { replicas: { type: 'integer' }, labelSelector: { type: 'string' } } },
      } } },
      subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } },
      additionalPrinterColumns: [{ name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' }],
    }],
  },
});

test('crd defaults: singular, listKind, conversion None; create records the storage version', () => {
  const c = crontabs();
  assert.deepEqual(create(crds, c), []);
  assert.equal(c.spec.names.singular, 'crontab');
  assert.equal(c.spec.names.listKind, 'CronTabList');
  assert.deepEqual(c.spec.conversion, { strategy: 'None' });
  assert.deepEqual(c.status, { acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
});

test('crd names: metadata.name is plural.group; group needs a dot; names are DNS-1035 labels', () => {
  const c = crontabs();
  c.metadata.name = 'crontab.stable.example.com';
  c.spec.group = 'example';
  c.spec.names.kind = 'Cron_Tab';
  c.spec.names.listKind = 'Cron_Tab';
  c.spec.scope = 'Global';
  const errs = create(crds, c);
  assert.equal(errs[0], 'metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group');
  assert.ok(errs.includes('spec.group: Invalid value: "example": should be a domain with at least one dot'), errs.join('\n'));
  assert.ok(errs.includes('spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'), errs.join('\n'));
  assert.ok(errs.some((e) => e.startsWith('spec.names.kind: Invalid value: "Cron_Tab": may have mixed case, but should otherwise match: a DNS-1035 label')), errs.join('\n'));
  assert.ok(errs.includes('spec.names.listKind: Invalid value: "Cron_Tab": kind and listKind may not be the same'), errs.join('\n'));
});

test('crd versions: exactly one storage version, unique names, schemas required', () => {
  const c = crontabs();
  c.spec.versions.push({ name: 'v1', served: true, storage: true });
  const errs = create(crds, c);
  assert.ok(errs.includes('spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required'), errs.join('\n'));
  assert.ok(errs.some((e) => e.startsWith('spec.versions: Invalid value') && e.endsWith('must contain unique version names')), errs.join('\n'));
  assert.ok(errs.some((e) => e.endsWith('must have exactly one version marked as storage version')), errs.join('\n'));
  const none = crontabs();
  none.spec.versions[0].storage = false;
  assert.ok(create(crds, none).some((e) => e.endsWith('must have exactly one version marked as storage version')));
});

test('crd schemas must be structural', () => {
  const c = crontabs();
  c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.untyped = { description: 'no type' };
  c.spec.versions[0].schema.openAPIV3Schema.properties.items = { type: 'array' };
  c.spec.versions[0].schema.openAPIV3Schema.properties.metadata = { type: 'object', properties: { labels: { type: 'object' } } };
  const p = 'spec.versions[0].schema.openAPIV3Schema';
  assert.deepEqual(create(crds, c), [
    `${p}.properties[items].items: Required value: must be specified`,
    `${p}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    `${p}.properties[spec].properties[untyped].type: Required value: must not be empty for specified object fields`,
  ]);
  assert.deepEqual(msgs(validateStructural({ type: 'string' }, 'x')), ['x.type: Invalid value: "string": must be object at the root']);
  assert.deepEqual(msgs(validateStructural({ properties: {} }, 'x')), ['x.type: Required value: must not be empty at the root']);
  assert.deepEqual(msgs(validateStructural({ type: 'object', properties: { a: { type: 'string', anyOf: [{ type: 'string', description: 'd' }] } } }, 'x')), [
    'x.properties[a].anyOf[0].description: Forbidden: must be empty to be structural',
    'x.properties[a].anyOf[0].type: Forbidden: must be empty to be structural',
  ]);
  const ref = crontabs();
  ref.spec.versions[0].schema.openAPIV3Schema.properties.spec = { type: 'object', $ref: '#/definitions/x', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } };
  assert.deepEqual(create(crds, ref), [
    `${p}.properties[spec].$ref: Forbidden: $ref is not supported`,
    `${p}.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
  ]);
});

test('crd subresources, printer columns and conversion are checked', () => {
  const c = crontabs();
  const v = c.spec.versions[0];
  v.subresources.scale = { specReplicasPath: '.status.replicas', statusReplicasPath: 'status.replicas' };
  v.additionalPrinterColumns = [{ name: 'Age', type: 'duration', jsonPath: '' }];
  c.spec.conversion = { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v2'], clientConfig: { url: 'http://x.example.com/convert' } } };
  assert.deepEqual(create(crds, c), [
    'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
    'spec.versions[0].subresources.scale.statusReplicasPath: Invalid value: "status.replicas": must be a simple json path starting with .',
    'spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "duration": must be one of boolean,date,integer,number,string',
    'spec.versions[0].additionalPrinterColumns[0].JSONPath: Required value',
    'spec.conversion.webhookClientConfig.url: Invalid value: "http://x.example.com/convert": \'https\' is the only allowed URL scheme',
    'spec.conversion.conversionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1',
  ]);
});

test('crd updates: group and plural immutable; stored versions must stay in spec.versions; a new storage version is recorded', () => {
  const old = crontabs();
  create(crds, old);
  old.status.conditions = [{ type: 'Established', status: 'True' }];
  const renamed = clone(old);
  renamed.spec.scope = 'Cluster';
  assert.deepEqual(update(crds, renamed, old), ['spec.scope: Invalid value: "Cluster": field is immutable']);
  const v2 = clone(old);
  v2.spec.versions[0].storage = false;
  v2.spec.versions.push({ ...clone(old.spec.versions[0]), name: 'v2', storage: true });
  assert.deepEqual(update(crds, v2, old), []);
  assert.deepEqual(v2.status.storedVersions, ['v1', 'v2']);
  const dropped = clone(v2);
  dropped.spec.versions = [dropped.spec.versions[1]];
  assert.deepEqual(update(crds, dropped, v2), ['status.storedVersions[0]: Invalid value: "v1": must appear in spec.versions']);
});

test('crd printer shows NAME and CREATED AT; short names crd, crds', () => {
  const c = crontabs();
  assert.deepEqual(crds.columns!.map((col) => [col.name, col.type]), [['Name', 'string'], ['Created At', 'date']]);
  assert.deepEqual(crds.row!(c, NOW), ['crontabs.stable.example.com', '2025-01-01T10:00:00Z']);
  assert.deepEqual(crds.shortNames, ['crd', 'crds']);
});

test('JSONSchemaProps is recursive through $refs, for kubectl explain and strict validation', () => {
  const props = resolveSchema(definitions.get('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps'), definitions)!;
  const nested = resolveSchema(props.properties!.properties.additionalProperties as any, definitions)!;
  assert.equal(nested, props);
  assert.equal(resolveSchema(props.properties!.items, definitions), props);
  assert.ok(props.properties!['x-kubernetes-validations'] && props.properties!.$ref);
});
