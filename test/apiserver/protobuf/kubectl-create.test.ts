// The real kubectl's typed `create` commands send protobuf and never fall back to JSON: each one
// against a real `k8ts server`. The body kubectl logged (-v=9) must decode to exactly the object
// `--dry-run=client -o json` prints (Go's JSON of the same struct), and the stored object read
// back with `kubectl get -o json` must be what was asked for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtobuf } from '../../../src/apiserver/protobuf/index.js';
import { startServer, type TestServer } from '../../helpers/cluster.js';

let server: TestServer;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

/** The protobuf request body in kubectl's -v=9 log, which prints it as a hex dump. */
function loggedProtobufBody(stderr: string): Buffer {
  for (const m of stderr.matchAll(/"Request Body" body=<\n((?:\t[0-9a-f]{8} .*\n)+)/g)) {
    const hex = m[1].split('\n').filter(Boolean).map((l) => l.split('|')[0].trim().split(/\s+/).slice(1).join('')).join('');
    if (hex.startsWith('6b387300')) return Buffer.from(hex, 'hex');
  }
  assert.fail(`no protobuf request body in kubectl's log:\n${stderr.slice(-3000)}`);
}

async function create(...args: string[]): Promise<void> {
  const dry = await server.kubectl(['create', ...args, '--dry-run=client', '-o', 'json']);
  const r = await server.kubectl(['create', ...args, '-v=9'], { allowFail: true });
  assert.equal(r.code, 0, `kubectl create ${args.join(' ')} failed:\n${r.stderr.slice(-3000)}${r.stdout}\n${server.output().slice(-2000)}`);
  assert.match(r.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/);
  assert.deepEqual(decodeProtobuf(loggedProtobufBody(r.stderr)), JSON.parse(dry.stdout), `kubectl create ${args.join(' ')}`);
}

async function get(resource: string, name: string): Promise<Record<string, any>> {
  const r = await server.kubectl(['get', resource, name, '-o', 'json']);
  return JSON.parse(r.stdout);
}

test('configmap', { timeout: 60_000 }, async () => {
  await create('configmap', 'c', '--from-literal=a=b', '--from-literal=n=');
  const cm = await get('configmap', 'c');
  assert.equal(cm.kind, 'ConfigMap');
  assert.deepEqual(cm.data, { a: 'b', n: '' });
  assert.equal(cm.metadata.namespace, 'default');
  assert.match(cm.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(cm.metadata.uid);
});

test('core objects: secret, namespace, service, service account, quota', { timeout: 60_000 }, async () => {
  await create('secret', 'generic', 's', '--from-literal=p=q');
  const s = await get('secret', 's');
  assert.deepEqual(s.data, { p: Buffer.from('q').toString('base64') });
  assert.equal(s.type, 'Opaque');

  await create('namespace', 'n1');
  const ns = await get('namespace', 'n1');
  assert.equal(ns.metadata.name, 'n1');
  assert.equal(ns.status.phase, 'Active');

  await create('service', 'clusterip', 'svc', '--tcp=80:8080');
  const svc = await get('service', 'svc');
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.deepEqual(svc.spec.ports, [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]);
  assert.deepEqual(svc.spec.selector, { app: 'svc' });
  assert.match(svc.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/);

  await create('serviceaccount', 'sa');
  assert.equal((await get('serviceaccount', 'sa')).metadata.name, 'sa');

  await create('quota', 'q', '--hard=pods=3');
  assert.deepEqual((await get('resourcequota', 'q')).spec.hard, { pods: '3' });
});

test('workloads: deployment, job, cronjob', { timeout: 60_000 }, async () => {
  await create('deployment', 'd', '--image=busybox', '--replicas=2');
  const d = await get('deployment', 'd');
  assert.equal(d.spec.replicas, 2);
  assert.deepEqual(d.spec.selector, { matchLabels: { app: 'd' } });
  assert.deepEqual(d.spec.template.metadata.labels, { app: 'd' });
  assert.equal(d.spec.template.spec.containers.length, 1);
  assert.equal(d.spec.template.spec.containers[0].name, 'busybox');
  assert.equal(d.spec.template.spec.containers[0].image, 'busybox');

  await create('job', 'j', '--image=busybox');
  const j = await get('job', 'j');
  assert.equal(j.spec.template.spec.containers[0].image, 'busybox');
  assert.equal(j.spec.template.spec.restartPolicy, 'Never');

  await create('cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *');
  const cj = await get('cronjob', 'cj');
  assert.equal(cj.spec.schedule, '*/1 * * * *');
  assert.equal(cj.spec.jobTemplate.spec.template.spec.containers[0].image, 'busybox');
  assert.equal(cj.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
});

test('RBAC: role, rolebinding, clusterrole', { timeout: 60_000 }, async () => {
  await create('role', 'r', '--verb=get,list', '--resource=pods');
  assert.deepEqual((await get('role', 'r')).rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);

  await create('rolebinding', 'rb', '--role=r', '--user=alice');
  const rb = await get('rolebinding', 'rb');
  assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' });
  assert.deepEqual(rb.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }]);

  await create('clusterrole', 'cr', '--verb=get', '--resource=nodes');
  assert.deepEqual((await get('clusterrole', 'cr')).rules, [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);
});

test('scheduling, policy and networking: priorityclass, pdb, ingress', { timeout: 60_000 }, async () => {
  await create('priorityclass', 'p', '--value=1000');
  const pc = await get('priorityclass', 'p');
  assert.equal(pc.value, 1000);
  assert.ok(!pc.globalDefault);

  await create('pdb', 'p', '--selector=a=b', '--min-available=1');
  const pdb = await get('pdb', 'p');
  assert.equal(pdb.spec.minAvailable, 1);
  assert.deepEqual(pdb.spec.selector, { matchLabels: { a: 'b' } });

  await create('ingress', 'i', '--rule=foo.com/bar=svc:80');
  const ing = await get('ingress', 'i');
  assert.deepEqual(ing.spec.rules, [{
    host: 'foo.com',
    http: { paths: [{ path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc', port: { number: 80 } } } }] },
  }]);
});

test('more typed writes: docker-registry secret, nodeport service, clusterrolebinding, autoscale (autoscaling/v2)', { timeout: 60_000 }, async () => {
  await create('secret', 'docker-registry', 'dr', '--docker-server=registry.example.com', '--docker-username=u', '--docker-password=p');
  const dr = await get('secret', 'dr');
  assert.equal(dr.type, 'kubernetes.io/dockerconfigjson');
  const config = JSON.parse(Buffer.from(dr.data['.dockerconfigjson'], 'base64').toString());
  assert.equal(config.auths['registry.example.com'].username, 'u');

  await create('service', 'nodeport', 'np', '--tcp=80:8080');
  const np = await get('service', 'np');
  assert.equal(np.spec.type, 'NodePort');
  assert.ok(np.spec.ports[0].nodePort >= 30000 && np.spec.ports[0].nodePort <= 32767, JSON.stringify(np.spec.ports));

  await create('clusterrolebinding', 'crb', '--clusterrole=view', '--group=devs');
  assert.deepEqual((await get('clusterrolebinding', 'crb')).subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' }]);

  await create('deployment', 'web', '--image=nginx', '--replicas=0', '--port=80');
  const web = await get('deployment', 'web');
  assert.equal(web.spec.replicas, 0);
  assert.deepEqual(web.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);

  const dry = await server.kubectl(['autoscale', 'deployment', 'web', '--min=1', '--max=3', '--cpu-percent=50', '--dry-run=client', '-o', 'json']);
  const r = await server.kubectl(['autoscale', 'deployment', 'web', '--min=1', '--max=3', '--cpu-percent=50', '-v=9']);
  assert.deepEqual(decodeProtobuf(loggedProtobufBody(r.stderr)), JSON.parse(dry.stdout));
  const hpa = await get('hpa', 'web');
  assert.equal(hpa.apiVersion, 'autoscaling/v2');
  assert.deepEqual(hpa.spec, {
    scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 3,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
  });
});
