import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectionPayload, type ProjectionSources } from '../../../src/kubelet/volumes/projection.js';
import { PayloadError } from '../../../src/kubelet/volumes/atomic-writer.js';
import type { Pod, Volume } from '../../../src/kubelet/types.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { b: '2', a: 'x"y' }, annotations: { note: 'hi' } },
  spec: { nodeName: 'n', containers: [{ name: 'c', resources: { limits: { memory: '64Mi' } } }] },
};
const src: ProjectionSources = {
  configMap: async (_ns, name) => (name === 'cfg' ? { metadata: { name }, data: { 'app.conf': 'x=1', other: 'o' }, binaryData: { bin: b64('\x00\x01') } } : undefined),
  secret: async (_ns, name) => (name === 's' ? { metadata: { name }, data: { token: b64('t0k') } } : undefined),
  addresses: { podIPs: ['10.42.0.2'], hostIPs: ['10.0.0.1'] },
  allocatable: { memory: '1Gi' },
};
const files = async (v: Volume) => {
  const p = await projectionPayload(pod, v, src);
  return Object.fromEntries([...p!].map(([k, f]) => [k, [f.data.toString('utf8'), f.mode.toString(8)]]));
};

test('configMap and secret volumes: every key, or the listed items with their modes', async () => {
  assert.deepEqual(await files({ name: 'v', configMap: { name: 'cfg' } }), { 'app.conf': ['x=1', '644'], other: ['o', '644'], bin: ['\x00\x01', '644'] });
  assert.deepEqual(await files({ name: 'v', configMap: { name: 'cfg', defaultMode: 0o600, items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o400 }, { key: 'other', path: 'o' }] } }),
    { 'conf/app.conf': ['x=1', '400'], o: ['o', '600'] });
  assert.deepEqual(await files({ name: 'v', secret: { secretName: 's' } }), { token: ['t0k', '644'] });
  await assert.rejects(projectionPayload(pod, { name: 'v', configMap: { name: 'missing' } }, src), (e: Error) => e instanceof PayloadError && e.message === 'configmap "missing" not found');
  await assert.rejects(projectionPayload(pod, { name: 'v', secret: { secretName: 'missing' } }, src), { message: 'secret "missing" not found' });
  await assert.rejects(projectionPayload(pod, { name: 'v', configMap: { name: 'cfg', items: [{ key: 'nokey', path: 'x' }] } }, src), { message: 'configmap references non-existent config key: nokey' });
  assert.deepEqual(await files({ name: 'v', configMap: { name: 'missing', optional: true } }), {});
});

test('downwardAPI and projected volumes', async () => {
  assert.deepEqual(await files({
    name: 'v', downwardAPI: { items: [
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
      { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
    ] },
  }), { labels: ['a="x\\"y"\nb="2"', '644'], name: ['p', '644'], mem: ['64', '644'] });
  assert.deepEqual(await files({
    name: 'v', projected: { defaultMode: 0o440, sources: [
      { configMap: { name: 'cfg', items: [{ key: 'other', path: 'cfg/other' }] } },
      { secret: { name: 's' } },
      { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
    ] },
  }), { 'cfg/other': ['o', '440'], token: ['t0k', '440'], ns: ['ns', '440'] });
});
