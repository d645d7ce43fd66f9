// A resource is a small declaration; one generic registry in the API server serves them all,
// as kube-apiserver's generic registry serves every built-in type through its strategy.
import type { FieldError } from '../machinery/status.js';
import type { Schema } from '../machinery/schema.js';

/** Any Kubernetes object as it travels: apiVersion, kind, metadata and the rest. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  selfLink?: string;
}

/** A column of a server-side Table (meta.k8s.io/v1 TableColumnDefinition). */
export interface Column {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0: always shown; 1 and up: only with `-o wide`. */
  priority: number;
}

export interface ScaleSubresource {
  /** Dotted paths into the object, e.g. `.spec.replicas`. */
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** What validation may need beyond the object itself. */
export interface ValidationContext {
  /** The stored object for updates, absent on create. */
  old?: KObject;
  /** The subresource written through (`status`, `binding`...), absent for the object itself. */
  subresource?: string;
}

export interface ResourceDef<T extends KObject = KObject> {
  group: string; // '' for the core group
  version: string;
  kind: string;
  /** Lower-case plural, the URL segment: `pods`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** `all` puts the resource in `kubectl get all`. */
  categories?: string[];
  /** Definition name of the object's schema in the definitions map, e.g. `io.k8s.api.core.v1.Pod`. */
  schemaName: string;
  /** Verbs served; default: every verb. */
  verbs?: Verb[];
  subresources?: { status?: boolean; scale?: ScaleSubresource };
  /**
   * Fills defaults as Kubernetes' defaulting functions do (e.g. container terminationMessagePath,
   * Deployment strategy). Runs on every write before validation; must be idempotent.
   */
  defaults?(obj: T): void;
  /**
   * Validates metadata.name (and generateName) on create; default: DNS-1123 subdomain. RBAC names
   * are path segments (`system:controller:job-controller`), services DNS-1035 labels.
   */
  nameValidator?(name: string): string[];
  /** Field errors for a create, or for an update when ctx.old is set (immutability lives here). */
  validate?(obj: T, ctx: ValidationContext): FieldError[];
  /** Server-owned changes on create beyond the generic ones (uid, timestamps, generation, status reset). */
  prepareForCreate?(obj: T): void;
  /** Server-owned changes on update beyond the generic ones. */
  prepareForUpdate?(obj: T, old: T): void;
  /** Server-side printing: the columns of `kubectl get` and one row per object. */
  columns?: Column[];
  row?(obj: T, now: number): unknown[];
  /**
   * Fields a field selector may use besides metadata.name and metadata.namespace,
   * e.g. pods: spec.nodeName, status.phase.
   */
  selectableFields?(obj: T): Record<string, string>;
  /**
   * False for resources whose spec changes do not bump metadata.generation (e.g. those without a
   * status subresource). Default: true when the resource has a status subresource.
   */
  tracksGeneration?: boolean;
  /** A custom resource (from a CRD): unknown fields are pruned, strategic merge patch is refused. */
  custom?: boolean;
  /** Keep a status given on create (nodes register with theirs); otherwise create resets status. */
  keepStatusOnCreate?: boolean;
  /**
   * Seconds of graceful deletion for this object (pods bound to a node: their
   * terminationGracePeriodSeconds, or the grace the request asked for). Absent or 0: deleted at once.
   */
  deletionGracePeriod?(obj: T, requested: number | undefined): number;
  /**
   * Kept after deletion until this says otherwise, beyond metadata.finalizers (namespaces wait for
   * spec.finalizers). Called on delete and on each update of a deleting object; may mark the
   * object (namespace phase Terminating) and return true to keep it.
   */
  holdDeletion?(obj: T): boolean;
  /**
   * For a version served from another version's storage (autoscaling/v1 from v2,
   * events.k8s.io/v1 from core v1 Events): the stored form and the conversions both ways.
   */
  storage?: {
    group: string;
    version: string;
    toStorage(obj: T): KObject;
    fromStorage(obj: KObject): T;
  };
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The pieces of src/api that one group/version contributes. */
export interface GroupVersionModule {
  definitions: Record<string, Schema>;
  resources: ResourceDef<any>[];
}

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}
