// The core/v1 definitions: every reference resolves, every resource names its schema, and the list
// semantics that strategic merge patch and server-side apply depend on are Kubernetes' own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definitions as coreDefs, resources } from '../../../../src/api/core/v1/index.js';
import { definitions as metaDefs } from '../../../../src/api/meta/v1.js';
import { refName, resolveSchema, type Schema } from '../../../../src/machinery/schema.js';

const defs = new Map<string, Schema>([...Object.entries(metaDefs), ...Object.entries(coreDefs)]);
const C = (n: string) => `io.k8s.api.core.v1.${n}`;

/** The schema at a dotted path below a definition, following references. */
function at(def: string, path: string): Schema {
  let s = resolveSchema(defs.get(C(def)), defs);
  for (const part of path.split('.')) {
    const next = part === '[]' ? s?.items : s?.properties?.[part];
    assert.ok(next, `${def}.${path}: no ${part}`);
    s = part === '[]' ? resolveSchema(next, defs) : next;
  }
  return s!;
}

test('every $ref in core/v1 resolves within core and meta', () => {
  const missing = new Set<string>();
  const walk = (s: unknown) => {
    if (!s || typeof s !== 'object') return;
    const ref = (s as Schema).$ref;
    if (ref && !defs.has(refName(ref))) missing.add(refName(ref));
    for (const v of Object.values(s)) walk(v);
  };
  for (const s of Object.values(coreDefs)) walk(s);
  assert.deepEqual([...missing], []);
});

test('every resource has its schema, with Kubernetes group-version-kind', () => {
  assert.equal(resources.length, 15);
  for (const r of resources) {
    const s = defs.get(r.schemaName);
    assert.ok(s, `${r.plural}: ${r.schemaName} is not defined`);
    assert.deepEqual(s!['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: r.kind }], r.plural);
    assert.ok(s!.properties?.metadata && s!.properties?.apiVersion && s!.properties?.kind, r.plural);
    assert.ok(r.columns?.some((c) => c.format === 'name'), `${r.plural}: a Name column`);
  }
});

test('apps and batch find PodTemplateSpec by its Kubernetes name', () => {
  const tpl = defs.get(C('PodTemplateSpec'))!;
  assert.ok(tpl.properties?.metadata && tpl.properties?.spec);
  assert.equal(refName(tpl.properties!.spec.$ref!), C('PodSpec'));
});

test('containers, ports, env, mounts and volumes merge by their keys', () => {
  const containers = at('PodSpec', 'containers');
  assert.equal(containers['x-kubernetes-list-type'], 'map');
  assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  const ports = at('Container', 'ports');
  assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  assert.equal(ports['x-kubernetes-patch-merge-key'], 'containerPort');
  assert.equal(at('ContainerPort', 'protocol').default, 'TCP');
  assert.deepEqual(at('Container', 'env')['x-kubernetes-list-map-keys'], ['name']);
  assert.deepEqual(at('Container', 'volumeMounts')['x-kubernetes-list-map-keys'], ['mountPath']);
  const volumes = at('PodSpec', 'volumes');
  assert.deepEqual(volumes['x-kubernetes-list-map-keys'], ['name']);
  assert.equal(volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  assert.equal(at('PodSpec', 'tolerations')['x-kubernetes-list-type'], 'atomic');
  assert.deepEqual(at('PodSpec', 'imagePullSecrets')['x-kubernetes-list-map-keys'], ['name']);
  assert.equal(at('PodSpec', 'nodeSelector')['x-kubernetes-map-type'], 'atomic');
  const svcPorts = at('ServiceSpec', 'ports');
  assert.deepEqual(svcPorts['x-kubernetes-list-map-keys'], ['port', 'protocol']);
  assert.equal(svcPorts['x-kubernetes-patch-merge-key'], 'port');
  assert.deepEqual(at('NodeStatus', 'conditions')['x-kubernetes-list-map-keys'], ['type']);
  assert.deepEqual(at('NodeStatus', 'addresses')['x-kubernetes-list-map-keys'], ['type']);
});

test('ports of probes and services are int-or-string; resources are quantities', () => {
  assert.equal(at('HTTPGetAction', 'port')['x-kubernetes-int-or-string'], true);
  assert.equal(at('TCPSocketAction', 'port')['x-kubernetes-int-or-string'], true);
  assert.equal(at('ServicePort', 'targetPort')['x-kubernetes-int-or-string'], true);
  const limits = at('ResourceRequirements', 'limits');
  assert.equal(resolveSchema(limits.additionalProperties as Schema, defs)?.format, 'quantity');
  assert.equal(resolveSchema(at('EmptyDirVolumeSource', 'sizeLimit'), defs)?.format, 'quantity');
});

test('the fields real manifests use are all declared (strict field validation accepts them)', () => {
  const podSpec = Object.keys(at('PodSpec', 'containers.[]').properties ?? {});
  for (const f of ['name', 'image', 'command', 'args', 'env', 'envFrom', 'ports', 'resources', 'volumeMounts', 'livenessProbe',
    'readinessProbe', 'startupProbe', 'lifecycle', 'securityContext', 'restartPolicy', 'resizePolicy', 'stdin', 'tty']) {
    assert.ok(podSpec.includes(f), `Container.${f}`);
  }
  const spec = Object.keys(defs.get(C('PodSpec'))!.properties!);
  for (const f of ['affinity', 'tolerations', 'topologySpreadConstraints', 'nodeSelector', 'schedulingGates', 'priorityClassName',
    'overhead', 'dnsConfig', 'hostAliases', 'readinessGates', 'resourceClaims', 'os', 'ephemeralContainers', 'hostUsers', 'resources']) {
    assert.ok(spec.includes(f), `PodSpec.${f}`);
  }
  const volume = Object.keys(defs.get(C('Volume'))!.properties!);
  for (const f of ['emptyDir', 'hostPath', 'configMap', 'secret', 'projected', 'downwardAPI', 'persistentVolumeClaim', 'ephemeral', 'csi', 'nfs', 'image']) {
    assert.ok(volume.includes(f), `Volume.${f}`);
  }
  assert.ok(at('ResourceRequirements', 'claims'));
  assert.ok(at('Probe', 'grpc'));
  assert.ok(at('LifecycleHandler', 'sleep'));
  assert.ok(at('PodStatus', 'containerStatuses.[]'));
});

test('every definition and property has a description for kubectl explain', () => {
  const undocumented: string[] = [];
  for (const [name, s] of Object.entries(coreDefs)) {
    if (!name.startsWith('io.k8s.api.core.v1.')) continue;
    if (!s.description) undocumented.push(name);
    for (const [p, ps] of Object.entries(s.properties ?? {})) {
      if (['apiVersion', 'kind', 'metadata'].includes(p)) continue;
      if (!ps.description) undocumented.push(`${name}.${p}`);
    }
  }
  assert.deepEqual(undocumented, []);
});
