// The scheduler's entry point: `k8ts server` runs it in-process; it schedules only while it
// holds the kube-system/kube-scheduler Lease, so two servers never both bind pods.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { LeaderElector, type RestClient } from '../client/index.js';
import { log, logError } from '../machinery/log.js';
import { Scheduler, type ProfileConfig, type SchedulerConfig } from './scheduler.js';
import { DEFAULT_SCHEDULER_NAME } from './types.js';

export { Scheduler, type ProfileConfig, type SchedulerConfig } from './scheduler.js';
export { schedulePod, selectHost, numFeasibleNodesToFind } from './schedule-pod.js';
export { FitError, fitErrorMessage } from './fit-error.js';
export { POD_GROUP_LABEL, podGroups, podGroupCRD, ensurePodGroupCRD, type PodGroup } from './podgroup.js';
export { inTreeRegistry, type RegistryEntry } from './plugins/registry.js';

export interface SchedulerOptions {
  client: RestClient;
  /** Pods whose spec.schedulerName is this; default-scheduler by default. Ignored with `profiles`. */
  schedulerName?: string;
  /** Several schedulers by schedulerName, each with its own plugin set. */
  profiles?: ProfileConfig[];
  /** Campaign for the kube-scheduler Lease first (default true). */
  leaderElect?: boolean;
  identity?: string;
  percentageOfNodesToScore?: number;
  onBound?: SchedulerConfig['onBound'];
  onAttempt?: SchedulerConfig['onAttempt'];
}

export function startScheduler(opts: SchedulerOptions): { stop(): Promise<void> } {
  const config: SchedulerConfig = {
    client: opts.client,
    profiles: opts.profiles ?? [{ schedulerName: opts.schedulerName ?? DEFAULT_SCHEDULER_NAME }],
    percentageOfNodesToScore: opts.percentageOfNodesToScore,
    onBound: opts.onBound,
    onAttempt: opts.onAttempt,
  };
  let current: Scheduler | undefined;
  const run = async (signal?: AbortSignal) => {
    const s = new Scheduler(config);
    current = s;
    signal?.addEventListener('abort', () => void s.stop());
    try {
      await s.start(signal);
    } catch (err) {
      logError('scheduler', 'scheduler failed to start', { err: String(err) });
    }
  };
  if (opts.leaderElect === false) {
    void run();
    return { stop: async () => { await current?.stop(); } };
  }
  const identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
  const elector = new LeaderElector({
    client: opts.client, name: 'kube-scheduler', identity,
    callbacks: {
      onStartedLeading: (signal) => {
        log('scheduler', 'became leader; scheduling', { identity });
        return run(signal);
      },
      onStoppedLeading: () => log('scheduler', 'stopped leading', { identity }),
    },
  });
  void elector.run();
  return {
    async stop() {
      await current?.stop();
      await elector.stop();
    },
  };
}
