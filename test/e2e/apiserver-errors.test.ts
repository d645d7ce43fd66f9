// What a user sees when a request is wrong: malformed manifests, bodies over the size limit,
// invalid names, mismatched apiVersion/kind, stale updates, duplicates, unknown resources.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { API_ONLY, credentialsOf, httpRequest, kubectlFor, type Credentials, type Kubectl } from './fixtures/kube-http.js';

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

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

test('malformed YAML: kubectl names the line; the server answers 400 to a malformed body', async () => {
  const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n   namespace: x\n';
  const r = await kubectl(['apply', '-f', '-'], { input: broken, allowFail: true });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), 'error: error parsing STDIN: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context');

  const json = await httpRequest(creds, 'POST', CONFIGMAPS, { body: '{"apiVersion":"v1",' });
  assert.equal(json.status, 400);
  assert.equal(json.json.kind, 'Status');
  assert.equal(json.json.reason, 'BadRequest');
  const yaml = await httpRequest(creds, 'PATCH', `${CONFIGMAPS}/m?fieldManager=test`, { body: broken, contentType: 'application/apply-patch+yaml' });
  assert.equal(yaml.status, 400);
  assert.equal(yaml.json.reason, 'BadRequest');
  assert.match(yaml.json.message, /^error decoding YAML/);
});

test('a 4 MiB ConfigMap is refused with 413 RequestEntityTooLarge', async () => {
  const file = join(server.dataDir, 'big.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'default' }, data: { blob: 'x'.repeat(4 * 1024 * 1024) } }));
  const r = await kubectl(['create', '-f', file], { allowFail: true });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), `Error from server (RequestEntityTooLarge): error when creating "${file}": Request entity too large: limit is 3145728`);
  const raw = await httpRequest(creds, 'POST', CONFIGMAPS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { blob: 'y'.repeat(4 * 1024 * 1024) } } });
  assert.equal(raw.status, 413);
  assert.equal(raw.json.reason, 'RequestEntityTooLarge');
  assert.equal((await httpRequest(creds, 'GET', `${CONFIGMAPS}/big`)).status, 404);
  // The server is still well after refusing it.
  assert.equal((await kubectl(['create', 'configmap', 'small', '--from-literal=a=b'])).stdout.trim(), 'configmap/small created');
});

test('an invalid name is refused with 422 naming metadata.name', async () => {
  const r = await kubectl(['create', 'configmap', 'Bad_Name'], { allowFail: true });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '\.', and must start and end with an alphanumeric character/);
  const raw = await httpRequest(creds, 'POST', CONFIGMAPS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } } });
  assert.equal(raw.status, 422);
  assert.equal(raw.json.reason, 'Invalid');
  assert.deepEqual(raw.json.details.causes.map((c: { field: string; reason: string }) => [c.field, c.reason]), [['metadata.name', 'FieldValueInvalid']]);
  const ns = await kubectl(['create', 'namespace', 'Not.A.Label'], { allowFail: true });
  assert.equal(ns.code, 1);
  assert.match(ns.stderr, /metadata\.name: Invalid value: "Not\.A\.Label": a lowercase RFC 1123 label must consist of/);
});

test('an apiVersion or kind that does not match the URL is refused with 400', async () => {
  const kind = await httpRequest(creds, 'POST', CONFIGMAPS, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mixed' } } });
  assert.equal(kind.status, 400);
  assert.equal(kind.json.reason, 'BadRequest');
  assert.match(kind.json.message, /^Secret in version "v1" cannot be handled as a ConfigMap/);
  const version = await httpRequest(creds, 'POST', CONFIGMAPS, { body: { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'mixed' } } });
  assert.equal(version.status, 400);
  assert.equal(version.json.message, 'the API version in the data (apps/v1) does not match the expected API version (v1)');
  const namespace = await httpRequest(creds, 'POST', CONFIGMAPS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mixed', namespace: 'kube-system' } } });
  assert.equal(namespace.status, 400);
  assert.equal(namespace.json.message, 'the namespace of the provided object does not match the namespace sent on the request');

  const file = join(server.dataDir, 'secret-as-configmap.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mixed' } }));
  const raw = await kubectl(['create', '--raw', CONFIGMAPS, '-f', file], { allowFail: true });
  assert.equal(raw.code, 1);
  assert.match(raw.stderr, /^Error from server \(BadRequest\): Secret in version "v1" cannot be handled as a ConfigMap/);
});

test('a kind the server does not serve: kubectl reports no matches for the kind', async () => {
  const manifest = 'apiVersion: apps/v1\nkind: ConfigMap\nmetadata:\n  name: misplaced\n';
  const r = await kubectl(['apply', '--validate=false', '-f', '-'], { input: manifest, allowFail: true });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no matches for kind "ConfigMap" in version "apps\/v1"/);
  const unknown = await kubectl(['get', 'foos'], { allowFail: true });
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr.trim(), 'error: the server doesn\'t have a resource type "foos"');
});

test('the same with kubectl\'s default validation, which reads /openapi/v2 (protobuf) for kinds missing from /openapi/v3', async () => {
  const manifest = 'apiVersion: apps/v1\nkind: ConfigMap\nmetadata:\n  name: misplaced\n';
  const r = await kubectl(['apply', '-f', '-'], { input: manifest, allowFail: true });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no matches for kind "ConfigMap" in version "apps\/v1"/);
  assert.doesNotMatch(r.stderr, /failed to download openapi/);
});

test('replacing with a stale resourceVersion gets 409 Conflict; creating a duplicate gets AlreadyExists', async () => {
  await kubectl(['create', 'configmap', 'stale', '--from-literal=a=1']);
  const old = (await kubectl(['get', 'configmap', 'stale', '-o', 'yaml'])).stdout;
  await kubectl(['label', 'configmap', 'stale', 'changed=yes']);
  const file = join(server.dataDir, 'stale.yaml');
  writeFileSync(file, old);
  const r = await kubectl(['replace', '-f', file], { allowFail: true });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), `Error from server (Conflict): error when replacing "${file}": Operation cannot be fulfilled on configmaps "stale": the object has been modified; please apply your changes to the latest version and try again`);
  assert.equal((await kubectl(['get', 'configmap', 'stale', '-o', 'jsonpath={.metadata.labels.changed}'])).stdout, 'yes', 'the newer write stands');

  const current = JSON.parse((await kubectl(['get', 'configmap', 'stale', '-o', 'json'])).stdout);
  const put = await httpRequest(creds, 'PUT', `${CONFIGMAPS}/stale`, { body: { ...current, metadata: { ...current.metadata, resourceVersion: '1' } } });
  assert.equal(put.status, 409);
  assert.equal(put.json.reason, 'Conflict');
  assert.deepEqual(put.json.details, { name: 'stale', kind: 'configmaps' });

  const dup = await kubectl(['create', '-f', file], { allowFail: true });
  assert.equal(dup.code, 1);
  assert.equal(dup.stderr.trim(), `Error from server (AlreadyExists): error when creating "${file}": configmaps "stale" already exists`);
});
