// emptyDir with medium Memory is a tmpfs mounted by the kubelet, and unmounted when the pod goes.
// The file runs in a private mount namespace (enterNetns) so a failed run leaves no mount behind.
import { enterNetns } from '../helpers/netns.js';
await enterNetns();

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resources } from '../../src/client/index.js';
import { createPod, startKubeletEnv, waitForPod, waitForPodGone, type KubeletEnv } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

let env: KubeletEnv;
before(async () => {
  env = await startKubeletEnv();
});
after(async () => {
  await env?.stop();
});

const mountOf = async (dir: string) => (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').map((l) => l.split(' ')).find((f) => f[4] === dir);

test('an emptyDir of medium Memory is a tmpfs of the given size while the pod exists', async () => {
  const pod = await createPod(env, {
    metadata: { name: 'ram' },
    spec: { volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }], containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo x > scratch/f; sleep 60'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }] },
  });
  await waitForPod(env, 'ram', (p) => p.status?.phase === 'Running', 'Running');
  const dir = join(env.rootDir, 'pods', pod.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'scratch');
  const m = await mountOf(dir);
  assert.ok(m, 'mounted');
  const sep = m!.indexOf('-');
  assert.equal(m![sep + 1], 'tmpfs');
  assert.match(m![sep + 3], /size=8192k/);
  await waitFor('file written', async () => (await readFile(join(dir, 'f'), 'utf8')) === 'x\n');
  await env.client.delete(resources.pods, 'default', 'ram');
  await waitForPodGone(env, 'ram');
  await waitFor('unmounted', async () => !(await mountOf(dir)));
});
