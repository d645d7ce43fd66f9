import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW, update } from '../apps/helpers.js';

const ingresses = def('networking.k8s.io', 'ingresses');
const classes = def('networking.k8s.io', 'ingressclasses');

const site = (): any => ({
  metadata: { name: 'site', namespace: 'default', creationTimestamp: ago(45) },
  spec: {
    ingressClassName: 'nginx',
    rules: [{ host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
  },
});

test('a valid ingress passes; one with neither rules nor default backend does not', () => {
  assert.deepEqual(create(ingresses, site()), []);
  const empty = site();
  empty.spec = {};
  assert.deepEqual(create(ingresses, empty), ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']);
});

test('ingress paths need a pathType and an absolute, clean path', () => {
  const i = site();
  i.spec.rules[0].http.paths = [
    { path: '/a', backend: { service: { name: 'web', port: { number: 80 } } } },
    { path: 'rel', pathType: 'Exact', backend: { service: { name: 'web', port: { number: 80 } } } },
    { path: '/a//b', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
    { path: '/x', pathType: 'Regex', backend: { service: { name: 'web', port: { number: 80 } } } },
  ];
  assert.deepEqual(create(ingresses, i), [
    'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    'spec.rules[0].http.paths[1].path: Invalid value: "rel": must be an absolute path',
    "spec.rules[0].http.paths[2].path: Invalid value: \"/a//b\": must not contain '//'",
    'spec.rules[0].http.paths[3].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
  ]);
});

test('ingress backends: one of service and resource, a port by name or number', () => {
  const i = site();
  i.spec.rules[0].http.paths[0].backend = { service: { name: 'web', port: { name: 'http', number: 80 } } };
  i.spec.defaultBackend = { service: { name: 'Web_1', port: {} } };
  const errs = create(ingresses, i);
  assert.equal(errs.length, 3, errs.join('\n'));
  assert.ok(errs[0].startsWith('spec.defaultBackend.service.name: Invalid value: "Web_1": a DNS-1035 label must consist of'));
  assert.deepEqual(errs.slice(1), [
    'spec.defaultBackend: Required value: port name or number is required',
    'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both port name & port number',
  ]);
  const both = site();
  both.spec.rules[0].http.paths[0].backend.resource = { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' };
  assert.deepEqual(create(ingresses, both), ['spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both resource and service backends']);
  const port = site();
  port.spec.rules[0].http.paths[0].backend.service.port = { number: 70000 };
  assert.deepEqual(create(ingresses, port), ['spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive']);
});

test('ingress hosts are DNS names, optionally wildcards, never IP addresses', () => {
  const i = site();
  i.spec.rules[0].host = '10.0.0.1';
  assert.ok(create(ingresses, i).includes('spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'));
  const w = site();
  w.spec.rules[0].host = '*.example.com';
  w.spec.tls = [{ hosts: ['*.example.com'], secretName: 'tls' }];
  assert.deepEqual(create(ingresses, w), []);
  const bad = site();
  bad.spec.rules[0].host = 'a.*.com';
  assert.ok(create(ingresses, bad)[0].startsWith("spec.rules[0].host: Invalid value: \"a.*.com\": a wildcard DNS-1123 subdomain must start with '*.'"));
});

test('ingress printer: CLASS HOSTS ADDRESS PORTS AGE', () => {
  assert.deepEqual(ingresses.columns!.map((c) => c.name), ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
  const i = site();
  create(ingresses, i);
  assert.deepEqual(cells(ingresses, i, NOW), { Name: 'site', Class: 'nginx', Hosts: 'example.com', Address: '', Ports: '80', Age: '45s' });
  delete i.spec.ingressClassName;
  i.spec.tls = [{ hosts: ['example.com'] }];
  i.spec.rules = [1, 2, 3, 4, 5].map((n) => ({ host: `h${n}.example.com` })).concat([{ host: '' }]);
  i.status = { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { hostname: 'lb.example.com' }, { ip: '10.0.0.1' }] } };
  const c = cells(ingresses, i, NOW);
  assert.deepEqual([c.Class, c.Hosts, c.Address, c.Ports], ['<none>', 'h1.example.com,h2.example.com,h3.example.com,h4.example.com + 2 more...', '10.0.0.1,10.0.0.2,lb.example.com', '80, 443']);
  i.spec.rules = [{ http: { paths: [] } }];
  assert.equal(cells(ingresses, i, NOW).Hosts, '*');
});

test('ingressclass: controller is a domain-prefixed path and immutable; parameters scope defaults to Cluster', () => {
  const ic: any = { metadata: { name: 'nginx', creationTimestamp: ago(5) }, spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external' } } };
  assert.deepEqual(create(classes, ic), []);
  assert.equal(ic.spec.parameters.scope, 'Cluster');
  assert.deepEqual(cells(classes, ic, NOW), { Name: 'nginx', Controller: 'k8s.io/ingress-nginx', Parameters: 'IngressParameters.k8s.example.com/external', Age: '5s' });
  const next = clone(ic);
  next.spec.controller = 'example.com/other';
  assert.deepEqual(update(classes, next, ic), ['spec.controller: Invalid value: "example.com/other": field is immutable']);
  const bad: any = { metadata: { name: 'x' }, spec: { controller: 'nginx', parameters: { kind: 'P', name: 'p', scope: 'Namespace' } } };
  assert.deepEqual(create(classes, bad), [
    'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
  ]);
  assert.equal(cells(classes, { metadata: { name: 'n' }, spec: { controller: 'a.io/b' } }, NOW).Parameters, '<none>');
});
