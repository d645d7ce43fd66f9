// Simulated nodes (being written): KWOK-like nodes that play a kubelet's part on the API only.
import type { RestClient } from '../../client/index.js';

export interface SimNodeOptions {
  client: RestClient;
  /** Nodes named sim-0 .. sim-(count-1). */
  count: number;
  /** Per-node capacity; defaults cpu 32, memory 256Gi, pods 110. */
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  /** Delay before a bound pod is Running and Ready, ms. */
  startDelayMs?: number;
}

export function startSimNodes(_opts: SimNodeOptions): { stop(): Promise<void> } {
  return { async stop() {} };
}
