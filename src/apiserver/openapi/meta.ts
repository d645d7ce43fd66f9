// Definitions the OpenAPI documents refer to that no resource declares: the patch body, the
// discovery list every group version serves, and autoscaling/v1 Scale for scale subresources.
// The served definitions win when they have a schema of the same name.
import type { Definitions, Schema } from '../../machinery/schema.js';
import { bool, int32, list, obj, ref, str } from '../../machinery/schema.js';
import { META } from '../../api/meta/v1.js';

const M = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const PATCH = `${M}.Patch`;
export const API_RESOURCE_LIST = `${M}.APIResourceList`;
export const API_RESOURCE = `${M}.APIResource`;
export const SCALE = 'io.k8s.api.autoscaling.v1.Scale';
const SCALE_SPEC = 'io.k8s.api.autoscaling.v1.ScaleSpec';
const SCALE_STATUS = 'io.k8s.api.autoscaling.v1.ScaleStatus';

let cached: Definitions | undefined;

export function supplementalDefinitions(): Definitions {
  cached ??= new Map<string, Schema>([
    [PATCH, { type: 'object', description: 'The body of a PATCH request: a JSON patch, a JSON merge patch, a strategic merge patch or an apply configuration, as its content type says.' }],
    [API_RESOURCE, obj({
      name: str('The plural name of the resource, or resource/subresource.'),
      singularName: str('The singular name of the resource, used by kubectl.'),
      namespaced: bool('Whether the resource lives in namespaces.'),
      group: str('The group of the kind, when it differs from the enclosing group version (e.g. autoscaling for scale).'),
      version: str('The version of the kind, when it differs from the enclosing group version.'),
      kind: str('The kind of the resource, e.g. Pod for pods and pods/status.'),
      verbs: list(str(), 'The verbs the resource supports: get, list, watch, create, update, patch, delete, deletecollection, proxy.'),
      shortNames: list(str(), 'Abbreviations kubectl accepts for the resource.'),
      categories: list(str(), 'Groups of resources this one belongs to, e.g. all.'),
      storageVersionHash: str('A hash of the version the resource is stored in, which changes when that version changes.'),
    }, { description: 'One resource a group version serves.', required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'] })],
    [API_RESOURCE_LIST, obj({
      kind: str(), apiVersion: str(),
      groupVersion: str('The group version the resources belong to.'),
      resources: list(ref(API_RESOURCE), 'The resources of the group version.'),
    }, { description: 'The resources a group version serves, as discovery lists them.', required: ['groupVersion', 'resources'] })],
    [SCALE, {
      ...obj({
        apiVersion: str(), kind: str(),
        metadata: ref(META.ObjectMeta, 'The metadata of the scaled object.'),
        spec: ref(SCALE_SPEC, 'The desired number of replicas.'),
        status: ref(SCALE_STATUS, 'The observed number of replicas; read-only.'),
      }, 'The scale subresource of a scalable resource.'),
      'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
    }],
    [SCALE_SPEC, obj({ replicas: int32('The desired number of instances of the scaled object.') }, 'The desired scale.')],
    [SCALE_STATUS, obj({
      replicas: int32('The observed number of instances of the scaled object.'),
      selector: str('The label query over the scaled object\'s pods, in string form, as an HPA reads it.'),
    }, { description: 'The observed scale.', required: ['replicas'] })],
  ]);
  return cached;
}

const lists = new Map<string, Schema>();

/**
 * The list kind of a resource, `<Kind>List`, for resources that do not declare one. The same
 * object is returned for the same item, so documents built from it can be recognised as unchanged.
 */
export function listDefinition(itemSchemaName: string, kind: string): Schema {
  const key = `${itemSchemaName}\n${kind}`;
  let s = lists.get(key);
  if (!s) lists.set(key, (s = newListDefinition(itemSchemaName, kind)));
  return s;
}

function newListDefinition(itemSchemaName: string, kind: string): Schema {
  return obj({
    apiVersion: str(), kind: str(),
    metadata: ref(META.ListMeta, 'Standard list metadata.'),
    items: list(ref(itemSchemaName), `The ${kind} objects.`),
  }, { description: `A list of ${kind} objects.`, required: ['items'] });
}
