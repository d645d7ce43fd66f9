// DefaultStorageClass: a claim that names no storage class gets the cluster's default one (the
// StorageClass annotated storageclass.kubernetes.io/is-default-class=true), as kube-apiserver does.
import type { KObject } from '../../api/resource.js';
import type { Admission } from './types.js';

const DEFAULT_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

export function defaultStorageClass(): Admission {
  return {
    name: 'DefaultStorageClass',
    async mutate(op, def, obj, _old, _ctx, registry) {
      if (op !== 'CREATE' || def.group !== '' || def.plural !== 'persistentvolumeclaims') return;
      const spec = (obj.spec ??= {}) as { storageClassName?: string | null };
      // An explicit "" asks for no class at all; only an absent field is defaulted.
      if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
      const scDef = registry.resources.lookup('storage.k8s.io', 'v1', 'storageclasses');
      if (!scDef) return;
      const defaults = (await registry.list(scDef, '')).items.filter((sc: KObject) => sc.metadata.annotations?.[DEFAULT_ANNOTATION] === 'true');
      if (!defaults.length) return;
      // Several defaults: the newest wins, as in Kubernetes 1.26+.
      defaults.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
      spec.storageClassName = defaults[0].metadata.name;
    },
  };
}
