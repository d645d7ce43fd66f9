// kubectl get, describe, explain and discovery against a real k8s server: every output format,
// selectors, paging, sorting, and the text a user reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { API_ONLY, fixture, kubectlFor, type Kubectl } from './fixtures/kube-http.js';

let server: TestServer;
let kubectl: Kubectl;

before(async () => {
  server = await startServer({ args: API_ONLY });
  kubectl = kubectlFor(server);
  await kubectl(['apply', '-f', fixture('app.yaml')]);
  // No controllers run here: make the account the service account controller would, which pods need.
  await kubectl(['create', 'serviceaccount', 'default', '-n', 'shop']);
  await kubectl(['run', 'api', '-n', 'shop', '--image=nginx:1.27', '--labels=app=shop,tier=backend']);
  await kubectl(['run', 'db', '-n', 'shop', '--image=postgres:16', '--labels=app=db']);
  await kubectl(['create', 'namespace', 'other']);
  // Names in one order, ranks in another, so that --sort-by visibly reorders them.
  for (const [name, rank] of [['alpha', '3'], ['mid', '1'], ['zeta', '2']]) {
    await kubectl(['create', 'configmap', name, '-n', 'other', `--from-literal=rank=${rank}`]);
    await kubectl(['annotate', 'configmap', name, '-n', 'other', `rank=${rank}`]);
  }
});
after(async () => {
  await server?.stop();
});

const lines = (s: string) => s.trimEnd().split('\n');
/** An age as kubectl prints it: 5s, 2m5s, 3h ... */
const AGE = String.raw`\d+[smhd](\d+[smh])?`;

test('tables: the headers and cells Kubernetes prints for deployments, pods, services, jobs, cronjobs, ingresses', async () => {
  const deploy = lines((await kubectl(['get', 'deployments', '-n', 'shop'])).stdout);
  assert.equal(deploy[0], 'NAME   READY   UP-TO-DATE   AVAILABLE   AGE');
  assert.match(deploy[1], new RegExp(`^web    0/2     0            0           ${AGE}$`));
  assert.equal(deploy.length, 2);

  const pods = lines((await kubectl(['get', 'pods', '-n', 'shop'])).stdout);
  assert.equal(pods[0], 'NAME   READY   STATUS    RESTARTS   AGE');
  assert.match(pods[1], new RegExp(`^api    0/1     Pending   0          ${AGE}$`));
  assert.match(pods[2], new RegExp(`^db     0/1     Pending   0          ${AGE}$`));

  const svc = lines((await kubectl(['get', 'services', '-n', 'shop'])).stdout);
  assert.match(svc[0], /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
  assert.match(svc[1], new RegExp(`^web\\s+ClusterIP\\s+10\\.43\\.\\d+\\.\\d+\\s+<none>\\s+80/TCP\\s+${AGE}$`));

  const job = lines((await kubectl(['get', 'jobs', '-n', 'shop'])).stdout);
  assert.match(job[0], /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/);
  assert.match(job[1], /^migrate\s+Running\s+0\/1\s+/);

  const cj = lines((await kubectl(['get', 'cronjobs', '-n', 'shop'])).stdout);
  assert.match(cj[0], /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$/);
  assert.match(cj[1], new RegExp(`^nightly-report\\s+0 3 \\* \\* \\*\\s+<none>\\s+False\\s+0\\s+<none>\\s+${AGE}$`));

  const ing = lines((await kubectl(['get', 'ingresses', '-n', 'shop'])).stdout);
  assert.match(ing[0], /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE$/);
  assert.match(ing[1], /^web\s+<none>\s+shop\.example\.com\s+80\s+/);

  const cms = lines((await kubectl(['get', 'configmaps', '-n', 'shop'])).stdout);
  assert.equal(cms[0], 'NAME          DATA   AGE');
  assert.match(cms[1], new RegExp(`^shop-config   2      ${AGE}$`));

  const empty = await kubectl(['get', 'secrets', '-n', 'other']);
  assert.equal(empty.stdout, '');
  assert.equal(empty.stderr.trim(), 'No resources found in other namespace.');
});

test('-o wide adds the wide columns', async () => {
  const pods = lines((await kubectl(['get', 'pods', '-n', 'shop', '-o', 'wide'])).stdout);
  assert.equal(pods[0], 'NAME   READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES');
  assert.match(pods[1], /^api\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+<none>\s+<none>\s+<none>$/);
  const deploy = lines((await kubectl(['get', 'deployments', '-n', 'shop', '-o', 'wide'])).stdout);
  assert.match(deploy[0], /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/);
  assert.match(deploy[1], /\sweb\s+nginx:1\.27\s+app=shop,tier=frontend$/);
});

test('-o yaml and -o json print whole objects, and lists as a v1 List', async () => {
  const y = parseYaml((await kubectl(['get', 'deployment', 'web', '-n', 'shop', '-o', 'yaml'])).stdout);
  assert.equal(y.apiVersion, 'apps/v1');
  assert.equal(y.kind, 'Deployment');
  assert.match(y.metadata.uid, /^[0-9a-f-]{36}$/);
  assert.equal(y.spec.strategy.type, 'RollingUpdate', 'defaults are filled in');
  assert.equal(y.spec.template.spec.containers[0].terminationMessagePath, '/dev/termination-log');

  const j = JSON.parse((await kubectl(['get', 'configmaps', '-n', 'other', '-o', 'json'])).stdout);
  assert.equal(j.kind, 'List');
  assert.equal(j.apiVersion, 'v1');
  assert.deepEqual(j.items.map((i: any) => `${i.kind} ${i.metadata.name}`), ['ConfigMap alpha', 'ConfigMap mid', 'ConfigMap zeta']);
  assert.equal(j.items[0].data.rank, '3');
});

test('-o jsonpath, -o custom-columns and -o name', async () => {
  const jp = await kubectl(['get', 'pods', '-n', 'shop', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image}{"\\n"}{end}']);
  assert.equal(jp.stdout, 'api=nginx:1.27\ndb=postgres:16\n');
  const cc = await kubectl(['get', 'pods', '-n', 'shop', '-o', 'custom-columns=NAME:.metadata.name,PHASE:.status.phase,TIER:.metadata.labels.tier']);
  assert.deepEqual(lines(cc.stdout), ['NAME   PHASE     TIER', 'api    Pending   backend', 'db     Pending   <none>']);
  const names = await kubectl(['get', 'configmaps,services', '-n', 'shop', '-o', 'name']);
  assert.deepEqual(lines(names.stdout), ['configmap/shop-config', 'service/web']);
});

test('--sort-by orders by a field instead of by name', async () => {
  const sorted = await kubectl(['get', 'configmaps', '-n', 'other', '--sort-by=.metadata.annotations.rank', '-o', 'custom-columns=NAME:.metadata.name,RANK:.data.rank']);
  assert.deepEqual(lines(sorted.stdout), ['NAME    RANK', 'mid     1', 'zeta    2', 'alpha   3']);
  const table = lines((await kubectl(['get', 'configmaps', '-n', 'other', '--sort-by=.metadata.annotations.rank'])).stdout);
  assert.deepEqual(table.map((l) => l.split(/\s+/)[0]), ['NAME', 'mid', 'zeta', 'alpha']);
});

test('-l label selectors: equality, inequality, set-based and existence', async () => {
  const names = async (selector: string) => (await kubectl(['get', 'pods', '-n', 'shop', '-l', selector, '-o', 'name'])).stdout.trim();
  assert.equal(await names('app=shop'), 'pod/api');
  assert.equal(await names('app!=shop'), 'pod/db');
  assert.equal(await names('tier in (backend,frontend)'), 'pod/api');
  assert.equal(await names('!tier'), 'pod/db');
  const none = await kubectl(['get', 'pods', '-n', 'shop', '-l', 'app=nothing']);
  assert.equal(none.stderr.trim(), 'No resources found in shop namespace.');
});

test('--field-selector filters on metadata and on the fields a resource supports, and refuses others', async () => {
  const byName = await kubectl(['get', 'configmaps', '-A', '--field-selector', 'metadata.name=mid', '-o', 'name']);
  assert.equal(byName.stdout.trim(), 'configmap/mid');
  const notShop = await kubectl(['get', 'configmaps', '-A', '--field-selector', 'metadata.namespace!=shop', '-o', 'name']);
  assert.deepEqual(lines(notShop.stdout), ['configmap/alpha', 'configmap/mid', 'configmap/zeta']);
  const pending = await kubectl(['get', 'pods', '-A', '--field-selector', 'status.phase=Pending,spec.nodeName=', '-o', 'name']);
  assert.deepEqual(lines(pending.stdout), ['pod/api', 'pod/db']);
  const bad = await kubectl(['get', 'configmaps', '--field-selector', 'spec.foo=1'], { allowFail: true });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /Error from server \(BadRequest\): .*field label not supported: spec\.foo/);
});

test('-A lists every namespace with a NAMESPACE column', async () => {
  const all = lines((await kubectl(['get', 'configmaps', '-A'])).stdout);
  assert.match(all[0], /^NAMESPACE\s+NAME\s+DATA\s+AGE$/);
  const rows = all.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join('/'));
  for (const want of ['other/alpha', 'other/mid', 'other/zeta', 'shop/shop-config']) assert.ok(rows.includes(want), `${want} in ${rows}`);
  const ns = lines((await kubectl(['get', 'namespaces'])).stdout).map((l) => l.split(/\s+/).slice(0, 2).join(' '));
  for (const want of ['NAME STATUS', 'default Active', 'kube-system Active', 'kube-public Active', 'kube-node-lease Active', 'shop Active', 'other Active']) {
    assert.ok(ns.includes(want), `${want} in ${ns}`);
  }
});

test('--chunk-size=2 pages through the list with continue tokens and prints the same table', async () => {
  const whole = await kubectl(['get', 'configmaps', '-A', '-o', 'name']);
  const paged = await kubectl(['get', 'configmaps', '-A', '-o', 'name', '--chunk-size=2', '-v=6']);
  assert.equal(paged.stdout, whole.stdout);
  const gets = paged.stderr.split('\n').filter((l) => /GET \S+\/api\/v1\/configmaps\?/.test(l));
  assert.ok(gets.length >= 2, `several pages were asked for:\n${gets.join('\n')}`);
  assert.ok(gets.every((l) => /[?&]limit=2\b/.test(l)));
  assert.ok(gets.slice(1).every((l) => /[?&]continue=/.test(l)), 'every later page carries a continue token');
  assert.ok(lines(whole.stdout).length >= 4);
});

test('kubectl get all shows the workloads and services of a namespace', async () => {
  const out = (await kubectl(['get', 'all', '-n', 'shop'])).stdout;
  for (const name of ['pod/api', 'pod/db', 'service/web', 'deployment.apps/web', 'job.batch/migrate', 'cronjob.batch/nightly-report']) {
    assert.match(out, new RegExp(`^${name.replace(/\./g, '\\.')}\\s`, 'm'));
  }
  assert.doesNotMatch(out, /configmap|secret|ingress|role/);
});

test('describe a deployment, a configmap and a namespace', async () => {
  const d = (await kubectl(['describe', 'deployment', 'web', '-n', 'shop'])).stdout;
  assert.match(d, /^Name:\s+web$/m);
  assert.match(d, /^Namespace:\s+shop$/m);
  assert.match(d, /^Selector:\s+app=shop,tier=frontend$/m);
  assert.match(d, /^Replicas:\s+2 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable$/m);
  assert.match(d, /^StrategyType:\s+RollingUpdate$/m);
  assert.match(d, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
  assert.match(d, /^\s+Service Account:\s+shop-runner$/m);
  assert.match(d, /^\s+Image:\s+nginx:1\.27$/m);
  assert.match(d, /^\s+shop-config\s+ConfigMap\s+Optional: false$/m);

  const c = (await kubectl(['describe', 'configmap', 'shop-config', '-n', 'shop'])).stdout;
  assert.match(c, /^Labels:\s+app=shop$/m);
  assert.match(c, /^LOG_LEVEL:\n----\ninfo\n/m);
  assert.match(c, /^settings\.ini:\n----\n\[server\]\nport = 8080\n/m);

  const n = (await kubectl(['describe', 'namespace', 'shop'])).stdout;
  assert.match(n, /^Name:\s+shop$/m);
  assert.match(n, /^Labels:\s+kubernetes\.io\/metadata\.name=shop\n\s+team=web$/m);
  assert.match(n, /^Status:\s+Active$/m);
  assert.match(n, /No resource quota\./);
  assert.match(n, /No LimitRange resource\./);
});

test('api-resources lists the resources with short names, versions and kinds; api-versions the group versions', async () => {
  const rows = lines((await kubectl(['api-resources'])).stdout);
  assert.match(rows[0], /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
  const find = (re: RegExp) => rows.some((l) => re.test(l));
  assert.ok(find(/^pods\s+po\s+v1\s+true\s+Pod$/), 'pods');
  assert.ok(find(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/), 'deployments');
  assert.ok(find(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/), 'namespaces');
  assert.ok(find(/^cronjobs\s+cj\s+batch\/v1\s+true\s+CronJob$/), 'cronjobs');
  assert.ok(find(/^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/), 'crds');
  const apps = (await kubectl(['api-resources', '--api-group=apps', '-o', 'name'])).stdout;
  assert.ok(lines(apps).includes('deployments.apps'));
  // Short names and group-qualified names resolve through discovery.
  const viaShort = await kubectl(['get', 'deploy', '-n', 'shop', '-o', 'name']);
  const viaGroup = await kubectl(['get', 'deployments.apps', '-n', 'shop', '-o', 'name']);
  assert.equal(viaShort.stdout.trim(), 'deployment.apps/web');
  assert.equal(viaGroup.stdout, viaShort.stdout);

  const versions = lines((await kubectl(['api-versions'])).stdout);
  for (const v of ['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'apiextensions.k8s.io/v1', 'coordination.k8s.io/v1']) {
    assert.ok(versions.includes(v), `${v} in ${versions}`);
  }
});

test('explain pods.spec.containers and deployment.spec.strategy', async () => {
  const c = (await kubectl(['explain', 'pods.spec.containers'])).stdout;
  assert.match(c, /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: containers <\[\]Container>\n/);
  assert.match(c, /^DESCRIPTION:$/m);
  assert.match(c, /^FIELDS:$/m);
  assert.match(c, /^ {2}image\t<string>$/m);
  assert.match(c, /^ {2}name\t<string> -required-$/m);
  assert.match(c, /^ {2}ports\t<\[\]ContainerPort>$/m);

  const s = (await kubectl(['explain', 'deployment.spec.strategy'])).stdout;
  assert.match(s, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: strategy <DeploymentStrategy>\n/);
  assert.match(s, /^ {2}rollingUpdate\t<RollingUpdateDeployment>$/m);
  assert.match(s, /^ {2}type\t<string>\n {2}enum: Recreate, RollingUpdate$/m);

  const bad = await kubectl(['explain', 'pods.spec.nosuchfield'], { allowFail: true });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /field "nosuchfield" does not exist/);
});
