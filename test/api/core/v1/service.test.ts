// Services: defaults, validation with Kubernetes' messages, cluster IP immutability and the
// `kubectl get services` row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';
import { validateDNS1035Label, validateDNS1123Label } from '../../../../src/machinery/names.js';

const services = resources.find((r) => r.plural === 'services')!;
const NOW = Date.parse('2025-01-01T12:00:00Z');

function svc(spec: Record<string, unknown>, name = 'web'): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', creationTimestamp: '2025-01-01T11:00:00Z' }, spec } as KObject;
}
const errors = (s: KObject, old?: KObject) => {
  services.defaults!(s);
  if (old) services.prepareForUpdate!(s, old);
  return services.validate!(s, { old }).map((e) => `${e.field}: ${e.message}`);
};

test('a ClusterIP service is defaulted as on a real cluster', () => {
  const s = svc({ selector: { app: 'web' }, ports: [{ port: 80 }] });
  services.defaults!(s);
  assert.deepEqual(s.spec, {
    selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
  });
  assert.deepEqual(services.validate!(s, {}), []);
});

test('NodePort, LoadBalancer, ClientIP affinity and headless defaults', () => {
  const lb = svc({ type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 443, targetPort: 'https' }] });
  services.defaults!(lb);
  const s = lb.spec as any;
  assert.equal(s.externalTrafficPolicy, 'Cluster');
  assert.equal(s.allocateLoadBalancerNodePorts, true);
  assert.deepEqual(s.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  assert.equal(s.ports[0].targetPort, 'https');
  const headless = svc({ clusterIP: 'None', ports: [] });
  services.defaults!(headless);
  assert.deepEqual((headless.spec as any).clusterIPs, ['None']);
  assert.equal((headless.spec as any).ipFamilyPolicy, 'RequireDualStack');
  assert.deepEqual(services.validate!(headless, {}), []);
  const ext = svc({ type: 'ExternalName', externalName: 'db.example.com.' });
  services.defaults!(ext);
  assert.equal((ext.spec as any).ipFamilies, undefined);
  assert.equal((ext.spec as any).internalTrafficPolicy, undefined);
  assert.deepEqual(services.validate!(ext, {}), []);
});

test('service names are DNS-1035 labels', () => {
  assert.deepEqual(services.nameValidator!('1web'), validateDNS1035Label('1web'));
  assert.ok(services.nameValidator!('1web').length > 0);
  assert.deepEqual(services.nameValidator!('web-1'), []);
});

test('ports: required, named when several, unique, valid', () => {
  assert.deepEqual(errors(svc({ selector: { app: 'x' } })), ['spec.ports: Required value']);
  assert.deepEqual(errors(svc({ ports: [{ port: 80 }, { port: 80, name: 'Http', protocol: 'HTTP', targetPort: 0 }, { port: 70000, name: 'a' }] })), [
    'spec.ports[0].name: Required value',
    `spec.ports[1].name: Invalid value: "Http": ${validateDNS1123Label('Http')[0]}`,
    'spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    'spec.ports[2].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.ports[2].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(errors(svc({ ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] })), [
    'spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}',
  ]);
  assert.deepEqual(errors(svc({ ports: [{ port: 80, nodePort: 30080 }] })), [
    "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
  ]);
});

test('type, affinity, external names and IPs', () => {
  assert.deepEqual(errors(svc({ type: 'Ingress', ports: [{ port: 80 }] })), [
    'spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  ]);
  assert.deepEqual(errors(svc({ type: 'ExternalName' })), ['spec.externalName: Required value']);
  assert.deepEqual(errors(svc({ clusterIP: '10.43.0.300', externalIPs: ['nope'], ports: [{ port: 80 }] })), [
    'spec.clusterIPs[0]: Invalid value: "10.43.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'spec.externalIPs[0]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  ]);
  assert.deepEqual(errors(svc({ externalTrafficPolicy: 'Local', ports: [{ port: 80 }] })), [
    'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
  ]);
});

test('the cluster IP cannot change, and a replaced manifest keeps the allocated one', () => {
  const old = svc({ selector: { app: 'web' }, ports: [{ port: 80 }] });
  services.defaults!(old);
  Object.assign(old.spec as object, { clusterIP: '10.43.0.10', clusterIPs: ['10.43.0.10'] });
  // kubectl replace with the original manifest: no clusterIP in it
  const replaced = svc({ selector: { app: 'web' }, ports: [{ port: 8080 }] });
  assert.deepEqual(errors(replaced, old), []);
  assert.equal((replaced.spec as any).clusterIP, '10.43.0.10');
  const moved = svc({ selector: { app: 'web' }, clusterIP: '10.43.0.11', ports: [{ port: 80 }] });
  assert.deepEqual(errors(moved, old), ['spec.clusterIPs[0]: Invalid value: []string{"10.43.0.11"}: may not change once set']);
});

test('switching NodePort to ClusterIP drops the node ports the server allocated', () => {
  const old = svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
  services.defaults!(old);
  Object.assign(old.spec as object, { clusterIP: '10.43.0.12', clusterIPs: ['10.43.0.12'] });
  const next = structuredClone(old);
  (next.spec as any).type = 'ClusterIP';
  assert.deepEqual(errors(next, old), []);
  assert.equal((next.spec as any).ports[0].nodePort, undefined);
  assert.equal((next.spec as any).externalTrafficPolicy, undefined);
});

test('rows: cluster IP, external IP, ports, selector', () => {
  const s = svc({ type: 'NodePort', selector: { app: 'web', tier: 'fe' }, ports: [{ port: 80, nodePort: 30080 }, { port: 443, protocol: 'TCP', nodePort: 30443 }] });
  services.defaults!(s);
  Object.assign(s.spec as object, { clusterIP: '10.43.0.20', clusterIPs: ['10.43.0.20'] });
  assert.deepEqual(services.row!(s, NOW), ['web', 'NodePort', '10.43.0.20', '<none>', '80:30080/TCP,443:30443/TCP', '60m', 'app=web,tier=fe']);
  const lb = svc({ type: 'LoadBalancer', ports: [{ port: 80 }] });
  services.defaults!(lb);
  assert.equal(services.row!(lb, NOW)[3], '<pending>');
  lb.status = { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } };
  assert.equal(services.row!(lb, NOW)[3], '192.0.2.10');
  const ext = svc({ type: 'ExternalName', externalName: 'db.example.com' });
  assert.deepEqual(services.row!(ext, NOW).slice(1, 5), ['ExternalName', '<none>', 'db.example.com', '<none>']);
  assert.deepEqual(services.selectableFields!(s), { 'spec.clusterIP': '10.43.0.20', 'spec.type': 'NodePort' });
});

test('patching clusterIP alone is refused as a change of the cluster IP', () => {
  const old = svc({ selector: { app: 'web' }, ports: [{ port: 80 }] });
  services.defaults!(old);
  Object.assign(old.spec as object, { clusterIP: '10.43.0.10', clusterIPs: ['10.43.0.10'] });
  const patched = structuredClone(old);
  (patched.spec as any).clusterIP = '10.43.0.99';
  assert.deepEqual(errors(patched, old), ['spec.clusterIPs[0]: Invalid value: []string{"10.43.0.99"}: may not change once set']);
  assert.deepEqual(errors(svc({ clusterIPs: ['10.43.0.7'], ports: [{ port: 80 }] })), [
    'spec.clusterIPs: Invalid value: []string{"10.43.0.7"}: must be empty when `clusterIP` is not specified',
  ]);
});

test('a new service starts with an empty load balancer status', () => {
  const s = svc({ ports: [{ port: 80 }] });
  s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
  services.prepareForCreate!(s);
  assert.deepEqual(s.status, { loadBalancer: {} });
});
