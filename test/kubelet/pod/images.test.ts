import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsFor, ImageManager, ImagePullError, registryOf } from '../../../src/kubelet/pod/images.js';
import { BackOff } from '../../../src/kubelet/pod/backoff.js';
import type { RuntimeDriver } from '../../../src/kubelet/runtime.js';
import type { Pod, Secret } from '../../../src/kubelet/types.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const dockerconfig = (auths: object): Secret => ({
  metadata: { name: 'pull' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) },
});

test('registry of an image reference', () => {
  assert.equal(registryOf('busybox'), 'docker.io');
  assert.equal(registryOf('library/busybox:1.36'), 'docker.io');
  assert.equal(registryOf('docker.io/library/busybox'), 'docker.io');
  assert.equal(registryOf('index.docker.io/x/y'), 'docker.io');
  assert.equal(registryOf('127.0.0.1:5000/app:v1'), '127.0.0.1:5000');
  assert.equal(registryOf('localhost/app'), 'localhost');
  assert.equal(registryOf('ghcr.io/org/app@sha256:abc'), 'ghcr.io');
});

test('pull secrets: dockerconfigjson and dockercfg, matched by registry host', () => {
  const secrets: Secret[] = [
    dockerconfig({
      'https://index.docker.io/v1/': { username: 'hub', password: 'hubpw' },
      '127.0.0.1:5000': { auth: b64('reg:regpw') },
      '*.example.com': { username: 'wild', password: 'w' },
    }),
    { metadata: { name: 'old' }, type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'http://127.0.0.1:5000': { username: 'cfg', password: 'c' } })) } },
    { metadata: { name: 'opaque' }, type: 'Opaque', data: { x: b64('y') } },
  ];
  assert.deepEqual(credentialsFor('busybox', secrets).map((c) => c.username), ['hub']);
  assert.deepEqual(credentialsFor('127.0.0.1:5000/app', secrets).map((c) => [c.username, c.password]), [['reg', 'regpw'], ['cfg', 'c']]);
  assert.deepEqual(credentialsFor('registry.example.com/app', secrets).map((c) => c.username), ['wild']);
  assert.deepEqual(credentialsFor('a.b.example.com/app', secrets), [], 'a wildcard matches one label');
  assert.deepEqual(credentialsFor('quay.io/app', secrets), []);
});

function fakeRuntime(opts: { present?: boolean; fail?: boolean }): RuntimeDriver & { pulls: unknown[] } {
  const pulls: unknown[] = [];
  return {
    pulls,
    imageStatus: async () => (opts.present ? { id: 'sha256:aa', repoTags: [], repoDigests: [], size: 42 } : null),
    pullImage: async (image: string, auth?: unknown) => {
      pulls.push({ image, auth });
      if (opts.fail) throw new Error('connection refused');
      opts.present = true;
      return 'sha256:aa';
    },
  } as unknown as RuntimeDriver & { pulls: unknown[] };
}

const pod: Pod = { metadata: { name: 'p', namespace: 'd', uid: 'u' }, spec: { containers: [] } };

test('pull policies, events and back-off', async () => {
  const events: string[] = [];
  const recorder = { event: (_r: unknown, type: string, reason: string, msg: string) => void events.push(`${type} ${reason} ${msg}`) };
  let now = 0;
  const rt = fakeRuntime({ present: true });
  const m = new ImageManager({ runtime: rt, recorder, pullSecrets: async () => [], now: () => now, backOff: new BackOff(1000, 4000, () => now) });
  await m.ensureImage(pod, { name: 'c', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' });
  assert.equal(events.pop(), 'Normal Pulled Container image "busybox:1.36" already present on machine');
  await m.ensureImage(pod, { name: 'c', image: 'busybox:1.36', imagePullPolicy: 'Always' });
  assert.match(events.at(-1)!, /^Normal Pulled Successfully pulled image "busybox:1\.36" in 0s \(0s including waiting\)\. Image size: 42 bytes\.$/);
  assert.equal(events.at(-2), 'Normal Pulling Pulling image "busybox:1.36"');

  const never = new ImageManager({ runtime: fakeRuntime({}), recorder, pullSecrets: async () => [] });
  await assert.rejects(never.ensureImage(pod, { name: 'c', image: 'app:v1', imagePullPolicy: 'Never' }), (e: ImagePullError) => e.reason === 'ErrImageNeverPull' && e.message === 'Container image "app:v1" is not present with pull policy of Never');

  const failing = fakeRuntime({ fail: true });
  const f = new ImageManager({ runtime: failing, recorder, pullSecrets: async () => [dockerconfig({ 'docker.io': { username: 'u', password: 'p' } })], now: () => now, backOff: new BackOff(1000, 4000, () => now) });
  await assert.rejects(f.ensureImage(pod, { name: 'c', image: 'app:v1' }), (e: ImagePullError) => e.reason === 'ErrImagePull' && e.message === 'connection refused');
  assert.equal(events.at(-1), 'Warning Failed Failed to pull image "app:v1": connection refused');
  assert.deepEqual(failing.pulls, [{ image: 'app:v1', auth: { username: 'u', password: 'p', serverAddress: 'docker.io' } }]);
  await assert.rejects(f.ensureImage(pod, { name: 'c', image: 'app:v1' }), (e: ImagePullError) => e.reason === 'ImagePullBackOff' && e.message === 'Back-off pulling image "app:v1"');
  assert.equal(failing.pulls.length, 1, 'no pull while backing off');
  now = 1500;
  await assert.rejects(f.ensureImage(pod, { name: 'c', image: 'app:v1' }), (e: ImagePullError) => e.reason === 'ErrImagePull');
  assert.equal(failing.pulls.length, 2);
});
