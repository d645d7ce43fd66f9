// A pod's API credentials end to end, on the host driver: the API server gives every pod the
// kube-api-access volume, the kubelet fills it with a token bound to the pod (TokenRequest), the
// cluster CA and the namespace, and a process in the pod uses them to ask the API server who it is.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readContainerLog } from '../../src/kubelet/logs.js';
import type { Pod } from '../../src/kubelet/types.js';
import { createPod, startKubeletEnv, waitForPod, type KubeletEnv } from './helpers.js';

let env: KubeletEnv;
before(async () => {
  env = await startKubeletEnv();
});
after(async () => {
  await env?.stop();
});

const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const logOf = (p: Pod) => readContainerLog(join(env.rootDir, 'logs', 'pods', `default_${p.metadata.name}_${p.metadata.uid}`, 'c', '0.log'));

/** What an in-cluster client does: read the mounted credentials and call the API with them (kubectl auth whoami). */
const WHOAMI = `
const fs = require('fs'), https = require('https');
const dir = process.env.K8TS_ROOTFS + '${MOUNT}';
const token = fs.readFileSync(dir + '/token', 'utf8');
const ns = fs.readFileSync(dir + '/namespace', 'utf8');
const req = https.request(process.env.API + '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
  method: 'POST', ca: fs.readFileSync(dir + '/ca.crt'),
  headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
}, (res) => {
  let body = '';
  res.on('data', (d) => (body += d));
  res.on('end', () => console.log('namespace=' + ns + ' code=' + res.statusCode + ' user=' + JSON.parse(body).status.userInfo.username));
});
req.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }));
`;

test('a container authenticates to the API server with its mounted service account token', async () => {
  const created = await createPod(env, {
    metadata: { name: 'whoami' },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'busybox', command: [process.execPath, '-e', WHOAMI], env: [{ name: 'API', value: env.server.url }] }],
    },
  });
  const vol = created.spec!.volumes!.find((v) => v.name.startsWith('kube-api-access-'))!;
  assert.ok(vol, 'the API server added the volume');
  const p = await waitForPod(env, 'whoami', (x) => ['Succeeded', 'Failed'].includes(x.status?.phase ?? ''), 'finished');
  assert.equal(p.status?.phase, 'Succeeded', await logOf(p));
  assert.match(await logOf(p), /^namespace=default code=201 user=system:serviceaccount:default:default$/m);

  // The token is bound to this pod and written atomically beside the other files.
  const dir = join(env.rootDir, 'pods', p.metadata.uid!, 'volumes', 'kubernetes.io~projected', vol.name);
  assert.ok((await lstat(join(dir, 'token'))).isSymbolicLink());
  assert.equal(await readlink(join(dir, 'token')), '..data/token');
  const claims = JSON.parse(Buffer.from((await readFile(join(dir, 'token'), 'utf8')).split('.')[1], 'base64url').toString());
  assert.equal(claims.sub, 'system:serviceaccount:default:default');
  assert.deepEqual(claims['kubernetes.io'].pod, { name: 'whoami', uid: p.metadata.uid });
  // Asked for 3607 s, so issued for a year with a warning after the hour (kube-apiserver's extension).
  assert.equal(claims['kubernetes.io'].warnafter - claims.iat, 3607);
  assert.equal(claims.exp - claims.iat, 365 * 24 * 3600);
  assert.equal((await lstat(join(dir, '..data', 'token'))).mode & 0o777, 0o644);
});

test('a pod that turns automounting off gets no credentials', async () => {
  const created = await createPod(env, {
    metadata: { name: 'nocreds' },
    spec: {
      restartPolicy: 'Never', automountServiceAccountToken: false,
      containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', `ls "$K8TS_ROOTFS${MOUNT}" 2>&1 || echo none`] }],
    },
  });
  assert.equal(created.spec!.volumes, undefined);
  const p = await waitForPod(env, 'nocreds', (x) => x.status?.phase === 'Succeeded', 'Succeeded');
  assert.match(await logOf(p), /No such file or directory/);
});
