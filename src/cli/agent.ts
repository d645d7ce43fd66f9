// `k8ts agent`: joins this machine to a cluster as a node, like `k3s agent`. It fetches the
// cluster CA, checks it against the hash in the join token, trades the token for node
// credentials, and runs a node agent with them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { RestClient } from '../client/index.js';
import { startSimNodes } from '../kubelet/sim/index.js';
import { sourceAddressFor } from '../kubelet/network/index.js';
import { startNodeAgent } from './node-agent.js';
import { log } from '../machinery/log.js';
import { parseFlags, usage, type FlagSpec } from './flags.js';
import { fetchCA, requestJoin, tokenTrustsCA } from './join-client.js';

const defaultDataDir = () => (process.getuid?.() === 0 ? '/var/lib/k8ts-agent' : join(homedir(), '.k8ts-agent'));

export const AGENT_FLAGS: FlagSpec[] = [
  { name: 'server', help: 'URL of the API server to join, e.g. https://10.0.0.1:6443' },
  { name: 'token', help: 'The cluster join token (the server keeps it in <data-dir>/token)' },
  { name: 'token-file', help: 'Read the join token from this file' },
  { name: 'node-name', help: 'Name of this node', default: hostname().toLowerCase() },
  { name: 'data-dir', help: 'Folder for this agent\'s state', default: defaultDataDir() },
  { name: 'node-driver', help: 'Runtime: cri (containerd, needs root), host (plain processes, no isolation) or sim (simulated nodes)', default: 'cri' },
  { name: 'private-registry', help: 'k3s-style registries.yaml with mirrors and plain-HTTP registries (cri driver)' },
  { name: 'cluster-cidr', help: 'The cluster\'s pod range, for routes to other nodes\' pods (cri driver; default: the server\'s)' },
  { name: 'service-cidr', help: 'The cluster\'s Service range, for the unreachable route (cri driver; default: the server\'s)' },
  { name: 'kubelet-port', help: 'Port of this node\'s kubelet endpoint (0: any free port)', default: 10250, type: 'number' },
  { name: 'node-ip', help: 'This node\'s address as the cluster sees it (default: the address this machine reaches --server from)' },
  { name: 'sim-nodes', help: 'With --node-driver sim: how many simulated nodes this agent runs', default: 1, type: 'number' },
  { name: 'sim-node-capacity', help: 'With --node-driver sim: capacity of each node, e.g. cpu=8,memory=32Gi' },
  { name: 'sim-node-labels', help: 'With --node-driver sim: labels for every node, e.g. zone=b' },
  { name: 'sim-start-index', help: 'With --node-driver sim: index of the first node (picks addresses and pod ranges)', default: 100, type: 'number' },
];

function keyValues(s: unknown): Record<string, string> | undefined {
  if (!s) return undefined;
  return Object.fromEntries(String(s).split(',').filter(Boolean).map((kv) => {
    const i = kv.indexOf('=');
    if (i < 0) throw new Error(`expected key=value, got "${kv}"`);
    return [kv.slice(0, i), kv.slice(i + 1)];
  }));
}

export async function agentCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage('agent', 'Join this machine to a k8ts cluster as a node.', AGENT_FLAGS));
    return 0;
  }
  const { flags } = parseFlags(args, AGENT_FLAGS);
  const server = flags.server ? String(flags.server) : '';
  if (!server) throw new Error('--server is required (the URL `k8ts server` printed)');
  const token = flags.token ? String(flags.token) : flags['token-file'] ? (await readFile(String(flags['token-file']), 'utf8')).trim() : '';
  if (!token) throw new Error('--token or --token-file is required (the server keeps its token in <data-dir>/token)');
  const nodeName = String(flags['node-name']);
  const dataDir = resolve(String(flags['data-dir']));
  await mkdir(dataDir, { recursive: true });

  const nodeIP = flags['node-ip'] ? String(flags['node-ip']) : await sourceAddressFor(server);
  const ca = await fetchCA(server);
  if (!tokenTrustsCA(token, ca)) throw new Error(`the server at ${server} presents a CA that does not match the join token: refusing to join`);
  const creds = await requestJoin(server, ca, token, nodeName, [nodeIP]);
  await writeFile(join(dataDir, 'node.json'), JSON.stringify({ server, nodeName, ...creds }), { mode: 0o600 });
  const client = new RestClient({ server, caCert: creds.caCert, clientCert: creds.clientCert, clientKey: creds.clientKey, userAgent: `k8ts-agent/${nodeName}` });

  const driver = String(flags['node-driver']);
  let nodes: { stop(): Promise<void> };
  if (driver === 'sim') {
    // Simulated nodes are named <node-name>-<index>; the index also picks their pod range.
    nodes = startSimNodes({
      client, count: Number(flags['sim-nodes']), namePrefix: `${nodeName}-`, startIndex: Number(flags['sim-start-index']),
      capacity: keyValues(flags['sim-node-capacity']), labels: keyValues(flags['sim-node-labels']),
    });
  } else if (driver === 'cri' || driver === 'host') {
    nodes = await startNodeAgent({
      driver, client, nodeName, dataDir, podCIDR: creds.podCIDR,
      clusterCIDR: String(flags['cluster-cidr'] ?? creds.clusterCIDR), serviceCIDR: String(flags['service-cidr'] ?? creds.serviceCIDR),
      privateRegistry: flags['private-registry'] as string | undefined, nodeIP,
      kubeletPort: Number(flags['kubelet-port']), tls: { cert: creds.servingCert, key: creds.servingKey, ca: creds.caCert },
    });
  } else {
    throw new Error(`unknown --node-driver ${driver}: use cri, host or sim`);
  }
  log('agent', 'joined', { server, nodeName, driver });
  process.stdout.write(`k8ts agent joined ${server} as node ${nodeName}\n`);
  const stop = async () => {
    await nodes.stop();
    client.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return -1;
}
