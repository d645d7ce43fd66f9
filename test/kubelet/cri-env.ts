// A real API server, a local registry, containerd supervised by k8ts and our kubelet on the cri
// driver, all inside the test file's network namespace (call enterNetns() first). Pod networks
// are the CNI bridge on 10.42.0.0/24; the cluster and service ranges get unreachable routes so
// nothing leaves the namespace.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestClient } from '../../src/client/index.js';
import { CriRuntime, startContainerd, type Containerd } from '../../src/kubelet/cri/index.js';
import { startKubelet, type Kubelet, type KubeletOptions } from '../../src/kubelet/index.js';
import { installUnreachableRoutes, writeCniConfig } from '../../src/kubelet/network/index.js';
import { PodCgroups } from '../../src/kubelet/pod/pod-cgroups.js';
import { removeAllSandboxes } from '../../src/kubelet/pod/sandbox-sweep.js';
import { startServer } from '../helpers/cluster.js';
import { buildImage } from '../helpers/images.js';
import { startRegistry, registriesFor, type LocalRegistry } from '../helpers/registry.js';
import { FAST, type KubeletEnv } from './helpers.js';

export const POD_CIDR = '10.42.0.0/24';

export interface CriKubeletEnv extends KubeletEnv {
  cri: CriRuntime;
  registry: LocalRegistry;
  /** The busybox test image (every applet linked), as pushed to the local registry. */
  busybox: string;
}

export async function startCriKubeletEnv(opts: Partial<KubeletOptions> = {}): Promise<CriKubeletEnv> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const f of cleanups.reverse()) await f().catch((err) => process.stderr.write(`cleanup: ${err}\n`));
  };
  try {
    await installUnreachableRoutes(['10.42.0.0/16', '10.43.0.0/16']);
    const rootDir = await mkdtemp(join(tmpdir(), 'k8ts-cri-kubelet-'));
    cleanups.push(() => rm(rootDir, { recursive: true, force: true }));
    const registry = await startRegistry();
    cleanups.push(() => registry.stop());
    const busybox = await buildImage(registry, 'busybox', 'test', {});
    const server = await startServer();
    cleanups.push(() => server.stop());
    const containerd: Containerd = await startContainerd({ root: join(rootDir, 'containerd'), registries: registriesFor(registry), logLevel: 'warn' });
    cleanups.push(() => containerd.stop());
    await writeCniConfig(containerd.layout!.cniConfDir, POD_CIDR);
    const cri = new CriRuntime({ socket: containerd.socket });
    // Pods go through CRI before containerd stops (its shims outlive it), and their cgroups with them.
    cleanups.push(async () => {
      await removeAllSandboxes(cri, new PodCgroups());
      await cri.close();
    });
    const deadline = Date.now() + 20_000;
    while (!(await cri.status()).find((c) => c.type === 'NetworkReady')?.status) {
      if (Date.now() > deadline) throw new Error('containerd never reported NetworkReady');
      await new Promise((r) => setTimeout(r, 100));
    }
    const client = RestClient.fromKubeconfig(server.kubeconfig);
    cleanups.push(async () => client.close());
    const nodeName = opts.nodeName ?? 'node-1';
    const kubelet: Kubelet = await startKubelet({ client, nodeName, runtime: cri, rootDir, podCIDR: POD_CIDR, ...FAST, ...opts });
    cleanups.push(() => kubelet.stop());
    return {
      server, client, runtime: cri, cri, kubelet, rootDir, nodeName, registry, busybox,
      stop: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
