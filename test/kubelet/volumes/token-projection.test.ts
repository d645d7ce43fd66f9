// The kube-api-access volume as the kubelet writes it: the token of the pod's service account
// beside the CA bundle and the namespace, in one projected payload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectionPayload, type ProjectionSources } from '../../../src/kubelet/volumes/projection.js';
import type { Pod, Volume } from '../../../src/kubelet/types.js';

const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { serviceAccountName: 'robot', containers: [{ name: 'c' }] } };
const asked: Array<[string | undefined, string | undefined, number]> = [];
const src: ProjectionSources = {
  configMap: async (_ns, name) => (name === 'kube-root-ca.crt' ? { metadata: { name }, data: { 'ca.crt': 'PEM' } } : undefined),
  secret: async () => undefined,
  addresses: { podIPs: ['10.42.0.2'], hostIPs: ['10.0.0.1'] },
  allocatable: {},
  serviceAccountToken: async (p, audience, expirationSeconds) => {
    asked.push([p.spec?.serviceAccountName, audience, expirationSeconds]);
    if (audience === 'broken') throw new Error('failed to fetch token: serviceaccounts "robot" not found');
    return `jwt-for-${p.spec?.serviceAccountName}`;
  },
};
const kubeApiAccess: Volume = {
  name: 'kube-api-access-x2b4c',
  projected: {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};

test('a projected serviceAccountToken source is a token of the pod\'s account, with the volume\'s mode', async () => {
  const payload = await projectionPayload(pod, kubeApiAccess, src);
  assert.deepEqual(Object.fromEntries([...payload!].map(([k, f]) => [k, [f.data.toString(), f.mode.toString(8)]])), {
    token: ['jwt-for-robot', '644'], 'ca.crt': ['PEM', '644'], namespace: ['ns', '644'],
  });
  assert.deepEqual(asked.at(-1), ['robot', undefined, 3607]);
  await projectionPayload(pod, { name: 'v', projected: { sources: [{ serviceAccountToken: { audience: 'vault', path: 'vault-token' } }] } }, src);
  assert.deepEqual(asked.at(-1), ['robot', 'vault', 3600], 'an audience of its own, and the default lifetime');
});

test('a token that cannot be had fails the volume with the reason', async () => {
  await assert.rejects(projectionPayload(pod, { name: 'v', projected: { sources: [{ serviceAccountToken: { audience: 'broken', path: 't' } }] } }, src),
    { message: 'failed to fetch token: serviceaccounts "robot" not found' });
  const { serviceAccountToken: _, ...without } = src;
  await assert.rejects(projectionPayload(pod, kubeApiAccess, without), /failed to fetch token/);
});
