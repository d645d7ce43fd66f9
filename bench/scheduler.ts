// Scheduler benchmark, modelled on Kubernetes' scheduler_perf: 1,000 nodes and 5,000 pods per
// workload (plain pods, pods with required pod anti-affinity, pods with a zone topology spread
// constraint). A real `k8ts server` (SQLite, no controllers, no scheduler of its own) runs as its
// own process; the scheduler runs in this process against it through the client library, as it
// runs inside `k8ts server`; the pods are created by a third process so that the scheduler's CPU
// figure is its own. Nodes are created directly as Node objects (no kubelets).
//
//   node --import tsx bench/scheduler.ts [--pods 5000] [--nodes 1000] [--creators 16] [--only plain] [--no-readme] [--cpu-prof DIR]
//   node dist/bench/scheduler.js          (after npm run build)
//
// Per workload it reports throughput (pods bound per second, from the first create request to
// the last binding), latency from a pod's create request to its binding (p50, p99), the
// scheduling cycle alone (p50, p99, and how many decisions a second the cycles' time allows),
// CPU seconds and peak RSS of the scheduler process and CPU of the API server process. The
// table goes to stdout and into bench/README.md, section "Scheduler".
import { fork } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { KObject } from '../src/api/resource.js';
import { RestClient, resources } from '../src/client/index.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import type { Node, Pod } from '../src/scheduler/types.js';
import { startServer } from '../test/helpers/cluster.js';
import { UsageMeter, usageOf, usageOfSelf } from './lib/resources.js';
import { percentile } from './lib/stats.js';
import { fmt, markdownTable, writeSection } from './lib/table.js';
import { runCount, sleep } from './lib/timing.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const PODS = Number(opt('pods', '5000'));
const NODES = Number(opt('nodes', '1000'));
const CREATORS = Number(opt('creators', '16'));
/** Where the API server process writes a V8 CPU profile (run the bench itself under --cpu-prof for the scheduler's). */
const CPU_PROF = opt('cpu-prof', '');
const ONLY = opt('only', '');
const WRITE_README = !args.includes('--no-readme');
const REPO = fileURLToPath(new URL(import.meta.url.includes('/dist/bench/') ? '../../' : '../', import.meta.url));
const ZONES = 10;
const TIMEOUT_MS = 600_000;

type Workload = 'plain' | 'anti-affinity' | 'topology-spread';
/** backlog: pods created before the scheduler starts; steady: created while it runs, onto a cluster already holding the backlog. */
type Phase = 'backlog' | 'steady';
const WORKLOADS: Workload[] = ['plain', 'anti-affinity', 'topology-spread'];

function node(i: number): Node {
  const name = `node-${i}`;
  const alloc = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '1Ti' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `zone-${i % ZONES}` } },
    status: { capacity: alloc, allocatable: alloc, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** The pods of each workload, as scheduler_perf's templates: small requests, and the rule under test. */
function pod(w: Workload, phase: Phase, i: number, ns: string): Pod {
  const p: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `${w}-${phase}-${i}`, namespace: ns, labels: { app: w } },
    spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
  };
  if (w === 'anti-affinity') {
    // Groups of ten that must not share a node.
    const group = `${phase}-g${i % Math.ceil(PODS / 10)}`;
    p.metadata.labels!.group = group;
    p.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { group } }, topologyKey: 'kubernetes.io/hostname' }] } };
  }
  if (w === 'topology-spread') {
    p.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: w } } }];
  }
  return p;
}

// ---- the pod creator (a child process) ----------------------------------------------------------

interface CreatorJob { kubeconfig: string; workload: Workload; phase: Phase; ns: string; count: number; concurrency: number }

async function creator(): Promise<void> {
  const job = await new Promise<CreatorJob>((r) => process.once('message', (m) => r(m as CreatorJob)));
  const client = RestClient.fromKubeconfig(job.kubeconfig);
  const sentAt = new Array<number>(job.count);
  let failures = 0;
  await runCount(job.count, job.concurrency, async (i) => {
    sentAt[i] = Date.now();
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await client.create(resources.pods, job.ns, pod(job.workload, job.phase, i, job.ns));
        return;
      } catch {
        failures++;
        await sleep(100);
      }
    }
  });
  client.close();
  process.send!({ sentAt, failures }, () => process.exit(0));
}

// ---- one workload -------------------------------------------------------------------------------

interface Result {
  workload: Workload;
  phase: Phase;
  bound: number;
  podsPerSecond: number;
  createPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  cycleP50: number;
  cycleP99: number;
  decisionsPerSecond: number;
  /** Scheduler process CPU per bound pod: the cycle plus watching, binding and events. */
  cpuPerPod: number;
  schedCpu: number;
  schedRss: number;
  serverCpu: number;
}

/** Creates `PODS` pods from a child process; resolves with when each create request was sent. */
async function createPods(kubeconfig: string, w: Workload, phase: Phase, ns: string): Promise<number[]> {
  const child = fork(fileURLToPath(import.meta.url), ['--creator'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const created = new Promise<{ sentAt: number[]; failures: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { sentAt: number[]; failures: number }));
    child.once('exit', (code) => code && reject(new Error(`pod creator exited with ${code}`)));
  });
  child.send({ kubeconfig, workload: w, phase, ns, count: PODS, concurrency: CREATORS } satisfies CreatorJob);
  const { sentAt, failures } = await created;
  if (failures) process.stderr.write(`[${w}/${phase}] ${failures} create requests failed and were retried\n`);
  return sentAt;
}

async function waitBound(w: Workload, phase: Phase, boundAt: Map<string, number>): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  const prefix = `${w}-${phase}-`;
  const count = () => [...boundAt.keys()].filter((k) => k.startsWith(prefix)).length;
  let last = -1;
  for (let n = count(); n < PODS && Date.now() < deadline; n = count()) {
    if (n !== last) process.stderr.write(`[${w}/${phase}] ${(last = n)}/${PODS} bound\n`);
    await sleep(500);
  }
}

async function runWorkload(w: Workload): Promise<Result[]> {
  const server = await startServer({
    args: ['--disable-scheduler', '--disable-controllers'], timeoutMs: 60_000,
    nodeArgs: CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : undefined,
  });
  const client = RestClient.fromKubeconfig(server.kubeconfig);
  const results: Result[] = [];
  let scheduler: Scheduler | undefined;
  try {
    process.stderr.write(`[${w}] creating ${NODES} nodes\n`);
    await runCount(NODES, 32, async (i) => {
      const n = node(i);
      const created = await client.create<Node>(resources.nodes, undefined, n);
      if (!created.status?.allocatable) await client.updateStatus(resources.nodes, undefined, { ...created, status: n.status });
    });
    const ns = `bench-${w}`;
    await client.create(resources.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KObject);
    // No controllers run here, so the account every pod runs as is made by hand (ServiceAccount admission).
    await client.create(resources.serviceaccounts, ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } } as KObject);

    const boundAt = new Map<string, number>();
    let cycles: number[] = [];
    const sched = new Scheduler({
      client,
      onBound: (p) => boundAt.set(p.metadata.name!, Date.now()),
      onAttempt: (_p, _r, ms) => cycles.push(ms),
    });
    scheduler = sched;
    const self = new UsageMeter(usageOfSelf);
    const srv = new UsageMeter(() => usageOf(server.proc.pid!));
    const finish = (phase: Phase, sentAt: number[], start: number, createdBy: number): Result => {
      const schedUsage = self.stop();
      const srvUsage = srv.stop();
      const latencies: number[] = [];
      let lastBound = start;
      for (let i = 0; i < PODS; i++) {
        const b = boundAt.get(`${w}-${phase}-${i}`);
        if (b === undefined) continue;
        latencies.push(b - sentAt[i]);
        if (b > lastBound) lastBound = b;
      }
      const cycleSum = cycles.reduce((a, b) => a + b, 0);
      const r: Result = {
        workload: w, phase, bound: latencies.length,
        podsPerSecond: latencies.length / ((lastBound - start) / 1000),
        createPerSecond: PODS / ((createdBy - Math.min(...sentAt)) / 1000),
        latencyP50: phase === 'steady' ? percentile(latencies, 50) : NaN,
        latencyP99: phase === 'steady' ? percentile(latencies, 99) : NaN,
        cycleP50: percentile(cycles, 50), cycleP99: percentile(cycles, 99),
        decisionsPerSecond: cycles.length / (cycleSum / 1000),
        cpuPerPod: (schedUsage.cpuSeconds * 1000) / Math.max(1, latencies.length),
        schedCpu: schedUsage.cpuSeconds, schedRss: schedUsage.peakRssMiB, serverCpu: srvUsage.cpuSeconds,
      };
      process.stderr.write(`[${w}/${phase}] ${JSON.stringify(r)}\n`);
      return r;
    };

    // Backlog: every pod is pending when the scheduler starts; measured from its start.
    process.stderr.write(`[${w}/backlog] creating ${PODS} pods before the scheduler starts\n`);
    const t = Date.now();
    const backlogSent = await createPods(server.kubeconfig, w, 'backlog', ns);
    const backlogCreated = Date.now();
    const backlogCreateRate = PODS / ((backlogCreated - t) / 1000);
    self.start();
    srv.start();
    await sched.start();
    const start = Date.now();
    await waitBound(w, 'backlog', boundAt);
    const backlog = finish('backlog', backlogSent, start, backlogCreated);
    backlog.createPerSecond = backlogCreateRate;
    results.push(backlog);

    // Steady: pods created while the scheduler runs; throughput from the first create to the last binding.
    cycles = [];
    self.start();
    srv.start();
    process.stderr.write(`[${w}/steady] creating ${PODS} more pods with ${CREATORS} concurrent requests\n`);
    const steadySent = await createPods(server.kubeconfig, w, 'steady', ns);
    const steadyCreated = Date.now();
    await waitBound(w, 'steady', boundAt);
    results.push(finish('steady', steadySent, Math.min(...steadySent), steadyCreated));
    return results;
  } finally {
    await scheduler?.stop();
    client.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const results: Result[] = [];
  for (const w of WORKLOADS) {
    if (ONLY && w !== ONLY) continue;
    results.push(...(await runWorkload(w)));
  }
  const table = markdownTable(
    ['workload', 'phase', 'pods bound', 'pods/s bound', 'pods/s created', 'latency p50 (ms)', 'latency p99 (ms)', 'cycle p50 (ms)', 'cycle p99 (ms)', 'decisions/s (1 / mean cycle)', 'scheduler CPU per pod (ms)', 'scheduler CPU (s)', 'scheduler RSS (MiB)', 'API server CPU (s)'],
    results.map((r) => [
      r.workload, r.phase, `${r.bound}/${PODS}`, fmt(r.podsPerSecond), fmt(r.createPerSecond), r.phase === 'steady' ? fmt(r.latencyP50) : '', r.phase === 'steady' ? fmt(r.latencyP99) : '',
      fmt(r.cycleP50), fmt(r.cycleP99), fmt(r.decisionsPerSecond), fmt(r.cpuPerPod), fmt(r.schedCpu), fmt(r.schedRss), fmt(r.serverCpu),
    ]),
  );
  process.stdout.write(`${table}\n`);
  if (!WRITE_README) return;
  const date = new Date().toISOString().slice(0, 10);
  const load = (l: number[]) => l[0].toFixed(1);
  const body = [
    `Measured ${date} on this machine (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
    `load average ${load(loadBefore)} before the run and ${load(loadavg())} after, other work sharing the cores). ` +
    `${NODES} nodes (Node objects, no kubelets; 32 cpu, 256Gi, 110 pods each, ${ZONES} zones) and ${PODS} pods per phase ` +
    '(requests 100m cpu, 500Mi memory). The API server is its own process (`k8ts server`, SQLite, no controllers, no scheduler); the ' +
    'scheduler runs in the bench process against it through the client library, as it runs inside `k8ts server`; a third process ' +
    `creates the pods (${CREATORS} requests in flight). Each workload gets a fresh server.`,
    '',
    '- backlog: the pods are all created first, then the scheduler starts; pods/s bound is counted from its start (after its caches synced) to the last binding.',
    '- steady: then as many more pods are created while it runs, onto the cluster that already holds the backlog; pods/s bound is from the first create request to the last binding, and latency from each pod\'s create request to its binding.',
    '- cycle: one scheduling cycle (PreFilter to Permit) in wall time; decisions/s is one over the mean cycle, i.e. what the scheduling logic alone allows when the API server does not hold it back (on a busy machine the wall time includes time the process waited for a core). Scheduler CPU per pod is everything the scheduler process spent (cycles, watch decoding, binding and event requests, TLS) divided by the pods bound.',
    '- Workloads: plain pods; pods in groups of ten with required anti-affinity on kubernetes.io/hostname; pods with a DoNotSchedule zone spread constraint (maxSkew 1) over all pods of the workload.',
    '',
    table,
    '',
    'Goals: ≥ 500 pods/s for plain pods, never below 100 pods/s with affinity rules.',
    '',
    'Run: `node --import tsx bench/scheduler.ts` (options `--pods N`, `--nodes N`, `--creators N`, `--only plain|anti-affinity|topology-spread`, `--no-readme`, `--cpu-prof DIR`), or `npm run build && node dist/bench/scheduler.js`.',
  ].join('\n');
  writeSection(`${REPO}bench/README.md`, 'Scheduler', body, '# Benchmarks\n');
}

if (args.includes('--creator')) {
  creator().catch((err) => {
    process.stderr.write(`pod creator: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
} else {
  main().then(() => process.exit(0), (err) => {
    process.stderr.write(`bench/scheduler: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
