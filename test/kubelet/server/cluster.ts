// An in-process cluster for the streaming tests: the API server (with kubelet client
// credentials), a kubelet on the given runtime driver with its HTTPS endpoint, and the real kubectl
// pointed at it. Everything listens on 127.0.0.1 and is stopped by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { ApiServer } from '../../../src/apiserver/server.js';
import { authenticate } from '../../../src/apiserver/authn.js';
import { writeKubeconfig } from '../../../src/apiserver/kubeconfig.js';
import { ensurePki, issueClientCert, issueServingCert, type Pki } from '../../../src/apiserver/pki.js';
import { ServiceAccountTokens } from '../../../src/apiserver/serviceaccount-token.js';
import { openStore } from '../../../src/store/open.js';
import { RestClient, resources } from '../../../src/client/index.js';
import { startKubelet, type Kubelet } from '../../../src/kubelet/index.js';
import type { RuntimeDriver } from '../../../src/kubelet/runtime.js';
import { startKubeletServer, watchNodePods, type KubeletServer } from '../../../src/kubelet/server/index.js';
import { kubectl, type KubectlResult } from '../../helpers/cluster.js';

export interface StreamingCluster {
  url: string;
  dataDir: string;
  kubeconfig: string;
  nodeName: string;
  pki: Pki;
  client: RestClient;
  kubeletServer: KubeletServer;
  kubectl(args: string[], opts?: { input?: string; env?: Record<string, string>; allowFail?: boolean }): Promise<KubectlResult>;
  /** A long-running kubectl (logs -f, attach, port-forward); the caller kills it. */
  spawnKubectl(args: string[], env?: Record<string, string>): ChildProcess;
  stop(): Promise<void>;
}

export interface ClusterRuntime {
  runtime: RuntimeDriver;
  /** Stops what the runtime needs (its pods first, then containerd for the cri driver). */
  stop(): Promise<void>;
}

export async function startStreamingCluster(opts: {
  runtime: (dataDir: string) => Promise<ClusterRuntime>;
  nodeName?: string;
  nodeIP?: string;
  podCIDR?: string;
}): Promise<StreamingCluster> {
  process.env.K8TS_LOG ??= 'quiet';
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-streaming-'));
  const stops: Array<() => Promise<unknown> | unknown> = [() => rm(dataDir, { recursive: true, force: true })];
  // Every step runs even if one before it fails, so nothing is left behind.
  const stop = async () => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (err) {
        process.stderr.write(`streaming cluster cleanup: ${(err as Error).message}\n`);
      }
    }
    stops.length = 0;
  };
  try {
    const nodeName = opts.nodeName ?? 'node-a';
    const pki = await ensurePki(dataDir);
    const store = await openStore({ dataDir, endpoint: 'memory://' });
    stops.push(() => store.close());
    const kubeletClient = await issueClientCert(pki, { commonName: 'system:apiserver', organizations: ['system:masters'] });
    const api = new ApiServer({
      store, port: 0,
      tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert },
      authenticate: (req: IncomingMessage) => {
        const u = authenticate(req as IncomingMessage & { socket: TLSSocket });
        return u ? { name: u.user, groups: u.groups } : null;
      },
      kubeletClient: { ...kubeletClient, ca: pki.caCert },
      serviceAccountTokens: await ServiceAccountTokens.load(dataDir),
    });
    await api.start();
    stops.push(() => api.close());
    const url = `https://127.0.0.1:${api.port}`;
    const kubeconfig = join(dataDir, 'kubeconfig.yaml');
    await writeKubeconfig(kubeconfig, { server: url, caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey });
    const client = new RestClient({ server: url, caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey, userAgent: 'streaming-test' });
    stops.push(() => client.close());
    // What the root CA publisher would make, for the credentials every pod mounts.
    await client.create(resources.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': pki.caCert } } as never);

    const rt = await opts.runtime(dataDir);
    stops.push(() => rt.stop());
    const runtime = rt.runtime;
    const pods = await watchNodePods(client, nodeName);
    stops.push(() => pods.stop());
    const serving = await issueServingCert(pki, { commonName: nodeName, sans: [nodeName, 'localhost', '127.0.0.1'] });
    const kubeletServer = await startKubeletServer({
      port: 0, tls: { cert: serving.cert, key: serving.key, ca: pki.caCert }, runtime,
      getPod: pods.get,
      listPods: pods.list,
    });
    stops.push(() => kubeletServer.close());
    const kubelet: Kubelet = await startKubelet({
      client, nodeName, runtime, rootDir: join(dataDir, 'kubelet'), kubeletPort: kubeletServer.port, nodeIP: opts.nodeIP ?? '127.0.0.1', podCIDR: opts.podCIDR,
      crashLoopBackOff: { initialMs: 300, maxMs: 1000 }, relistPeriodMs: 200, resyncIntervalMs: 1000,
    });
    stops.push(() => kubelet.stop());
    const children = new Set<ChildProcess>();
    stops.push(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });
    return {
      url, dataDir, kubeconfig, nodeName, pki, client, kubeletServer,
      kubectl: (args, kopts) => kubectl(kubeconfig, args, kopts),
      spawnKubectl(args, env) {
        const c = spawn('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
        children.add(c);
        c.once('exit', () => children.delete(c));
        return c;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Everything a child writes (stdout and stderr together), and a way to wait for a pattern in it. */
export interface Output {
  text(): string;
  /** Resolves with the output so far once `pattern` matches it; rejects after `timeoutMs`. */
  wait(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

export function collectOutput(child: ChildProcess): Output {
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    text: () => out,
    wait(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(out)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(out);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern} in:\n${out}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
