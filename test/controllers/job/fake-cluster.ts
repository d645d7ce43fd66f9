// An in-memory stand-in for the API server and informer caches, enough for JobSyncer: pods get
// names from generateName, uids and timestamps; finalizers hold deleted pods back; the
// expectations are told of creations and deletions as an informer would.
import { ApiError } from '../../../src/client/index.js';
import { BackoffStore } from '../../../src/controllers/job/backoff.js';
import { FinalizerExpectations } from '../../../src/controllers/job/finalizer-expectations.js';
import { JobSyncer, type JobApi } from '../../../src/controllers/job/sync.js';
import { JOB_TRACKING_FINALIZER, type Job, type Pod } from '../../../src/controllers/job/types.js';
import { Expectations } from '../../../src/controllers/util/expectations.js';
import { getControllerOf } from '../../../src/controllers/util/owner.js';

export const NS = 'default';

export interface RecordedEvent {
  type: string;
  reason: string;
  message: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function notFound(what: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${what} not found`, reason: 'NotFound', code: 404 });
}

export class FakeCluster {
  nowMs = Date.parse('2025-01-01T00:00:00Z');
  readonly jobs = new Map<string, Job>();
  readonly pods = new Map<string, Pod>();
  readonly events: RecordedEvent[] = [];
  readonly requeues: Array<{ key: string; ms: number }> = [];
  readonly expectations = new Expectations(() => this.nowMs);
  readonly syncer: JobSyncer;
  private seq = 0;
  private rv = 1;

  constructor(backoff = { baseMs: 10_000, maxMs: 360_000 }) {
    const api: JobApi = {
      getJob: async (ns, name) => {
        const j = this.jobs.get(`${ns}/${name}`);
        if (!j) throw notFound(`jobs.batch "${name}"`);
        return structuredClone(j);
      },
      createPod: async (ns, pod) => this.createPod(ns, pod),
      deletePod: async (ns, name) => this.deletePod(ns, name),
      patchPod: async (ns, name, patch) => this.patchPod(ns, name, patch as Record<string, any>),
      updateJobStatus: async (job) => {
        const key = `${job.metadata.namespace}/${job.metadata.name}`;
        const stored = this.jobs.get(key);
        if (!stored) throw notFound(`jobs.batch "${job.metadata.name}"`);
        stored.status = structuredClone(job.status);
        stored.metadata.resourceVersion = String(++this.rv);
        return structuredClone(stored);
      },
    };
    this.syncer = new JobSyncer({
      now: () => this.nowMs,
      getJob: (ns, name) => this.jobs.get(`${ns}/${name}`),
      candidatePods: (job) => [...this.pods.values()].filter((p) => {
        const ref = getControllerOf(p);
        return p.metadata.namespace === job.metadata.namespace && (!ref || ref.uid === job.metadata.uid);
      }),
      api,
      recorder: { event: (_obj, type, reason, message) => this.events.push({ type, reason, message }) },
      expectations: this.expectations,
      finalizerExpectations: new FinalizerExpectations(),
      backoff: new BackoffStore(),
      backoffDurations: backoff,
      requeueAfter: (key, ms) => this.requeues.push({ key, ms }),
    });
  }

  /** A job as the API server stores it after defaulting and generating the selector. */
  addJob(name: string, spec: Partial<Job['spec']>): Job {
    const uid = `job-uid-${name}`;
    const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name };
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: NS, uid, generation: 1, resourceVersion: String(++this.rv), creationTimestamp: iso(this.nowMs), labels },
      spec: {
        parallelism: 1,
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed',
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
        template: {
          metadata: { labels },
          spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
        },
        ...spec,
      } as Job['spec'],
    };
    if (spec.completions === undefined && spec.parallelism === undefined) job.spec.completions = 1;
    this.jobs.set(`${NS}/${name}`, job);
    return job;
  }

  job(name: string): Job {
    return this.jobs.get(`${NS}/${name}`)!;
  }

  sync(name: string): Promise<void> {
    return this.syncer.sync(`${NS}/${name}`);
  }

  podsOf(name: string): Pod[] {
    const uid = this.job(name).metadata.uid;
    return [...this.pods.values()].filter((p) => getControllerOf(p)?.uid === uid);
  }

  activePods(name: string): Pod[] {
    return this.podsOf(name).filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? '') && !p.metadata.deletionTimestamp);
  }

  /** What a kubelet reports when the pod's containers exit with `exitCode`. */
  finish(pod: Pod, exitCode: number): void {
    const stored = this.pods.get(`${pod.metadata.namespace}/${pod.metadata.name}`)!;
    stored.status = {
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: iso(this.nowMs) }],
      containerStatuses: [{ name: 'main', ready: false, restartCount: 0, state: { terminated: { exitCode, finishedAt: iso(this.nowMs) } } }],
    };
    stored.metadata.resourceVersion = String(++this.rv);
  }

  run(pod: Pod): void {
    const stored = this.pods.get(`${pod.metadata.namespace}/${pod.metadata.name}`)!;
    stored.spec = { ...stored.spec, nodeName: 'node-0' };
    stored.status = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(this.nowMs) }],
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: { startedAt: iso(this.nowMs) } } }],
    };
  }

  /** Removes pods that are being deleted and hold no finalizer any more, as the API server does. */
  private settle(key: string): void {
    const p = this.pods.get(key);
    if (p && p.metadata.deletionTimestamp && !(p.metadata.finalizers?.length)) {
      this.pods.delete(key);
    }
  }

  private createPod(ns: string, pod: Pod): Pod {
    const created = structuredClone(pod);
    const name = created.metadata.name ?? `${created.metadata.generateName}${(++this.seq).toString(36).padStart(5, 'x')}`;
    created.metadata = { ...created.metadata, name, namespace: ns, uid: `pod-uid-${++this.seq}`, resourceVersion: String(++this.rv), creationTimestamp: iso(this.nowMs) };
    created.status = { phase: 'Pending' };
    this.pods.set(`${ns}/${name}`, created);
    const ref = getControllerOf(created);
    if (ref) this.expectations.creationObserved(`${ns}/${ref.name}`);
    return structuredClone(created);
  }

  private deletePod(ns: string, name: string): void {
    const key = `${ns}/${name}`;
    const p = this.pods.get(key);
    if (!p) throw notFound(`pods "${name}"`);
    p.metadata.deletionTimestamp ??= iso(this.nowMs);
    const ref = getControllerOf(p);
    if (ref) this.expectations.deletionObserved(`${ns}/${ref.name}`, key);
    this.settle(key);
  }

  private patchPod(ns: string, name: string, patch: Record<string, any>): void {
    const key = `${ns}/${name}`;
    const p = this.pods.get(key);
    if (!p) throw notFound(`pods "${name}"`);
    const meta = patch.metadata ?? {};
    const remove: string[] | undefined = meta['$deleteFromPrimitiveList/finalizers'];
    if (remove) p.metadata.finalizers = (p.metadata.finalizers ?? []).filter((f) => !remove.includes(f));
    if (meta.finalizers) p.metadata.finalizers = [...new Set([...(p.metadata.finalizers ?? []), ...meta.finalizers])];
    if (meta.ownerReferences) {
      for (const r of meta.ownerReferences) {
        if (r.$patch === 'delete') p.metadata.ownerReferences = (p.metadata.ownerReferences ?? []).filter((o) => o.uid !== r.uid);
        else p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []).filter((o) => o.uid !== r.uid), r];
      }
    }
    p.metadata.resourceVersion = String(++this.rv);
    this.settle(key);
  }

  /** Deletes a pod for good, finalizers or not (as `kubectl delete --force` after a patch would). */
  purge(pod: Pod): void {
    this.pods.delete(`${pod.metadata.namespace}/${pod.metadata.name}`);
  }

  hasFinalizer(pod: Pod): boolean {
    return this.pods.get(`${pod.metadata.namespace}/${pod.metadata.name}`)?.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
  }

  conditions(name: string): Array<[string, string, string | undefined]> {
    return (this.job(name).status?.conditions ?? []).map((c) => [c.type, c.status, c.reason]);
  }
}
