// API server benchmark (issue 3): the same workload through the HTTPS API and on the store alone
// (the floor under any API server). Run: `node dist/bench/apiserver.js` after `npm run build`,
// or `node --import tsx bench/apiserver.ts`. Writes the "API server" section of bench/README.md.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../test/helpers/cluster.js';
import { RestClient, resources } from '../src/client/index.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/types.js';
import { usageOf } from './lib/resources.js';
import { percentile } from './lib/stats.js';
import { markdownTable, writeSection, fmt } from './lib/table.js';
import { runCount, sleep } from './lib/timing.js';

const CREATES = Number(process.env.BENCH_CREATES ?? 5000);
const WORKERS = 64;
const GETS = 5000;
const WATCHERS = 500;
const WATCH_EVENTS = 100;
const STORED = 10_000;

const cm = (i: number) => ({
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name: `cm-${i}`, namespace: 'bench', labels: { bench: 'true', shard: String(i % 10) } },
  data: { key: 'v'.repeat(200), index: String(i) },
});

async function timed(n: number, workers: number, op: (i: number) => Promise<unknown>): Promise<{ perSec: number; lat: number[] }> {
  const lat: number[] = [];
  const t0 = performance.now();
  await runCount(n, workers, async (i) => {
    const s = performance.now();
    await op(i);
    lat.push(performance.now() - s);
  });
  return { perSec: n / ((performance.now() - t0) / 1000), lat };
}

async function storeFloor(store: Store) {
  const prefix = '/registry/core/configmaps/bench/';
  const create = await timed(CREATES, WORKERS, (i) => store.create(`${prefix}cm-${i}`, JSON.stringify(cm(i))));
  const get = await timed(GETS, 1, (i) => store.get(`${prefix}cm-${i % CREATES}`));
  const t0 = performance.now();
  const listed = await store.list(prefix, { limit: 5000 });
  const listMs = performance.now() - t0;
  if (listed.kvs.length !== Math.min(5000, CREATES)) throw new Error('store list returned too few keys');
  // Watch latency: 500 watchers, time from write ack to delivery.
  const lat: number[] = [];
  const pending = new Map<string, number>();
  let delivered = 0;
  const watchers = Array.from({ length: WATCHERS }, () => store.watch(prefix, {}, {
    onEvents(evs) {
      for (const e of evs) {
        const t = pending.get(e.kv.key);
        if (t !== undefined) lat.push(performance.now() - t);
        delivered++;
      }
    },
    onError() {},
  }));
  for (let i = 0; i < WATCH_EVENTS; i++) {
    const key = `${prefix}w-${i}`;
    const s = performance.now();
    pending.set(key, s);
    await store.create(key, '{}');
    await sleep(5);
  }
  await waitUntil(() => delivered >= WATCHERS * WATCH_EVENTS, 10000);
  for (const w of watchers) w.cancel();
  return { create: create.perSec, getP50: percentile(get.lat, 50), getP99: percentile(get.lat, 99), listMs, watchP50: percentile(lat, 50), watchP99: percentile(lat, 99) };
}

async function waitUntil(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(10);
}

async function throughApi() {
  const server = await startServer({ args: ['--disable-controllers', '--disable-scheduler'] });
  try {
    const client = RestClient.fromKubeconfig(server.kubeconfig);
    await client.create(resources.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } }).catch(() => undefined);
    const create = await timed(CREATES, WORKERS, (i) => client.create(resources.configmaps, 'bench', cm(i)));
    const get = await timed(GETS, 1, (i) => client.get(resources.configmaps, 'bench', `cm-${i % CREATES}`));
    const t0 = performance.now();
    const listed = await client.list(resources.configmaps, 'bench', { limit: 5000 });
    const listMs = performance.now() - t0;
    if (listed.items.length !== Math.min(5000, CREATES)) throw new Error(`API list returned ${listed.items.length} items`);

    const lat: number[] = [];
    const pending = new Map<string, number>();
    let delivered = 0;
    const rv = listed.metadata.resourceVersion;
    const handles = Array.from({ length: WATCHERS }, () => client.watch(resources.configmaps, 'bench', { resourceVersion: rv }, (e) => {
      if (e.type === 'ERROR' || e.type === 'BOOKMARK') return;
      const t = pending.get(e.object.metadata.name!);
      if (t !== undefined) lat.push(performance.now() - t);
      delivered++;
    }));
    await sleep(1000);
    delivered = 0;
    lat.length = 0;
    for (let i = 0; i < WATCH_EVENTS; i++) {
      const name = `w-${i}`;
      pending.set(name, performance.now());
      await client.create(resources.configmaps, 'bench', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: {} });
      await sleep(5);
    }
    await waitUntil(() => delivered >= WATCHERS * WATCH_EVENTS, 20000);
    for (const h of handles) h.stop();
    // Fill to 10,000 stored objects, then read the server's memory.
    const have = CREATES + WATCH_EVENTS;
    await runCount(Math.max(0, STORED - have), WORKERS, (i) => client.create(resources.configmaps, 'bench', cm(CREATES + WATCH_EVENTS + i)));
    await sleep(1000);
    const rss = usageOf(server.proc.pid!)?.rssMiB ?? NaN;
    client.close();
    return { create: create.perSec, getP50: percentile(get.lat, 50), getP99: percentile(get.lat, 99), listMs, watchP50: percentile(lat, 50), watchP99: percentile(lat, 99), rss, delivered };
  } finally {
    await server.stop();
  }
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-'));
  const store = await SqliteStore.open(join(dir, 'state.db'));
  const floor = await storeFloor(store);
  await store.close();
  await rm(dir, { recursive: true, force: true });
  const api = await throughApi();
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const rows = [
    ['creates/s (64 clients)', fmt(api.create), fmt(floor.create), ratio(api.create, floor.create), '≥ 1,500'],
    ['get p50 (ms)', api.getP50.toFixed(2), floor.getP50.toFixed(3), ratio(api.getP50, floor.getP50), ''],
    ['get p99 (ms)', api.getP99.toFixed(2), floor.getP99.toFixed(3), ratio(api.getP99, floor.getP99), '≤ 5'],
    ['list 5,000 objects (ms)', api.listMs.toFixed(0), floor.listMs.toFixed(0), ratio(api.listMs, floor.listMs), ''],
    [`watch latency p50, ${WATCHERS} watchers (ms)`, api.watchP50.toFixed(1), floor.watchP50.toFixed(1), ratio(api.watchP50, floor.watchP50), ''],
    [`watch latency p99, ${WATCHERS} watchers (ms)`, api.watchP99.toFixed(1), floor.watchP99.toFixed(1), ratio(api.watchP99, floor.watchP99), ''],
    ['server RSS with 10,000 objects (MiB)', api.rss.toFixed(0), '', '', '≤ 300'],
  ];
  const table = markdownTable(['measure', 'API server (HTTPS, SQLite)', 'store alone (SQLite)', 'ratio', 'goal'], rows);
  const text = `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} cores, Node ${process.version}). `
    + `The API server runs as its own process (\`k8ts server\`, SQLite, no controllers); the client is k8ts' RestClient over keep-alive HTTPS. `
    + `The floor is the same work on SqliteStore in-process. Values are ~300-byte ConfigMaps. Run: \`npm run build && node dist/bench/apiserver.js\`.\n\n${table}\n`;
  process.stdout.write(text);
  writeSection(join(process.cwd(), 'bench', 'README.md'), 'API server', text);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
