// The scale subresource (autoscaling/v1 Scale) of any resource that declares its replica paths:
// what `kubectl scale` and the HPA read and write.
import type { KObject, ResourceDef } from '../api/resource.js';
import { errors } from '../machinery/status.js';
import { selectorFromLabelSelector } from '../machinery/labels.js';
import { getPath, setPath } from './object-util.js';
import type { Registry, RequestContext } from './registry.js';

/** Used only to pick the patch schema for Scale objects. */
export const scaleSubresourceDef: ResourceDef = {
  group: 'autoscaling', version: 'v1', kind: 'Scale', plural: 'scale', singular: 'scale', namespaced: true,
  schemaName: 'io.k8s.api.autoscaling.v1.Scale',
};

interface Scale extends KObject {
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

/** Scale's status.selector is the label selector in its string form, as Kubernetes prints it. */
function selectorString(sel: unknown): string | undefined {
  if (typeof sel === 'string') return sel;
  if (!sel || typeof sel !== 'object') return undefined;
  // A ReplicationController's selector is a plain label map, not a LabelSelector.
  const s = sel as Record<string, unknown>;
  const isLabelSelector = 'matchLabels' in s || 'matchExpressions' in s;
  return selectorFromLabelSelector((isLabelSelector ? s : { matchLabels: s }) as never).toString();
}

export function getScale(def: ResourceDef, obj: KObject): Scale {
  const paths = def.subresources!.scale!;
  const m = obj.metadata;
  const status: Scale['status'] = { replicas: Number(getPath(obj, paths.statusReplicasPath) ?? 0) };
  const sel = paths.labelSelectorPath ? getPath(obj, paths.labelSelectorPath) : getPath(obj, '.spec.selector');
  const selector = selectorString(sel);
  if (selector) status.selector = selector;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: Number(getPath(obj, paths.specReplicasPath) ?? 0) },
    status,
  };
}

export async function writeScale(
  registry: Registry, def: ResourceDef, ns: string, name: string, ctx: RequestContext,
  change: (current: Scale) => unknown,
): Promise<Scale> {
  const paths = def.subresources!.scale!;
  const out = await registry.mutate(def, ns, name, ctx, 'scale', (obj) => {
    const current = getScale(def, obj);
    const next = change(structuredClone(current)) as Partial<Scale>;
    const replicas = next?.spec?.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
      throw errors.invalid('Scale', 'autoscaling', name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${replicas}: must be greater than or equal to 0` }]);
    }
    if (next?.metadata?.resourceVersion && next.metadata.resourceVersion !== obj.metadata.resourceVersion) {
      throw errors.conflict({ group: def.group, plural: def.plural }, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    setPath(obj as Record<string, unknown>, paths.specReplicasPath, replicas ?? 0);
    return obj;
  });
  return getScale(def, out);
}
