// The node agent of `k8ts server` and `k8ts agent`: a runtime chosen by --node-driver, the pod
// network for the cri driver, and the kubelet driving them.
import { join } from 'node:path';
import type { RestClient } from '../client/index.js';
import { startKubelet } from '../kubelet/index.js';
import type { RuntimeDriver } from '../kubelet/runtime.js';
import { HostRuntime } from '../kubelet/host/host-runtime.js';
import { CriRuntime, startContainerd, type Containerd } from '../kubelet/cri/index.js';
import { enableIPv4Forwarding, installUnreachableRoutes, startNodeRoutes, writeCniConfig, type NodeRoutes } from '../kubelet/network/index.js';
import { startKubeletServer, watchNodePods } from '../kubelet/server/index.js';
import { PodCgroups } from '../kubelet/pod/pod-cgroups.js';
import { removeAllSandboxes } from '../kubelet/pod/sandbox-sweep.js';
import { log } from '../machinery/log.js';

export interface NodeAgentOptions {
  driver: 'cri' | 'host';
  client: RestClient;
  nodeName: string;
  dataDir: string;
  podCIDR: string;
  clusterCIDR: string;
  serviceCIDR: string;
  /** k3s registries.yaml: mirrors and plain-HTTP registries for the cri driver. */
  privateRegistry?: string;
  /** Use this containerd instead of starting one. */
  containerdSocket?: string;
  labels?: Record<string, string>;
  nodeIP?: string;
  /** The kubelet's HTTPS endpoint (logs, exec, port-forward) for the API server; 0 picks a free port. */
  kubeletPort: number;
  /** The node's serving certificate and the cluster CA. */
  tls: { cert: string; key: string; ca: string };
}

export async function startNodeAgent(o: NodeAgentOptions): Promise<{ stop(): Promise<void> }> {
  const root = join(o.dataDir, 'agent');
  let runtime: RuntimeDriver;
  let containerd: Containerd | undefined;
  if (o.driver === 'cri') {
    if (process.getuid?.() !== 0) throw new Error('--node-driver cri needs root (containerd, runc and CNI); use --node-driver host to run containers as plain processes');
    containerd = await startContainerd({ root: join(root, 'containerd'), privateRegistry: o.privateRegistry, socket: o.containerdSocket });
    // Stray packets to cluster or service addresses die here instead of leaving the machine.
    await installUnreachableRoutes([o.clusterCIDR, o.serviceCIDR]);
    await writeCniConfig(containerd.layout?.cniConfDir ?? join(root, 'containerd', 'cni', 'net.d'), o.podCIDR, { ipamDataDir: join(root, 'cni') });
    await enableIPv4Forwarding();
    runtime = new CriRuntime({ socket: containerd.socket });
  } else {
    log('node-agent', 'running containers as plain processes: no isolation, images are ignored', { driver: 'host' });
    runtime = new HostRuntime({ rootDir: join(root, 'host') });
  }
  // The endpoint the API server proxies logs, exec, attach and port-forward to; only it may call.
  const pods = await watchNodePods(o.client, o.nodeName);
  const endpoint = await startKubeletServer({
    host: o.nodeIP ?? '127.0.0.1', port: o.kubeletPort, tls: o.tls, runtime, getPod: pods.get, listPods: pods.list,
  });
  const kubelet = await startKubelet({
    client: o.client, nodeName: o.nodeName, runtime, rootDir: join(root, 'kubelet'), podCIDR: o.podCIDR, labels: o.labels, nodeIP: o.nodeIP,
    kubeletPort: endpoint.port,
  });
  // Other nodes' pods are reached through routes to those nodes (host-gw), kept from the Node objects.
  let nodeRoutes: NodeRoutes | undefined;
  if (o.driver === 'cri') {
    nodeRoutes = await startNodeRoutes({
      client: o.client, nodeName: o.nodeName, podCIDRs: [o.podCIDR], clusterCIDRs: o.clusterCIDR.split(',').map((c) => c.trim()),
    });
  }
  return {
    async stop() {
      await nodeRoutes?.stop();
      await kubelet.stop();
      await endpoint.close();
      await pods.stop();
      // Pods stop through CRI before containerd goes, so no shim outlives it, nor their cgroups.
      if (containerd) await removeAllSandboxes(runtime, new PodCgroups());
      await runtime.close();
      await containerd?.stop();
    },
  };
}
