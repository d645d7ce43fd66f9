// The admin kubeconfig, written like k3s writes /etc/rancher/k3s/k3s.yaml: one cluster, user and
// context, all named "default", with the credentials embedded so the file stands alone.
import { mkdir, writeFile, rename, chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  cluster?: string;
  user?: string;
  context?: string;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function kubeconfigYaml(opts: KubeconfigOptions): string {
  const cluster = opts.cluster ?? 'default';
  const user = opts.user ?? 'default';
  const context = opts.context ?? 'default';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { 'certificate-authority-data': b64(opts.caCert), server: opts.server } }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
    users: [{ name: user, user: { 'client-certificate-data': b64(opts.clientCert), 'client-key-data': b64(opts.clientKey) } }],
  }, { lineWidth: 0 });
}

/** Writes the kubeconfig (mode 0600, parents created) through a temporary file, so readers never see half of it. */
export async function writeKubeconfig(file: string, opts: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, kubeconfigYaml(opts), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
