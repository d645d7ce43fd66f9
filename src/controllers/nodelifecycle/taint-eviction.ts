// The taint eviction controller (kube-controller-manager's taint-eviction-controller): a pod on a
// node with NoExecute taints it does not tolerate is deleted at once; one that tolerates them for
// tolerationSeconds is deleted when the shortest of those runs out, counted from when this
// controller first saw the pod under those taints; tolerating them without a limit keeps it.
import { resources, runWorkers, WorkQueue, isConflict, isNotFound, type EventRecorder, type Informer, type RestClient } from '../../client/index.js';
import { logError } from '../../machinery/log.js';
import type { Controller, ControllerContext } from '../context.js';
import { quietConflicts } from './controller.js';
import { ensureNodeNameIndex, podsOnNode } from './pod-index.js';
import { matchingTolerations, minTolerationMs, noExecuteTaints } from './taints.js';
import type { Node, Pod, PodCondition } from './types.js';
import { wireTime } from './types.js';
import { readyToRun } from '../util/ready-to-run.js';

export interface TaintEvictionOptions {
  now?: () => number;
}

export function newTaintEvictionController(opts: TaintEvictionOptions = {}): Controller {
  return { name: 'taint-eviction', start: (ctx) => new TaintEviction(ctx, opts.now ?? Date.now).start() };
}

export const taintEvictionController: Controller = newTaintEvictionController();

/** What decides a pod's fate: the NoExecute taints of its node and its own tolerations. */
const noExecuteKey = (n: Node | undefined) => JSON.stringify(noExecuteTaints(n).map((t) => [t.key, t.value ?? '', t.effect]));
const tolerationsKey = (p: Pod | undefined) => JSON.stringify(p?.spec?.tolerations ?? []);

class TaintEviction {
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly queue = new WorkQueue<string>({ name: 'taint-eviction' });
  /** Evictions waiting for a toleration to run out: pod key → when the wait began and for which pod. */
  private readonly scheduled = new Map<string, { sinceMs: number; uid: string }>();
  private pods!: Informer<Pod>;
  private nodes!: Informer<Node>;

  constructor(private readonly ctx: ControllerContext, private readonly now: () => number) {
    this.client = ctx.client;
    this.recorder = ctx.recorder('taint-eviction-controller');
  }

  start(): void {
    const { informers, signal } = this.ctx;
    this.pods = informers.forResource<Pod>(resources.pods);
    this.nodes = informers.forResource<Node>(resources.nodes);
    ensureNodeNameIndex(this.pods);

    const key = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;
    this.pods.addEventHandler({
      onAdd: (p) => {
        if (p.spec?.nodeName) this.queue.add(key(p));
      },
      onUpdate: (old, p) => {
        if (p.spec?.nodeName && (old.spec?.nodeName !== p.spec.nodeName || tolerationsKey(old) !== tolerationsKey(p))) this.queue.add(key(p));
      },
      onDelete: (p) => this.queue.add(key(p)),
    });
    const nodeChanged = (old: Node | undefined, n: Node) => {
      if (old && noExecuteKey(old) === noExecuteKey(n)) return;
      for (const p of podsOnNode(this.pods, n.metadata.name ?? '')) this.queue.add(key(p));
    };
    this.nodes.addEventHandler({ onAdd: (n) => nodeChanged(undefined, n), onUpdate: nodeChanged });

    void (async () => {
      if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.pods, this.nodes] }))) return;
      await runWorkers(this.queue, this.ctx.options.workers, (k) => this.sync(k), { onError: quietConflicts('taint-eviction') });
    })().catch((err) => logError('taint-eviction', 'controller stopped', { err: String(err) }));
  }

  async sync(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const pod = this.pods.lister.get(key.slice(0, slash), key.slice(slash + 1));
    if (!pod) {
      this.scheduled.delete(key);
      return;
    }
    const node = pod.spec?.nodeName ? this.nodes.lister.get(undefined, pod.spec.nodeName) : undefined;
    const taints = noExecuteTaints(node);
    if (taints.length === 0) return this.cancel(key, pod);
    // Already on its way out: deleting it again would only repeat the event.
    if (pod.metadata.deletionTimestamp) {
      this.scheduled.delete(key);
      return;
    }
    const { all, used } = matchingTolerations(taints, pod.spec?.tolerations);
    if (!all) return this.evict(key, pod);
    const tolerateMs = minTolerationMs(used);
    if (tolerateMs === Infinity) return this.cancel(key, pod);
    const now = this.now();
    let entry = this.scheduled.get(key);
    if (!entry || entry.uid !== pod.metadata.uid) {
      entry = { sinceMs: now, uid: pod.metadata.uid ?? '' };
      this.scheduled.set(key, entry);
    }
    const due = entry.sinceMs + tolerateMs;
    if (now < due) {
      this.queue.addAfter(key, due - now);
      return;
    }
    return this.evict(key, pod);
  }

  private cancel(key: string, pod: Pod): void {
    if (!this.scheduled.delete(key)) return;
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  /** Marks the pod a disruption target, then deletes it (gracefully: the kubelet stops it). */
  private async evict(key: string, pod: Pod): Promise<void> {
    const ns = pod.metadata.namespace;
    const name = pod.metadata.name!;
    const conditions = pod.status?.conditions ?? [];
    const target = conditions.find((c) => c.type === 'DisruptionTarget');
    if (target?.status !== 'True' || target.reason !== 'DeletionByTaintManager') {
      const cond: PodCondition = {
        type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: wireTime(this.now()),
        reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint',
      };
      try {
        await this.client.updateStatus<Pod>(resources.pods, ns, {
          apiVersion: 'v1', kind: 'Pod',
          metadata: { name, namespace: ns, uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion },
          status: { ...pod.status, conditions: [...conditions.filter((c) => c.type !== 'DisruptionTarget'), cond] },
        });
      } catch (err) {
        if (isNotFound(err)) return void this.scheduled.delete(key);
        throw err;
      }
    }
    try {
      await this.client.delete(resources.pods, ns, name, { preconditions: pod.metadata.uid ? { uid: pod.metadata.uid } : undefined });
    } catch (err) {
      // Gone already, or replaced by a new pod of the same name, which gets its own sync.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
    this.scheduled.delete(key);
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
  }
}
