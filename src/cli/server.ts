// `k8ts server`: store, API server, controllers, scheduler and (unless disabled) a node agent,
// in one process, with k3s' flags and embedded defaults that work on first start.
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ApiServer } from '../apiserver/server.js';
import { ensurePki, issueClientCert, issueServingCert } from '../apiserver/pki.js';
import { writeKubeconfig } from '../apiserver/kubeconfig.js';
import { firstServiceIP } from '../apiserver/admission/service-allocation.js';
import { reservePodCIDR } from '../apiserver/pod-cidrs.js';
import type { UserInfo } from '../apiserver/registry.js';
import { openStore } from '../store/open.js';
import { startCompactor } from '../store/compactor.js';
import { parseFlags, usage, type FlagSpec } from './flags.js';
import { RestClient } from '../client/index.js';
import { startNodeAgent } from './node-agent.js';
import { startComponentsThread } from './components-thread.js';
import { hostname } from 'node:os';
import { parseDuration } from '../machinery/duration.js';
import { authenticate, loadOrCreateToken } from '../apiserver/authn.js';
import { cacertsHandler, joinHandler } from '../apiserver/join.js';
import { BoundObjects } from '../apiserver/bound-objects.js';
import { ServiceAccountTokens } from '../apiserver/serviceaccount-token.js';
import { writeFile } from 'node:fs/promises';
import { log } from '../machinery/log.js';

const defaultDataDir = () => (process.getuid?.() === 0 ? '/var/lib/k8ts' : join(homedir(), '.k8ts'));

export const SERVER_FLAGS: FlagSpec[] = [
  { name: 'data-dir', help: 'Folder for state: database, certificates, kubeconfig', default: defaultDataDir() },
  { name: 'https-listen-port', help: 'HTTPS port of the API server (0: any free port)', default: 6443, type: 'number' },
  { name: 'bind-address', help: 'Address the API server listens on', default: '127.0.0.1' },
  { name: 'write-kubeconfig', help: 'Write the admin kubeconfig here (default <data-dir>/kubeconfig.yaml)' },
  { name: 'datastore-endpoint', help: 'Store: sqlite (default, under --data-dir), etcd://host:port[,host:port...], or memory:// (tests only)' },
  { name: 'cluster-cidr', help: 'Pod network range', default: '10.42.0.0/16' },
  { name: 'service-cidr', help: 'Service cluster IP range', default: '10.43.0.0/16' },
  { name: 'tls-san', help: 'Extra names or IPs for the serving certificate, comma-separated' },
  { name: 'token', help: 'Shared secret agents use to join (generated if not given)' },
  { name: 'disable-agent', help: 'Do not run a node agent in this process', type: 'boolean' },
  { name: 'compaction-interval', help: 'Seconds between store compactions', default: 300, type: 'number' },
  { name: 'node-driver', help: 'Node agent runtime: cri (containerd), host (plain processes) or sim (simulated nodes)', default: 'sim' },
  { name: 'sim-nodes', help: 'With --node-driver sim: how many simulated nodes (sim-0 ...)', default: 1, type: 'number' },
  { name: 'sim-node-capacity', help: 'With --node-driver sim: capacity of each node, e.g. cpu=32,memory=256Gi,pods=110,nvidia.com/gpu=8' },
  { name: 'sim-node-labels', help: 'With --node-driver sim: labels for every simulated node, e.g. zone=a,tier=gpu' },
  { name: 'node-name', help: 'Name of this machine\'s node (cri and host drivers)', default: hostname().toLowerCase() },
  { name: 'node-ip', help: 'This machine\'s node address as other nodes reach it (cri and host drivers; default 127.0.0.1, which only a one-machine cluster can use)' },
  { name: 'kubelet-port', help: 'Port of this node\'s kubelet endpoint (0: any free port)', default: 10250, type: 'number' },
  { name: 'private-registry', help: 'k3s-style registries.yaml with mirrors and plain-HTTP registries (cri driver)' },
  { name: 'disable-controllers', help: 'Run no controller manager', type: 'boolean' },
  { name: 'disable-scheduler', help: 'Run no scheduler', type: 'boolean' },
  { name: 'node-monitor-grace-period', help: 'How long a node may be silent before it is marked NotReady', default: '40s' },
];

function parseKeyValues(s: string | undefined): Record<string, string> | undefined {
  if (!s) return undefined;
  return Object.fromEntries(s.split(',').filter(Boolean).map((kv) => {
    const i = kv.indexOf('=');
    if (i < 0) throw new Error(`expected key=value, got "${kv}"`);
    return [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
  }));
}

/**
 * Authenticates by client certificate (once per connection: it does not change) or by a
 * service account token.
 */
function authenticator(tokens: ServiceAccountTokens) {
  const byConnection = new WeakMap<object, UserInfo | null>();
  return (req: IncomingMessage): UserInfo | null => {
    const perConnection = !req.headers.authorization;
    if (perConnection && byConnection.has(req.socket)) return byConnection.get(req.socket)!;
    const u = authenticate(req as IncomingMessage & { socket: TLSSocket }, { tokens: (t) => tokens.verify(t) });
    const user = u ? { name: u.user, groups: u.groups, uid: u.uid } : null;
    if (perConnection) byConnection.set(req.socket, user);
    return user;
  };
}

export async function serverCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage('server', 'Run a k8ts control plane on this machine.', SERVER_FLAGS));
    return 0;
  }
  const t0 = performance.now();
  const { flags } = parseFlags(args, SERVER_FLAGS);
  const driver = String(flags['node-driver']);
  if (!['cri', 'host', 'sim'].includes(driver)) throw new Error(`unknown --node-driver ${driver}: use cri, host or sim`);
  const dataDir = resolve(String(flags['data-dir']));
  await mkdir(dataDir, { recursive: true });
  const serviceCIDR = String(flags['service-cidr']);
  const serviceIP = firstServiceIP(serviceCIDR);
  const sans = flags['tls-san'] ? String(flags['tls-san']).split(',').map((s) => s.trim()).filter(Boolean) : [];
  const [pki, store, saTokens] = await Promise.all([
    ensurePki(dataDir, { serviceIP, sans }),
    openStore({ dataDir, endpoint: flags['datastore-endpoint'] as string | undefined }),
    ServiceAccountTokens.load(dataDir),
  ]);
  const compactor = startCompactor(store, { intervalMs: Number(flags['compaction-interval']) * 1000, keepRevisions: 1000 });
  const boundObjects = await BoundObjects.start(store);
  saTokens.checkBoundObjects(boundObjects);

  const api = new ApiServer({
    store, port: Number(flags['https-listen-port']), host: String(flags['bind-address']),
    tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert },
    // The API server reaches kubelets (logs, exec, port-forward) with its own client certificate.
    kubeletClient: { ...(await issueClientCert(pki, { commonName: 'system:apiserver', organizations: ['system:masters'] })), ca: pki.caCert },
    authenticate: authenticator(saTokens), serviceCIDR, serviceAccountTokens: saTokens,
  });
  const token = flags.token ? String(flags.token) : await loadOrCreateToken(dataDir, pki.caCert);
  if (flags.token) await writeFile(join(dataDir, 'token'), token + '\n', { mode: 0o600 });
  api.routes.set('/cacerts', { public: true, handle: cacertsHandler(pki) });
  api.routes.set('/k8ts/v1/join', {
    public: true,
    handle: joinHandler(pki, token, {
      clusterCIDR: String(flags['cluster-cidr']), serviceCIDR,
      podCIDR: (node) => reservePodCIDR(store, String(flags['cluster-cidr']), node),
    }),
  });
  await api.start();
  const host = String(flags['bind-address']) === '0.0.0.0' ? '127.0.0.1' : String(flags['bind-address']);
  const url = `https://${host}:${api.port}`;
  const kubeconfig = resolve(String(flags['write-kubeconfig'] ?? join(dataDir, 'kubeconfig.yaml')));
  await writeKubeconfig(kubeconfig, { server: url, caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey });

  // The components reach the API server over HTTPS as any client does, with the admin identity.
  const admin = { server: url, caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey };
  const client = new RestClient({ ...admin, userAgent: 'k8ts-server' });
  const components: Array<{ stop(): Promise<void> }> = [];
  let stopping = false;
  const simNodes = !flags['disable-agent'] && driver === 'sim';
  if (!flags['disable-controllers'] || !flags['disable-scheduler'] || simNodes) {
    components.push(startComponentsThread({
      ...admin,
      controllers: flags['disable-controllers'] ? undefined : {
        nodeMonitorGracePeriodMs: parseDuration(String(flags['node-monitor-grace-period'])), localPathRoot: join(dataDir, 'storage'),
      },
      scheduler: !flags['disable-scheduler'],
      simNodes: simNodes ? {
        count: Number(flags['sim-nodes']),
        capacity: parseKeyValues(flags['sim-node-capacity'] as string | undefined),
        labels: parseKeyValues(flags['sim-node-labels'] as string | undefined),
      } : undefined,
    }, (err) => {
      process.stderr.write(`k8ts: ${err.message}\n`);
      void stop('components failed', 1);
    }));
  }
  if (!flags['disable-agent'] && (driver === 'cri' || driver === 'host')) {
    const nodeIP = flags['node-ip'] ? String(flags['node-ip']) : undefined;
    components.push(await startNodeAgent({
      driver, client, nodeName: String(flags['node-name']), dataDir,
      podCIDR: await reservePodCIDR(store, String(flags['cluster-cidr']), String(flags['node-name'])),
      clusterCIDR: String(flags['cluster-cidr']), serviceCIDR,
      privateRegistry: flags['private-registry'] as string | undefined,
      kubeletPort: Number(flags['kubelet-port']), nodeIP,
      tls: { ...(await issueServingCert(pki, { commonName: String(flags['node-name']), sans: [String(flags['node-name']), 'localhost', '127.0.0.1', ...(nodeIP ? [nodeIP] : [])] })), ca: pki.caCert },
    }));
  }

  async function stop(signal: string, code = 0): Promise<void> {
    if (stopping) return;
    stopping = true;
    log('server', 'shutting down', { signal });
    await Promise.allSettled(components.map((c) => c.stop()));
    client.close();
    compactor.stop();
    boundObjects.stop();
    await api.close();
    await store.close();
    process.exit(code);
  }
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  log('server', 'ready', { url, kubeconfig, dataDir, store: store.backend, startupMs: Math.round(performance.now() - t0) });
  process.stdout.write(`k8ts server ready at ${url} in ${Math.round(performance.now() - t0)} ms\n  kubeconfig: ${kubeconfig}\n  try: kubectl --kubeconfig ${kubeconfig} get nodes,namespaces\n  join another node: k8ts agent --server ${url} --token-file ${join(dataDir, 'token')}\n`);
  return -1;
}
