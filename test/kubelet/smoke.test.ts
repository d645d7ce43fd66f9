import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startKubeletEnv, createPod, waitForPod, condition } from './helpers.js';

test('smoke: a pod runs to completion on the host driver', async () => {
  const env = await startKubeletEnv();
  try {
    await createPod(env, { metadata: { name: 'hello' }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hi; exit 0'] }] } });
    const p = await waitForPod(env, 'hello', (p) => p.status?.phase === 'Succeeded', 'Succeeded');
    console.log(JSON.stringify(p.status, null, 1));
    assert.equal(condition(p, 'Ready')?.reason, 'PodCompleted');
  } finally {
    await env.stop();
  }
});
