// Real containers on containerd: the pod's own cgroup carries the pod's summed limits and holds its
// containers' cgroups, and the pod's mounted service account token authenticates to the API server.
// Needs root and the packages of scripts/install-deps.sh; runs in its own network namespace.
import { enterNetns } from '../helpers/netns.js';
await enterNetns();

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { resources } from '../../src/client/index.js';
import { readContainerLog } from '../../src/kubelet/logs.js';
import type { Pod } from '../../src/kubelet/types.js';
import { kubectl } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';
import { startCriKubeletEnv, type CriKubeletEnv } from './cri-env.js';
import { createPod, waitForPod, waitForPodGone } from './helpers.js';

let env: CriKubeletEnv;
before(async () => {
  env = await startCriKubeletEnv();
});
after(async () => {
  await env?.stop();
});

const v2 = await access('/sys/fs/cgroup/cgroup.controllers').then(() => true, () => false);
/** A cgroup file of a path under the hierarchy that holds it (memory or cpu). */
const cgroupFile = (path: string, v1Controller: string, file: string) =>
  v2 ? join('/sys/fs/cgroup', path, file) : join('/sys/fs/cgroup', v1Controller, path, file);
const exists = (p: string) => access(p).then(() => true, () => false);
const logOf = (p: Pod, container: string) =>
  readContainerLog(join(env.rootDir, 'logs', 'pods', `default_${p.metadata.name}_${p.metadata.uid}`, container, '0.log'));

test('a pod of two containers limited to 64Mi each has a pod cgroup limited to 128Mi that holds both', async () => {
  const limits = { memory: '64Mi', cpu: '250m' };
  await createPod(env, {
    metadata: { name: 'limited' },
    spec: {
      containers: [
        { name: 'a', image: env.busybox, command: ['sh', '-c', 'cat /var/run/secrets/kubernetes.io/serviceaccount/token; echo; cat /var/run/secrets/kubernetes.io/serviceaccount/namespace; echo; sleep 3600'], resources: { limits } },
        { name: 'b', image: env.busybox, command: ['sleep', '3600'], resources: { limits } },
      ],
    },
  });
  const p = await waitForPod(env, 'limited', (x) => x.status?.phase === 'Running', 'Running', 30_000);
  assert.equal(p.status?.qosClass, 'Guaranteed');
  const podPath = `/k8ts/pod${p.metadata.uid}`;
  const memFile = v2 ? 'memory.max' : 'memory.limit_in_bytes';
  assert.equal((await readFile(cgroupFile(podPath, 'memory', memFile), 'utf8')).trim(), '134217728');
  assert.equal((await readFile(cgroupFile(podPath, 'cpu', v2 ? 'cpu.max' : 'cpu.cfs_quota_us'), 'utf8')).trim(), v2 ? '50000 100000' : '50000');
  for (const cs of p.status!.containerStatuses!) {
    const id = cs.containerID!.replace('containerd://', '');
    assert.equal((await readFile(cgroupFile(`${podPath}/${id}`, 'memory', memFile), 'utf8')).trim(), '67108864', `${cs.name}'s cgroup is under the pod's`);
  }

  // The token the container read authenticates as the pod's service account.
  const log = await waitFor('the token in the log', async () => {
    const l = await logOf(p, 'a');
    return l.includes('\ndefault\n') ? l : undefined;
  });
  const [token, namespace] = log.trim().split('\n');
  assert.equal(namespace, 'default');
  const cfg = parse(await readFile(env.server.kubeconfig, 'utf8'));
  cfg.users = [{ name: 'default', user: { token } }];
  const kc = join(env.server.dataDir, 'token-kubeconfig.yaml');
  await writeFile(kc, stringify(cfg), { mode: 0o600 });
  const who = await kubectl(kc, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
  assert.equal(who.stdout, 'system:serviceaccount:default:default');

  await env.client.delete(resources.pods, 'default', 'limited');
  await waitForPodGone(env, 'limited', 30_000);
  // Gone from every hierarchy, those runc made it in too.
  const hierarchies = v2 ? [''] : await readdir('/sys/fs/cgroup');
  await waitFor('the pod cgroup to be removed', async () => {
    for (const h of hierarchies) if (await exists(join('/sys/fs/cgroup', h, podPath))) return false;
    return true;
  });
});

test('a burstable pod\'s cpu request weighs the burstable level, until the pod is gone', async () => {
  const shares = async () => (await readFile(cgroupFile('/k8ts/burstable', 'cpu', v2 ? 'cpu.weight' : 'cpu.shares'), 'utf8')).trim();
  const idle = v2 ? '1' : '2';
  await createPod(env, {
    metadata: { name: 'burstable' },
    spec: { containers: [{ name: 'a', image: env.busybox, command: ['sleep', '3600'], resources: { requests: { cpu: '300m' } } }] },
  });
  const p = await waitForPod(env, 'burstable', (x) => x.status?.phase === 'Running', 'Running', 30_000);
  assert.equal(p.status?.qosClass, 'Burstable');
  // 300m is 307 shares (1024 a cpu), or weight 12 on cgroup v2.
  assert.equal(await shares(), v2 ? '12' : '307');
  await env.client.delete(resources.pods, 'default', 'burstable');
  await waitForPodGone(env, 'burstable', 30_000);
  await waitFor('the burstable level back to the minimum', async () => (await shares()) === idle);
});
