// kubectl's writing verbs against a real k8ts server: create, label, annotate, patch, scale, edit,
// delete with each cascade, watch, and what a request without credentials gets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { kubectl as kubectlWith, startServer, type TestServer } from '../helpers/cluster.js';
import { API_ONLY, credentialsOf, httpRequest, kubectlFor, type Credentials, type Kubectl } from './fixtures/kube-http.js';
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

const json = async (args: string[]) => JSON.parse((await kubectl([...args, '-o', 'json'])).stdout);

test('create configmap, secret and namespace (kubectl sends protobuf bodies)', async () => {
  const ns = await kubectl(['create', 'namespace', 'verbs']);
  assert.equal(ns.stdout.trim(), 'namespace/verbs created');
  const cm = await kubectl(['create', 'configmap', 'settings', '-n', 'verbs', '--from-literal=color=blue', '--from-literal=size=10']);
  assert.equal(cm.stdout.trim(), 'configmap/settings created');
  const secret = await kubectl(['create', 'secret', 'generic', 'token', '-n', 'verbs', '--from-literal=token=abc123']);
  assert.equal(secret.stdout.trim(), 'secret/token created');
  const tls = await kubectl(['create', 'secret', 'docker-registry', 'pull', '-n', 'verbs', '--docker-server=registry.example.com', '--docker-username=u', '--docker-password=p']);
  assert.equal(tls.stdout.trim(), 'secret/pull created');

  assert.deepEqual((await json(['get', 'configmap', 'settings', '-n', 'verbs'])).data, { color: 'blue', size: '10' });
  const s = await json(['get', 'secret', 'token', '-n', 'verbs']);
  assert.equal(s.type, 'Opaque');
  assert.equal(Buffer.from(s.data.token, 'base64').toString(), 'abc123');
  const pull = await json(['get', 'secret', 'pull', '-n', 'verbs']);
  assert.equal(pull.type, 'kubernetes.io/dockerconfigjson');
  assert.ok(JSON.parse(Buffer.from(pull.data['.dockerconfigjson'], 'base64').toString()).auths['registry.example.com']);

  const again = await kubectl(['create', 'configmap', 'settings', '-n', 'verbs'], { allowFail: true });
  assert.equal(again.code, 1);
  assert.equal(again.stderr.trim(), 'error: failed to create configmap: configmaps "settings" already exists');
  const nowhere = await kubectl(['create', 'configmap', 'x', '-n', 'no-such-namespace'], { allowFail: true });
  assert.equal(nowhere.code, 1);
  assert.match(nowhere.stderr, /namespaces "no-such-namespace" not found/);
});

test('label: add, refuse to overwrite without --overwrite, overwrite, remove', async () => {
  assert.equal((await kubectl(['label', 'configmap', 'settings', '-n', 'verbs', 'env=dev'])).stdout.trim(), 'configmap/settings labeled');
  const refused = await kubectl(['label', 'configmap', 'settings', '-n', 'verbs', 'env=prod'], { allowFail: true });
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr.trim(), "error: 'env' already has a value (dev), and --overwrite is false");
  await kubectl(['label', 'configmap', 'settings', '-n', 'verbs', 'env=prod', 'team=core', '--overwrite']);
  assert.deepEqual((await json(['get', 'configmap', 'settings', '-n', 'verbs'])).metadata.labels, { env: 'prod', team: 'core' });
  assert.equal((await kubectl(['label', 'configmap', 'settings', '-n', 'verbs', 'env-'])).stdout.trim(), 'configmap/settings unlabeled');
  const shown = await kubectl(['get', 'configmap', 'settings', '-n', 'verbs', '--show-labels']);
  assert.match(shown.stdout, /\steam=core\n$/);
  // kubectl checks label values itself; the server checks what reaches it by other ways.
  const invalid = await kubectl(['label', 'configmap', 'settings', '-n', 'verbs', 'bad=-value-'], { allowFail: true });
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /^error: invalid label value: "bad=-value-"/);
  const patched = await kubectl(['patch', 'configmap', 'settings', '-n', 'verbs', '-p', '{"metadata":{"labels":{"bad":"-value-"}}}'], { allowFail: true });
  assert.equal(patched.code, 1);
  assert.match(patched.stderr, /^The ConfigMap "settings" is invalid: metadata\.labels: Invalid value: "-value-": a valid label must be an empty string or consist of alphanumeric characters/);
  await kubectl(['label', 'configmap', 'settings', '-n', 'verbs', 'team-']);
  const bare = await json(['get', 'configmap', 'settings', '-n', 'verbs']);
  assert.equal(bare.metadata.labels, undefined, 'removing the last label leaves no labels map, as in Kubernetes');
});

test('annotate: add, overwrite, remove', async () => {
  assert.equal((await kubectl(['annotate', 'configmap', 'settings', '-n', 'verbs', 'owner=jane doe'])).stdout.trim(), 'configmap/settings annotated');
  await kubectl(['annotate', 'configmap', 'settings', '-n', 'verbs', 'owner=sam', '--overwrite']);
  assert.equal((await json(['get', 'configmap', 'settings', '-n', 'verbs'])).metadata.annotations.owner, 'sam');
  await kubectl(['annotate', 'configmap', 'settings', '-n', 'verbs', 'owner-']);
  assert.equal((await json(['get', 'configmap', 'settings', '-n', 'verbs'])).metadata.annotations, undefined);
});

test('patch: strategic merge keeps list items by key, merge patch nulls delete, JSON patch applies and tests', async () => {
  await kubectl(['create', 'deployment', 'web', '-n', 'verbs', '--image=nginx:1.27', '--port=80', '--replicas=2']);
  await kubectl(['patch', 'deployment', 'web', '-n', 'verbs', '-p', JSON.stringify({
    spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.36' }] } } },
  })]);
  let d = await json(['get', 'deployment', 'web', '-n', 'verbs']);
  // Containers merge by name: the new one is added, the old one keeps its port.
  assert.deepEqual(d.spec.template.spec.containers.map((c: any) => c.name).sort(), ['nginx', 'sidecar']);
  assert.equal(d.spec.template.spec.containers.find((c: any) => c.name === 'nginx').ports[0].containerPort, 80);
  const same = await kubectl(['patch', 'deployment', 'web', '-n', 'verbs', '-p', '{"spec":{"replicas":2}}']);
  assert.equal(same.stdout.trim(), 'deployment.apps/web patched (no change)');

  await kubectl(['patch', 'deployment', 'web', '-n', 'verbs', '--type=merge', '-p', JSON.stringify({
    spec: { template: { spec: { containers: [{ name: 'only', image: 'nginx:1.28' }] } } },
  })]);
  d = await json(['get', 'deployment', 'web', '-n', 'verbs']);
  assert.deepEqual(d.spec.template.spec.containers.map((c: any) => c.name), ['only'], 'a merge patch replaces lists whole');

  await kubectl(['patch', 'configmap', 'settings', '-n', 'verbs', '--type=merge', '-p', '{"data":{"size":null,"shape":"round"}}']);
  assert.deepEqual((await json(['get', 'configmap', 'settings', '-n', 'verbs'])).data, { color: 'blue', shape: 'round' });

  const jp = await kubectl(['patch', 'configmap', 'settings', '-n', 'verbs', '--type=json', '-p',
    '[{"op":"test","path":"/data/color","value":"blue"},{"op":"replace","path":"/data/color","value":"red"},{"op":"remove","path":"/data/shape"}]']);
  assert.equal(jp.stdout.trim(), 'configmap/settings patched');
  assert.deepEqual((await json(['get', 'configmap', 'settings', '-n', 'verbs'])).data, { color: 'red' });
  const failed = await kubectl(['patch', 'configmap', 'settings', '-n', 'verbs', '--type=json', '-p', '[{"op":"test","path":"/data/color","value":"blue"}]'], { allowFail: true });
  assert.equal(failed.code, 1);
  assert.equal(failed.stderr.trim(), 'The request is invalid: : testing value /data/color failed: test failed');

  const badType = await kubectl(['patch', 'deployment', 'web', '-n', 'verbs', '-p', '{"spec":{"replicas":"two"}}'], { allowFail: true });
  assert.equal(badType.code, 1);
  assert.match(badType.stderr, /Error from server \(BadRequest\)/);
});

test('scale goes through the scale subresource', async () => {
  const r = await kubectl(['scale', 'deployment', 'web', '-n', 'verbs', '--replicas=3', '-v=6']);
  assert.match(r.stdout, /^deployment\.apps\/web scaled$/m);
  assert.match(r.stderr, /PATCH https:\/\/\S+\/apis\/apps\/v1\/namespaces\/verbs\/deployments\/web\/scale\S* 200 OK/);
  assert.equal((await json(['get', 'deployment', 'web', '-n', 'verbs'])).spec.replicas, 3);
  const scale = JSON.parse((await kubectl(['get', '--raw', '/apis/apps/v1/namespaces/verbs/deployments/web/scale'])).stdout);
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.apiVersion, 'autoscaling/v1');
  assert.equal(scale.spec.replicas, 3);
  assert.equal(scale.status.selector, 'app=web');
  const wrong = await kubectl(['scale', 'deployment', 'web', '-n', 'verbs', '--current-replicas=5', '--replicas=4'], { allowFail: true });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /Expected replicas to be 5, was 3/);
  const cm = await kubectl(['scale', 'configmap', 'settings', '-n', 'verbs', '--replicas=2'], { allowFail: true });
  assert.equal(cm.code, 1);
});

test('edit with KUBE_EDITOR changes a field; an edit that changes nothing is cancelled', async () => {
  const editor = 'sed -i -e s/nginx:1.28/nginx:1.29/';
  const r = await kubectl(['edit', 'deployment', 'web', '-n', 'verbs'], { env: { KUBE_EDITOR: editor } });
  assert.equal(r.stdout.trim(), 'deployment.apps/web edited');
  assert.equal((await json(['get', 'deployment', 'web', '-n', 'verbs'])).spec.template.spec.containers[0].image, 'nginx:1.29');
  const none = await kubectl(['edit', 'configmap', 'settings', '-n', 'verbs'], { env: { KUBE_EDITOR: 'true' } });
  assert.equal(none.code, 0);
  assert.equal(none.stderr.trim(), 'Edit cancelled, no changes made.');
});

test('delete with --cascade=background, foreground and orphan: the finalizers the API server sets', async () => {
  for (const name of ['bg', 'fg', 'orphan']) await kubectl(['create', 'deployment', name, '-n', 'verbs', '--image=nginx']);

  const bg = await kubectl(['delete', 'deployment', 'bg', '-n', 'verbs', '--cascade=background', '--wait=false']);
  assert.equal(bg.stdout.trim(), 'deployment.apps "bg" deleted');
  const gone = await kubectl(['get', 'deployment', 'bg', '-n', 'verbs'], { allowFail: true });
  assert.equal(gone.stderr.trim(), 'Error from server (NotFound): deployments.apps "bg" not found');

  // With no garbage collector running, the objects wait for their finalizers.
  await kubectl(['delete', 'deployment', 'fg', '-n', 'verbs', '--cascade=foreground', '--wait=false']);
  const fg = await json(['get', 'deployment', 'fg', '-n', 'verbs']);
  assert.deepEqual(fg.metadata.finalizers, ['foregroundDeletion']);
  assert.ok(fg.metadata.deletionTimestamp);
  await kubectl(['delete', 'deployment', 'orphan', '-n', 'verbs', '--cascade=orphan', '--wait=false']);
  const orphan = await json(['get', 'deployment', 'orphan', '-n', 'verbs']);
  assert.deepEqual(orphan.metadata.finalizers, ['orphan']);
  assert.ok(orphan.metadata.deletionTimestamp);

  // Once the finalizer is removed, as the garbage collector would, the object goes.
  await kubectl(['patch', 'deployment', 'orphan', '-n', 'verbs', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  const after = await kubectl(['get', 'deployment', 'orphan', '-n', 'verbs'], { allowFail: true });
  assert.equal(after.code, 1);
  assert.match(after.stderr, /NotFound/);
});

test('deleting a missing object fails with NotFound; --ignore-not-found succeeds quietly', async () => {
  const r = await kubectl(['delete', 'configmap', 'nope', '-n', 'verbs'], { allowFail: true });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), 'Error from server (NotFound): configmaps "nope" not found');
  const quiet = await kubectl(['delete', 'configmap', 'nope', '-n', 'verbs', '--ignore-not-found']);
  assert.equal(quiet.stdout, '');
});

test('get -w --output-watch-events prints ADDED, MODIFIED and DELETED as they happen', async () => {
  await kubectl(['create', 'namespace', 'watched']);
  await kubectl(['create', 'configmap', 'first', '-n', 'watched', '--from-literal=a=1']);
  const child = spawn('/usr/bin/kubectl', ['--kubeconfig', server.kubeconfig, 'get', 'configmaps', '-n', 'watched', '-w', '--output-watch-events'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const rows = () => out.trim().split('\n').map((l) => l.split(/\s+/).slice(0, 3).join(' '));
  try {
    await waitFor('the watch lists what exists', () => rows().includes('ADDED first 1'));
    await kubectl(['create', 'configmap', 'second', '-n', 'watched', '--from-literal=a=1']);
    await waitFor('ADDED second', () => rows().includes('ADDED second 1'));
    await kubectl(['patch', 'configmap', 'second', '-n', 'watched', '-p', '{"data":{"b":"2"}}']);
    await waitFor('MODIFIED second', () => rows().includes('MODIFIED second 2'));
    await kubectl(['delete', 'configmap', 'second', '-n', 'watched']);
    await waitFor('DELETED second', () => rows().includes('DELETED second 2'));
    assert.deepEqual(rows(), ['EVENT NAME DATA', 'ADDED first 1', 'ADDED second 1', 'MODIFIED second 2', 'DELETED second 2']);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
  }
});

test('kubectl auth whoami names the admin user and its groups', async () => {
  const r = await kubectl(['auth', 'whoami']);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), [
    'ATTRIBUTE   VALUE',
    'Username    system:admin',
    'Groups      [system:masters system:authenticated]',
  ]);
});

test('a request without credentials or with an unknown token gets 401 Unauthorized; /version stays public', async () => {
  const anon = await httpRequest(creds, 'GET', '/api/v1/namespaces', { anonymous: true });
  assert.equal(anon.status, 401);
  assert.deepEqual(anon.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  const version = await httpRequest(creds, 'GET', '/version', { anonymous: true });
  assert.equal(version.status, 200);
  assert.equal(version.json.major, '1');
  assert.equal(version.json.minor, '32');

  // kubectl with a kubeconfig that trusts the server but carries a token it does not know.
  const kc = join(server.dataDir, 'anonymous.kubeconfig');
  writeFileSync(kc, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'anon',
    clusters: [{ name: 'k8ts', cluster: { server: creds.server, 'certificate-authority-data': Buffer.from(creds.ca).toString('base64') } }],
    users: [{ name: 'nobody', user: { token: 'not-a-token' } }],
    contexts: [{ name: 'anon', context: { cluster: 'k8ts', user: 'nobody' } }],
  }));
  const r = await kubectlWith(kc, ['get', 'namespaces'], { allowFail: true });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), 'error: You must be logged in to the server (Unauthorized)');
});
