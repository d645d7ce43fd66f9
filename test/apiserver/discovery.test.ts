import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../src/machinery/status.js';
import type { ResourceDef } from '../../src/api/resource.js';
import { builtinResources } from '../../src/api/index.js';
import {
  buildDiscovery, compareKubeVersions, storageVersionHash, negotiateDiscovery, serveDiscovery, KUBERNETES_SUBRESOURCES, OPTIONAL_SUBRESOURCES,
  AGGREGATED_CONTENT_TYPE,
} from '../../src/apiserver/discovery.js';

const def = (d: Partial<ResourceDef> & Pick<ResourceDef, 'group' | 'version' | 'kind' | 'plural'>): ResourceDef => ({
  singular: d.kind.toLowerCase(), namespaced: true, schemaName: `test.${d.kind}`, ...d,
});

const configmaps = builtinResources.find((r) => r.plural === 'configmaps' && r.group === '')!;
const pods = def({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', shortNames: ['po'], categories: ['all'], subresources: { status: true } });
const namespaces = def({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], subresources: { status: true } });
const bindings = def({ group: '', version: 'v1', kind: 'Binding', plural: 'bindings', verbs: ['create'] });
const deployments = def({
  group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'],
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
});
const hpaV2 = def({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', shortNames: ['hpa'], categories: ['all'], subresources: { status: true } });
const hpaV1: ResourceDef = {
  ...hpaV2, version: 'v1',
  storage: { group: 'autoscaling', version: 'v2', toStorage: (o) => o, fromStorage: (o) => o },
};
const crontabs = def({ group: 'stable.example.com', version: 'v1', kind: 'CronTab', plural: 'crontabs', shortNames: ['ct'], subresources: { status: true } });
const crontabsBeta = { ...crontabs, version: 'v1beta1' };
const widgets = def({ group: 'aaa.example.org', version: 'v1alpha1', kind: 'Widget', plural: 'widgets', namespaced: false });

const all = [configmaps, pods, namespaces, bindings, deployments, hpaV1, hpaV2, crontabsBeta, crontabs, widgets];

test('storageVersionHash is Kubernetes\' (known values from a real cluster)', () => {
  assert.equal(storageVersionHash('', 'v1', 'ConfigMap'), 'qFsyl6wFWjQ=');
  assert.equal(storageVersionHash('apps', 'v1', 'Deployment'), '8aSe+NMegvE=');
  assert.equal(storageVersionHash('autoscaling', 'v2', 'HorizontalPodAutoscaler'), 'qwQve8ut294=');
});

test('version priority: GA over beta over alpha, higher numbers first', () => {
  const versions = ['v1alpha1', 'v1beta1', 'v2beta2', 'v1', 'v2', 'v2beta1', 'v10', 'v1alpha2', 'custom'];
  assert.deepEqual(versions.sort(compareKubeVersions), ['v10', 'v2', 'v1', 'v2beta2', 'v2beta1', 'v1beta1', 'v1alpha2', 'v1alpha1', 'custom']);
});

test('/api lists the core version with the server address', () => {
  const d = buildDiscovery(all, KUBERNETES_SUBRESOURCES, { serverAddress: '127.0.0.1:6443' });
  assert.deepEqual(d.api(), { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });
});

test('/api/v1 is an APIResourceList with subresources, sorted by name, exactly as Kubernetes writes it', () => {
  const d = buildDiscovery(all);
  const list = d.groupVersion('', 'v1')!;
  assert.equal(JSON.stringify(Object.keys(list)), '["kind","groupVersion","resources"]');
  assert.deepEqual(list.resources.map((r) => r.name), [
    'bindings', 'configmaps', 'namespaces', 'namespaces/finalize', 'namespaces/status',
    'pods', 'pods/attach', 'pods/binding', 'pods/eviction', 'pods/exec', 'pods/log', 'pods/portforward', 'pods/status',
  ]);
  const byName = Object.fromEntries(list.resources.map((r) => [r.name, r]));
  assert.equal(JSON.stringify(byName.configmaps),
    '{"name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["cm"],"storageVersionHash":"qFsyl6wFWjQ="}');
  assert.equal(JSON.stringify(byName.bindings), '{"name":"bindings","singularName":"binding","namespaced":true,"kind":"Binding","verbs":["create"]}');
  assert.equal(JSON.stringify(byName['pods/status']), '{"name":"pods/status","singularName":"","namespaced":true,"kind":"Pod","verbs":["get","patch","update"]}');
  assert.equal(JSON.stringify(byName['pods/eviction']), '{"name":"pods/eviction","singularName":"","namespaced":true,"group":"policy","version":"v1","kind":"Eviction","verbs":["create"]}');
  assert.deepEqual(byName['pods/exec'].verbs, ['create', 'get']);
  assert.equal(byName['pods/log'].kind, 'Pod');
  assert.equal(byName['namespaces/finalize'].namespaced, false);
  assert.deepEqual(byName['namespaces/finalize'].verbs, ['update']);
  assert.deepEqual(byName.pods.categories, ['all']);
});

test('subresources of resources that are not served are left out; optional ones can be added', () => {
  const d = buildDiscovery([configmaps]);
  assert.deepEqual(d.groupVersion('', 'v1')!.resources.map((r) => r.name), ['configmaps']);
  const withProxy = buildDiscovery([pods], [...KUBERNETES_SUBRESOURCES, ...OPTIONAL_SUBRESOURCES]);
  const names = withProxy.groupVersion('', 'v1')!.resources.map((r) => r.name);
  assert.ok(names.includes('pods/proxy') && names.includes('pods/ephemeralcontainers'));
  assert.ok(!names.includes('serviceaccounts/token'));
});

test('/apis/apps/v1 carries apiVersion and deployments/scale as autoscaling/v1 Scale', () => {
  const list = buildDiscovery(all).groupVersion('apps', 'v1')!;
  assert.equal(JSON.stringify(Object.keys(list)), '["kind","apiVersion","groupVersion","resources"]');
  assert.equal(list.groupVersion, 'apps/v1');
  assert.deepEqual(list.resources.map((r) => r.name), ['deployments', 'deployments/scale', 'deployments/status']);
  assert.equal(JSON.stringify(list.resources[1]),
    '{"name":"deployments/scale","singularName":"","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale","verbs":["get","patch","update"]}');
  assert.equal(list.resources[0].storageVersionHash, '8aSe+NMegvE=');
  assert.equal(buildDiscovery(all).groupVersion('apps', 'v2'), undefined);
  assert.equal(buildDiscovery(all).groupVersion('nope', 'v1'), undefined);
});

test('a version served from another version\'s storage reports the storage version\'s hash', () => {
  const d = buildDiscovery(all);
  assert.equal(d.groupVersion('autoscaling', 'v1')!.resources[0].storageVersionHash, 'qwQve8ut294=');
  assert.equal(d.groupVersion('autoscaling', 'v2')!.resources[0].storageVersionHash, 'qwQve8ut294=');
});

test('/apis lists groups in Kubernetes\' order, then custom groups alphabetically; versions by preference', () => {
  const d = buildDiscovery(all);
  const list = d.apis();
  assert.equal(list.kind, 'APIGroupList');
  assert.equal(list.apiVersion, 'v1');
  assert.deepEqual(list.groups.map((g) => g.name), ['apps', 'autoscaling', 'aaa.example.org', 'stable.example.com']);
  const autoscaling = list.groups[1];
  assert.deepEqual(autoscaling, {
    name: 'autoscaling',
    versions: [{ groupVersion: 'autoscaling/v2', version: 'v2' }, { groupVersion: 'autoscaling/v1', version: 'v1' }],
    preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
  });
  assert.deepEqual(list.groups[3].preferredVersion, { groupVersion: 'stable.example.com/v1', version: 'v1' });
  assert.deepEqual(d.group('autoscaling'), { kind: 'APIGroup', apiVersion: 'v1', ...autoscaling });
  assert.equal(d.group('nope'), undefined);
  assert.equal(d.group(''), undefined);
  assert.deepEqual(d.groupVersions().slice(0, 4), [
    { group: '', version: 'v1' }, { group: 'apps', version: 'v1' }, { group: 'autoscaling', version: 'v2' }, { group: 'autoscaling', version: 'v1' },
  ]);
});

test('aggregated discovery v2 for /api: one unnamed group with resources and their subresources', () => {
  const doc = buildDiscovery(all).aggregated('api', 'v2');
  assert.equal(doc.kind, 'APIGroupDiscoveryList');
  assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
  assert.deepEqual(doc.metadata, {});
  assert.equal(doc.items.length, 1);
  const [core] = doc.items;
  assert.deepEqual(core.metadata, { creationTimestamp: null });
  assert.equal(core.versions.length, 1);
  assert.equal(core.versions[0].version, 'v1');
  assert.equal(core.versions[0].freshness, 'Current');
  const res = Object.fromEntries(core.versions[0].resources.map((r) => [r.resource, r]));
  assert.deepEqual(Object.keys(res), ['bindings', 'configmaps', 'namespaces', 'pods']);
  assert.equal(JSON.stringify(res.configmaps),
    '{"resource":"configmaps","responseKind":{"group":"","version":"","kind":"ConfigMap"},"scope":"Namespaced","singularResource":"configmap","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["cm"]}');
  assert.equal(res.namespaces.scope, 'Cluster');
  assert.deepEqual(res.namespaces.subresources, [
    { subresource: 'finalize', responseKind: { group: '', version: '', kind: 'Namespace' }, verbs: ['update'] },
    { subresource: 'status', responseKind: { group: '', version: '', kind: 'Namespace' }, verbs: ['get', 'patch', 'update'] },
  ]);
  assert.deepEqual(res.pods.subresources!.map((s) => s.subresource), ['attach', 'binding', 'eviction', 'exec', 'log', 'portforward', 'status']);
  assert.deepEqual(res.pods.subresources!.find((s) => s.subresource === 'eviction')!.responseKind, { group: 'policy', version: 'v1', kind: 'Eviction' });
  assert.deepEqual(res.pods.categories, ['all']);
});

test('aggregated discovery for /apis: groups in order, versions by preference, CRDs with full response kinds', () => {
  const d = buildDiscovery(all);
  const doc = d.aggregated('apis', 'v2');
  assert.deepEqual(doc.items.map((i) => i.metadata), [
    { name: 'apps', creationTimestamp: null }, { name: 'autoscaling', creationTimestamp: null },
    { name: 'aaa.example.org', creationTimestamp: null }, { name: 'stable.example.com', creationTimestamp: null },
  ]);
  assert.deepEqual(doc.items[1].versions.map((v) => v.version), ['v2', 'v1']);
  assert.deepEqual(doc.items[3].versions.map((v) => v.version), ['v1', 'v1beta1']);
  const dep = doc.items[0].versions[0].resources[0];
  assert.deepEqual(dep.subresources, [
    { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
    { subresource: 'status', responseKind: { group: '', version: '', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
  ]);
  const ct = doc.items[3].versions[0].resources[0];
  assert.deepEqual(ct.responseKind, { group: 'stable.example.com', version: 'v1', kind: 'CronTab' });
  assert.deepEqual(ct.subresources, [{ subresource: 'status', responseKind: { group: 'stable.example.com', version: 'v1', kind: 'CronTab' }, verbs: ['get', 'patch', 'update'] }]);
  assert.equal(doc.items[2].versions[0].resources[0].scope, 'Cluster');

  const beta = d.aggregated('apis', 'v2beta1');
  assert.equal(beta.apiVersion, 'apidiscovery.k8s.io/v2beta1');
  assert.deepEqual(beta.items, doc.items);
});

test('a rebuilt discovery reflects resources added at runtime (CRDs)', () => {
  const before = buildDiscovery([configmaps]);
  assert.deepEqual(before.apis().groups, []);
  assert.deepEqual(before.aggregated('apis', 'v2').items, []);
  const after = buildDiscovery([configmaps, crontabs]);
  assert.deepEqual(after.apis().groups.map((g) => g.name), ['stable.example.com']);
  assert.equal(after.groupVersion('stable.example.com', 'v1')!.resources[0].storageVersionHash, storageVersionHash('stable.example.com', 'v1', 'CronTab'));
});

test('no core resources: /api lists no versions and the aggregated /api is empty', () => {
  const d = buildDiscovery([deployments]);
  assert.deepEqual(d.api().versions, []);
  assert.deepEqual(d.aggregated('api', 'v2').items, []);
});

test('content negotiation follows the Accept header kubectl sends', () => {
  const kubectl = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  assert.deepEqual(negotiateDiscovery(kubectl), { aggregated: 'v2' });
  assert.deepEqual(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'), { aggregated: 'v2beta1' });
  assert.equal(negotiateDiscovery('application/json'), 'legacy');
  assert.equal(negotiateDiscovery(undefined), 'legacy');
  assert.equal(negotiateDiscovery('*/*'), 'legacy');
  assert.deepEqual(negotiateDiscovery('application/json;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'), { aggregated: 'v2' });
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList'), undefined);
  assert.equal(negotiateDiscovery('application/vnd.kubernetes.protobuf'), undefined);
  assert.equal(negotiateDiscovery('application/vnd.kubernetes.protobuf,application/json'), 'legacy');
});

test('serveDiscovery answers each discovery path with the negotiated form', () => {
  const d = buildDiscovery(all);
  const kubectlAccept = `${AGGREGATED_CONTENT_TYPE.v2},${AGGREGATED_CONTENT_TYPE.v2beta1},application/json`;
  const agg = serveDiscovery(d, '/apis', kubectlAccept)!;
  assert.equal(agg.status, 200);
  assert.equal(agg.headers['Content-Type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  assert.deepEqual(JSON.parse(agg.body), d.aggregated('apis', 'v2'));
  assert.match(agg.headers.ETag, /^"[0-9A-F]{128}"$/);
  assert.equal(serveDiscovery(d, '/apis', kubectlAccept, agg.headers.ETag)!.status, 304);
  assert.equal(serveDiscovery(d, '/apis/', kubectlAccept)!.body, agg.body);

  const legacy = serveDiscovery(d, '/api', 'application/json')!;
  assert.equal(legacy.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(legacy.body), d.api());
  assert.deepEqual(JSON.parse(serveDiscovery(d, '/api/v1', undefined)!.body), d.groupVersion('', 'v1'));
  assert.deepEqual(JSON.parse(serveDiscovery(d, '/apis/autoscaling', undefined)!.body), d.group('autoscaling'));
  assert.deepEqual(JSON.parse(serveDiscovery(d, '/apis/autoscaling/v1', undefined)!.body), d.groupVersion('autoscaling', 'v1'));
  assert.equal(serveDiscovery(d, '/apis/autoscaling/v9', undefined), undefined);
  assert.equal(serveDiscovery(d, '/apis/nope', undefined), undefined);
  assert.equal(serveDiscovery(d, '/api/v1/pods', undefined), undefined);
  assert.equal(serveDiscovery(d, '/healthz', undefined), undefined);

  assert.throws(() => serveDiscovery(d, '/api', 'application/vnd.kubernetes.protobuf'), (e: unknown) => e instanceof StatusError && e.code === 406 && e.reason === 'NotAcceptable');
});
