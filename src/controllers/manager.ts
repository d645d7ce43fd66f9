// The controller manager: every controller in one process, active only while this process holds
// the kube-controller-manager Lease, so two servers never both act.
import { hostname } from 'node:os';
import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { EventBroadcaster, InformerFactory, LeaderElector, type RestClient } from '../client/index.js';
import { log, logError } from '../machinery/log.js';
import { DEFAULT_CONTROLLER_OPTIONS, type Controller, type ControllerOptions } from './context.js';
import { allControllers } from './registry.js';

export interface ControllerManagerOptions {
  client: RestClient;
  options?: Partial<ControllerOptions>;
  /** Only these controllers (by name); default: all. */
  enabled?: string[];
  identity?: string;
}

export function startControllerManager(opts: ControllerManagerOptions): { stop(): Promise<void> } {
  const options = { ...DEFAULT_CONTROLLER_OPTIONS, ...opts.options };
  const controllers: Controller[] = allControllers().filter((c) => !opts.enabled || opts.enabled.includes(c.name));
  const identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
  let running: { factory: InformerFactory; broadcaster: EventBroadcaster } | undefined;

  const elector = new LeaderElector({
    client: opts.client, name: 'kube-controller-manager', identity,
    callbacks: {
      onStartedLeading: async (signal) => {
        // Every controller listens for the end of leadership on this one signal.
        setMaxListeners(0, signal);
        log('controller-manager', 'became leader; starting controllers', { identity, controllers: controllers.map((c) => c.name) });
        const factory = new InformerFactory(opts.client, { resyncPeriodMs: 0, transform: dropManagedFields });
        const broadcaster = new EventBroadcaster(opts.client);
        running = { factory, broadcaster };
        const ctx = {
          client: opts.client, informers: factory, signal, options,
          recorder: (component: string) => broadcaster.newRecorder({ component, host: hostname() }),
        };
        for (const c of controllers) {
          try {
            await c.start(ctx);
          } catch (err) {
            logError('controller-manager', 'controller failed to start', { controller: c.name, error: String(err) });
          }
        }
        factory.start();
        signal.addEventListener('abort', () => {
          void factory.stop();
          void broadcaster.shutdown();
        });
      },
      onStoppedLeading: () => log('controller-manager', 'stopped leading', { identity }),
    },
  });
  void elector.run();
  return {
    async stop() {
      await elector.stop();
      await running?.factory.stop();
      await running?.broadcaster.shutdown();
    },
  };
}

/** Controllers never read managedFields; dropping them halves the cache's memory. */
function dropManagedFields<T extends { metadata?: { managedFields?: unknown } }>(obj: T): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
}
