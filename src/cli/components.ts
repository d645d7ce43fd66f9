// The control-plane components of `k8ts server` besides the API server: controller manager,
// scheduler and simulated nodes. They reach the API server over HTTPS as any client does, so they
// can run on their own thread (see components-thread.ts) and use the machine's second core.
import { RestClient } from '../client/index.js';
import { startControllerManager } from '../controllers/manager.js';
import { startScheduler } from '../scheduler/index.js';
import { startSimNodes } from '../kubelet/sim/index.js';

/** Everything the components need, as plain data (it crosses to a worker thread). */
export interface ComponentsSpec {
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  controllers?: { nodeMonitorGracePeriodMs: number; localPathRoot: string };
  scheduler: boolean;
  simNodes?: { count: number; capacity?: Record<string, string>; labels?: Record<string, string> };
}

export function startComponents(spec: ComponentsSpec): { stop(): Promise<void> } {
  const client = new RestClient({ server: spec.server, caCert: spec.caCert, clientCert: spec.clientCert, clientKey: spec.clientKey, userAgent: 'k8ts-server' });
  const running: Array<{ stop(): Promise<void> }> = [];
  if (spec.controllers) running.push(startControllerManager({ client, options: spec.controllers }));
  if (spec.scheduler) running.push(startScheduler({ client }));
  if (spec.simNodes) running.push(startSimNodes({ client, ...spec.simNodes }));
  return {
    async stop() {
      await Promise.allSettled(running.map((c) => c.stop()));
      client.close();
    },
  };
}
