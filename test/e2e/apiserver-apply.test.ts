// kubectl apply against a real k8ts server: a multi-document manifest of the common kinds applied
// client-side and server-side, field manager conflicts, diff, strict field validation and dry runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { API_ONLY, fixture, kubectlFor, type Kubectl } from './fixtures/kube-http.js';

let server: TestServer;
let kubectl: Kubectl;

before(async () => {
  server = await startServer({ args: API_ONLY });
  kubectl = kubectlFor(server);
});
after(async () => {
  await server?.stop();
});

const APP = fixture('app.yaml');
const OBJECTS = [
  'namespace/shop',
  'configmap/shop-config',
  'secret/shop-credentials',
  'serviceaccount/shop-runner',
  'role.rbac.authorization.k8s.io/config-reader',
  'rolebinding.rbac.authorization.k8s.io/shop-runner-reads-config',
  'deployment.apps/web',
  'service/web',
  'job.batch/migrate',
  'cronjob.batch/nightly-report',
  'ingress.networking.k8s.io/web',
];

const lines = (s: string) => s.trim().split('\n');

test('apply creates every object of a multi-document manifest, in order', async () => {
  const r = await kubectl(['apply', '-f', APP]);
  assert.deepEqual(lines(r.stdout), OBJECTS.map((o) => `${o} created`));
  // What the server made of them: stringData folded into data, a cluster IP from the service range,
  // the namespace's name label, the last-applied annotation kubectl reads back on the next apply.
  const secret = await kubectl(['get', 'secret', 'shop-credentials', '-n', 'shop', '-o', 'jsonpath={.data.password}']);
  assert.equal(Buffer.from(secret.stdout, 'base64').toString(), 's3cr3t');
  const ip = await kubectl(['get', 'service', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.clusterIP}']);
  assert.match(ip.stdout, /^10\.43\.\d+\.\d+$/);
  const ns = await kubectl(['get', 'namespace', 'shop', '-o', 'jsonpath={.metadata.labels}']);
  assert.deepEqual(JSON.parse(ns.stdout), { 'kubernetes.io/metadata.name': 'shop', team: 'web' });
  const cm = await kubectl(['get', 'configmap', 'shop-config', '-n', 'shop', '-o', 'json']);
  const lastApplied = JSON.parse(JSON.parse(cm.stdout).metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
  assert.equal(lastApplied.data.LOG_LEVEL, 'info');
  const job = await kubectl(['get', 'job', 'migrate', '-n', 'shop', '-o', 'json']);
  const selector = JSON.parse(job.stdout).spec.selector.matchLabels;
  assert.ok(selector['batch.kubernetes.io/controller-uid'], 'a job gets a generated selector');
});

test('re-applying the same manifest changes nothing (a Secret with stringData always patches, as in Kubernetes)', async () => {
  const before = await kubectl(['get', 'configmap,deployment,service', '-n', 'shop', '-o', 'jsonpath={range .items[*]}{.metadata.resourceVersion} {end}']);
  const r = await kubectl(['apply', '-f', APP]);
  // kubectl compares stringData, which the server folds into data, so it sends a patch every time.
  assert.deepEqual(lines(r.stdout), OBJECTS.map((o) => `${o} ${o.startsWith('secret/') ? 'configured' : 'unchanged'}`));
  const after = await kubectl(['get', 'configmap,deployment,service', '-n', 'shop', '-o', 'jsonpath={range .items[*]}{.metadata.resourceVersion} {end}']);
  assert.equal(after.stdout, before.stdout, 'no object was written');
});

test('kubectl diff is silent for the applied manifest and shows a unified diff for a change', async () => {
  const same = await kubectl(['diff', '-f', APP]);
  assert.equal(same.code, 0);
  assert.equal(same.stdout, '');
  const changed = readFileSync(APP, 'utf8').replace('image: nginx:1.27', 'image: nginx:1.28');
  const diff = await kubectl(['diff', '-f', '-'], { input: changed, allowFail: true });
  assert.equal(diff.code, 1, diff.stderr);
  assert.match(diff.stdout, /^-\s+image: nginx:1\.27$/m);
  assert.match(diff.stdout, /^\+\s+image: nginx:1\.28$/m);
  assert.match(diff.stdout, /apps\.v1\.Deployment\.shop\.web/);
  const image = await kubectl(['get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
  assert.equal(image.stdout, 'nginx:1.27', 'diff writes nothing');
});

test('apply --server-side takes over the client-side applied objects', async () => {
  const r = await kubectl(['apply', '--server-side', '-f', APP]);
  assert.deepEqual(lines(r.stdout), OBJECTS.map((o) => `${o} serverside-applied`));
  const again = await kubectl(['apply', '--server-side', '-f', APP]);
  assert.deepEqual(lines(again.stdout), OBJECTS.map((o) => `${o} serverside-applied`));
  const cm = await kubectl(['get', 'configmap', 'shop-config', '-n', 'shop', '-o', 'json', '--show-managed-fields']);
  const managers = JSON.parse(cm.stdout).metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`);
  assert.ok(managers.includes('kubectl/Apply'), `managers: ${managers}`);
});

test('a second field manager conflicts with kubectl until it forces, then kubectl conflicts with it', async () => {
  const mine = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-config\n  namespace: shop\ndata:\n  LOG_LEVEL: debug\n';
  const conflict = await kubectl(['apply', '--server-side', '--field-manager=ops-team', '-f', '-'], { input: mine, allowFail: true });
  assert.equal(conflict.code, 1);
  assert.match(conflict.stderr, /Apply failed with \d+ conflicts?: conflicts? with "kubectl/);
  assert.match(conflict.stderr, /\.data\.LOG_LEVEL/);
  assert.match(conflict.stderr, /--force-conflicts/);
  const unchanged = await kubectl(['get', 'configmap', 'shop-config', '-n', 'shop', '-o', 'jsonpath={.data.LOG_LEVEL}']);
  assert.equal(unchanged.stdout, 'info');

  const forced = await kubectl(['apply', '--server-side', '--field-manager=ops-team', '--force-conflicts', '-f', '-'], { input: mine });
  assert.equal(forced.stdout.trim(), 'configmap/shop-config serverside-applied');
  const cm = JSON.parse((await kubectl(['get', 'configmap', 'shop-config', '-n', 'shop', '-o', 'json', '--show-managed-fields'])).stdout);
  assert.equal(cm.data.LOG_LEVEL, 'debug');
  assert.equal(cm.data['settings.ini'], '[server]\nport = 8080\n', 'fields ops-team did not apply are kept');
  const owner = cm.metadata.managedFields.find((m: { manager: string }) => m.manager === 'ops-team');
  assert.deepEqual(owner.fieldsV1, { 'f:data': { 'f:LOG_LEVEL': {} } });

  const back = await kubectl(['apply', '--server-side', '-f', APP], { allowFail: true });
  assert.equal(back.code, 1);
  assert.match(back.stderr, /conflict with "ops-team": \.data\.LOG_LEVEL/);
});

test('apply refuses an unknown field with a strict decoding error, client-side and server-side', async () => {
  const manifest = [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: typo', '  namespace: shop', 'spec:',
    '  selector: {matchLabels: {app: typo}}', '  template:', '    metadata: {labels: {app: typo}}', '    spec:',
    '      containers: [{name: c, image: nginx, imagePullPolicyy: Always}]', '',
  ].join('\n');
  const csa = await kubectl(['apply', '-f', '-'], { input: manifest, allowFail: true });
  assert.equal(csa.code, 1);
  assert.match(csa.stderr, /Error from server \(BadRequest\): .*strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolicyy"/);
  const ssa = await kubectl(['apply', '--server-side', '-f', '-'], { input: manifest, allowFail: true });
  assert.equal(ssa.code, 1);
  assert.match(ssa.stderr, /strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolicyy"/);
  const get = await kubectl(['get', 'deployment', 'typo', '-n', 'shop'], { allowFail: true });
  assert.equal(get.code, 1);
  assert.match(get.stderr, /NotFound/);
});

test('apply --dry-run=server reports what it would do and writes nothing', async () => {
  const fresh = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\n  namespace: shop\ndata:\n  a: "1"\n';
  const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: fresh });
  assert.equal(r.stdout.trim(), 'configmap/dry created (server dry run)');
  const ssa = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], { input: fresh });
  assert.equal(ssa.stdout.trim(), 'configmap/dry serverside-applied (server dry run)');
  const get = await kubectl(['get', 'configmap', 'dry', '-n', 'shop'], { allowFail: true });
  assert.equal(get.code, 1);
  assert.match(get.stderr, /Error from server \(NotFound\): configmaps "dry" not found/);

  const rv = async () => (await kubectl(['get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout;
  const before = await rv();
  const changed = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 5\n';
  const dry = await kubectl(['apply', '--server-side', '--force-conflicts', '--dry-run=server', '-o', 'jsonpath={.spec.replicas}', '-f', '-'], { input: changed });
  assert.equal(dry.stdout, '5', 'the dry run answers with the object as it would be');
  assert.equal(await rv(), before);
  const replicas = await kubectl(['get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}']);
  assert.equal(replicas.stdout, '2');
});
