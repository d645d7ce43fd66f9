// `k8ts server --node-driver host`: one command gives a node that runs pods, and kubectl logs and
// exec reach them through the API server and the kubelet's endpoint.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';

describe('k8ts server with the host driver', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ['--disable-agent=false', '--node-driver', 'host', '--node-name', 'local', '--kubelet-port', '0'] });
  });
  after(() => server.stop());

  it('runs a pod whose logs and exec work through kubectl', async () => {
    await server.kubectl(['run', 'talker', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo hello from talker; sleep 300']);
    await waitFor('the pod to run', async () => {
      const r = await server.kubectl(['get', 'pod', 'talker', '-o', 'jsonpath={.spec.nodeName} {.status.phase}']);
      return r.stdout === 'local Running' || undefined;
    }, { timeoutMs: 30_000, context: () => server.output().slice(-2000) });
    const logs = await waitFor('the log line', async () => {
      const r = await server.kubectl(['logs', 'talker']);
      return r.stdout.includes('hello from talker') ? r.stdout : undefined;
    });
    assert.equal(logs.trim(), 'hello from talker');
    const exec = await server.kubectl(['exec', 'talker', '--', 'sh', '-c', 'echo out; exit 3'], { allowFail: true });
    assert.equal(exec.code, 3);
    assert.equal(exec.stdout.trim(), 'out');
    await server.kubectl(['delete', 'pod', 'talker', '--grace-period=1']);
  });
});
