import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtobuf, isProtobuf } from '../../../src/apiserver/protobuf/index.js';
import { messageType } from '../../../src/apiserver/protobuf/schema.js';
import { StatusError } from '../../../src/machinery/status.js';
import { builtinResources } from '../../../src/api/index.js';
import { body, entry, msg, objectMeta, type WireField } from './wire.js';

const intOrString = (v: number | string) => (typeof v === 'number' ? msg([1, 0], [2, v], [3, '']) : msg([1, 1], [2, 0], [3, v]));
const time = (seconds: number, nanos = 0) => msg([1, seconds], [2, nanos]);

function rejects(fn: () => unknown, code: number, reason: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof StatusError, `expected a StatusError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.reason, reason);
    assert.match(err.message, message);
    return true;
  });
}

test('isProtobuf recognises the media type with parameters and in any case', () => {
  assert.equal(isProtobuf('application/vnd.kubernetes.protobuf'), true);
  assert.equal(isProtobuf('Application/Vnd.Kubernetes.Protobuf; charset=utf-8'), true);
  assert.equal(isProtobuf('application/json'), false);
  assert.equal(isProtobuf('application/vnd.kubernetes.protobuf.other'), false);
});

test('a ConfigMap as client-go writes it becomes the JSON kubectl would send', () => {
  const raw = msg(
    [1, objectMeta('c')],
    entry(2, 'a', 'b'), entry(2, 'empty', ''),
    entry(3, 'bin', new Uint8Array([0, 1, 2, 255])),
  );
  assert.deepEqual(decodeProtobuf(body('v1', 'ConfigMap', raw)), {
    kind: 'ConfigMap', apiVersion: 'v1',
    metadata: { name: 'c', creationTimestamp: null },
    data: { a: 'b', empty: '' },
    binaryData: { bin: 'AAEC/w==' },
  });
});

test('a pointer keeps a zero value that was sent; omitempty values drop theirs; structs are always written', () => {
  // DeploymentSpec: replicas (1) is *int32, minReadySeconds (5) and paused (7) are plain omitempty.
  const spec = msg([1, 0], [3, msg([1, objectMeta('', { labels: { app: 'd' } })], [2, msg([2, msg([1, 'busybox'], [2, 'busybox'], [8, msg()])])])], [4, msg([1, ''])], [5, 0], [7, false]);
  const obj = decodeProtobuf(body('apps/v1', 'Deployment', msg([1, objectMeta('d')], [2, spec], [3, msg()])));
  assert.deepEqual(obj, {
    kind: 'Deployment', apiVersion: 'apps/v1',
    metadata: { name: 'd', creationTimestamp: null },
    spec: {
      replicas: 0,
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'd' } },
        spec: { containers: [{ name: 'busybox', image: 'busybox', resources: {} }] },
      },
      strategy: {},
    },
    status: {},
  });
});

test('IntOrString is a number or a string; an absent one is Go\'s zero value, 0', () => {
  const port = (...fields: WireField[]) => [1, msg(...fields)] as WireField;
  const raw = msg([1, objectMeta('svc', { namespace: 'default' })], [2, msg(
    port([1, '80-8080'], [2, 'TCP'], [3, 80], [4, intOrString(8080)], [5, 0]),
    port([1, 'https'], [2, 'TCP'], [3, 443], [4, intOrString('https')]),
    port([3, 53]),
    entry(2, 'app', 'svc'), [4, 'ClusterIP'], [3, ''],
  )], [3, msg([1, msg()])]);
  assert.deepEqual(decodeProtobuf(body('v1', 'Service', raw)), {
    kind: 'Service', apiVersion: 'v1',
    metadata: { name: 'svc', namespace: 'default', creationTimestamp: null },
    spec: {
      ports: [
        { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 },
        { name: 'https', protocol: 'TCP', port: 443, targetPort: 'https' },
        { port: 53, targetPort: 0 },
      ],
      selector: { app: 'svc' },
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  });
});

test('Time is whole seconds in RFC 3339, MicroTime keeps microseconds, FieldsV1 is its JSON', () => {
  const managed = msg([1, 'kubectl-create'], [2, 'Update'], [3, 'v1'], [4, time(1700000000)], [6, 'FieldsV1'], [7, msg([1, Buffer.from('{"f:data":{".":{},"f:a":{}}}')])]);
  const meta = objectMeta('e', {
    namespace: 'ns',
    more: [[9, time(1700000100, 999)], [10, 30], [17, managed]],
  });
  const obj = decodeProtobuf(body('events.k8s.io/v1', 'Event', msg(
    [1, meta], [2, time(1700000000, 123456789)], [7, 'Started'],
    [8, msg([1, 'Pod'], [2, 'ns'], [3, 'p'])], [11, 'Normal'], [13, time(0)],
  ))) as Record<string, any>;
  assert.equal(obj.metadata.creationTimestamp, null);
  assert.equal(obj.metadata.deletionTimestamp, '2023-11-14T22:15:00Z');
  assert.equal(obj.metadata.deletionGracePeriodSeconds, 30);
  assert.deepEqual(obj.metadata.managedFields, [{
    manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2023-11-14T22:13:20Z',
    fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
  }]);
  assert.equal(obj.eventTime, '2023-11-14T22:13:20.123456Z');
  assert.deepEqual(obj.regarding, { kind: 'Pod', namespace: 'ns', name: 'p' });
  assert.equal(obj.deprecatedFirstTimestamp, '1970-01-01T00:00:00Z');
  assert.equal(obj.deprecatedLastTimestamp, null);
  assert.deepEqual(obj.deprecatedSource, {});
});

test('quantities stay strings, keyed by resource name', () => {
  const raw = msg([1, objectMeta('q')], [2, msg(entry(1, 'pods', msg([1, '3'])), entry(1, 'requests.cpu', msg([1, '500m'])), entry(1, 'zero', msg()), [1, msg([1, 'novalue'])])]);
  const obj = decodeProtobuf(body('v1', 'ResourceQuota', raw)) as Record<string, any>;
  assert.deepEqual(obj.spec, { hard: { pods: '3', 'requests.cpu': '500m', zero: '0', novalue: '0' } });
});

test('embedded structs (json:",inline") are written into their parent', () => {
  const container = msg(
    [1, 'app'], [2, 'nginx'],
    [7, msg([1, 'PASSWORD'], [2, ''], [3, msg([4, msg([1, msg([1, 'creds'])], [2, 'password'])])])],
    [10, msg([1, msg([2, msg([1, '/healthz'], [2, intOrString('http')], [3, ''], [4, 'HTTP'])])], [2, 0], [3, 1], [4, 10], [5, 1], [6, 3])],
  );
  const volume = msg([1, 'config'], [2, msg([19, msg([1, msg([1, 'settings'])], [3, 420])])]);
  const obj = decodeProtobuf(body('v1', 'Pod', msg([1, objectMeta('p')], [2, msg([1, volume], [2, container])]))) as Record<string, any>;
  assert.deepEqual(obj.spec.volumes, [{ name: 'config', configMap: { name: 'settings', defaultMode: 420 } }]);
  assert.deepEqual(obj.spec.containers[0].env, [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }]);
  assert.deepEqual(obj.spec.containers[0].livenessProbe, {
    httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
  });
  assert.deepEqual(obj.status, {});
});

test('Secret bytes become base64; stringData and type pass through', () => {
  const raw = msg([1, objectMeta('s')], entry(2, 'p', Buffer.from('q')), [3, 'Opaque'], entry(4, 'plain', 'text'), [5, true]);
  assert.deepEqual(decodeProtobuf(body('v1', 'Secret', raw)), {
    kind: 'Secret', apiVersion: 'v1', metadata: { name: 's', creationTimestamp: null },
    immutable: true, data: { p: 'cQ==' }, stringData: { plain: 'text' }, type: 'Opaque',
  });
});

test('TokenRequest: int64 expirationSeconds is a number, boundObjectRef\'s uID is spelled uid', () => {
  const spec = msg([1, 'https://kubernetes.default.svc'], [3, msg([1, 'Pod'], [2, 'v1'], [3, 'p'], [4, 'u-1'])], [4, 3600n]);
  const obj = decodeProtobuf(body('authentication.k8s.io/v1', 'TokenRequest', msg([1, objectMeta('sa', { namespace: 'default' })], [2, spec], [3, msg([1, ''], [2, msg()])])));
  assert.deepEqual(obj, {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: 'sa', namespace: 'default', creationTimestamp: null },
    spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u-1' } },
    status: { token: '', expirationTimestamp: null },
  });
});

test('named slices such as ExtraValue are arrays', () => {
  const spec = msg([1, msg([2, 'get'], [5, 'pods'])], [3, 'alice'], [4, 'admins'], entry(5, 'scopes', msg([1, 'a'], [1, 'b'])), [6, 'uid-1']);
  const obj = decodeProtobuf(body('authorization.k8s.io/v1', 'SubjectAccessReview', msg([1, objectMeta('')], [2, spec]))) as Record<string, any>;
  assert.deepEqual(obj.spec, { resourceAttributes: { verb: 'get', resource: 'pods' }, user: 'alice', groups: ['admins'], extra: { scopes: ['a', 'b'] }, uid: 'uid-1' });
});

test('DeleteOptions decodes under any group version; Eviction carries them', () => {
  const options = msg([1, 0], [4, 'Background'], [5, 'All']);
  for (const apiVersion of ['v1', 'meta.k8s.io/v1', 'apps/v1']) {
    assert.deepEqual(decodeProtobuf(body(apiVersion, 'DeleteOptions', options)), {
      kind: 'DeleteOptions', apiVersion, gracePeriodSeconds: 0, propagationPolicy: 'Background', dryRun: ['All'],
    });
  }
  const eviction = decodeProtobuf(body('policy/v1', 'Eviction', msg([1, objectMeta('p', { namespace: 'default' })], [2, msg([2, msg([1, 'uid-1'])])])));
  assert.deepEqual(eviction, {
    kind: 'Eviction', apiVersion: 'policy/v1', metadata: { name: 'p', namespace: 'default', creationTimestamp: null },
    deleteOptions: { preconditions: { uid: 'uid-1' } },
  });
});

test('a body without apiVersion or kind takes them from what the request path expects', () => {
  const raw = msg([1, objectMeta('n1')]);
  assert.deepEqual(decodeProtobuf(body('', '', raw), { apiVersion: 'v1', kind: 'Namespace' }), {
    kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'n1', creationTimestamp: null }, spec: {}, status: {},
  });
  rejects(() => decodeProtobuf(body('', '', raw)), 400, 'BadRequest', /Kind/);
});

test('a body encoded with k8ts\' own schema comes back as the object it was built from', () => {
  const Unknown = messageType('k8s.io.apimachinery.pkg.runtime', 'Unknown')!;
  const CronJob = messageType('k8s.io.api.batch.v1', 'CronJob')!;
  const raw = CronJob.encode({
    metadata: { name: 'cj', labels: { a: 'b' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'x', controller: false }] },
    spec: {
      schedule: '*/1 * * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', suspend: false,
      jobTemplate: { spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'cj', image: 'busybox', command: ['date'], resources: { limits: { cpu: { string: '1' } } } }] } } } },
    },
  }).finish();
  const bytes = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Unknown.encode({ typeMeta: { apiVersion: 'batch/v1', kind: 'CronJob' }, raw, contentEncoding: '', contentType: '' }).finish()]);
  assert.deepEqual(decodeProtobuf(bytes), {
    kind: 'CronJob', apiVersion: 'batch/v1',
    metadata: { name: 'cj', creationTimestamp: null, labels: { a: 'b' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'x', controller: false }] },
    spec: {
      schedule: '*/1 * * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', suspend: false,
      jobTemplate: {
        metadata: { creationTimestamp: null },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: { creationTimestamp: null },
            spec: { containers: [{ name: 'cj', image: 'busybox', command: ['date'], resources: { limits: { cpu: '1' } } }], restartPolicy: 'OnFailure' },
          },
        },
      },
    },
    status: {},
  });
});

// Bodies captured from kubectl 1.32 (-v=9) for commands whose endpoints need no particular server state.
const captured = {
  token: '6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e5265717565737412340a100a0012001a0022002a00320038004200121a0a0261311a110a03506f64120276311a01702203752d3120901c1a040a0012001a002200',
  canI: '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374416363657373526576696577124c0a100a0012001a0022002a00320038004200122e0a2c0a0b6b7562652d73797374656d12046c6973741a046170707322002a0b6465706c6f796d656e747332003a001a08080012001a0020001a002200',
  whoami: '6b3873000a2d0a1861757468656e7469636174696f6e2e6b38732e696f2f7631121153656c665375626a656374526576696577121a0a100a0012001a0022002a0032003800420012060a040a0012001a002200',
};

test('bodies the real kubectl sent: create token, auth can-i, auth whoami', () => {
  // kubectl create token sa --duration=1h --audience=a1 --bound-object-kind=Pod --bound-object-name=p --bound-object-uid=u-1
  assert.deepEqual(decodeProtobuf(Buffer.from(captured.token, 'hex')), {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: { audiences: ['a1'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u-1' } },
    status: { token: '', expirationTimestamp: null },
  });
  // kubectl auth can-i list deployments.apps -n kube-system
  assert.deepEqual(decodeProtobuf(Buffer.from(captured.canI, 'hex')), {
    kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: { resourceAttributes: { namespace: 'kube-system', verb: 'list', group: 'apps', resource: 'deployments' } },
    status: { allowed: false },
  });
  // kubectl auth whoami
  assert.deepEqual(decodeProtobuf(Buffer.from(captured.whoami, 'hex')), {
    kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo: {} },
  });
});

test('every built-in kind k8ts serves decodes from protobuf, except custom resource definitions', () => {
  for (const def of builtinResources) {
    const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
    const encoded = body(apiVersion, def.kind, msg([1, objectMeta('x')]));
    if (def.group === 'apiextensions.k8s.io') {
      rejects(() => decodeProtobuf(encoded), 415, 'UnsupportedMediaType', /Kind=CustomResourceDefinition/);
      continue;
    }
    const obj = decodeProtobuf(encoded) as Record<string, any>;
    assert.equal(obj.kind, def.kind);
    assert.equal(obj.apiVersion, apiVersion);
    assert.deepEqual(obj.metadata, { name: 'x', creationTimestamp: null }, `${apiVersion} ${def.kind}`);
  }
});

test('malformed bodies are 400 BadRequest', () => {
  rejects(() => decodeProtobuf(Buffer.alloc(0)), 400, 'BadRequest', /empty/);
  rejects(() => decodeProtobuf(Buffer.from('{"kind":"ConfigMap"}')), 400, 'BadRequest', /expected prefix \[107 56 115 0\]/);
  rejects(() => decodeProtobuf(Buffer.from('k8s\0', 'latin1')), 400, 'BadRequest', /empty body/);
  const good = body('v1', 'ConfigMap', msg([1, objectMeta('c')], entry(2, 'a', 'b')));
  rejects(() => decodeProtobuf(good.subarray(0, good.length - 3)), 400, 'BadRequest', /error decoding protobuf/);
  const truncatedRaw = body('v1', 'ConfigMap', msg([1, objectMeta('c')]).subarray(0, 5));
  rejects(() => decodeProtobuf(truncatedRaw), 400, 'BadRequest', /v1, Kind=ConfigMap/);
  const badIntOrString = body('v1', 'Service', msg([1, objectMeta('s')], [2, msg([1, msg([3, 80], [4, msg([1, 2])])])]));
  rejects(() => decodeProtobuf(badIntOrString), 400, 'BadRequest', /spec\.ports\[0\]\.targetPort: impossible IntOrString\.Type 2/);
  const badFields = body('v1', 'ConfigMap', msg([1, objectMeta('c', { more: [[17, msg([7, msg([1, 'not json'])])]] })]));
  rejects(() => decodeProtobuf(badFields), 400, 'BadRequest', /metadata\.managedFields\[0\]\.fieldsV1: embedded object is not JSON/);
  const farFuture = body('v1', 'ConfigMap', msg([1, objectMeta('c', { more: [[9, time(400000000000)]] })]));
  rejects(() => decodeProtobuf(farFuture), 400, 'BadRequest', /metadata\.deletionTimestamp/);
});

test('corrupted bodies give a Status error, never an exception of another kind', () => {
  const valid = Buffer.from(captured.canI, 'hex');
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let decoded = 0;
  for (let i = 0; i < 3000; i++) {
    const b = Buffer.from(valid);
    for (let k = 1 + random(3); k > 0; k--) b[4 + random(b.length - 4)] = random(256);
    try {
      decodeProtobuf(b);
      decoded++;
    } catch (err) {
      assert.ok(err instanceof StatusError && (err.code === 400 || err.code === 415), `mutation ${i}: ${String(err)}`);
    }
  }
  assert.ok(decoded > 0 && decoded < 3000, `decoded ${decoded} of 3000 mutations`);
});

test('kinds without a protobuf schema here are 415 UnsupportedMediaType', () => {
  const raw = msg([1, objectMeta('w')]);
  rejects(() => decodeProtobuf(body('stable.example.com/v1', 'Widget', raw)), 415, 'UnsupportedMediaType', /stable\.example\.com\/v1, Kind=Widget/);
  rejects(() => decodeProtobuf(body('v1', 'Gadget', raw)), 415, 'UnsupportedMediaType', /v1, Kind=Gadget/);
  // A message that is part of a kind, not a kind of its own.
  rejects(() => decodeProtobuf(body('v1', 'PodSpec', raw)), 415, 'UnsupportedMediaType', /Kind=PodSpec/);
  rejects(() => decodeProtobuf(body('v1', 'k8s.io.api.core.v1.Pod', raw)), 415, 'UnsupportedMediaType', /Kind=k8s/);
  rejects(() => decodeProtobuf(body('v1', 'ConfigMap', raw, [[3, 'gzip']])), 415, 'UnsupportedMediaType', /content encoding gzip/);
  rejects(() => decodeProtobuf(body('v1', 'ConfigMap', Buffer.from('{}'), [[4, 'application/json']])), 415, 'UnsupportedMediaType', /application\/json/);
});
