// The serviceaccount and root-ca-cert-publisher controllers end to end with the real kubectl:
// a new namespace gets its "default" ServiceAccount and the kube-root-ca.crt ConfigMap, and
// both come back when deleted or edited.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startServer, type TestServer } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/wait.js';

let server: TestServer;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

const exists = async (args: string[]) => (await server.kubectl(['get', ...args, '--ignore-not-found', '-o', 'name'])).stdout.trim() !== '';

function clusterCA(): string {
  const kc = parse(readFileSync(server.kubeconfig, 'utf8')) as { clusters: Array<{ cluster: Record<string, string> }> };
  return Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString('utf8');
}

async function rootCA(ns: string): Promise<string> {
  return (await server.kubectl(['-n', ns, 'get', 'configmap', 'kube-root-ca.crt', '-o', 'jsonpath={.data.ca\\.crt}'])).stdout;
}

test('a new namespace gets the default ServiceAccount and the cluster CA', { timeout: 30_000 }, async () => {
  await server.kubectl(['create', 'namespace', 'team-a']);
  await waitFor('serviceaccount/default', () => exists(['-n', 'team-a', 'serviceaccount', 'default']));
  await waitFor('configmap/kube-root-ca.crt', () => exists(['-n', 'team-a', 'configmap', 'kube-root-ca.crt']));
  assert.equal((await rootCA('team-a')).trim(), clusterCA().trim());
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    assert.ok(await exists(['-n', ns, 'serviceaccount', 'default']), `default ServiceAccount in ${ns}`);
  }
});

test('a deleted default ServiceAccount and an edited kube-root-ca.crt are put back', { timeout: 30_000 }, async () => {
  await server.kubectl(['create', 'namespace', 'team-b']);
  await waitFor('serviceaccount/default', () => exists(['-n', 'team-b', 'serviceaccount', 'default']));
  const before = (await server.kubectl(['-n', 'team-b', 'get', 'sa', 'default', '-o', 'jsonpath={.metadata.uid}'])).stdout;
  await server.kubectl(['-n', 'team-b', 'delete', 'serviceaccount', 'default']);
  await waitFor('a new default ServiceAccount', async () => {
    const uid = (await server.kubectl(['-n', 'team-b', 'get', 'sa', 'default', '-o', 'jsonpath={.metadata.uid}', '--ignore-not-found'])).stdout;
    return uid !== '' && uid !== before;
  });
  await waitFor('configmap/kube-root-ca.crt', () => exists(['-n', 'team-b', 'configmap', 'kube-root-ca.crt']));
  await server.kubectl(['-n', 'team-b', 'patch', 'configmap', 'kube-root-ca.crt', '--type=merge', '-p', '{"data":{"ca.crt":"not a certificate"}}']);
  await waitFor('the CA restored', async () => (await rootCA('team-b')).trim() === clusterCA().trim());
  await server.kubectl(['-n', 'team-b', 'delete', 'configmap', 'kube-root-ca.crt']);
  await waitFor('kube-root-ca.crt recreated', () => exists(['-n', 'team-b', 'configmap', 'kube-root-ca.crt']));
});
