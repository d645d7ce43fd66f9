// NodePorts: a pod asking for a hostPort fits only nodes where no pod holds that port (same
// protocol, same or wildcard address).
import { Status, type Plugin } from '../framework/interface.js';
import type { ContainerPort } from '../types.js';

export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const KEY = `PreFilter${NAME}`;

export function newNodePorts(): Plugin {
  return {
    name: NAME,
    events: ['AssignedPodDelete', 'NodeAdd'],
    preFilter(ctx) {
      const ports: ContainerPort[] = [];
      for (const c of [...(ctx.pod.spec?.initContainers ?? []), ...(ctx.pod.spec?.containers ?? [])]) {
        for (const p of c.ports ?? []) if (p.hostPort) ports.push(p);
      }
      if (!ports.length) return Status.skip();
      ctx.state.write(KEY, ports);
      return undefined;
    },
    filter(ctx, node) {
      const ports = ctx.state.read<ContainerPort[]>(KEY) ?? [];
      for (const p of ports) if (node.usedPorts.conflicts(p.hostIP, p.protocol, p.hostPort!)) return Status.unschedulable(ERR_REASON);
      return undefined;
    },
  };
}
