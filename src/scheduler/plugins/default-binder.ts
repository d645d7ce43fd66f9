// DefaultBinder: the decision is written with POST pods/<name>/binding, as kube-scheduler does.
import { Status, type Handle, type Plugin } from '../framework/interface.js';

export const NAME = 'DefaultBinder';

export function newDefaultBinder(h: Handle): Plugin {
  return {
    name: NAME,
    async bind(ctx, nodeName) {
      const m = ctx.pod.metadata;
      const path = `/api/v1/namespaces/${encodeURIComponent(m.namespace ?? 'default')}/pods/${encodeURIComponent(m.name!)}/binding`;
      try {
        await h.client.request('POST', path, {
          apiVersion: 'v1', kind: 'Binding',
          metadata: { name: m.name, namespace: m.namespace, uid: m.uid },
          target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
        });
      } catch (err) {
        return Status.error(err);
      }
      return Status.success();
    },
  };
}
