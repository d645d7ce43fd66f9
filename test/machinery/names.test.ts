import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  validateDNS1123Subdomain, validateDNS1123Label, validateDNS1035Label, validateQualifiedName, validateLabelValue,
  validateLabels, validateAnnotations, validateObjectMeta, validateObjectMetaUpdate, maskTrailingDash,
} from '../../src/machinery/names.js';

test('DNS-1123 subdomains', () => {
  for (const ok of ['a', 'example.com', 'a-b.c-d', '0', 'x'.repeat(253), 'abc.123']) assert.deepEqual(validateDNS1123Subdomain(ok), [], ok);
  assert.deepEqual(validateDNS1123Subdomain('Example.com'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  for (const badName of ['', '-a', 'a-', 'a..b', '.a', 'a_b', 'a b', 'ä']) assert.equal(validateDNS1123Subdomain(badName).length, 1, badName);
  assert.deepEqual(validateDNS1123Subdomain('x'.repeat(254)), ['must be no more than 253 characters']);
});

test('DNS-1123 labels say "must not contain dots" for subdomains', () => {
  assert.deepEqual(validateDNS1123Label('my-name'), []);
  assert.deepEqual(validateDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(validateDNS1123Label('My'), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  const long = validateDNS1123Label('a'.repeat(64));
  assert.deepEqual(long, ['must be no more than 63 characters']);
});

test('DNS-1035 labels must start with a letter', () => {
  assert.deepEqual(validateDNS1035Label('web'), []);
  assert.deepEqual(validateDNS1035Label('1web'), [
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
});

test('qualified names: optional subdomain prefix, then a name part', () => {
  for (const ok of ['app', 'app.kubernetes.io/name', 'MyName', 'my.name', '123-abc', 'a_b', 'example.com/X']) assert.deepEqual(validateQualifiedName(ok), [], ok);
  assert.deepEqual(validateQualifiedName('/a'), ['prefix part must be non-empty']);
  assert.deepEqual(validateQualifiedName('a/'), [
    'name part must be non-empty',
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
  assert.match(validateQualifiedName('Example.com/a')[0], /^prefix part a lowercase RFC 1123 subdomain/);
  assert.match(validateQualifiedName('a/b/c')[0], /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  assert.deepEqual(validateQualifiedName('x'.repeat(64))[0], 'name part must be no more than 63 characters');
});

test('label values may be empty', () => {
  assert.deepEqual(validateLabelValue(''), []);
  assert.deepEqual(validateLabelValue('v1.2_3-x'), []);
  assert.deepEqual(validateLabelValue('-x'), [
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ]);
  assert.equal(validateLabelValue('x'.repeat(64))[0], 'must be no more than 63 characters');
});

test('validateLabels reports on the map path', () => {
  assert.deepEqual(validateLabels({ app: 'web' }, 'metadata.labels'), []);
  const errs = validateLabels({ 'bad key!': 'ok', good: 'bad value!' }, 'metadata.labels');
  assert.equal(errs.length, 2);
  assert.ok(errs.every((e) => e.field === 'metadata.labels' && e.type === 'FieldValueInvalid'));
  assert.match(errs[0].message, /^Invalid value: "bad key!": name part must consist/);
  assert.match(errs[1].message, /^Invalid value: "bad value!": a valid label must be/);
  assert.equal(validateLabels({ a: 1 }, 'metadata.labels')[0].type, 'FieldValueTypeInvalid');
  assert.equal(validateLabels('x', 'metadata.labels').length, 1);
});

test('annotations: case-insensitive keys and a 256 KiB total', () => {
  assert.deepEqual(validateAnnotations({ 'Kubectl.Kubernetes.IO/last-applied': '{}' }, 'metadata.annotations'), []);
  assert.equal(validateAnnotations({ 'a/b/c': '' }, 'metadata.annotations').length, 1);
  const big = validateAnnotations({ a: 'x'.repeat(256 * 1024) }, 'metadata.annotations');
  assert.deepEqual(big, [{ type: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: may not be more than 262144 bytes' }]);
  assert.deepEqual(validateAnnotations({ a: 'x'.repeat(256 * 1024 - 1) }, 'metadata.annotations'), []);
});

test('ObjectMeta: name or generateName, namespace scope', () => {
  assert.deepEqual(validateObjectMeta({ name: 'web', namespace: 'default' }, { namespaced: true }), []);
  assert.deepEqual(validateObjectMeta({ name: 'n1' }, { namespaced: false }), []);
  assert.deepEqual(validateObjectMeta({ namespace: 'default' }, { namespaced: true }), [
    { type: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' },
  ]);
  assert.deepEqual(validateObjectMeta({ name: 'web' }, { namespaced: true }), [
    { type: 'FieldValueRequired', field: 'metadata.namespace', message: 'Required value' },
  ]);
  assert.deepEqual(validateObjectMeta({ name: 'n1', namespace: 'x' }, { namespaced: false }), [
    { type: 'FieldValueForbidden', field: 'metadata.namespace', message: 'Forbidden: not allowed on this type' },
  ]);
  const badName = validateObjectMeta({ name: 'Web_1', namespace: 'default' }, { namespaced: true });
  assert.equal(badName.length, 1);
  assert.equal(badName[0].field, 'metadata.name');
  assert.match(badName[0].message, /^Invalid value: "Web_1": a lowercase RFC 1123 subdomain/);
  assert.equal(validateObjectMeta({ name: 'web', namespace: 'a.b' }, { namespaced: true })[0].message, 'Invalid value: "a.b": must not contain dots');
  // generateName may end in '-'; a custom validator (e.g. DNS-1035 for Services) applies to both.
  assert.deepEqual(validateObjectMeta({ name: 'web-x7k2p', generateName: 'web-', namespace: 'd' }, { namespaced: true }), []);
  assert.equal(maskTrailingDash('web-'), 'wea');
  const svc = validateObjectMeta({ name: '1svc', namespace: 'd' }, { namespaced: true, nameValidator: validateDNS1035Label });
  assert.match(svc[0].message, /DNS-1035/);
  assert.equal(validateObjectMeta({ name: 'x', namespace: 'd', generation: -1 }, { namespaced: true })[0].message, 'Invalid value: -1: must be greater than or equal to 0');
  assert.equal(validateObjectMeta('nope', { namespaced: false }).length, 1);
});

test('ObjectMeta: ownerReferences shape, one controller, no Event owners', () => {
  const ok = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true };
  assert.deepEqual(validateObjectMeta({ name: 'p', namespace: 'd', ownerReferences: [ok] }, { namespaced: true }), []);
  const errs = validateObjectMeta({ name: 'p', namespace: 'd', ownerReferences: [{ kind: 'X' }] }, { namespaced: true });
  assert.deepEqual(errs.map((e) => [e.field, e.message]), [
    ['metadata.ownerReferences.apiVersion', 'Invalid value: "": version must not be empty'],
    ['metadata.ownerReferences.name', 'Invalid value: "": name must not be empty'],
    ['metadata.ownerReferences.uid', 'Invalid value: "": uid must not be empty'],
  ]);
  const two = validateObjectMeta({ name: 'p', namespace: 'd', ownerReferences: [ok, { ...ok, name: 'rs2', uid: 'u2' }] }, { namespaced: true });
  assert.equal(two.length, 1);
  assert.match(two[0].message, /Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/rs and ReplicaSet\/rs2$/);
  const ev = validateObjectMeta({ name: 'p', namespace: 'd', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] }, { namespaced: true });
  assert.match(ev[0].message, /\/v1, Kind=Event is disallowed from being an owner$/);
});

test('ObjectMeta: finalizers are qualified names; orphan and foregroundDeletion conflict', () => {
  assert.deepEqual(validateObjectMeta({ name: 'p', finalizers: ['kubernetes.io/pvc-protection', 'foregroundDeletion'] }, { namespaced: false }), []);
  const bad = validateObjectMeta({ name: 'p', finalizers: ['a/b/c'] }, { namespaced: false });
  assert.equal(bad[0].field, 'metadata.finalizers');
  const both = validateObjectMeta({ name: 'p', finalizers: ['orphan', 'foregroundDeletion'] }, { namespaced: false });
  assert.equal(both[0].message, 'Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set');
});

test('ObjectMeta: managedFields operation and fieldsType', () => {
  const errs = validateObjectMeta({ name: 'p', managedFields: [{ manager: 'kubectl', operation: 'Patch', fieldsType: 'FieldsV2' }] }, { namespaced: false });
  assert.deepEqual(errs.map((e) => [e.field, e.message]), [
    ['metadata.managedFields[0].operation', 'Invalid value: "Patch": must be `Apply` or `Update`'],
    ['metadata.managedFields[0].fieldsType', 'Invalid value: "FieldsV2": must be `FieldsV1`'],
  ]);
});

test('ObjectMeta update: identity is immutable, no new finalizers while deleting', () => {
  const old = { name: 'p', namespace: 'd', uid: 'u', resourceVersion: '5', creationTimestamp: '2024-01-01T00:00:00Z', generation: 2 };
  assert.deepEqual(validateObjectMetaUpdate({ ...old, labels: { a: 'b' } }, old), []);
  const errs = validateObjectMetaUpdate({ ...old, name: 'q', uid: 'v', resourceVersion: '', generation: 1 }, old);
  assert.deepEqual(errs.map((e) => e.field), ['metadata.resourceVersion', 'metadata.generation', 'metadata.name', 'metadata.uid']);
  assert.equal(errs[2].message, 'Invalid value: "q": field is immutable');
  const deleting = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a.io/x'] };
  const fin = validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting);
  assert.deepEqual(fin.map((e) => e.message), ['Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}']);
  assert.deepEqual(validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting), []);
});
