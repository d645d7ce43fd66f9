// The scheduler's entry point (being written): binds pods with no node to a node.
import type { RestClient } from '../client/index.js';

export interface SchedulerOptions {
  client: RestClient;
  /** Pods whose spec.schedulerName is this; default-scheduler by default. */
  schedulerName?: string;
}

export function startScheduler(_opts: SchedulerOptions): { stop(): Promise<void> } {
  return { async stop() {} };
}
