// Admission: checks and mutations every write passes after defaulting and validation, as
// kube-apiserver's admission chain (NamespaceLifecycle, service IP allocation, ...).
import type { KObject, ResourceDef } from '../../api/resource.js';
import type { Registry, RequestContext } from '../registry.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface Admission {
  name: string;
  /** Throws a StatusError to refuse; may mutate obj on CREATE and UPDATE. */
  admit?(op: Operation, def: ResourceDef, obj: KObject, old: KObject | undefined, ctx: RequestContext, registry: Registry): Promise<void>;
  /** The object left the store, or its create failed: free what admit reserved for it. */
  release?(def: ResourceDef, obj: KObject): Promise<void>;
}
