// Scale check for simulated nodes (not part of `npm test`): a real `k8ts server` with N simulated
// nodes, P pods created through the API, timed until all are Running, with the server's CPU and
// memory. Run: node --import tsx test/kubelet/sim/scale-bench.ts [nodes=1000] [pods=10000] [bind=scheduler|direct]
import { readFileSync } from 'node:fs';
import { RestClient, resources } from '../../../src/client/index.js';
import { startServer } from '../../helpers/cluster.js';

const nodes = Number(process.argv[2] ?? 1000);
const pods = Number(process.argv[3] ?? 10_000);
const bind = process.argv[4] ?? 'direct';

function procStat(pid: number): { cpuSec: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rssPages = Number(stat[21]);
  return { cpuSec: ticks / 100, rssMiB: Math.round((rssPages * 4096) / 1048576) };
}

// SIM_KUBECONFIG and SIM_PID point it at a server started by hand (e.g. under --cpu-prof) instead.
const own = process.env.SIM_KUBECONFIG ? undefined : await startServer({ args: ['--disable-agent=false', '--sim-nodes', String(nodes)], timeoutMs: 60_000 });
const client = RestClient.fromKubeconfig(process.env.SIM_KUBECONFIG ?? own!.kubeconfig);
const pid = Number(process.env.SIM_PID ?? own!.proc.pid);
try {
  const t0 = performance.now();
  for (;;) {
    const list = await client.list(resources.nodes);
    const ready = list.items.filter((n) => (n.status as { conditions?: Array<{ type: string; status: string }> })?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (ready === nodes) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const tNodes = performance.now() - t0;
  const afterNodes = procStat(pid);
  console.log(`${nodes} nodes Ready in ${Math.round(tNodes)} ms; server cpu ${afterNodes.cpuSec.toFixed(1)} s, rss ${afterNodes.rssMiB} MiB`);

  const t1 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < pods) {
      const i = next++;
      await client.create(resources.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}` },
        spec: { ...(bind === 'direct' ? { nodeName: `sim-${i % nodes}` } : {}), containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const tCreate = performance.now() - t1;
  console.log(`${pods} pods created in ${Math.round(tCreate)} ms`);
  for (;;) {
    const list = await client.listAll(resources.pods, 'default', { fieldSelector: 'status.phase=Running' }, 5000);
    if (list.items.length >= pods) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const tRun = performance.now() - t1;
  const afterPods = procStat(pid);
  console.log(`${pods} pods Running ${Math.round(tRun)} ms after the first create; server cpu ${afterPods.cpuSec.toFixed(1)} s total, rss ${afterPods.rssMiB} MiB`);
  const idle0 = procStat(pid);
  await new Promise((r) => setTimeout(r, 20_000));
  const idle1 = procStat(pid);
  console.log(`steady state (heartbeats only): ${((idle1.cpuSec - idle0.cpuSec) / 20 * 100).toFixed(0)}% of one core over 20 s, rss ${idle1.rssMiB} MiB`);
  if (own) {
    const errors = own.output().split('\n').filter((l) => l.includes('"level":"error"'));
    console.log(`server error lines: ${errors.length}`);
    for (const l of errors.slice(0, 10)) console.log('  ' + l.slice(0, 300));
  }
} finally {
  client.close();
  await own?.stop();
}
