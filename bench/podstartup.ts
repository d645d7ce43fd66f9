// Pod start-up benchmark (issue 6): 100 pods created at once on a real node (containerd, runc,
// CNI bridge; the image already present), how long each takes from the create request to Running,
// and what the node spent; against the floor, the same containers started directly on the same
// containerd with `ctr run --cni`.
//
//   node --import tsx bench/podstartup.ts [--pods 100] [--rounds 1] [--floor-concurrency 16] [--no-readme] [--cpu-prof DIR]
//   node dist/bench/podstartup.js          (after npm run build)
//
// Needs root and the Debian packages of scripts/install-deps.sh. Everything runs inside a network
// namespace of its own (only `lo`, no route off the machine) and a private mount namespace: a
// local registry on 127.0.0.1, a `k8ts server --disable-agent=false --node-driver cri` process
// (API server, controllers, scheduler and the kubelet in one process, which supervises its own
// containerd), and the floor's `ctr` runs, which see their CNI config through an overlay that
// exists only in a mount namespace of their own. The table goes to stdout and into
// bench/README.md, section "Pod start-up".
import { enterNetns } from '../test/helpers/netns.js';
await enterNetns();

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { KObject } from '../src/api/resource.js';
import { RestClient, resources } from '../src/client/index.js';
import { CriRuntime, listShims, PAUSE_IMAGE } from '../src/kubelet/cri/index.js';
import { cniConflist } from '../src/kubelet/network/cni-config.js';
import { startServer, type TestServer } from '../test/helpers/cluster.js';
import { buildImage } from '../test/helpers/images.js';
import { registriesYaml, startRegistry, type LocalRegistry } from '../test/helpers/registry.js';
import { UsageMeter, usageOf, type Usage } from './lib/resources.js';
import { percentile } from './lib/stats.js';
import { fmt, markdownTable, writeSection } from './lib/table.js';
import { sleep } from './lib/timing.js';

const run = promisify(execFile);

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const PODS = Number(opt('pods', '100'));
const ROUNDS = Number(opt('rounds', '1'));
/** How many `ctr run` at a time for the floor: as many as the kubelet's pod workers. */
const FLOOR_CONCURRENCY = Number(opt('floor-concurrency', '16'));
const WRITE_README = !args.includes('--no-readme');
/** Where the server process writes V8 CPU profiles (--cpu-prof DIR), for finding where its time goes. */
const CPU_PROF = opt('cpu-prof', '');
const REPO = fileURLToPath(new URL(import.meta.url.includes('/dist/bench/') ? '../../' : '../', import.meta.url));
const NODE = 'bench-node';
const NAMESPACE = 'default';
const LABEL = 'podstartup';
const GOAL_P99_S = 2;
const GOAL_RATIO = 2;
const PHASE_TIMEOUT_MS = 180_000;
/** After the pods run: let the status writes and events settle, then measure the node at rest. */
const SETTLE_MS = 5_000;
const REST_MS = 15_000;
/**
 * The floor's own pod network, beside the node's 10.42.0.0/24 in the same namespace. Wide enough
 * for every round: `ctr task rm` does not hand a container's address back to host-local.
 */
const FLOOR_CIDR = '10.88.0.0/16';
const FLOOR_NETWORK = 'k8ts-bench-floor';
/** The same process in every container: exits at once on SIGTERM, so deletion takes no grace period. */
const COMMAND = ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];

/** Wall-clock ms since the epoch, with sub-millisecond precision (comparable with containerd's timestamps). */
const epochMs = (): number => performance.timeOrigin + performance.now();

const log = (msg: string) => process.stdout.write(`${msg}\n`);

// ---- processes and their usage -----------------------------------------------------------------

function childPids(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const kids = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
      if (kids) out.push(...kids.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return out;
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** CPU and RSS summed over a set of processes (the shims: one per pod sandbox or ctr container). */
function usageOfAll(pids: () => number[]): Usage | null {
  let cpuSeconds = 0;
  let rssMiB = 0;
  for (const pid of pids()) {
    const u = usageOf(pid);
    if (u) {
      cpuSeconds += u.cpuSeconds;
      rssMiB += u.rssMiB;
    }
  }
  return { cpuSeconds, rssMiB };
}

interface Meters {
  socket: string;
  serverPid: number;
  containerdPid: number;
  server: UsageMeter;
  containerd: UsageMeter;
}

function meters(socket: string, serverPid: number, containerdPid: number): Meters {
  return {
    socket, serverPid, containerdPid,
    server: new UsageMeter(() => usageOf(serverPid)), containerd: new UsageMeter(() => usageOf(containerdPid)),
  };
}

/**
 * CPU seconds of a process and of its children that have ended and been waited for: containerd's
 * include the CNI plugins it ran, a shim's the runc calls, this process's the floor's ctr runs
 * (and the CNI plugins they ran).
 */
function cpuWithChildren(pid: number | 'self'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

const shimsCpu = (socket: string) => listShims(socket).reduce((sum, pid) => sum + cpuWithChildren(pid), 0);

// ---- the floor: ctr run on the node's containerd ------------------------------------------------

interface FloorNamespace {
  pid: number;
  /** Runs ctr against the node's containerd from inside the floor's mount namespace. */
  ctr(args: string[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `ctr run --cni` reads its network from /etc/cni/net.d and caches results in /var/lib/cni. A
 * process in a mount namespace of its own sees /etc through an overlay (upper layer on a tmpfs)
 * that holds the floor's conflist, and a tmpfs on /var/lib/cni; each ctr runs in that namespace
 * (nsenter), so nothing is written to the machine's /etc or /var and it all goes when it ends.
 */
async function startFloorNamespace(socket: string): Promise<FloorNamespace> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-floor-'));
  const conf = { ...cniConflist(FLOOR_CIDR, { bridge: 'k8tsfloor0', ipamDataDir: join(dir, 'ipam') }), name: FLOOR_NETWORK };
  const script = [
    'set -e',
    'mount -t tmpfs tmpfs "$D"',
    'mkdir -p "$D/etc-upper" "$D/etc-work" "$D/ipam"',
    'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$D/etc-upper,workdir=$D/etc-work" /etc',
    'mkdir -p /etc/cni/net.d',
    'printf "%s" "$CONF" > /etc/cni/net.d/10-floor.conflist',
    'if [ -d /var/lib/cni ]; then mount -t tmpfs tmpfs /var/lib/cni; else',
    '  mkdir -p "$D/lib-upper" "$D/lib-work"',
    '  mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$D/lib-upper,workdir=$D/lib-work" /var/lib',
    'fi',
    'echo ready',
    'exec sleep 2147483647',
  ].join('\n');
  const proc = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', script], {
    env: { ...process.env, D: dir, CONF: JSON.stringify(conf) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the floor's mount namespace did not come up: ${out}`)), 10_000);
    proc.stdout!.on('data', () => {
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the floor's mount namespace exited with ${code}: ${out}`));
    });
  });
  const pid = proc.pid!;
  return {
    pid,
    async ctr(ctrArgs) {
      try {
        await run('nsenter', ['-t', String(pid), '-m', '--', 'ctr', '-a', socket, '-n', 'k8s.io', ...ctrArgs], { timeout: 60_000 });
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new Error(`ctr ${ctrArgs.join(' ')}: ${(e.stderr || e.message).trim()}`);
      }
    },
    async stop() {
      await stopChild(proc);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Runs op(0..count-1), `workers` at a time; after a failure nothing new starts. */
async function pool(count: number, workers: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(workers, count) }, async () => {
    try {
      while (next < count) await op(next++);
    } catch (err) {
      next = count;
      throw err;
    }
  }));
}

interface StartResult {
  /** ms from the moment all were asked for to each one running. */
  latencies: number[];
  wallMs: number;
  /**
   * CPU seconds while they started: the server process, containerd with the CNI plugins it ran,
   * the shims alive at the end with the runc calls they made, and the client (the ctr processes
   * with their CNI plugins for the floor, this process for k8ts).
   */
  cpu: { server: number; containerd: number; shims: number; client: number };
  peakRss: { server: number; containerd: number };
}

/**
 * The floor: PODS containers of the image, each with its own network namespace on a CNI bridge,
 * started by `ctr run -d --cni` with FLOOR_CONCURRENCY at a time. With `podShaped`, each is a
 * pause container on the network plus the image's container joined to its network namespace, the
 * two containers a pod is made of.
 */
async function floorRound(ns: FloorNamespace, image: string, round: number, podShaped: boolean, m: Meters): Promise<StartResult> {
  const latencies: number[] = [];
  const ids: string[] = [];
  const tag = podShaped ? 'pod' : 'ctr';
  m.server.start();
  m.containerd.start();
  const client0 = cpuWithChildren('self');
  const containerd0 = cpuWithChildren(m.containerdPid);
  const t0 = epochMs();
  await pool(PODS, FLOOR_CONCURRENCY, async (i) => {
    const id = `floor-${tag}-${round}-${i}`;
    if (!podShaped) {
      ids.push(id);
      await ns.ctr(['run', '-d', '--null-io', '--cni', image, id, ...COMMAND]);
    } else {
      const pidFile = join(tmpdir(), `k8ts-bench-${id}.pid`);
      ids.push(`${id}-pause`);
      await ns.ctr(['run', '-d', '--null-io', '--cni', '--pid-file', pidFile, PAUSE_IMAGE, `${id}-pause`]);
      const pid = readFileSync(pidFile, 'utf8').trim();
      await rm(pidFile, { force: true });
      ids.push(id);
      await ns.ctr(['run', '-d', '--null-io', '--with-ns', `network:/proc/${pid}/ns/net`, image, id, ...COMMAND]);
    }
    latencies.push(epochMs() - t0);
  });
  const wallMs = epochMs() - t0;
  m.server.stop();
  const containerd = m.containerd.stop();
  const clientCpu = cpuWithChildren('self') - client0;
  const containerdCpu = cpuWithChildren(m.containerdPid) - containerd0;
  const shims = shimsCpu(m.socket);
  await pool(ids.length, FLOOR_CONCURRENCY, async (i) => {
    await ns.ctr(['task', 'rm', '-f', ids[i]]).catch(() => undefined);
    await ns.ctr(['containers', 'rm', ids[i]]).catch(() => undefined);
  });
  return {
    latencies, wallMs,
    // The k8ts server only idles beside the floor; it is no part of its cost.
    cpu: { server: NaN, containerd: containerdCpu, shims, client: clientCpu },
    peakRss: { server: NaN, containerd: containerd.peakRssMiB },
  };
}

// ---- k8ts: pods through the API server and the kubelet -----------------------------------------

interface Pod extends KObject {
  spec?: { nodeName?: string; [k: string]: unknown };
  status?: {
    phase?: string;
    containerStatuses?: Array<{ state?: { running?: { startedAt?: string } } }>;
  };
}

interface K8tsResult extends StartResult {
  /** The kubelet's own view: the container's startedAt minus the pod's creationTimestamp (1 s resolution). */
  statusLatencies: number[];
  /** Per pod, from containerd's timestamps: where the time went. */
  stages: { toBound: number[]; boundToSandbox: number[]; sandboxToContainer: number[]; createToStart: number[]; startToObserved: number[] };
  rest: { serverCpuPerS: number; containerdCpuPerS: number; serverRss: number; containerdRss: number; shimsRss: number; shims: number };
  deleteMs: number;
}

function podManifest(name: string, image: string): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: NAMESPACE, labels: { app: LABEL } },
    spec: { containers: [{ name: 'main', image, command: COMMAND }] },
  };
}

/** Resolves once every name in `names` has been seen Running by the watch; records when. */
function watchRunning(client: RestClient, resourceVersion: string, names: Set<string>, seen: Map<string, number>, bound: Map<string, number>): { done: Promise<void>; stop(): void } {
  let finish!: (err?: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = (err) => (err ? reject(err) : resolve());
  });
  const check = (p: Pod) => {
    const name = p.metadata.name!;
    if (!names.has(name)) return;
    if (p.spec?.nodeName && !bound.has(name)) bound.set(name, epochMs());
    if (p.status?.phase === 'Running' && !seen.has(name)) seen.set(name, epochMs());
    if (seen.size === names.size) finish();
  };
  const watch = client.watch<Pod>(resources.pods, NAMESPACE, { labelSelector: `app=${LABEL}`, resourceVersion },
    (e) => { if (e.type === 'ADDED' || e.type === 'MODIFIED') check(e.object); });
  // A dropped watch must not hang the bench: a list now and then catches up (its time is later
  // than the truth, so it only ever makes k8ts look slower).
  const poll = setInterval(async () => {
    try {
      for (const p of (await client.list<Pod>(resources.pods, NAMESPACE, { labelSelector: `app=${LABEL}` })).items) check(p);
    } catch { /* next time */ }
  }, 5000);
  const timer = setTimeout(() => finish(new Error(`${names.size - seen.size} of ${names.size} pods not Running after ${PHASE_TIMEOUT_MS / 1000} s`)), PHASE_TIMEOUT_MS);
  return {
    done,
    stop() {
      watch.stop();
      clearInterval(poll);
      clearTimeout(timer);
    },
  };
}

async function k8tsRound(client: RestClient, cri: CriRuntime, image: string, round: number, m: Meters): Promise<K8tsResult> {
  const names = Array.from({ length: PODS }, (_, i) => `bench-${round}-${i}`);
  const before = await client.list(resources.pods, NAMESPACE);
  const requested = new Map<string, number>();
  const seen = new Map<string, number>();
  const bound = new Map<string, number>();
  const watch = watchRunning(client, before.metadata?.resourceVersion ?? '0', new Set(names), seen, bound);
  m.server.start();
  m.containerd.start();
  const client0 = process.cpuUsage();
  const containerd0 = cpuWithChildren(m.containerdPid);
  const t0 = epochMs();
  try {
    await Promise.all(names.map(async (name) => {
      requested.set(name, epochMs());
      await client.create(resources.pods, NAMESPACE, podManifest(name, image));
    }));
    await watch.done;
  } finally {
    watch.stop();
  }
  const wallMs = Math.max(...seen.values()) - t0;
  if (CPU_PROF) {
    // V8 profiles stamp samples with the monotonic clock in µs: the window to look at in them.
    const end = process.hrtime.bigint() / 1000n;
    log(`  start phase in the profile's clock: ${end - BigInt(Math.round((epochMs() - t0) * 1000))}..${end} µs`);
  }
  const server = m.server.stop();
  const containerd = m.containerd.stop();
  const clientUsage = process.cpuUsage(client0);
  const containerdCpu = cpuWithChildren(m.containerdPid) - containerd0;
  const shims = shimsCpu(m.socket);
  const latencies = names.map((n) => seen.get(n)! - requested.get(n)!);

  // Where the time went, by containerd's clock (the same wall clock as ours).
  const pods = (await client.list<Pod>(resources.pods, NAMESPACE, { labelSelector: `app=${LABEL}` })).items;
  const statusLatencies = pods.map((p) => Date.parse(p.status?.containerStatuses?.[0]?.state?.running?.startedAt ?? '') - Date.parse(p.metadata.creationTimestamp ?? ''));
  const sandboxes = new Map((await cri.listPodSandboxes()).map((s) => [s.id, s]));
  const stages: K8tsResult['stages'] = { toBound: [], boundToSandbox: [], sandboxToContainer: [], createToStart: [], startToObserved: [] };
  for (const c of await cri.listContainers()) {
    const name = c.labels['io.kubernetes.pod.name'];
    const sb = [...sandboxes.values()].find((s) => s.labels['io.kubernetes.pod.name'] === name);
    if (!name || !requested.has(name) || !sb || c.startedAt === undefined) continue;
    const boundAt = bound.get(name);
    if (boundAt !== undefined) {
      stages.toBound.push(boundAt - requested.get(name)!);
      stages.boundToSandbox.push(sb.createdAt - boundAt);
    }
    stages.sandboxToContainer.push(c.createdAt - sb.createdAt);
    stages.createToStart.push(c.startedAt - c.createdAt);
    stages.startToObserved.push(seen.get(name)! - c.startedAt);
  }

  // The node at rest with the pods running.
  await sleep(SETTLE_MS);
  const restServer = new UsageMeter(() => usageOf(m.serverPid));
  const restContainerd = new UsageMeter(() => usageOf(m.containerdPid));
  restServer.start();
  restContainerd.start();
  await sleep(REST_MS);
  const rs = restServer.stop();
  const rc = restContainerd.stop();
  const shimPids = listShims(m.socket);
  const shimUsage = usageOfAll(() => shimPids);
  const rest = {
    serverCpuPerS: rs.cpuSeconds / (REST_MS / 1000), containerdCpuPerS: rc.cpuSeconds / (REST_MS / 1000),
    serverRss: usageOf(m.serverPid)?.rssMiB ?? NaN, containerdRss: usageOf(m.containerdPid)?.rssMiB ?? NaN,
    shimsRss: shimUsage?.rssMiB ?? NaN, shims: shimPids.length,
  };

  // Delete them all; the kubelet stops and removes each, then the pods go from the API server.
  const d0 = epochMs();
  await client.deleteCollection(resources.pods, NAMESPACE, { labelSelector: `app=${LABEL}` });
  for (const until = d0 + PHASE_TIMEOUT_MS; ;) {
    const left = (await client.list(resources.pods, NAMESPACE, { labelSelector: `app=${LABEL}` })).items.length;
    const sbs = (await cri.listPodSandboxes()).length;
    if (left === 0 && sbs === 0) break;
    if (epochMs() > until) throw new Error(`after ${PHASE_TIMEOUT_MS / 1000} s, ${left} pods and ${sbs} sandboxes are still there`);
    await sleep(250);
  }
  const deleteMs = epochMs() - d0;
  return {
    latencies, wallMs, statusLatencies, stages, rest, deleteMs,
    cpu: { server: server.cpuSeconds, containerd: containerdCpu, shims, client: (clientUsage.user + clientUsage.system) / 1e6 },
    peakRss: { server: server.peakRssMiB, containerd: containerd.peakRssMiB },
  };
}

/** The floor's containers a failed run left behind. */
async function removeFloorContainers(socket: string): Promise<void> {
  const ctr = (a: string[]) => run('ctr', ['-a', socket, '-n', 'k8s.io', ...a], { timeout: 60_000 });
  let ids: string[] = [];
  try {
    ids = (await ctr(['containers', 'ls', '-q'])).stdout.split('\n').filter((id) => id.startsWith('floor-'));
  } catch {
    return;
  }
  await pool(ids.length, FLOOR_CONCURRENCY, async (i) => {
    await ctr(['task', 'rm', '-f', ids[i]]).catch(() => undefined);
    await ctr(['containers', 'rm', ids[i]]).catch(() => undefined);
  });
}

// ---- the run -------------------------------------------------------------------------------------

async function waitNodeReady(client: RestClient): Promise<void> {
  for (const until = Date.now() + 120_000; ;) {
    try {
      const node = await client.get(resources.nodes, undefined, NODE);
      const conds = (node.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
      if (conds.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    } catch { /* not registered yet */ }
    if (Date.now() > until) throw new Error(`node ${NODE} did not become Ready`);
    await sleep(250);
  }
}

async function findContainerd(serverPid: number): Promise<number> {
  for (const until = Date.now() + 30_000; ;) {
    const pid = childPids(serverPid).find((p) => commOf(p) === 'containerd');
    if (pid) return pid;
    if (Date.now() > until) throw new Error('the server started no containerd');
    await sleep(100);
  }
}

/** One pod through the whole path first: the image is pulled, and every code path has run once. */
async function warmUp(client: RestClient, image: string): Promise<void> {
  const name = 'bench-warmup';
  for (const until = Date.now() + 60_000; ;) {
    try {
      await client.create(resources.pods, NAMESPACE, podManifest(name, image));
      break;
    } catch (err) {
      // The namespace's default ServiceAccount may not exist yet.
      if (Date.now() > until) throw err;
      await sleep(500);
    }
  }
  for (const until = Date.now() + 120_000; ;) {
    const p = await client.get<Pod>(resources.pods, NAMESPACE, name);
    if (p.status?.phase === 'Running') break;
    if (Date.now() > until) throw new Error(`the warm-up pod is not Running: ${JSON.stringify(p.status)}`);
    await sleep(200);
  }
  await client.deleteCollection(resources.pods, NAMESPACE, { labelSelector: `app=${LABEL}` });
  for (const until = Date.now() + 60_000; (await client.list(resources.pods, NAMESPACE)).items.length > 0;) {
    if (Date.now() > until) throw new Error('the warm-up pod was not deleted');
    await sleep(200);
  }
}

const s = (ms: number) => fmt(ms / 1000);
const totalCpu = (r: StartResult) => (Number.isNaN(r.cpu.server) ? 0 : r.cpu.server) + r.cpu.containerd + r.cpu.shims + r.cpu.client;
const med = (xs: number[]) => percentile(xs, 50);

interface Round {
  k8ts: K8tsResult;
  floor: StartResult;
  pod: StartResult;
}

/** One cell: the median over rounds, and with several rounds every round's value. */
function cell(rounds: Round[], f: (r: Round) => number, show: (n: number) => string = fmt): string {
  const values = rounds.map(f);
  return show(med(values));
}

/** CPU per pod of one round, in ms: server / containerd / shims and runc / client. */
function cpuLine(r: StartResult): string {
  const { server, containerd, shims, client } = r.cpu;
  return `CPU ms a pod: ${[server, containerd, shims, client].map((x) => (Number.isNaN(x) ? '-' : fmt((x * 1000) / PODS))).join(' / ')} (server / containerd / shims and runc / client)`;
}

function report(rounds: Round[], env: { load: number[]; containerdVersion: string; kernel: string; tookS: number }): string {
  const r1 = (f: (r: Round) => number, show?: (n: number) => string) => cell(rounds, f, show);
  // Each round's own ratio, then their median: the machine's pace drifts between rounds, and k8ts
  // and its floors run back to back within one.
  const ratio = (a: (r: Round) => number, b: (r: Round) => number) => {
    const q = med(rounds.map((r) => a(r) / b(r)));
    return Number.isFinite(q) ? `${fmt(q)}×` : '';
  };
  const p = (sel: (r: Round) => StartResult, q: number) => (r: Round) => percentile(sel(r).latencies, q);
  const k = (r: Round) => r.k8ts;
  const f = (r: Round) => r.floor;
  const pd = (r: Round) => r.pod;
  const row = (measure: string, get: (sel: (r: Round) => StartResult) => (r: Round) => number, goal: string, show: (n: number) => string = s) => [
    measure, r1(get(k), show), r1(get(f), show), ratio(get(k), get(f)), r1(get(pd), show), ratio(get(k), get(pd)), goal,
  ];
  const main = markdownTable(
    ['measure', 'k8ts', 'floor: ctr run --cni', 'k8ts / floor', 'floor, pod-shaped', 'k8ts / pod-shaped', 'goal'],
    [
      row('create → Running p50 (s)', (sel) => p(sel, 50), ''),
      row('create → Running p99 (s)', (sel) => p(sel, 99), `≤ ${GOAL_P99_S}, ≤ ${GOAL_RATIO}× floor`),
      row('create → Running max (s)', (sel) => p(sel, 100), ''),
      row(`all ${PODS} Running (s)`, (sel) => (r) => sel(r).wallMs, ''),
      row('CPU per pod: k8ts server process (ms)', (sel) => (r) => (sel(r).cpu.server * 1000) / PODS, '', fmt),
      row('CPU per pod: containerd, with the CNI plugins it runs (ms)', (sel) => (r) => (sel(r).cpu.containerd * 1000) / PODS, '', fmt),
      row('CPU per pod: shims and runc (ms)', (sel) => (r) => (sel(r).cpu.shims * 1000) / PODS, '', fmt),
      row('CPU per pod: client; for the floor ctr, with the CNI plugins it runs (ms)', (sel) => (r) => (sel(r).cpu.client * 1000) / PODS, '', fmt),
      row('CPU per pod, all of the above (ms)', (sel) => (r) => (totalCpu(sel(r)) * 1000) / PODS, '', fmt),
      row('containerd peak RSS (MiB)', (sel) => (r) => sel(r).peakRss.containerd, '', fmt),
    ],
  );
  const st = (get: (r: Round) => number[]) => [r1((r) => percentile(get(r), 50), s), r1((r) => percentile(get(r), 99), s)];
  const stages = markdownTable(['stage (k8ts, per pod)', 'p50 (s)', 'p99 (s)'], [
    ['create request → client sees it bound (API server, scheduler)', ...st((r) => r.k8ts.stages.toBound)],
    ['bound → RunPodSandbox begins (kubelet: informer, queue, admission, volumes, pod cgroup)', ...st((r) => r.k8ts.stages.boundToSandbox)],
    ['RunPodSandbox begins → CreateContainer (sandbox, CNI, image check, container config)', ...st((r) => r.k8ts.stages.sandboxToContainer)],
    ['CreateContainer → container started', ...st((r) => r.k8ts.stages.createToStart)],
    ['container started → client sees Running (status write, watch)', ...st((r) => r.k8ts.stages.startToObserved)],
    ['kubelet\'s view: status startedAt − creationTimestamp (1 s resolution)', ...st((r) => r.k8ts.statusLatencies)],
  ]);
  const node = markdownTable(['k8ts node', 'value'], [
    [`server process peak RSS while ${PODS} pods start (MiB)`, r1((r) => r.k8ts.peakRss.server)],
    [`server process CPU at rest, ${PODS} pods running (CPU s per s)`, r1((r) => r.k8ts.rest.serverCpuPerS)],
    [`server process RSS at rest, ${PODS} pods running (MiB)`, r1((r) => r.k8ts.rest.serverRss)],
    [`containerd CPU at rest, ${PODS} pods running (CPU s per s)`, r1((r) => r.k8ts.rest.containerdCpuPerS)],
    [`containerd RSS at rest, ${PODS} pods running (MiB)`, r1((r) => r.k8ts.rest.containerdRss)],
    [`shims at rest: count, total RSS (MiB)`, `${r1((r) => r.k8ts.rest.shims)}, ${r1((r) => r.k8ts.rest.shimsRss)}`],
    [`delete all ${PODS} pods until their sandboxes are gone (s)`, r1((r) => r.k8ts.deleteMs, s)],
  ]);
  const date = new Date().toISOString().slice(0, 10);
  const lines = [
    `Measured ${date} on this machine (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
    `containerd ${env.containerdVersion}, kernel ${env.kernel}; load average ${fmt(env.load[0])} before the run and ${fmt(env.load[1])} after, ` +
    `other work sharing the cores); ${rounds.length === 1 ? 'one round' : `${rounds.length} rounds, each cell the median over rounds, each ratio the median of the rounds' ratios`}; the run took ${fmt(env.tookS)} s. ` +
    `Run: \`node --import tsx bench/podstartup.ts\` (options \`--pods N\`, \`--rounds N\`, \`--floor-concurrency N\`, \`--no-readme\`, \`--cpu-prof DIR\` for V8 profiles of the server), or \`npm run build && node dist/bench/podstartup.js\`; needs root.`,
    '',
    `- k8ts: one \`k8ts server --disable-agent=false --node-driver cri\` process (API server, SQLite, controllers, scheduler and the kubelet, which ` +
    `supervises its own containerd 1.6 with runc and the CNI bridge plugin), in a network namespace of its own. ${PODS} pods (one busybox container each, ` +
    'image already present, default ServiceAccount token volume) are created at once through the API; each latency is from its create request to ' +
    'the client\'s watch seeing it Running.',
    `- floor: the same ${PODS} containers (same image and command) on the same containerd with \`ctr run -d --null-io --cni\`, ${FLOOR_CONCURRENCY} at a time ` +
    `(the kubelet's pod workers), each with its own network namespace on a CNI bridge (bridge, host-local, portmap); latency from the moment all ` +
    'were asked for to its `ctr run` returning, which is after the task started. `ctr run` is one container per pod; the pod-shaped floor runs ' +
    'what a pod is made of: a pause container on the network and the image\'s container joined to its network namespace (two `ctr run`s).',
    '- CPU while the containers start, per pod: the k8ts server process (API server, controllers, scheduler and kubelet together); containerd ' +
    'with the children it waited for (the CNI plugins CRI runs, shim start commands); the shims alive at the end with the runc calls they ' +
    'made; the client (this bench for k8ts; for the floor the ctr processes and the CNI plugins they ran). Nothing else on the machine is counted.',
    '',
    main,
    '',
    stages,
    '',
    node,
  ];
  const p99 = med(rounds.map((r) => percentile(r.k8ts.latencies, 99)));
  const floorP99 = med(rounds.map((r) => percentile(r.floor.latencies, 99)));
  const toFloor = med(rounds.map((r) => percentile(r.k8ts.latencies, 99) / percentile(r.floor.latencies, 99)));
  const toPod = med(rounds.map((r) => percentile(r.k8ts.latencies, 99) / percentile(r.pod.latencies, 99)));
  lines.push('',
    `- Goal p99 ≤ ${GOAL_P99_S} s for ${PODS} pods: ${p99 <= GOAL_P99_S * 1000 ? 'met' : 'not met'} (${s(p99)} s; the floor itself took ${s(floorP99)} s).`,
    `- Goal within ${GOAL_RATIO}× of the floor: ${toFloor <= GOAL_RATIO ? 'met' : 'not met'} (${fmt(toFloor)}× \`ctr run\`; ${fmt(toPod)}× the pod-shaped floor).`);
  if (rounds.length > 1) {
    lines.push('', 'Every round (p99 of create → Running in s, k8ts / `ctr run` floor / pod-shaped floor, and k8ts / `ctr run`): ' +
      rounds.map((r) => {
        const [k, f, pd] = [r.k8ts, r.floor, r.pod].map((x) => percentile(x.latencies, 99));
        return `${s(k)} / ${s(f)} / ${s(pd)} (${fmt(k / f)}×)`;
      }).join(' · '));
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadavg()[0];
  let registry: LocalRegistry | undefined;
  let server: TestServer | undefined;
  let floorNs: FloorNamespace | undefined;
  let cri: CriRuntime | undefined;
  let client: RestClient | undefined;
  let socket = '';
  let workDir = '';
  try {
    workDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-podstartup-'));
    log('starting a local registry and pushing the busybox image...');
    registry = await startRegistry();
    const image = await buildImage(registry, 'busybox', 'bench', {});
    const registries = join(workDir, 'registries.yaml');
    await writeFile(registries, registriesYaml(registry));

    log('starting k8ts server with the cri node driver...');
    server = await startServer({
      args: ['--disable-agent=false', '--node-driver', 'cri', '--node-name', NODE, '--private-registry', registries, '--kubelet-port', '0'],
      timeoutMs: 120_000,
      nodeArgs: CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : undefined,
    });
    socket = join(server.dataDir, 'agent', 'containerd', 'containerd.sock');
    client = RestClient.fromKubeconfig(server.kubeconfig, { userAgent: 'k8ts-bench' });
    await waitNodeReady(client);
    const serverPid = server.proc.pid!;
    const containerdPid = await findContainerd(serverPid);
    cri = new CriRuntime({ socket });
    const m = meters(socket, serverPid, containerdPid);
    const containerdVersion = (await cri.version()).runtimeVersion;
    const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();

    log('warming up: one pod (pulls the image)...');
    await warmUp(client, image);
    floorNs = await startFloorNamespace(socket);

    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      log(`round ${round + 1}/${ROUNDS}: floor, ${PODS} × ctr run --cni...`);
      const floor = await floorRound(floorNs, image, round, false, m);
      log(`  p50 ${s(percentile(floor.latencies, 50))} s, p99 ${s(percentile(floor.latencies, 99))} s, all in ${s(floor.wallMs)} s; ${cpuLine(floor)}`);
      log(`round ${round + 1}/${ROUNDS}: floor, ${PODS} pod-shaped (pause --cni + container)...`);
      const pod = await floorRound(floorNs, image, round, true, m);
      log(`  p50 ${s(percentile(pod.latencies, 50))} s, p99 ${s(percentile(pod.latencies, 99))} s, all in ${s(pod.wallMs)} s; ${cpuLine(pod)}`);
      log(`round ${round + 1}/${ROUNDS}: k8ts, ${PODS} pods created at once...`);
      const k8ts = await k8tsRound(client, cri, image, round, m);
      log(`  p50 ${s(percentile(k8ts.latencies, 50))} s, p99 ${s(percentile(k8ts.latencies, 99))} s, all in ${s(k8ts.wallMs)} s; deleted in ${s(k8ts.deleteMs)} s; ${cpuLine(k8ts)}`);
      rounds.push({ k8ts, floor, pod });
    }
    const body = report(rounds, { load: [loadBefore, loadavg()[0]], containerdVersion, kernel, tookS: (Date.now() - started) / 1000 });
    log(`\n${body}`);
    if (WRITE_README) {
      const readme = `${REPO}bench/README.md`;
      writeSection(readme, 'Pod start-up', body);
    }
  } finally {
    // Pods and containers go through containerd before it stops: its shims outlive it.
    if (cri) {
      for (const sb of await cri.listPodSandboxes().catch(() => [])) {
        await cri.stopPodSandbox(sb.id).catch(() => undefined);
        await cri.removePodSandbox(sb.id).catch(() => undefined);
      }
      await cri.close();
    }
    if (socket) await removeFloorContainers(socket);
    await floorNs?.stop();
    client?.close();
    await server?.stop();
    // Anything still serving that containerd was started by this run.
    for (const pid of socket ? listShims(socket) : []) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch { /* gone */ }
    }
    await registry?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
