// Coscheduling (gang scheduling, as scheduler-plugins' coscheduling): pods labelled
// scheduling.k8ts.io/pod-group=<name> belong to the PodGroup <name> of their namespace. Each
// member that fits is reserved on its node and held at Permit; when minMember members are
// reserved, all are let go to bind at once. If the gang cannot complete — a member fits nowhere,
// or the wait times out — every held member is rejected and its reservation released, so a
// half-placed gang never holds resources others need.
import { logError } from '../../machinery/log.js';
import { Code, Status, type CycleContext, type Handle, type Plugin } from '../framework/interface.js';
import { ensurePodGroupCRD, POD_GROUP_LABEL, podGroups, type PodGroup } from '../podgroup.js';
import { isTerminal, podKey, type Pod } from '../types.js';

export const NAME = 'Coscheduling';
const DEFAULT_TIMEOUT_SECONDS = 60;

export interface CoschedulingArgs {
  /** Default Permit wait for gangs whose PodGroup sets no scheduleTimeoutSeconds. */
  permitWaitingTimeSeconds?: number;
}

export function newCoscheduling(h: Handle, args: CoschedulingArgs = {}): Plugin {
  const defaultTimeout = args.permitWaitingTimeSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const groups = () => h.informer<PodGroup>(podGroups, 'PodGroupChange');

  const groupOf = (pod: Pod) => pod.metadata.labels?.[POD_GROUP_LABEL];
  const members = (pod: Pod, group: string) =>
    h.listers.pods.list(pod.metadata.namespace, { [POD_GROUP_LABEL]: group }).filter((p) => !p.metadata.deletionTimestamp && !isTerminal(p));
  const waitingSiblings = (pod: Pod, group: string) =>
    h.waitingPods().filter((w) => w.pod.metadata.namespace === pod.metadata.namespace && groupOf(w.pod) === group && podKey(w.pod) !== podKey(pod));

  function rejectWaiting(pod: Pod, group: string, message: string): void {
    for (const w of waitingSiblings(pod, group)) w.reject(NAME, message);
  }

  function updateStatus(pod: Pod, group: string, pg: PodGroup): void {
    const min = pg.spec?.minMember ?? 1;
    const scheduled = members(pod, group).filter((p) => p.spec?.nodeName || h.assignedNode(podKey(p))).length;
    const phase = scheduled >= min ? 'Scheduled' : scheduled > 0 ? 'Scheduling' : 'Pending';
    if (pg.status?.phase === phase && pg.status?.scheduled === scheduled) return;
    h.client.patch(podGroups, pod.metadata.namespace, group, { status: { phase, scheduled } }, 'merge', { subresource: 'status' })
      .catch((err) => logError('scheduler', 'unable to update PodGroup status', { podGroup: `${pod.metadata.namespace}/${group}`, err: String(err) }));
  }

  return {
    name: NAME,
    events: ['PodAdd', 'AssignedPodDelete', 'PodGroupChange', 'NodeAdd', 'NodeAllocatableChange'],

    async start(signal) {
      await ensurePodGroupCRD(h.client, signal);
      groups();
    },

    preFilter(ctx) {
      const group = groupOf(ctx.pod);
      if (!group) return Status.skip();
      const ns = ctx.pod.metadata.namespace;
      const pg = groups().lister.get(ns, group);
      if (!pg) return Status.unresolvable(`PodGroup ${ns}/${group} not found`);
      const min = pg.spec?.minMember ?? 1;
      const total = members(ctx.pod, group).length;
      if (total < min) {
        return Status.unresolvable(`pre-filter pod ${ctx.pod.metadata.name} cannot find enough sibling pods, current pods number: ${total}, minMember: ${min}`);
      }
      return undefined;
    },

    async postFilter(ctx) {
      const group = groupOf(ctx.pod);
      if (!group) return { status: Status.unschedulable() };
      const pg = groups().lister.get(ctx.pod.metadata.namespace, group);
      const min = pg?.spec?.minMember ?? 1;
      const assigned = members(ctx.pod, group).filter((p) => p.spec?.nodeName || h.assignedNode(podKey(p))).length;
      // Enough members are placed already; this one failing does not sink the gang.
      if (assigned >= min) return { status: Status.unschedulable() };
      rejectWaiting(ctx.pod, group, `optimistic rejection in PostFilter`);
      return { status: Status.unschedulable(`PodGroup ${ctx.pod.metadata.namespace}/${group} gets rejected due to Pod ${ctx.pod.metadata.name} is unschedulable even after PostFilter`) };
    },

    permit(ctx: CycleContext) {
      const group = groupOf(ctx.pod);
      if (!group) return undefined;
      const pg = groups().lister.get(ctx.pod.metadata.namespace, group);
      if (!pg) return { status: Status.unresolvable(`PodGroup ${ctx.pod.metadata.namespace}/${group} not found`) };
      const min = pg.spec?.minMember ?? 1;
      const all = members(ctx.pod, group);
      // Bound members and members assumed in their binding cycle, this one included.
      const assigned = all.filter((p) => p.spec?.nodeName || h.assignedNode(podKey(p))).length;
      if (assigned >= min) {
        for (const w of waitingSiblings(ctx.pod, group)) w.allow(NAME);
        return undefined;
      }
      // Wake the members still queued so the gang is completed quickly.
      h.activate(all.filter((p) => !p.spec?.nodeName && !h.assignedNode(podKey(p))));
      return { status: new Status(Code.Wait), timeoutMs: (pg.spec?.scheduleTimeoutSeconds ?? defaultTimeout) * 1000 };
    },

    unreserve(ctx) {
      const group = groupOf(ctx.pod);
      if (group) rejectWaiting(ctx.pod, group, `rejected due to a member of the gang ${ctx.pod.metadata.namespace}/${group} being unreserved`);
    },

    postBind(ctx) {
      const group = groupOf(ctx.pod);
      if (!group) return;
      const pg = groups().lister.get(ctx.pod.metadata.namespace, group);
      if (pg) updateStatus(ctx.pod, group, pg);
    },
  };
}
