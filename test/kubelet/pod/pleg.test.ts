import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostRuntime } from '../../../src/kubelet/host/host-runtime.js';
import { PLEG } from '../../../src/kubelet/pod/pleg.js';
import { readPodState, runtimeFingerprint, stateFingerprint, supersedes } from '../../../src/kubelet/pod/runtime-state.js';
import type { ContainerConfig, SandboxConfig } from '../../../src/kubelet/runtime.js';

const sandbox = (uid: string, dir: string): SandboxConfig => ({
  name: `p-${uid}`, namespace: 'd', uid, attempt: 0, hostname: 'p', logDirectory: join(dir, uid),
  labels: { 'io.kubernetes.pod.uid': uid }, annotations: {}, portMappings: [], hostNetwork: false,
});
const container = (uid: string, name: string): ContainerConfig => ({
  name, attempt: 0, image: 'busybox', command: ['sleep', '30'], args: [], env: [], mounts: [],
  labels: { 'io.kubernetes.pod.uid': uid, 'io.kubernetes.container.name': name }, annotations: {}, logPath: `${name}/0.log`,
  stdin: false, stdinOnce: false, tty: false, resources: {},
});

test('a relist reports each changed pod with the fingerprint a state read of that pod gives', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-pleg-'));
  const rt = new HostRuntime({ rootDir: join(dir, 'rt') });
  const seen: Array<[string, string]> = [];
  const pleg = new PLEG(rt, 60_000, (uid, fp) => seen.push([uid, fp]));
  try {
    const sbA = sandbox('a', dir);
    const sbIdA = await rt.runPodSandbox(sbA);
    const idA = await rt.createContainer(sbIdA, container('a', 'main'), sbA);
    await rt.startContainer(idA);
    const sbB = sandbox('b', dir);
    await rt.runPodSandbox(sbB);
    await pleg.relist();
    const fpA = stateFingerprint(await readPodState(rt, 'a'));
    const fpB = stateFingerprint(await readPodState(rt, 'b'));
    assert.deepEqual(seen.sort(), [['a', fpA], ['b', fpB]]);
    assert.notEqual(fpA, fpB);

    // Nothing changed: no report. The container stops: only its pod is reported, with a new fingerprint.
    seen.length = 0;
    await pleg.relist();
    assert.deepEqual(seen, []);
    await rt.stopContainer(idA, 0);
    await pleg.relist();
    const fpA2 = stateFingerprint(await readPodState(rt, 'a'));
    assert.notEqual(fpA2, fpA);
    assert.deepEqual(seen, [['a', fpA2]]);

    // A pod whose last parts are gone is reported with an empty fingerprint.
    seen.length = 0;
    await rt.removePodSandbox(sbIdA);
    await pleg.relist();
    assert.deepEqual(seen, [['a', '']]);
    assert.equal(stateFingerprint(await readPodState(rt, 'a')), '');
  } finally {
    pleg.stop();
    await rt.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a relist seen during a sync is no news when the state the sync ended with covers it', () => {
  const fp = (parts: Array<[string, string]>) => runtimeFingerprint(
    parts.filter(([k]) => k.startsWith('sb')).map(([k, state]) => ({ id: k.slice(3), state })),
    parts.filter(([k]) => k.startsWith('c/')).map(([k, state]) => ({ id: k.slice(2), state })),
  );
  const halfMade = fp([['sb/s1', 'ready'], ['c/c1', 'created']]);
  const started = fp([['sb/s1', 'ready'], ['c/c1', 'running']]);
  assert.equal(supersedes(started, halfMade), true);
  assert.equal(supersedes(started, fp([['sb/s1', 'ready']])), true);
  assert.equal(supersedes(started, started), true);
  // A container that exited, one the sync never saw, or a sandbox gone since: news.
  assert.equal(supersedes(started, fp([['sb/s1', 'ready'], ['c/c1', 'exited']])), false);
  assert.equal(supersedes(started, fp([['sb/s1', 'ready'], ['c/c1', 'running'], ['c/c2', 'running']])), false);
  assert.equal(supersedes(started, fp([['sb/s1', 'notready'], ['c/c1', 'running']])), false);
  assert.equal(supersedes('', halfMade), false);
});
