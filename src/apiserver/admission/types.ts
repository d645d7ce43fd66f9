// Admission: checks and mutations every write passes after defaulting and validation, as
// kube-apiserver's admission chain (NamespaceLifecycle, service IP allocation, ...).
import type { KObject, ResourceDef } from '../../api/resource.js';
import type { Registry, RequestContext } from '../registry.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface Admission {
  name: string;
  /** Mutating admission: runs after defaulting and before validation; may change obj. */
  mutate?(op: Operation, def: ResourceDef, obj: KObject, old: KObject | undefined, ctx: RequestContext, registry: Registry): Promise<void>;
  /**
   * Validating admission: runs after validation; throws a StatusError to refuse. May still fill
   * what it reserves (a Service's cluster IP) and frees it again in release().
   */
  admit?(op: Operation, def: ResourceDef, obj: KObject, old: KObject | undefined, ctx: RequestContext, registry: Registry): Promise<void>;
  /** The object left the store, or its create failed: free what admit reserved for it. */
  release?(def: ResourceDef, obj: KObject): Promise<void>;
}
