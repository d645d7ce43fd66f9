// NamespaceLifecycle: nothing is created in a namespace that does not exist or is being deleted,
// and the system namespaces cannot be deleted.
import { errors } from '../../machinery/status.js';
import type { Admission } from './types.js';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

export function namespaceLifecycle(): Admission {
  return {
    name: 'NamespaceLifecycle',
    async admit(op, def, obj, _old, _ctx, registry) {
      if (def.plural === 'namespaces' && def.group === '') {
        if (op === 'DELETE' && IMMORTAL.has(obj.metadata.name!)) {
          throw errors.forbidden(`namespaces "${obj.metadata.name}" is forbidden: this namespace may not be deleted`);
        }
        return;
      }
      if (op !== 'CREATE' || !def.namespaced) return;
      const ns = obj.metadata.namespace!;
      const nsDef = registry.resources.lookup('', 'v1', 'namespaces');
      if (!nsDef) return;
      let namespace;
      try {
        namespace = await registry.get(nsDef, '', ns);
      } catch (err) {
        if ((err as { code?: number }).code === 404) throw errors.notFound({ group: '', plural: 'namespaces' }, ns);
        throw err;
      }
      // Events may still be recorded while a namespace is torn down, as Kubernetes allows.
      if (namespace.metadata.deletionTimestamp && !(def.kind === 'Event')) {
        throw errors.forbidden(`${def.plural} "${obj.metadata.name ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`);
      }
    },
  };
}
