// What every cluster has from its first start: the system namespaces, their default service
// accounts and the `kubernetes` Service. The service account controller would make the accounts
// too, but only once it runs: made here, a pod created the moment the server is ready is admitted.
import type { KObject } from '../api/resource.js';
import { StatusError } from '../machinery/status.js';
import type { Registry, RequestContext } from './registry.js';

const SYSTEM: RequestContext = {
  user: { name: 'system:apiserver', groups: ['system:masters'] }, dryRun: false, fieldManager: 'kube-apiserver', warnings: [],
};

async function ensure(registry: Registry, group: string, version: string, plural: string, ns: string, obj: KObject): Promise<void> {
  const def = registry.resources.lookup(group, version, plural);
  if (!def) return;
  try {
    await registry.get(def, ns, obj.metadata.name!);
  } catch (err) {
    if (!(err instanceof StatusError && err.code === 404)) throw err;
    try {
      await registry.create(def, ns, obj, { ...SYSTEM, warnings: [] });
    } catch (e) {
      // Another API server of an HA control plane got there first.
      if (!(e instanceof StatusError && e.code === 409)) throw e;
    }
  }
}

export async function bootstrap(registry: Registry, opts: { serviceIP?: string; port?: number } = {}): Promise<void> {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    await ensure(registry, '', 'v1', 'namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await ensure(registry, '', 'v1', 'serviceaccounts', name, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
  }
  await ensure(registry, '', 'v1', 'services', 'default', {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP', clusterIP: opts.serviceIP ?? '10.43.0.1',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: opts.port ?? 6443 }],
      sessionAffinity: 'None',
    },
  });
}
