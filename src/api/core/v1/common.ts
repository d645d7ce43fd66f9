// Pieces shared by many core/v1 types: definition naming, object references, resource lists and
// the Name/Age printer columns.
import { bool, mapOf, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import type { Column } from '../../resource.js';

/** Full definition name of a core/v1 type: `io.k8s.api.core.v1.Pod`. */
export const core = (name: string): string => `io.k8s.api.core.v1.${name}`;

/** A `$ref` to a core/v1 definition. */
export const cref = (name: string, description?: string): Schema => ref(core(name), description);

/** A map of resource name to quantity (`cpu: 100m`, `memory: 1Gi`), Kubernetes' ResourceList. */
export const resourceList = (description: string): Schema => mapOf(ref(META.Quantity), description);

export const typeMeta = { apiVersion: str('Version of the schema of this object, e.g. v1.'), kind: str('The kind of object, e.g. Pod.') };
export const objectMeta = ref(META.ObjectMeta, "The object's metadata: name, namespace, labels, annotations and the rest.");

/** A resource object's top-level shape: apiVersion, kind, metadata plus its own fields. */
export function kindObj(group: string, kind: string, fields: Record<string, Schema>, description: string, required?: string[]): Schema {
  return obj({ ...typeMeta, metadata: objectMeta, ...fields }, {
    description,
    ...(required ? { required } : {}),
    'x-kubernetes-group-version-kind': [{ group, version: 'v1', kind }],
  });
}

export const definitions: Record<string, Schema> = {
  [core('ObjectReference')]: obj({
    kind: str('Kind of the referent.'),
    namespace: str('Namespace of the referent.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
    apiVersion: str('API version of the referent.'),
    resourceVersion: str('Resource version of the referent the reference was made against.'),
    fieldPath: str('A path into the referent, e.g. spec.containers{app}, when the reference is to a part of it.'),
  }, { description: 'Enough information to inspect or modify another object.', 'x-kubernetes-map-type': 'atomic' }),
  [core('LocalObjectReference')]: obj({
    name: str('Name of the referent, in the same namespace.'),
  }, { description: 'Refers to an object in the same namespace by name.', 'x-kubernetes-map-type': 'atomic' }),
  [core('TypedLocalObjectReference')]: obj({
    apiGroup: str('API group of the referent; empty for the core group.'),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
  }, { description: 'Refers to an object of a given kind in the same namespace.', required: ['kind', 'name'], 'x-kubernetes-map-type': 'atomic' }),
  [core('TypedObjectReference')]: obj({
    apiGroup: str('API group of the referent; empty for the core group.'),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    namespace: str('Namespace of the referent, when it may differ from the referrer\'s (needs a ReferenceGrant there).'),
  }, { description: 'Refers to an object of a given kind, possibly in another namespace.', required: ['kind', 'name'] }),
  [core('SecretReference')]: obj({
    name: str('Name of the secret.'),
    namespace: str('Namespace of the secret.'),
  }, { description: 'Refers to a secret by name and namespace.', 'x-kubernetes-map-type': 'atomic' }),
  [core('ObjectFieldSelector')]: obj({
    apiVersion: str('Version of the schema the path is written in; defaults to v1.'),
    fieldPath: str('Path of the field to select, e.g. metadata.name.'),
  }, { description: 'Selects a field of the pod.', required: ['fieldPath'], 'x-kubernetes-map-type': 'atomic' }),
  [core('ResourceFieldSelector')]: obj({
    containerName: str('Container whose resources to read; required for volumes, optional for env vars.'),
    resource: str('Resource to select: limits.cpu, requests.memory, ...'),
    divisor: ref(META.Quantity, 'Unit the value is expressed in; defaults to 1.'),
  }, { description: "Selects a container's resource request or limit.", required: ['resource'], 'x-kubernetes-map-type': 'atomic' }),
  [core('ConfigMapKeySelector')]: obj({
    name: str('Name of the ConfigMap.'),
    key: str('The key to select.'),
    optional: bool('Whether a missing ConfigMap or key is allowed.'),
  }, { description: 'Selects a key of a ConfigMap.', required: ['key'], 'x-kubernetes-map-type': 'atomic' }),
  [core('SecretKeySelector')]: obj({
    name: str('Name of the Secret.'),
    key: str('The key to select.'),
    optional: bool('Whether a missing Secret or key is allowed.'),
  }, { description: 'Selects a key of a Secret.', required: ['key'], 'x-kubernetes-map-type': 'atomic' }),
};

export const nameColumn: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 };
export const ageColumn: Column = { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 };

/** A column definition in one line. */
export const col = (name: string, type: Column['type'], description: string, priority = 0): Column => ({ name, type, description, priority });
