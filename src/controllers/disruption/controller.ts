// The disruption controller: the status of every PodDisruptionBudget, which the API server's
// eviction subresource reads (disruptionsAllowed) before letting a pod go. The expected number
// of pods comes from the scale of the pods' controllers (Deployment, ReplicaSet,
// ReplicationController, StatefulSet, or any resource with a scale subresource) when the budget
// is a percentage or maxUnavailable; from the pods themselves for an integer minAvailable.
import type { KObject } from '../../api/resource.js';
import {
  isNotFound, keyOf, resources, runWorkers, splitKey, WorkQueue, type EventRecorder, type Informer, type ResourceRef, type RestClient,
} from '../../client/index.js';
import { selectorFromLabelSelector, type LabelSelector, type Selector } from '../../machinery/labels.js';
import type { Pod } from '../endpoints/service-pods.js';
import { discoverPreferredResources, RestMapper } from '../garbagecollector/discovery.js';
import {
  buildDisruptedPodMap, countHealthyPods, disruptionAllowedCondition, isPercent, scaledValue, setCondition, syncFailedCondition,
  type IntOrString, type PDBStatus,
} from './status.js';
import { readyToRun } from '../util/ready-to-run.js';

export interface PodDisruptionBudget extends KObject {
  spec?: { minAvailable?: IntOrString; maxUnavailable?: IntOrString; selector?: LabelSelector | null; unhealthyPodEvictionPolicy?: string };
  status?: Partial<PDBStatus>;
}

interface Scalable extends KObject {
  spec?: { replicas?: number };
}

export interface DisruptionControllerOptions {
  client: RestClient;
  recorder: EventRecorder;
  pdbs: Informer<PodDisruptionBudget>;
  pods: Informer<Pod>;
  replicaSets: Informer<Scalable>;
  deployments: Informer<Scalable>;
  replicationControllers: Informer<Scalable>;
  statefulSets: Informer<Scalable>;
  now?: () => number;
}

const wireTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** metav1.LabelSelectorAsSelector: a null selector matches nothing, an empty one everything. */
function pdbSelector(pdb: PodDisruptionBudget): Selector | undefined {
  const sel = pdb.spec?.selector;
  if (sel === undefined || sel === null) return undefined;
  return selectorFromLabelSelector(sel);
}

const controllerOf = (obj: KObject) => obj.metadata.ownerReferences?.find((r) => r?.controller === true);

export class DisruptionController {
  readonly queue = new WorkQueue<string>({ name: 'disruption' });
  private readonly now: () => number;
  private mapper: RestMapper | undefined;

  constructor(private readonly opts: DisruptionControllerOptions) {
    this.now = opts.now ?? Date.now;
    const enqueue = (pdb: PodDisruptionBudget) => this.queue.add(keyOf(pdb));
    opts.pdbs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, p) => enqueue(p), onDelete: enqueue });
    const onPod = (...pods: Pod[]) => {
      for (const pdb of opts.pdbs.lister.list(pods[0].metadata.namespace)) {
        let sel: Selector | undefined;
        try {
          sel = pdbSelector(pdb);
        } catch {
          continue;
        }
        if (sel && pods.some((p) => sel!.matches(p.metadata.labels ?? {}))) this.queue.add(keyOf(pdb));
      }
    };
    opts.pods.addEventHandler({
      onAdd: (p) => onPod(p),
      onUpdate: (old, p) => {
        if (old.metadata.resourceVersion !== p.metadata.resourceVersion) onPod(old, p);
      },
      onDelete: (p) => onPod(p),
    });
    // A controller's scale is the expected pod count of the budgets covering its pods.
    const onScalable = (old: Scalable, cur: Scalable) => {
      if (old.spec?.replicas === cur.spec?.replicas) return;
      for (const pdb of opts.pdbs.lister.list(cur.metadata.namespace)) this.queue.add(keyOf(pdb));
    };
    for (const inf of [opts.replicaSets, opts.deployments, opts.replicationControllers, opts.statefulSets]) inf.addEventHandler({ onUpdate: onScalable });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    const o = this.opts;
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [o.pdbs, o.pods, o.replicaSets, o.deployments, o.replicationControllers, o.statefulSets] }))) return;
    await runWorkers(this.queue, workers, async (key) => {
      const recheckAt = await this.sync(key);
      if (recheckAt !== undefined) this.queue.addAfter(key, Math.max(0, recheckAt - this.now()));
    });
  }

  /** One pass; returns when to look again (an eviction record expiring), if ever. */
  async sync(key: string): Promise<number | undefined> {
    const { namespace, name } = splitKey(key);
    const pdb = this.opts.pdbs.lister.get(namespace, name);
    if (!pdb) return undefined;
    let pods: Pod[];
    let expected: number;
    let desired: number;
    try {
      const sel = pdbSelector(pdb);
      pods = sel ? this.opts.pods.lister.list(namespace, sel) : [];
      if (pods.length === 0) this.opts.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
      ({ expected, desired } = await this.expectedPodCount(pdb, pods));
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      this.opts.recorder.eventf(pdb, 'Warning', 'CalculateExpectedPodCountFailed', 'Failed to calculate the number of expected pods: %s', msg);
      await this.writeStatus(pdb, {
        ...(pdb.status ?? {}), disruptionsAllowed: 0,
        currentHealthy: pdb.status?.currentHealthy ?? 0, desiredHealthy: pdb.status?.desiredHealthy ?? 0, expectedPods: pdb.status?.expectedPods ?? 0,
        observedGeneration: pdb.metadata.generation,
        conditions: setCondition(pdb.status?.conditions, syncFailedCondition(msg, pdb.metadata.generation), wireTime(this.now())),
      });
      throw err;
    }
    const nowMs = this.now();
    const { disrupted, recheckAt } = buildDisruptedPodMap(pods, pdb.status?.disruptedPods, nowMs, (pod, at) => {
      this.opts.recorder.eventf(pdb, 'Warning', 'NotDeleted', 'Pod %s/%s was expected to be deleted at %s but it wasn\'t, updating pdb', pod.metadata.namespace, pod.metadata.name, at);
    });
    const healthy = countHealthyPods(pods, disrupted);
    let allowed = healthy - desired;
    if (expected <= 0 || allowed <= 0) allowed = 0;
    const status: PDBStatus = {
      observedGeneration: pdb.metadata.generation,
      disruptionsAllowed: allowed,
      currentHealthy: healthy,
      desiredHealthy: desired,
      expectedPods: expected,
      conditions: setCondition(pdb.status?.conditions, disruptionAllowedCondition(allowed, pdb.metadata.generation), wireTime(nowMs)),
    };
    if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
    await this.writeStatus(pdb, status);
    return recheckAt;
  }

  private async writeStatus(pdb: PodDisruptionBudget, status: PDBStatus): Promise<void> {
    if (JSON.stringify(normalize(pdb.status)) === JSON.stringify(normalize(status))) return;
    try {
      await this.opts.client.updateStatus<PodDisruptionBudget>(resources.poddisruptionbudgets, pdb.metadata.namespace, { ...pdb, status });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }

  /** getExpectedPodCount: the pods expected, and how many of them must stay healthy. */
  private async expectedPodCount(pdb: PodDisruptionBudget, pods: Pod[]): Promise<{ expected: number; desired: number }> {
    const { minAvailable, maxUnavailable } = pdb.spec ?? {};
    if (maxUnavailable !== undefined && maxUnavailable !== null) {
      const expected = await this.expectedScale(pdb, pods);
      const max = scaledValue(maxUnavailable, expected);
      return { expected, desired: Math.max(0, expected - max) };
    }
    if (minAvailable !== undefined && minAvailable !== null) {
      if (!isPercent(minAvailable)) return { expected: pods.length, desired: scaledValue(minAvailable, pods.length) };
      const expected = await this.expectedScale(pdb, pods);
      return { expected, desired: scaledValue(minAvailable, expected) };
    }
    return { expected: pods.length, desired: 0 };
  }

  /** The sum of the scales of the controllers of `pods`; pods without a controller are left out (with an event). */
  private async expectedScale(pdb: PodDisruptionBudget, pods: Pod[]): Promise<number> {
    const scales = new Map<string, number>();
    const unmanaged: string[] = [];
    for (const pod of pods) {
      const ref = controllerOf(pod);
      if (!ref) {
        unmanaged.push(pod.metadata.name!);
        continue;
      }
      if (scales.has(ref.uid)) continue;
      const found = await this.controllerScale(ref, pod.metadata.namespace!);
      if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
      scales.set(found.uid, found.scale);
    }
    if (unmanaged.length) {
      this.opts.recorder.eventf(pdb, 'Warning', 'UnmanagedPods',
        'Pods selected by this PodDisruptionBudget (selector: %s) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
        JSON.stringify(pdb.spec?.selector ?? null));
    }
    let total = 0;
    for (const s of scales.values()) total += s;
    return total;
  }

  /** The finders of Kubernetes' disruption controller, in its order. */
  private async controllerScale(ref: { apiVersion: string; kind: string; name: string; uid: string }, namespace: string): Promise<{ uid: string; scale: number } | undefined> {
    const o = this.opts;
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
    const matches = (obj: Scalable | undefined) => (obj && obj.metadata.uid === ref.uid ? obj : undefined);
    if (group === 'apps' && ref.kind === 'ReplicaSet') {
      const rs = matches(o.replicaSets.lister.get(namespace, ref.name));
      if (!rs) return undefined;
      const owner = controllerOf(rs);
      if (owner && owner.kind === 'Deployment' && (owner.apiVersion ?? '').startsWith('apps/')) {
        const d = o.deployments.lister.get(namespace, owner.name);
        return d && d.metadata.uid === owner.uid ? { uid: owner.uid, scale: d.spec?.replicas ?? 1 } : undefined;
      }
      return { uid: rs.metadata.uid!, scale: rs.spec?.replicas ?? 1 };
    }
    if (group === '' && ref.kind === 'ReplicationController') {
      const rc = matches(o.replicationControllers.lister.get(namespace, ref.name));
      return rc ? { uid: rc.metadata.uid!, scale: rc.spec?.replicas ?? 1 } : undefined;
    }
    if (group === 'apps' && ref.kind === 'StatefulSet') {
      const ss = matches(o.statefulSets.lister.get(namespace, ref.name));
      return ss ? { uid: ss.metadata.uid!, scale: ss.spec?.replicas ?? 1 } : undefined;
    }
    // Anything else with a scale subresource (a custom resource, say).
    const res = await this.resourceFor(ref.apiVersion, ref.kind);
    if (!res) return undefined;
    try {
      const scale = (await o.client.request('GET', `${o.client.path(res, namespace, ref.name)}/scale`)) as { metadata?: { uid?: string }; spec?: { replicas?: number } };
      if (scale?.metadata?.uid && scale.metadata.uid !== ref.uid) return undefined;
      return { uid: ref.uid, scale: scale?.spec?.replicas ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async resourceFor(apiVersion: string, kind: string): Promise<ResourceRef | undefined> {
    let res = this.mapper?.resourceFor(apiVersion, kind);
    if (res) return res;
    this.mapper = new RestMapper((await discoverPreferredResources(this.opts.client)).resources);
    res = this.mapper.resourceFor(apiVersion, kind);
    return res;
  }
}

/** Status as compared for changes: conditions without their times. */
function normalize(s: Partial<PDBStatus> | undefined) {
  return {
    observedGeneration: s?.observedGeneration, disruptionsAllowed: s?.disruptionsAllowed ?? 0, currentHealthy: s?.currentHealthy ?? 0,
    desiredHealthy: s?.desiredHealthy ?? 0, expectedPods: s?.expectedPods ?? 0, disruptedPods: s?.disruptedPods ?? {},
    conditions: (s?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message ?? '', c.observedGeneration]),
  };
}
