// The resourcequota controller: status.hard and status.used of every ResourceQuota.
import type { Controller } from '../context.js';
import { ResourceQuotaController } from './controller.js';

export const resourceQuotaController: Controller = {
  name: 'resourcequota',
  start(ctx) {
    const c = new ResourceQuotaController({ client: ctx.client, informers: ctx.informers });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export { ResourceQuotaController, type ResourceQuota, type ResourceQuotaControllerOptions } from './controller.js';
export { computeUsage, countedResource, isPodResource, type UsageSources, type UsageResult, type QuotaSpec } from './usage.js';
export { podUsage, podResources, isTerminalForQuota, isBestEffort, type QuotaPod } from './pod-usage.js';
export { podMatchesScopes, scopeRequirements, hasScopes, type QuotaScopes } from './scopes.js';
