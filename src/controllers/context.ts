// What every controller gets: the client, shared informers, an event recorder, and a stop signal.
// A controller is a small module: it registers informer handlers that enqueue keys and runs
// workers whose whole job is sync(key).
import type { EventRecorder, InformerFactory, RestClient } from '../client/index.js';

export interface ControllerOptions {
  /** kube-controller-manager's --node-monitor-grace-period: a node silent this long is NotReady. */
  nodeMonitorGracePeriodMs: number;
  /** Seconds pods tolerate not-ready/unreachable taints by default (DefaultTolerationSeconds). */
  defaultTolerationSeconds: number;
  /** Workers per controller (kube-controller-manager's --concurrent-*-syncs). */
  workers: number;
  /** Where the local-path provisioner puts volumes on nodes: `<data-dir>/storage` for a server. */
  localPathRoot: string;
}

export const DEFAULT_CONTROLLER_OPTIONS: ControllerOptions = {
  nodeMonitorGracePeriodMs: 40_000,
  defaultTolerationSeconds: 300,
  workers: 5,
  localPathRoot: '/var/lib/k8ts/storage',
};

export interface ControllerContext {
  client: RestClient;
  informers: InformerFactory;
  /** An event recorder whose source component is the given name (e.g. `deployment-controller`). */
  recorder(component: string): EventRecorder;
  /** Aborts when the controller manager stops or loses leadership. */
  signal: AbortSignal;
  options: ControllerOptions;
}

export interface Controller {
  /** kube-controller-manager's name for it: `deployment`, `replicaset`, `garbage-collector` ... */
  name: string;
  /** Registers handlers and starts workers; returns once running (informers start afterwards). */
  start(ctx: ControllerContext): void | Promise<void>;
}
