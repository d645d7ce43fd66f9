// A `k8ts server` with its own cri node (containerd, CNI, kubelet) pulling from a registry on
// 127.0.0.1, for e2e tests of real containers through the real kubectl. Call enterNetns() first.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectCri } from '../../src/kubelet/cri/grpc.js';
import { startServer, type TestServer } from './cluster.js';
import { buildImage } from './images.js';
import { registriesYaml, startRegistry, type LocalRegistry } from './registry.js';
import { waitFor } from './wait.js';

export interface CriNodeServer {
  server: TestServer;
  registry: LocalRegistry;
  /** The busybox test image, as pushed to the registry. */
  busybox: string;
  /** The server's recent output, for failure messages. */
  context(): string;
  /** The PID on this machine of a container's main process, as containerd reports it. */
  containerPid(containerID: string): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the server with node `nodeName` and waits until the node is Ready. */
export async function startCriNodeServer(opts: { imageTag: string; nodeName?: string }): Promise<CriNodeServer> {
  const nodeName = opts.nodeName ?? 'n1';
  const work = await mkdtemp(join(tmpdir(), 'k8ts-cri-node-'));
  let registry: LocalRegistry | undefined;
  let server: TestServer | undefined;
  const stop = async () => {
    await server?.stop();
    await registry?.stop();
    await rm(work, { recursive: true, force: true });
  };
  try {
    registry = await startRegistry();
    const busybox = await buildImage(registry, 'busybox', opts.imageTag, {});
    const registriesFile = join(work, 'registries.yaml');
    await writeFile(registriesFile, registriesYaml(registry));
    const s = await startServer({
      args: ['--disable-agent=false', '--node-driver', 'cri', '--private-registry', registriesFile, '--node-name', nodeName, '--kubelet-port', '0'],
      timeoutMs: 60_000,
    });
    server = s;
    const context = () => s.output().slice(-3000);
    await waitFor(`node ${nodeName} Ready`, async () => {
      const r = await s.kubectl(['get', 'node', nodeName, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'], { allowFail: true });
      return r.stdout === 'True';
    }, { timeoutMs: 30_000, context });
    return {
      server: s, registry, busybox, context, stop,
      async containerPid(containerID) {
        const id = containerID.replace(/^containerd:\/\//, '');
        const cri = connectCri(join(s.dataDir, 'agent', 'containerd', 'containerd.sock'), 10_000);
        try {
          const res = await cri.runtime<{ info: Record<string, string> }>('ContainerStatus', { container_id: id, verbose: true });
          const pid = Number(JSON.parse(res.info.info ?? '{}').pid);
          assert.ok(Number.isInteger(pid) && pid > 1, `no pid in ContainerStatus info of ${id}`);
          return pid;
        } finally {
          cri.close();
        }
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Processes whose command line names `dir` and containerd or runc: containerd, its shims, runc. */
export async function processesUnder(dir: string): Promise<Array<{ pid: number; cmdline: string }>> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').then((s) => s.replace(/\0/g, ' ').trim(), () => '');
    if (cmdline.includes(dir) && /containerd|runc/.test(cmdline)) found.push({ pid: Number(entry), cmdline });
  }
  return found;
}

/** A pod's cgroup directories in every hierarchy of this machine (v1 controllers, unified, v2). */
export async function podCgroupDirs(uid: string): Promise<string[]> {
  const roots = ['/sys/fs/cgroup', ...(await readdir('/sys/fs/cgroup').catch(() => [] as string[])).map((h) => `/sys/fs/cgroup/${h}`)];
  const found: string[] = [];
  for (const root of roots) {
    for (const level of ['', 'burstable/', 'besteffort/']) {
      const dir = `${root}/k8ts/${level}pod${uid}`;
      if (await readdir(dir).then(() => true, () => false)) found.push(dir);
    }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
