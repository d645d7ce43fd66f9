// The garbage collector: deletes objects whose owners are all gone, and carries out the
// Foreground and Orphan propagation policies the API server records as finalizers on the owner.
//
// Every resource the server can list, watch and delete is monitored by a metadata-only informer
// feeding the ownership graph. Graph changes enqueue uids on two queues, as Kubernetes'
// GarbageCollector does:
// - attemptToDelete: an object some of whose owners may be gone or are being deleted in the
//   foreground, or an owner in foreground deletion that may have no blocking dependents left;
// - attemptToOrphan: an owner deleted with the orphan finalizer.
// Decisions about an owner's existence are made against the live API (GET), never the graph
// alone: an informer that has not caught up must not get an object deleted.
import type { KObject, OwnerReference } from '../../api/resource.js';
import {
  Informer, isConflict, isNotFound, runWorkers, sleep, WorkQueue, type EventRecorder, type HandlerRegistration, type ResourceRef, type RestClient,
} from '../../client/index.js';
import { log, logError } from '../../machinery/log.js';
import { discoverPreferredResources, groupResourceString, hasVerbs, RestMapper, type DiscoveredResource } from './discovery.js';
import {
  describe, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, isDeletingDependents, isOrphaning, nodeOf, OwnershipGraph, type GraphNode, type ObjectIdentity,
} from './graph.js';
import { removeFinalizer, updateMetadata } from './metadata.js';

/** Never monitored: events are many, short-lived and never own anything (as Kubernetes' ignoredResources). */
export const IGNORED_RESOURCES = new Set(['events', 'events.events.k8s.io']);

export interface GarbageCollectorOptions {
  client: RestClient;
  recorder: EventRecorder;
  /** Workers per queue (kube-controller-manager's --concurrent-gc-syncs, 20). */
  workers?: number;
  /** How often discovery is read again to pick up new resources such as CRDs; 30 s. */
  discoveryPeriodMs?: number;
}

interface Monitor {
  ref: ResourceRef;
  informer: Informer<KObject>;
  registration: HandlerRegistration;
}

type OwnerState = 'solid' | 'dangling' | 'waiting';

/** A cluster-scoped object naming a namespaced owner: a mistake no retry mends, so it is left alone. */
class InvalidOwnerReference extends Error {}

/** The metadata the collector reads; the rest of each object is dropped before caching. */
function metadataOnly(obj: KObject): KObject {
  const m = obj.metadata ?? {};
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: {
      name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion,
      ownerReferences: m.ownerReferences, finalizers: m.finalizers, deletionTimestamp: m.deletionTimestamp,
    },
  };
}

const ABSENT_CACHE_SIZE = 1000;

export class GarbageCollector {
  readonly graph = new OwnershipGraph();
  readonly attemptToDelete = new WorkQueue<string>({ name: 'garbage-collector-attempt-to-delete' });
  readonly attemptToOrphan = new WorkQueue<string>({ name: 'garbage-collector-attempt-to-orphan' });
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly workers: number;
  private readonly discoveryPeriodMs: number;
  private readonly monitors = new Map<string, Monitor>();
  private mapper = new RestMapper();
  /** Owner keys (namespace/uid) known not to exist; uids are never reused. Insertion-ordered for eviction. */
  private readonly absentOwners = new Set<string>();

  constructor(opts: GarbageCollectorOptions) {
    this.client = opts.client;
    this.recorder = opts.recorder;
    this.workers = opts.workers ?? 20;
    this.discoveryPeriodMs = opts.discoveryPeriodMs ?? 30_000;
  }

  /** The resources being monitored, as `pods`, `deployments.apps`. */
  monitored(): string[] {
    return [...this.monitors.keys()].sort();
  }

  async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => {
      this.attemptToDelete.shutDown();
      this.attemptToOrphan.shutDown();
      for (const m of this.monitors.values()) void m.informer.stop();
    }, { once: true });
    // Discovery must work once before anything else can.
    for (let delay = 500; !signal.aborted; delay = Math.min(delay * 2, 30_000)) {
      try {
        await this.syncMonitors(signal);
        break;
      } catch (err) {
        logError('garbage-collector', 'discovery failed; retrying', { err: String(err) });
        await sleep(delay, signal);
      }
    }
    if (signal.aborted) return;
    await Promise.all([...this.monitors.values()].map((m) => m.informer.waitForSync(60_000)));
    if (signal.aborted) return;
    log('garbage-collector', 'graph synced', { resources: this.monitors.size, objects: this.graph.size });
    const workers = [
      runWorkers(this.attemptToDelete, this.workers, (uid) => this.attemptToDeleteItem(uid)),
      runWorkers(this.attemptToOrphan, this.workers, (uid) => this.orphanDependents(uid)),
    ];
    while (!signal.aborted) {
      await sleep(this.discoveryPeriodMs, signal);
      if (signal.aborted) break;
      try {
        await this.syncMonitors(signal);
      } catch (err) {
        logError('garbage-collector', 'discovery failed', { err: String(err) });
      }
    }
    await Promise.all(workers);
  }

  /** Starts monitors for resources that appeared and stops those of resources that went away. */
  async syncMonitors(signal?: AbortSignal): Promise<void> {
    const { resources, failed } = await discoverPreferredResources(this.client, signal);
    const mapper = new RestMapper(resources);
    const wanted = new Map<string, DiscoveredResource>();
    for (const r of resources) {
      const key = groupResourceString(r.ref);
      if (IGNORED_RESOURCES.has(key) || !hasVerbs(r, 'list', 'watch', 'delete')) continue;
      wanted.set(key, r);
    }
    // Keep the kinds of groups whose discovery failed this time: their objects are still there.
    for (const [key, m] of this.monitors) {
      if (failed.has(m.ref.group ? `${m.ref.group}/${m.ref.version}` : m.ref.version)) {
        mapper.add(m.ref);
        wanted.set(key, { ref: m.ref, verbs: [] });
      }
    }
    this.mapper = mapper;
    for (const [key, m] of this.monitors) {
      const w = wanted.get(key);
      if (w && w.ref.version === m.ref.version) continue;
      m.registration.remove();
      void m.informer.stop();
      this.monitors.delete(key);
      for (const n of [...this.graph.all()]) if (groupResourceString(n.identity.resource) === key) this.forget(n.identity.uid, false);
    }
    for (const [key, r] of wanted) {
      if (this.monitors.has(key)) continue;
      const informer = new Informer<KObject>(this.client, r.ref, { transform: metadataOnly });
      const registration = informer.addEventHandler({
        onAdd: (obj) => this.observe(r.ref, obj),
        onUpdate: (_old, obj) => this.observe(r.ref, obj),
        onDelete: (obj) => {
          const uid = obj.metadata?.uid;
          const n = uid ? this.graph.get(uid) : undefined;
          if (n && groupResourceString(n.identity.resource) === key) this.forget(uid!, true);
        },
      });
      this.monitors.set(key, { ref: r.ref, informer, registration });
      informer.start();
    }
  }

  // ---- graph changes ----

  private observe(ref: ResourceRef, obj: KObject): void {
    const node = nodeOf(ref, obj);
    if (!node) return;
    const uid = node.identity.uid;
    const old = this.graph.upsert(node);
    // An owner the graph does not know (yet), one out of reach, or one deleting in the foreground.
    if (!node.owners.every((o) => this.ownerSettled(node, o))) this.attemptToDelete.add(uid);
    if (isDeletingDependents(node)) {
      this.attemptToDelete.add(uid);
      if (!old || !isDeletingDependents(old)) for (const d of this.graph.dependents(uid)) this.attemptToDelete.add(d.identity.uid);
    }
    if (isOrphaning(node)) this.attemptToOrphan.add(uid);
    // A reference that stopped blocking may let a foreground deletion finish.
    for (const o of old?.owners ?? []) {
      if (o.blockOwnerDeletion !== true) continue;
      if (node.owners.some((n) => n.uid === o.uid && n.blockOwnerDeletion === true)) continue;
      const on = this.graph.get(o.uid);
      if (on && isDeletingDependents(on)) this.attemptToDelete.add(o.uid);
    }
  }

  /** The owner is in the graph, where the dependent may name it, and not deleting in the foreground. */
  private ownerSettled(dependent: GraphNode, ref: OwnerReference): boolean {
    const owner = this.graph.get(ref.uid);
    if (!owner || isDeletingDependents(owner)) return false;
    const ns = owner.identity.namespace;
    return !ns || ns === dependent.identity.namespace;
  }

  private forget(uid: string, gone: boolean): void {
    const n = this.graph.remove(uid);
    if (!n) return;
    if (gone) this.markAbsent(n.identity.namespace, uid);
    for (const d of this.graph.dependents(uid)) this.attemptToDelete.add(d.identity.uid);
    for (const o of n.owners) {
      const on = this.graph.get(o.uid);
      if (on && isDeletingDependents(on)) this.attemptToDelete.add(o.uid);
    }
  }

  private markAbsent(namespace: string | undefined, uid: string): void {
    this.absentOwners.add(`${namespace ?? ''}/${uid}`);
    if (this.absentOwners.size > ABSENT_CACHE_SIZE) this.absentOwners.delete(this.absentOwners.values().next().value!);
  }

  // ---- attemptToDelete ----

  async attemptToDeleteItem(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    // Every owner is known, valid and not deleting in the foreground: nothing to decide.
    if (!node.deletionTimestamp && node.owners.every((o) => this.ownerSettled(node, o))) return;
    const id = node.identity;
    let latest: KObject;
    try {
      latest = await this.client.get(id.resource, id.namespace, id.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.forget(uid, true);
      return;
    }
    if (latest.metadata.uid !== uid) {
      this.forget(uid, true);
      return;
    }
    const meta = latest.metadata;
    if (meta.deletionTimestamp) {
      if ((meta.finalizers ?? []).includes(FINALIZER_FOREGROUND)) await this.processDeletingDependents(node);
      return;
    }
    const refs = meta.ownerReferences ?? [];
    if (refs.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    try {
      for (const ref of refs) {
        const state = await this.ownerState(ref, id);
        (state === 'solid' ? solid : state === 'dangling' ? dangling : waiting).push(ref);
      }
    } catch (err) {
      if (err instanceof InvalidOwnerReference) return;
      throw err;
    }
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      // Still owned: only the references to owners that are gone or going are dropped.
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      log('garbage-collector', 'removing references to absent or deleting owners', { object: describe(id), owners: [...drop] });
      await this.guard(id, 'patch', () => updateMetadata(this.client, id.resource, id.namespace, id.name, uid, (m) => {
        const kept = (m.ownerReferences ?? []).filter((r) => !drop.has(r.uid));
        return kept.length === (m.ownerReferences ?? []).length ? undefined : { ownerReferences: kept };
      }));
      return;
    }
    const dependents = this.graph.dependents(uid);
    if (waiting.length > 0 && dependents.length > 0) {
      // It has dependents of its own: delete it in the foreground too, so its owner waits for
      // them. A dependent already waiting on it may form a cycle, so its own references stop blocking.
      if (dependents.some(isDeletingDependents)) {
        const waitingUids = new Set(waiting.map((r) => r.uid));
        await this.guard(id, 'patch', () => updateMetadata(this.client, id.resource, id.namespace, id.name, uid, (m) => {
          let changed = false;
          const next = (m.ownerReferences ?? []).map((r) => {
            if (!waitingUids.has(r.uid) || r.blockOwnerDeletion !== true) return r;
            changed = true;
            return { ...r, blockOwnerDeletion: false };
          });
          return changed ? { ownerReferences: next } : undefined;
        }));
      }
      await this.deleteObject(id, 'Foreground');
      return;
    }
    const finalizers = meta.finalizers ?? [];
    const policy = finalizers.includes(FINALIZER_ORPHAN) ? 'Orphan' : finalizers.includes(FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
    await this.deleteObject(id, policy);
  }

  /** An owner deleting in the foreground: once no dependent blocks it, its finalizer goes. */
  private async processDeletingDependents(node: GraphNode): Promise<void> {
    const blocking = this.graph.blockingDependents(node.identity.uid);
    if (blocking.length === 0) {
      const id = node.identity;
      log('garbage-collector', 'no blocking dependents left; removing the foregroundDeletion finalizer', { object: describe(id) });
      await this.guard(id, 'finalize', () => removeFinalizer(this.client, id.resource, id.namespace, id.name, id.uid, FINALIZER_FOREGROUND));
      return;
    }
    for (const d of blocking) if (!isDeletingDependents(d)) this.attemptToDelete.add(d.identity.uid);
  }

  private async ownerState(ref: OwnerReference, dependent: ObjectIdentity): Promise<OwnerState> {
    if (this.absentOwners.has(`${dependent.namespace ?? ''}/${ref.uid}`) || this.absentOwners.has(`/${ref.uid}`)) return 'dangling';
    const res = this.mapper.resourceFor(ref.apiVersion, ref.kind);
    if (!res) {
      // An owner whose kind the server does not serve is neither known gone nor known present.
      throw new Error(`${describe(dependent)}: owner ${ref.kind} ${ref.name}: the server has no resource for ${ref.apiVersion}, Kind=${ref.kind}`);
    }
    if (res.namespaced && !dependent.namespace) {
      this.invalidNamespace(dependent, ref);
      throw new InvalidOwnerReference(`${describe(dependent)} is cluster-scoped but names a namespaced owner`);
    }
    let owner: KObject;
    try {
      owner = await this.client.get(res, res.namespaced ? dependent.namespace : undefined, ref.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // An owner in another namespace cannot own it: the reference counts as dangling, and says so.
      const elsewhere = this.graph.get(ref.uid);
      if (res.namespaced && elsewhere && elsewhere.identity.namespace !== dependent.namespace) this.invalidNamespace(dependent, ref);
      this.markAbsent(res.namespaced ? dependent.namespace : undefined, ref.uid);
      return 'dangling';
    }
    if (owner.metadata.uid !== ref.uid) {
      this.markAbsent(res.namespaced ? dependent.namespace : undefined, ref.uid);
      return 'dangling';
    }
    return isDeletingDependents({ deletionTimestamp: owner.metadata.deletionTimestamp, finalizers: owner.metadata.finalizers ?? [] }) ? 'waiting' : 'solid';
  }

  private async deleteObject(id: ObjectIdentity, policy: 'Orphan' | 'Foreground' | 'Background'): Promise<void> {
    log('garbage-collector', 'deleting object', { object: describe(id), propagationPolicy: policy });
    await this.guard(id, 'delete', async () => {
      try {
        await this.client.delete(id.resource, id.namespace, id.name, { propagationPolicy: policy, preconditions: { uid: id.uid } });
      } catch (err) {
        // Gone already, or replaced by a namesake: nothing of ours to delete.
        if (isNotFound(err) || isConflict(err)) return;
        throw err;
      }
    });
  }

  // ---- attemptToOrphan ----

  async orphanDependents(uid: string): Promise<void> {
    const owner = this.graph.get(uid);
    if (!owner || !isOrphaning(owner)) return;
    const failures: string[] = [];
    await Promise.all(this.graph.dependents(uid).map(async (d) => {
      const id = d.identity;
      try {
        await updateMetadata(this.client, id.resource, id.namespace, id.name, id.uid, (m) => {
          const kept = (m.ownerReferences ?? []).filter((r) => r.uid !== uid);
          return kept.length === (m.ownerReferences ?? []).length ? undefined : { ownerReferences: kept };
        });
      } catch (err) {
        failures.push(`${describe(id)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }));
    const oid = owner.identity;
    if (failures.length) {
      const msg = `failed to orphan dependents of ${describe(oid)}: ${failures.join('; ')}`;
      this.recorder.event(this.refTo(oid), 'Warning', 'OrphanDependentsFailed', msg);
      throw new Error(msg);
    }
    log('garbage-collector', 'dependents orphaned; removing the orphan finalizer', { object: describe(oid) });
    await this.guard(oid, 'finalize', () => removeFinalizer(this.client, oid.resource, oid.namespace, oid.name, oid.uid, FINALIZER_ORPHAN));
  }

  // ---- helpers ----

  private invalidNamespace(dependent: ObjectIdentity, ref: OwnerReference): void {
    this.recorder.eventf(this.refTo(dependent), 'Warning', 'OwnerRefInvalidNamespace',
      'ownerRef [%s/%s, namespace: %s, name: %s, uid: %s] does not exist in namespace "%s"',
      ref.apiVersion, ref.kind, dependent.namespace ?? '', ref.name, ref.uid, dependent.namespace ?? '');
  }

  private refTo(id: ObjectIdentity) {
    return { apiVersion: id.apiVersion, kind: id.kind, namespace: id.namespace, name: id.name, uid: id.uid };
  }

  /** Runs a write; a failure becomes a Warning event on the object and is thrown for a retry. */
  private async guard<T>(id: ObjectIdentity, what: 'delete' | 'patch' | 'finalize', fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const reason = what === 'delete' ? 'FailedDelete' : what === 'finalize' ? 'FailedRemoveFinalizer' : 'FailedUpdateOwnerReferences';
      const verb = what === 'delete' ? 'delete' : what === 'finalize' ? 'remove the finalizer of' : 'update the ownerReferences of';
      this.recorder.event(this.refTo(id), 'Warning', reason, `garbage collector failed to ${verb} ${describe(id)}: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }
}
