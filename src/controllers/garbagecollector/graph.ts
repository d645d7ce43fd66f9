// The ownership graph of the garbage collector (Kubernetes' GraphBuilder "uidToNode"): every
// object the collector watches, by uid, with its ownerReferences, and the reverse index from an
// owner's uid to its dependents, which is kept even while the owner itself is absent so that
// its dependents can be found once it is known to be gone.
import type { KObject, OwnerReference } from '../../api/resource.js';
import type { ResourceRef } from '../../client/index.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export interface ObjectIdentity {
  resource: ResourceRef;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid: string;
}

export interface GraphNode {
  identity: ObjectIdentity;
  owners: OwnerReference[];
  deletionTimestamp?: string;
  finalizers: string[];
}

export function nodeOf(resource: ResourceRef, obj: KObject): GraphNode | undefined {
  const m = obj.metadata;
  if (!m?.uid || !m.name) return undefined;
  return {
    identity: {
      resource,
      apiVersion: obj.apiVersion ?? (resource.group ? `${resource.group}/${resource.version}` : resource.version),
      kind: obj.kind ?? resource.kind,
      namespace: m.namespace || undefined,
      name: m.name,
      uid: m.uid,
    },
    owners: (m.ownerReferences ?? []).filter((r) => r && typeof r.uid === 'string'),
    deletionTimestamp: m.deletionTimestamp,
    finalizers: m.finalizers ?? [],
  };
}

/** Deleted with propagationPolicy Foreground: it waits for its blocking dependents to go. */
export const isDeletingDependents = (n: { deletionTimestamp?: string; finalizers: string[] }): boolean =>
  !!n.deletionTimestamp && n.finalizers.includes(FINALIZER_FOREGROUND);

/** Deleted with propagationPolicy Orphan: its dependents lose their references to it first. */
export const isOrphaning = (n: { deletionTimestamp?: string; finalizers: string[] }): boolean =>
  !!n.deletionTimestamp && n.finalizers.includes(FINALIZER_ORPHAN);

export const describe = (id: ObjectIdentity): string =>
  `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;

export class OwnershipGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependentsOf = new Map<string, Set<string>>();

  get size(): number {
    return this.nodes.size;
  }

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  all(): IterableIterator<GraphNode> {
    return this.nodes.values();
  }

  /** Stores `node`, returning the one it replaces. */
  upsert(node: GraphNode): GraphNode | undefined {
    const uid = node.identity.uid;
    const old = this.nodes.get(uid);
    this.nodes.set(uid, node);
    const before = new Set((old?.owners ?? []).map((o) => o.uid));
    const after = new Set(node.owners.map((o) => o.uid));
    for (const o of before) if (!after.has(o)) this.unlink(o, uid);
    for (const o of after) if (!before.has(o)) this.link(o, uid);
    return old;
  }

  /** Forgets the object; its dependents stay filed under its uid. */
  remove(uid: string): GraphNode | undefined {
    const old = this.nodes.get(uid);
    if (!old) return undefined;
    this.nodes.delete(uid);
    for (const o of old.owners) this.unlink(o.uid, uid);
    return old;
  }

  /** Objects naming `ownerUid` in their ownerReferences. */
  dependents(ownerUid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const uid of this.dependentsOf.get(ownerUid) ?? []) {
      const n = this.nodes.get(uid);
      if (n) out.push(n);
    }
    return out;
  }

  /** Dependents whose reference to `ownerUid` has blockOwnerDeletion: a foreground deletion waits for them. */
  blockingDependents(ownerUid: string): GraphNode[] {
    return this.dependents(ownerUid).filter((d) => d.owners.some((o) => o.uid === ownerUid && o.blockOwnerDeletion === true));
  }

  private link(owner: string, dependent: string): void {
    let set = this.dependentsOf.get(owner);
    if (!set) this.dependentsOf.set(owner, (set = new Set()));
    set.add(dependent);
  }

  private unlink(owner: string, dependent: string): void {
    const set = this.dependentsOf.get(owner);
    if (!set) return;
    set.delete(dependent);
    if (set.size === 0) this.dependentsOf.delete(owner);
  }
}
