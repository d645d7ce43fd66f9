// meta.k8s.io/v1: the object metadata and list machinery every resource shares.
import { bool, int64, list, mapList, obj, ref, str, strMap, time, any, set, enumOf } from '../../machinery/schema.js';
import type { Schema } from '../../machinery/schema.js';

const M = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const META = {
  ObjectMeta: `${M}.ObjectMeta`,
  ListMeta: `${M}.ListMeta`,
  LabelSelector: `${M}.LabelSelector`,
  Time: `${M}.Time`,
  Condition: `${M}.Condition`,
  Status: `${M}.Status`,
  DeleteOptions: `${M}.DeleteOptions`,
  WatchEvent: `${M}.WatchEvent`,
  OwnerReference: `${M}.OwnerReference`,
  ManagedFieldsEntry: `${M}.ManagedFieldsEntry`,
  IntOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  Quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
} as const;

export const definitions: Record<string, Schema> = {
  [META.ObjectMeta]: obj({
    name: str('Unique within a namespace; cannot be updated.'),
    generateName: str('Prefix for a server-generated name, used when name is empty.'),
    namespace: str('The namespace the object lives in; empty for cluster-scoped objects.'),
    selfLink: str('Deprecated; always empty.'),
    uid: str('Unique in time and space, set by the server on create.'),
    resourceVersion: str('Opaque version of this object, for optimistic concurrency and watch.'),
    generation: int64('Sequence number of the desired state; incremented by the server on spec changes.'),
    creationTimestamp: ref(META.Time, 'When the server created the object.'),
    deletionTimestamp: ref(META.Time, 'When the object will be deleted; set by the server on a graceful delete.'),
    deletionGracePeriodSeconds: int64('Seconds allowed for graceful termination before removal.'),
    labels: strMap('Key/value pairs for organizing and selecting objects.'),
    annotations: strMap('Unstructured key/value data for tools and extensions.'),
    ownerReferences: mapList(ref(META.OwnerReference), ['uid'], 'Objects this one depends on; the garbage collector deletes it when they all go.'),
    finalizers: set(str(), 'Must be empty before the object is removed from the store.'),
    managedFields: list(ref(META.ManagedFieldsEntry), 'Which manager owns which fields, for server-side apply.'),
  }, 'Metadata every persisted resource has.'),
  [META.ListMeta]: obj({
    selfLink: str(), resourceVersion: str('The store revision the list was read at.'),
    continue: str('Token for the next page, when the list was limited.'),
    remainingItemCount: int64('Items left after this page, when known.'),
  }),
  [META.LabelSelector]: obj({
    matchLabels: strMap('Labels that must all be present with these values.'),
    matchExpressions: list(obj({
      key: str(), operator: enumOf(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: list(str()),
    }, { required: ['key', 'operator'] }), 'Requirements that must all hold.'),
  }, { description: 'A label query over a set of resources.', 'x-kubernetes-map-type': 'atomic' }),
  [META.Time]: time('RFC 3339 date and time, UTC, second precision.'),
  [META.IntOrString]: { 'x-kubernetes-int-or-string': true, format: 'int-or-string', description: 'An integer or a string.' },
  [META.Quantity]: { 'x-kubernetes-int-or-string': true, format: 'quantity', description: 'A fixed-point number with a unit suffix, e.g. 100m, 1Gi.' },
  [META.Condition]: obj({
    type: str(), status: enumOf(['True', 'False', 'Unknown']), observedGeneration: int64(),
    lastTransitionTime: ref(META.Time), reason: str(), message: str(),
  }, { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] }),
  [META.OwnerReference]: obj({
    apiVersion: str(), kind: str(), name: str(), uid: str(), controller: bool(), blockOwnerDeletion: bool(),
  }, { required: ['apiVersion', 'kind', 'name', 'uid'], 'x-kubernetes-map-type': 'atomic' }),
  [META.ManagedFieldsEntry]: obj({
    manager: str(), operation: str(), apiVersion: str(), time: ref(META.Time), fieldsType: str(),
    fieldsV1: any(), subresource: str(),
  }),
  [META.Status]: obj({
    apiVersion: str(), kind: str(), metadata: ref(META.ListMeta), status: str(), message: str(), reason: str(),
    details: any(), code: { type: 'integer', format: 'int32' },
  }),
  [META.DeleteOptions]: obj({
    apiVersion: str(), kind: str(), gracePeriodSeconds: int64(), preconditions: obj({ uid: str(), resourceVersion: str() }),
    orphanDependents: bool(), propagationPolicy: enumOf(['Orphan', 'Background', 'Foreground']), dryRun: list(str()),
  }),
  [META.WatchEvent]: obj({ type: str(), object: any() }, { required: ['type', 'object'] }),
};
