// CustomResourceDefinitions through the real kubectl: establishment, discovery and short names,
// printer columns, schema validation (422 with field paths), pruning, status and scale
// subresources, and deleting the CRD taking its custom resources with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { API_ONLY, credentialsOf, fixture, httpRequest, kubectlFor, type Credentials, type Kubectl } from './fixtures/kube-http.js';
import { waitFor } from '../helpers/wait.js';

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

const CRD = fixture('crd-widgets.yaml');
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';
const lines = (s: string) => s.trimEnd().split('\n');
const widget = (name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: 'default' }, spec, ...extra,
});

test('a CRD is created and becomes Established, with its names accepted', async () => {
  const r = await kubectl(['apply', '-f', CRD]);
  assert.equal(r.stdout.trim(), 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created');
  const wait = await kubectl(['wait', '--for', 'condition=Established', 'crd/widgets.example.com', '--timeout=20s']);
  assert.equal(wait.stdout.trim(), 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met');
  const crd = JSON.parse((await kubectl(['get', 'crd', 'widgets.example.com', '-o', 'json'])).stdout);
  const conditions = Object.fromEntries(crd.status.conditions.map((c: { type: string; status: string }) => [c.type, c.status]));
  assert.equal(conditions.NamesAccepted, 'True');
  assert.equal(conditions.Established, 'True');
  assert.deepEqual(crd.status.acceptedNames.shortNames, ['wg']);
  assert.deepEqual(crd.status.storedVersions, ['v1']);
});

test('discovery lists the new resource with its short name', async () => {
  const rows = lines((await kubectl(['api-resources', '--api-group=example.com'])).stdout);
  assert.match(rows[0], /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
  assert.match(rows[1], /^widgets\s+wg\s+example\.com\/v1\s+true\s+Widget$/);
  assert.ok(lines((await kubectl(['api-versions'])).stdout).includes('example.com/v1'));
});

test('custom resources are created and kubectl get <shortname> shows the printer columns', async () => {
  const r = await kubectl(['apply', '-f', fixture('widgets.yaml')]);
  assert.deepEqual(lines(r.stdout), ['widget.example.com/small-one created', 'widget.example.com/big-one created']);
  const table = lines((await kubectl(['get', 'wg'])).stdout);
  assert.equal(table[0], 'NAME        SIZE    REPLICAS   AGE');
  assert.match(table[1], /^big-one     large   3          \d+[smh](\d+[sm])?$/);
  assert.match(table[2], /^small-one   small   1          \d+[smh](\d+[sm])?$/);
  const byFullName = await kubectl(['get', 'widgets.example.com', 'small-one', '-o', 'jsonpath={.spec.color}']);
  assert.equal(byFullName.stdout, 'red');
  const reapply = await kubectl(['apply', '-f', fixture('widgets.yaml')]);
  assert.deepEqual(lines(reapply.stdout), ['widget.example.com/small-one unchanged', 'widget.example.com/big-one unchanged']);
});

test('values violating the schema get 422 Invalid naming each field: type, enum, minimum, maximum, required', async () => {
  const bad = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: bad\n  namespace: default\nspec:\n  size: huge\n  replicas: 11\n  color: 5\n';
  const r = await kubectl(['create', '-f', '-'], { input: bad, allowFail: true });
  assert.equal(r.code, 1);
  assert.deepEqual(lines(r.stderr.trim()), [
    'The Widget "bad" is invalid: ',
    '* spec.color: Invalid value: "integer": spec.color in body must be of type string: "integer"',
    '* spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
    '* spec.size: Unsupported value: "huge": supported values: "small", "medium", "large"',
  ]);

  const res = await httpRequest(creds, 'POST', WIDGETS, { body: widget('bad', { replicas: -1 }) });
  assert.equal(res.status, 422);
  assert.equal(res.json.reason, 'Invalid');
  assert.equal(res.json.details.kind, 'Widget');
  assert.equal(res.json.details.group, 'example.com');
  assert.deepEqual(res.json.details.causes.map((c: { field: string; reason: string }) => `${c.field} ${c.reason}`).sort(), [
    'spec.replicas FieldValueInvalid', 'spec.size FieldValueRequired',
  ]);
  const get = await kubectl(['get', 'wg', 'bad'], { allowFail: true });
  assert.match(get.stderr, /NotFound/);
});

test('unknown fields are pruned (with a warning), or refused under strict validation', async () => {
  const res = await httpRequest(creds, 'POST', WIDGETS, { body: widget('pruned', { size: 'medium', extra: 5, nested: { a: 1 } }, { topLevel: true }) });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.json.spec, { size: 'medium' });
  assert.equal(res.json.topLevel, undefined);
  const stored = JSON.parse((await kubectl(['get', 'wg', 'pruned', '-o', 'json'])).stdout);
  assert.deepEqual(stored.spec, { size: 'medium' });

  // kubectl asks for strict validation: the same object is refused.
  const strict = await kubectl(['create', '-f', '-'], { input: JSON.stringify(widget('strict', { size: 'small', extra: 5 })), allowFail: true });
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /strict decoding error: unknown field "spec\.extra"/);
  // --validate=warn: accepted and pruned, with the server's warning; --validate=false: silently.
  const warn = await kubectl(['create', '--validate=warn', '-f', '-'], { input: JSON.stringify(widget('warned', { size: 'small', extra: 5 })) });
  assert.equal(warn.stdout.trim(), 'widget.example.com/warned created');
  assert.match(warn.stderr, /Warning: unknown field "spec\.extra"/);
  const lax = await kubectl(['create', '--validate=false', '-f', '-'], { input: JSON.stringify(widget('lax', { size: 'small', extra: 5 })) });
  assert.equal(lax.stdout.trim(), 'widget.example.com/lax created');
  assert.equal(lax.stderr, '');
  for (const name of ['warned', 'lax']) {
    assert.equal((await kubectl(['get', 'wg', name, '-o', 'jsonpath={.spec}'])).stdout, '{"size":"small"}');
  }
});

test('the status subresource: status is written only there, spec changes bump the generation', async () => {
  const s = await kubectl(['patch', 'wg', 'big-one', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":2,"selector":"app=big"}}']);
  assert.equal(s.stdout.trim(), 'widget.example.com/big-one patched');
  const ignored = await kubectl(['patch', 'wg', 'big-one', '--type=merge', '-p', '{"status":{"replicas":9}}']);
  assert.equal(ignored.stdout.trim(), 'widget.example.com/big-one patched (no change)');
  const w = JSON.parse((await kubectl(['get', 'wg', 'big-one', '-o', 'json'])).stdout);
  assert.deepEqual(w.status, { replicas: 2, selector: 'app=big' });
  assert.equal(w.metadata.generation, 1);
  await kubectl(['patch', 'wg', 'big-one', '--type=merge', '-p', '{"spec":{"color":"blue"}}']);
  assert.equal((await kubectl(['get', 'wg', 'big-one', '-o', 'jsonpath={.metadata.generation}'])).stdout, '2');
});

test('kubectl scale on a custom resource uses its scale subresource and its schema', async () => {
  const r = await kubectl(['scale', 'wg', 'big-one', '--replicas=5']);
  assert.equal(r.stdout.trim(), 'widget.example.com/big-one scaled');
  assert.equal((await kubectl(['get', 'wg', 'big-one', '-o', 'jsonpath={.spec.replicas}'])).stdout, '5');
  const scale = JSON.parse((await kubectl(['get', '--raw', `${WIDGETS}/big-one/scale`])).stdout);
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.apiVersion, 'autoscaling/v1');
  assert.deepEqual(scale.spec, { replicas: 5 });
  assert.deepEqual(scale.status, { replicas: 2, selector: 'app=big' });
  const tooMany = await kubectl(['scale', 'wg', 'big-one', '--replicas=11'], { allowFail: true });
  assert.equal(tooMany.code, 1);
  assert.equal(tooMany.stderr.trim(), 'The Widget "big-one" is invalid: spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10');
  const table = lines((await kubectl(['get', 'wg', 'big-one'])).stdout);
  assert.match(table[1], /^big-one\s+large\s+5\s+/);
});

test('deleting the CRD removes its custom resources and its API', async () => {
  const r = await kubectl(['delete', 'crd', 'widgets.example.com', '--timeout=30s']);
  assert.equal(r.stdout.trim(), 'customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted');
  const gone = await httpRequest(creds, 'GET', WIDGETS);
  assert.equal(gone.status, 404);
  // Created again, the resource starts empty: the old objects went with the definition.
  await kubectl(['apply', '-f', CRD]);
  await kubectl(['wait', '--for', 'condition=Established', 'crd/widgets.example.com', '--timeout=20s']);
  const list = await waitFor('the widgets API is served again', async () => {
    const res = await httpRequest(creds, 'GET', WIDGETS);
    return res.status === 200 ? res.json : undefined;
  });
  assert.deepEqual(list.items, []);
});
