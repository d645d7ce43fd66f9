// Deployment benchmark: a real `k8ts server` with 100 simulated nodes; how long a Deployment of
// 1,000 replicas takes to become fully available, then how long a rolling update of all of them
// takes (to what `kubectl rollout status` calls done), and what the server process (API server,
// controllers, scheduler and the simulated nodes all live in it) spent in CPU and memory meanwhile.
//
//   node --import tsx bench/deployment.ts [--replicas 1000] [--nodes 100] [--start-delay 100ms] [--no-readme] [--cpu-prof DIR]
//   node dist/bench/deployment.js          (after npm run build)
//
// The table goes to stdout and into bench/README.md, section "Controllers".
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { KObject } from '../src/api/resource.js';
import { RestClient, resources } from '../src/client/index.js';
import { startServer, type TestServer } from '../test/helpers/cluster.js';
import { UsageMeter, usageOf } from './lib/resources.js';
import { fmt, markdownTable, writeSection } from './lib/table.js';
import { now, sleep } from './lib/timing.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const REPLICAS = Number(opt('replicas', '1000'));
const NODES = Number(opt('nodes', '100'));
const START_DELAY = opt('start-delay', '100ms');
const WRITE_README = !args.includes('--no-readme');
/** Where the server process writes a V8 CPU profile (--cpu-prof DIR), for finding where the time goes. */
const CPU_PROF = opt('cpu-prof', '');
const REPO = fileURLToPath(new URL(import.meta.url.includes('/dist/bench/') ? '../../' : '../', import.meta.url));
const GOAL_AVAILABLE_S = 10;
const GOAL_ROLLED_S = 30;
const PHASE_TIMEOUT_MS = 300_000;

interface DeploymentLike extends KObject {
  spec: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

/** `kubectl rollout status`'s test for a finished rollout. */
function rolledOut(d: DeploymentLike): boolean {
  const s = d.status ?? {};
  const want = d.spec.replicas ?? 1;
  return (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
    && (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want;
}

/** Resolves with the ms until `test` holds for the deployment, watching it (and polling as a fallback). */
async function waitForDeployment(client: RestClient, name: string, test: (d: DeploymentLike) => boolean, t0: number): Promise<number> {
  const deadline = t0 + PHASE_TIMEOUT_MS;
  return new Promise<number>((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      watch.stop();
      clearInterval(poll);
      if (err) reject(err);
      else resolve(now() - t0);
    };
    const watch = client.watch<DeploymentLike>(
      resources.deployments, 'default', { fieldSelector: `metadata.name=${name}` },
      (e) => { if (e.type !== 'ERROR' && e.type !== 'BOOKMARK' && test(e.object)) finish(); },
    );
    const poll = setInterval(async () => {
      if (now() > deadline) finish(new Error(`deployment ${name} did not get there within ${PHASE_TIMEOUT_MS / 1000} s`));
      try {
        if (test(await client.get<DeploymentLike>(resources.deployments, 'default', name))) finish();
      } catch { /* the next poll tries again */ }
    }, 1000);
  });
}

async function readyNodes(client: RestClient): Promise<number> {
  const nodes = await client.list(resources.nodes);
  return nodes.items.filter((n) => ((n.status as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? [])
    .some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

async function main(): Promise<void> {
  let server: TestServer | undefined;
  try {
    process.stdout.write(`starting k8ts server with ${NODES} simulated nodes...\n`);
    server = await startServer({
      args: ['--disable-agent=false', '--node-driver', 'sim', '--sim-nodes', String(NODES)], timeoutMs: 60_000,
      nodeArgs: CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : undefined,
    });
    const client = RestClient.fromKubeconfig(server.kubeconfig, { userAgent: 'k8ts-bench' });
    const pid = server.proc.pid!;
    for (const until = now() + 60_000; (await readyNodes(client)) < NODES;) {
      if (now() > until) throw new Error(`fewer than ${NODES} nodes became Ready`);
      await sleep(200);
    }
    const name = 'bench';
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: {
        replicas: REPLICAS,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name }, annotations: { 'sim.k8ts.io/start-delay': START_DELAY } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
        },
      },
    };

    process.stdout.write(`creating a deployment of ${REPLICAS} replicas...\n`);
    const loadUp = loadavg()[0];
    const upMeter = new UsageMeter(() => usageOf(pid));
    upMeter.start();
    const t0 = now();
    await client.create(resources.deployments, 'default', deployment);
    const availableMs = await waitForDeployment(client, name, rolledOut, t0);
    const up = upMeter.stop();
    process.stdout.write(`  available after ${fmt(availableMs / 1000)} s\n`);

    process.stdout.write('rolling update to a new image...\n');
    const loadRoll = loadavg()[0];
    const rollMeter = new UsageMeter(() => usageOf(pid));
    rollMeter.start();
    const t1 = now();
    const patched = await client.patch<DeploymentLike>(resources.deployments, 'default', name,
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } }, 'strategic');
    const generation = patched.metadata.generation ?? 0;
    const rolledMs = await waitForDeployment(client, name, (d) => (d.metadata.generation ?? 0) >= generation && rolledOut(d), t1);
    const roll = rollMeter.stop();
    process.stdout.write(`  rolled out after ${fmt(rolledMs / 1000)} s\n`);
    client.close();

    const loadEnd = loadavg()[0];
    const rows = [
      [`${fmt(REPLICAS)} replicas available (s)`, fmt(availableMs / 1000), fmt(up.cpuSeconds), fmt(up.peakRssMiB), fmt(loadUp), `≤ ${GOAL_AVAILABLE_S}`],
      [`rolling update of ${fmt(REPLICAS)} (s)`, fmt(rolledMs / 1000), fmt(roll.cpuSeconds), fmt(roll.peakRssMiB), fmt(loadRoll), `≤ ${GOAL_ROLLED_S}`],
    ];
    const table = markdownTable(['measure', 'time', 'server CPU (s)', 'server peak RSS (MiB)', 'machine load (1 min)', 'goal'], rows);
    process.stdout.write(`\n${table}\n`);
    if (WRITE_README) {
      const date = new Date().toISOString().slice(0, 10);
      const body = [
        `Measured ${date} on this machine (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}). ` +
        `One \`k8ts server\` process (SQLite store, API server, controller manager, scheduler, ${NODES} simulated nodes with a ` +
        `${START_DELAY} start delay); the benchmark creates a Deployment of ${fmt(REPLICAS)} replicas (default RollingUpdate: 25% surge, ` +
        '25% unavailable), waits until it is fully available, then changes its image and waits until `kubectl rollout status` would ' +
        'call it done. CPU and peak RSS are those of the server process during each phase; the machine load is the 1-minute ' +
        `load average when the phase began (other work shares this machine; it was ${fmt(loadEnd)} at the end). ` +
        'Run: `node --import tsx bench/deployment.ts` (or `npm run build && node dist/bench/deployment.js`).',
        '',
        table,
      ].join('\n');
      const readme = `${REPO}bench/README.md`;
      writeSection(readme, 'Controllers', body);
    }
  } finally {
    await server?.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
