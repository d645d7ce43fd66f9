import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyStrategicMergePatch, createTwoWayStrategicMergePatch, createThreeWayStrategicMergePatch,
} from '../../src/machinery/strategic-merge-patch.js';
import { StatusError } from '../../src/machinery/status.js';
import { any, int32, intOrString, list, mapList, obj, ref, set, str, strMap, type Definitions, type Schema } from '../../src/machinery/schema.js';

// A small Pod and Deployment shaped like Kubernetes' own, with the same patch strategies.
const defs: Definitions = new Map<string, Schema>([
  ['t.Meta', obj({ name: str(), labels: strMap(), annotations: strMap(), finalizers: set(str()) })],
  ['t.Pod', obj({ metadata: ref('t.Meta'), spec: ref('t.PodSpec'), status: any() })],
  ['t.PodSpec', obj({
    containers: mapList(ref('t.Container'), ['name']),
    volumes: { ...mapList(ref('t.Volume'), ['name']), 'x-kubernetes-patch-strategy': 'merge,retainKeys' },
    tolerations: list(obj({ key: str(), operator: str(), value: str(), effect: str() })),
    nodeSelector: strMap(),
    extra: any(),
  })],
  ['t.Container', obj({
    name: str(), image: str(), args: list(str()),
    env: mapList(obj({ name: str(), value: str() }), ['name']),
    ports: mapList(obj({ containerPort: int32(), protocol: str(), name: str() }), ['containerPort', 'protocol']),
    volumeMounts: mapList(obj({ name: str(), mountPath: str(), readOnly: { type: 'boolean' } }), ['mountPath']),
    terminationMessagePath: str(),
  })],
  ['t.Volume', obj({ name: str(), emptyDir: obj({ medium: str() }), hostPath: obj({ path: str() }), configMap: obj({ name: str() }) })],
  ['t.Deployment', obj({
    metadata: ref('t.Meta'),
    spec: obj({
      replicas: int32(),
      strategy: { ...obj({ type: str(), rollingUpdate: obj({ maxSurge: intOrString(), maxUnavailable: intOrString() }) }), 'x-kubernetes-patch-strategy': 'retainKeys' },
      template: obj({ metadata: ref('t.Meta'), spec: ref('t.PodSpec') }),
    }),
  })],
]);
const POD = ref('t.Pod');
const DEPLOY = ref('t.Deployment');

const pod = () => ({
  metadata: { name: 'web', labels: { app: 'web', tier: 'fe' }, finalizers: ['a.io/x', 'b.io/y'] },
  spec: {
    containers: [
      {
        name: 'app', image: 'nginx:1.25',
        env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
        ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }],
        volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/cfg' }],
        args: ['--a', '--b'],
      },
      { name: 'sidecar', image: 'envoy' },
    ],
    volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }],
    tolerations: [{ key: 'k1', operator: 'Exists' }, { key: 'k2', operator: 'Exists' }],
    nodeSelector: { disk: 'ssd', zone: 'a' },
  },
});
type Pod = ReturnType<typeof pod>;
const apply = (doc: unknown, patch: unknown, schema = POD) => applyStrategicMergePatch(doc, patch, schema, defs) as Pod;

const status = (code: number, message: string | RegExp) => (e: unknown) =>
  e instanceof StatusError && e.code === code &&
  (typeof message === 'string' ? e.message === message || e.details?.causes?.[0]?.message === message : message.test(e.message));

test('containers merge by name; untouched fields and containers stay', () => {
  const out = apply(pod(), { spec: { containers: [{ name: 'sidecar', image: 'envoy:1.30' }] } });
  assert.deepEqual(out.spec.containers.map((c) => `${c.name}=${c.image}`), ['app=nginx:1.25', 'sidecar=envoy:1.30']);
  assert.deepEqual(out.spec.containers[0], pod().spec.containers[0]);
});

test('env merges by name, and $patch: delete removes one variable', () => {
  const out = apply(pod(), { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '20' }, { name: 'A', $patch: 'delete' }] }] } });
  assert.deepEqual(out.spec.containers[0].env, [{ name: 'B', value: '20' }]);
});

test('ports merge by containerPort and volumeMounts by mountPath', () => {
  const out = apply(pod(), {
    spec: { containers: [{ name: 'app', ports: [{ containerPort: 443, name: 'https' }], volumeMounts: [{ mountPath: '/data', readOnly: true }] }] },
  });
  assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP', name: 'https' }]);
  assert.deepEqual(out.spec.containers[0].volumeMounts, [{ name: 'data', mountPath: '/data', readOnly: true }, { name: 'cfg', mountPath: '/etc/cfg' }]);
});

test('a new list item goes before the live items unless $setElementOrder places it', () => {
  // Kubernetes puts items that are new to a merging list first when no order is given.
  const first = apply(pod(), { spec: { containers: [{ name: 'init', image: 'busybox' }] } });
  assert.deepEqual(first.spec.containers.map((c) => c.name), ['init', 'app', 'sidecar']);
  const ordered = apply(pod(), {
    spec: {
      '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }, { name: 'init' }],
      containers: [{ name: 'init', image: 'busybox' }],
    },
  });
  assert.deepEqual(ordered.spec.containers.map((c) => c.name), ['app', 'sidecar', 'init']);
  assert.ok(!('$setElementOrder/containers' in ordered.spec), 'directives are not stored');
});

test('$setElementOrder reorders, keeping server-only items after the items they followed', () => {
  const live = { spec: { containers: [{ name: '1', image: 'a' }, { name: '3' }, { name: '4' }, { name: '2' }, { name: '9' }] } };
  const out = apply(live, { spec: { '$setElementOrder/containers': [{ name: '4' }, { name: '2' }, { name: '3' }, { name: '1' }] } });
  assert.deepEqual(out.spec.containers.map((c) => c.name), ['4', '2', '3', '1', '9']);
  assert.equal(out.spec.containers[3].image, 'a');
});

test('deleting and adding in one list orders as kube-apiserver does', () => {
  const live = { spec: { containers: [{ name: '1' }, { name: '2', image: 'b' }, { name: '4', image: 'c' }] } };
  const out = apply(live, { spec: { '$setElementOrder/containers': [{ name: '2' }, { name: '3' }], containers: [{ name: '3' }, { name: '1', $patch: 'delete' }] } });
  assert.deepEqual(out.spec.containers, [{ name: '2', image: 'b' }, { name: '4', image: 'c' }, { name: '3' }]);
});

test('finalizers merge as a set; $deleteFromPrimitiveList removes', () => {
  const added = apply(pod(), { metadata: { finalizers: ['b.io/y', 'c.io/z'] } });
  assert.deepEqual(added.metadata.finalizers, ['a.io/x', 'b.io/y', 'c.io/z']);
  const removed = apply(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.io/x', 'nope'] } });
  assert.deepEqual(removed.metadata.finalizers, ['b.io/y']);
  const ordered = apply(pod(), { metadata: { '$setElementOrder/finalizers': ['b.io/y', 'c.io/z', 'a.io/x'], finalizers: ['c.io/z'] } });
  assert.deepEqual(ordered.metadata.finalizers, ['b.io/y', 'c.io/z', 'a.io/x']);
  assert.throws(() => apply(pod(), { metadata: { $deleteFromPrimitiveListfinalizers: ['x'] } }), status(400, 'invalid patch format of primitive list'));
});

test('lists without a merge strategy (tolerations, args) are replaced whole', () => {
  const out = apply(pod(), { spec: { tolerations: [{ key: 'k3', operator: 'Exists', value: null }], containers: [{ name: 'app', args: ['--c'] }] } });
  assert.deepEqual(out.spec.tolerations, [{ key: 'k3', operator: 'Exists' }]);
  assert.deepEqual(out.spec.containers[0].args, ['--c']);
});

test('null deletes a field; maps merge key by key; nulls in new content are dropped', () => {
  const out = apply(pod(), { metadata: { labels: { tier: null, env: 'prod' } }, spec: { nodeSelector: null, extra: { a: 1, b: null } } }) as Pod & { spec: { extra?: unknown } };
  assert.deepEqual(out.metadata.labels, { app: 'web', env: 'prod' });
  assert.equal(out.spec.nodeSelector, undefined);
  assert.deepEqual(out.spec.extra, { a: 1 });
  assert.deepEqual(apply(pod(), { metadata: { missing: null } }).metadata, pod().metadata);
});

test('$patch: replace and $patch: delete on maps and lists', () => {
  const sel = apply(pod(), { spec: { nodeSelector: { $patch: 'replace', gpu: 'yes' } } });
  assert.deepEqual(sel.spec.nodeSelector, { gpu: 'yes' });
  const emptied = apply(pod(), { spec: { nodeSelector: { $patch: 'delete' } } });
  assert.deepEqual(emptied.spec.nodeSelector, {});
  const replaced = apply(pod(), { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } });
  assert.deepEqual(replaced.spec.containers, [{ name: 'only', image: 'x' }]);
  const whole = apply(pod(), { $patch: 'replace', metadata: { name: 'new' } });
  assert.deepEqual(whole, { metadata: { name: 'new' } });
});

test('$retainKeys clears fields a union member switch leaves behind', () => {
  const vol = apply(pod(), { spec: { volumes: [{ name: 'data', $retainKeys: ['hostPath', 'name'], hostPath: { path: '/srv' } }] } });
  assert.deepEqual(vol.spec.volumes[0], { name: 'data', hostPath: { path: '/srv' } });
  const dep = { spec: { replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } };
  const out = applyStrategicMergePatch(dep, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, DEPLOY, defs);
  assert.deepEqual(out, { spec: { replicas: 2, strategy: { type: 'Recreate' } } });
  assert.throws(() => applyStrategicMergePatch(dep, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, DEPLOY, defs),
    status(400, 'invalid patch format of retainKeys'));
});

test('without a schema, maps merge and lists replace (JSON merge patch semantics)', () => {
  const doc = { spec: { extra: { items: [{ name: 'a', v: 1 }], m: { x: 1 } } }, status: { conditions: [{ type: 'A' }] } };
  const out = applyStrategicMergePatch(doc, { spec: { extra: { items: [{ name: 'b' }], m: { y: 2 } } }, status: { conditions: [{ type: 'B' }] } }, POD, defs);
  assert.deepEqual(out, { spec: { extra: { items: [{ name: 'b' }], m: { x: 1, y: 2 } } }, status: { conditions: [{ type: 'B' }] } });
  assert.deepEqual(applyStrategicMergePatch({ l: [1, 2], m: { a: 1 } }, { l: [3], m: { b: 2 } }, undefined, defs), { l: [3], m: { a: 1, b: 2 } });
});

test('bad patches are Status errors with Kubernetes messages', () => {
  assert.throws(() => apply(pod(), { spec: { containers: [{ image: 'x' }] } }), status(400, 'map: map[image:x] does not contain declared merge key: name'));
  assert.throws(() => apply({ metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [['b']] } }), status(422, 'lists of lists are not supported'));
  assert.throws(() => apply(pod(), { spec: { containers: [{ name: 'app', $patch: 'merge' }] } }), status(400, 'merging lists cannot yet be specified in the patch'));
  assert.throws(() => apply(pod(), { spec: { nodeSelector: { $patch: 'frob' } } }), status(400, 'unknown patch type: frob in map: map[$patch:frob]'));
  assert.throws(() => apply(pod(), { spec: { containers: ['app'] } }), status(400, /^list element types are not identical/));
  assert.throws(() => apply(pod(), { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }], containers: [{ name: 'app', image: 'x' }, { name: 'sidecar', image: 'y' }] } }),
    status(400, /^The order in patch list:\n.*\n doesn't match \$setElementOrder list:/));
  assert.throws(() => apply(pod(), [{ op: 'add' }]), status(400, /cannot unmarshal array/));
});

test('the document and the patch are not changed', () => {
  const doc = pod();
  const patch = { spec: { containers: [{ name: 'app', env: [{ name: 'A', $patch: 'delete' }] }, { name: 'new' }] }, metadata: { labels: { app: null } } };
  const patchCopy = structuredClone(patch);
  apply(doc, patch);
  assert.deepEqual(doc, pod());
  assert.deepEqual(patch, patchCopy);
});

test('two-way patches turn original into modified', () => {
  const original = pod();
  const modified: any = structuredClone(original);
  modified.metadata.labels = { app: 'web', env: 'prod' };
  modified.metadata.finalizers = ['b.io/y', 'c.io/z'];
  modified.spec.containers[0].image = 'nginx:1.27';
  modified.spec.containers[0].env = [{ name: 'B', value: '2' }, { name: 'C', value: '3' }];
  modified.spec.containers.reverse();
  modified.spec.tolerations = [];
  const patch = createTwoWayStrategicMergePatch(original, modified, POD, defs);
  assert.deepEqual((patch.metadata as Record<string, unknown>).labels, { tier: null, env: 'prod' });
  assert.deepEqual((patch.metadata as Record<string, unknown>)['$deleteFromPrimitiveList/finalizers'], ['a.io/x']);
  assert.deepEqual(apply(original, patch), modified);
  assert.deepEqual(createTwoWayStrategicMergePatch(original, original, POD, defs), {});
});

test('three-way patch (kubectl apply): deletes what the config dropped, keeps what others set', () => {
  const lastApplied = {
    metadata: { name: 'web', labels: { app: 'web', old: 'x' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'GONE', value: '0' }] }] },
  };
  const config = {
    metadata: { name: 'web', labels: { app: 'web', new: 'y' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }] }] },
  };
  const live = {
    metadata: { name: 'web', labels: { app: 'web', old: 'x', 'added-by': 'controller' }, annotations: { note: 'kept' } },
    spec: {
      containers: [{ name: 'app', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'GONE', value: '0' }], terminationMessagePath: '/dev/termination-log' }],
      nodeSelector: { zone: 'a' },
    },
    status: { phase: 'Running' },
  };
  const patch = createThreeWayStrategicMergePatch(lastApplied, config, live, POD, defs);
  assert.deepEqual(patch, {
    metadata: { labels: { old: null, new: 'y' } },
    spec: {
      '$setElementOrder/containers': [{ name: 'app' }],
      containers: [{ name: 'app', image: 'nginx:1.27', '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'GONE', $patch: 'delete' }] }],
    },
  });
  const result = apply(live, patch) as unknown as typeof live;
  assert.deepEqual(result, {
    metadata: { name: 'web', labels: { app: 'web', 'added-by': 'controller', new: 'y' }, annotations: { note: 'kept' } },
    spec: {
      containers: [{ name: 'app', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }], terminationMessagePath: '/dev/termination-log' }],
      nodeSelector: { zone: 'a' },
    },
    status: { phase: 'Running' },
  });
  // Applying the same configuration again changes nothing.
  assert.deepEqual(createThreeWayStrategicMergePatch(config, config, result, POD, defs), {});
});

test('three-way patch without overwrite refuses to undo changes made since (409)', () => {
  const original = { spec: { nodeSelector: { zone: 'a' } } };
  const modified = { spec: { nodeSelector: { zone: 'b' } } };
  const current = { spec: { nodeSelector: { zone: 'c' } } };
  assert.throws(() => createThreeWayStrategicMergePatch(original, modified, current, POD, defs, { overwrite: false }), status(409, /^patch:\n[\s\S]*conflicts with changes made from original to current:/));
  assert.deepEqual(createThreeWayStrategicMergePatch(original, modified, current, POD, defs), { spec: { nodeSelector: { zone: 'b' } } });
  assert.deepEqual(createThreeWayStrategicMergePatch(original, modified, original, POD, defs, { overwrite: false }), { spec: { nodeSelector: { zone: 'b' } } });
});

test('"__proto__" is an ordinary key, not a prototype', () => {
  const out = applyStrategicMergePatch({ spec: {} }, JSON.parse('{"spec": {"__proto__": {"polluted": true}}}'), POD, defs);
  assert.equal(JSON.stringify(out), '{"spec":{"__proto__":{"polluted":true}}}');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
