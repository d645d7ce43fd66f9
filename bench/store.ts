// Store benchmark: raw etcd (gRPC straight to etcd's KV and Watch services, no k8ts code) against
// the k8ts etcd backend and the k8ts SQLite backend, on the same machine in the same run.
//
//   node --import tsx bench/store.ts [--rounds 3] [--seconds 2] [--no-readme]
//   node dist/bench/store.js          (after npm run build)
//
// Each workload runs for every subject back to back, round after round, so that drift in a shared
// machine's load hits all three alike; a row reports the median over rounds. The table goes to
// stdout and into bench/README.md, section "Store".
import { mkdtempSync, rmSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { startEtcd, type EtcdCluster } from '../test/helpers/etcd.js';
import { EtcdStore } from '../src/store/etcd/etcd-store.js';
import type { Store } from '../src/store/types.js';
import { median, percentile } from './lib/stats.js';
import { now, runCount, runFor, sleep } from './lib/timing.js';
import { usageOf, usageOfSelf, UsageMeter } from './lib/resources.js';
import { fmt, markdownTable, writeSection } from './lib/table.js';

// ---- settings ---------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const ROUNDS = flag('rounds', 5);
const SECONDS = flag('seconds', 1.5);
const WRITERS = 64;
const READERS = 64;
const LIST_KEYS = 10_000;
const LISTS = 5;
const WATCHERS = 100;
const WATCH_WRITES = 150;
const WATCH_WARMUP = 20;
const WRITE_README = !args.includes('--no-readme');
/** The repository root, whether this runs from bench/ or compiled from dist/bench/. */
const REPO = fileURLToPath(new URL(import.meta.url.includes('/dist/bench/') ? '../../' : '../', import.meta.url));

/** A Kubernetes-object-sized JSON value (about 1 KiB). */
const VALUE = JSON.stringify({
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name: 'bench', namespace: 'default', uid: '6a1e5f7c-4a7f-4a53-9d55-2c7d2b1f4e10', labels: { app: 'bench', tier: 'store' } },
  data: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`key-${i}`, 'v'.repeat(60)])),
});

// ---- subjects: the same operations on each backend --------------------------------------------------

interface Subject {
  name: string;
  create(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  /** Number of keys under the prefix, with their values fetched. */
  list(prefix: string): Promise<number>;
  /** Calls onEvent with the key of every event under the prefix; resolves once registered. */
  watch(prefix: string, onEvent: (key: string) => void): Promise<() => void>;
  /** The server process, for its CPU and memory; none for an embedded store. */
  serverPid?: number;
  close(): Promise<void>;
}

function storeSubject(name: string, store: Store, serverPid?: number): Subject {
  return {
    name,
    serverPid,
    create: (k, v) => store.create(k, v),
    get: (k) => store.get(k),
    list: async (p) => (await store.list(p)).kvs.length,
    async watch(prefix, onEvent) {
      const w = store.watch(prefix, {}, {
        onEvents: (evs) => { for (const e of evs) onEvent(e.kv.key); },
        onError: (err) => { throw err; },
      });
      return () => w.cancel();
    },
    close: () => store.close(),
  };
}

/** etcd through @grpc/grpc-js and etcd's own proto, as any Node program would use it. */
function rawEtcdSubject(endpoint: string, serverPid?: number): Subject {
  const protoFile = join(REPO, 'src/store/etcd/etcd.proto');
  const def = protoLoader.loadSync(protoFile, { keepCase: true, longs: Number, defaults: false });
  const pkg = (grpc.loadPackageDefinition(def) as any).etcdserverpb;
  const address = endpoint.replace(/^https?:\/\//, '');
  const opts = { 'grpc.max_receive_message_length': -1, 'grpc.use_local_subchannel_pool': 1 };
  const kv = new pkg.KV(address, grpc.credentials.createInsecure(), opts);
  const watchClient = new pkg.Watch(address, grpc.credentials.createInsecure(), opts);
  const unary = (method: string, req: object) => new Promise<any>((resolve, reject) => {
    kv[method](req, (err: Error | null, res: any) => (err ? reject(err) : resolve(res)));
  });
  const end = (b: Buffer) => { const e = Buffer.from(b); e[e.length - 1]++; return e; };
  let stream: grpc.ClientDuplexStream<any, any> | null = null;
  const handlers = new Map<number, (key: string) => void>();
  const created = new Map<number, () => void>();
  let nextId = 1;
  return {
    name: 'raw etcd',
    serverPid,
    async create(k, v) {
      // The same request a create-if-absent needs: put only where the key does not exist yet.
      const key = Buffer.from(k);
      const res = await unary('Txn', {
        compare: [{ result: 0, target: 1, key, create_revision: 0 }],
        success: [{ request_put: { key, value: Buffer.from(v) } }],
      });
      if (!res.succeeded) throw new Error(`exists: ${k}`);
      return res;
    },
    get: (k) => unary('Range', { key: Buffer.from(k) }),
    async list(p) {
      const key = Buffer.from(p);
      const res = await unary('Range', { key, range_end: end(key) });
      return res.kvs?.length ?? 0;
    },
    async watch(prefix, onEvent) {
      if (!stream) {
        stream = watchClient.Watch();
        stream!.on('data', (res: any) => {
          if (res.created) created.get(res.watch_id)?.();
          const h = handlers.get(res.watch_id);
          if (h && res.events) for (const e of res.events) h(e.kv.key.toString());
        });
        stream!.on('error', () => undefined);
      }
      const id = nextId++;
      handlers.set(id, onEvent);
      const key = Buffer.from(prefix);
      await new Promise<void>((resolve) => {
        created.set(id, resolve);
        stream!.write({ create_request: { key, range_end: end(key), watch_id: id, prev_kv: true } });
      });
      return () => {
        handlers.delete(id);
        stream?.write({ cancel_request: { watch_id: id } });
      };
    },
    async close() {
      stream?.cancel();
      kv.close();
      watchClient.close();
    },
  };
}

// ---- workloads -----------------------------------------------------------------------------------------

interface Row {
  label: string;
  unit: string;
  higherIsBetter: boolean;
  /** Per subject name, one value per round. */
  values: Map<string, number[]>;
}

const rows: Row[] = [];
function row(label: string, unit: string, higherIsBetter: boolean): Row {
  const r: Row = { label, unit, higherIsBetter, values: new Map() };
  rows.push(r);
  return r;
}
/**
 * A full garbage collection between phases, so that one subject's garbage is not collected (and
 * its CPU charged) during the next subject's phase.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** False during the warm-up pass, whose results are dropped. */
let recording = true;
let seconds = SECONDS;
const record = (r: Row, s: Subject, v: number) => {
  if (!recording) return;
  if (!r.values.has(s.name)) r.values.set(s.name, []);
  r.values.get(s.name)!.push(v);
};

const seqWrites = row('sequential writes', 'writes/s', true);
const concWrites = row(`concurrent writes (${WRITERS} writers)`, 'writes/s', true);
const pointReads = row(`point reads (${READERS} readers)`, 'reads/s', true);
const listRow = row(`list ${LIST_KEYS.toLocaleString('en-US')} keys`, 'ms', false);
const watchP50 = row(`watch delivery p50 (${WATCHERS} watchers)`, 'ms', false);
const watchP99 = row(`watch delivery p99 (${WATCHERS} watchers)`, 'ms', false);

let seq = 0;
const key = (s: Subject, what: string) => `/bench/${s.name.replace(/\W+/g, '-')}/${what}/${(seq++).toString(36).padStart(8, '0')}`;

// Each workload resolves with the number of operations it did, for the CPU cost per operation.

async function benchSequential(s: Subject): Promise<number> {
  const t = await runFor(seconds * 1000, 1, () => s.create(key(s, 'seq'), VALUE));
  record(seqWrites, s, t.perSecond);
  return t.ops;
}

async function benchConcurrent(s: Subject): Promise<number> {
  const t = await runFor(seconds * 1000, WRITERS, () => s.create(key(s, 'conc'), VALUE));
  record(concWrites, s, t.perSecond);
  return t.ops;
}

const listKeys = new Map<string, string[]>();

async function populate(s: Subject) {
  const keys = Array.from({ length: LIST_KEYS }, (_, i) => `/bench/${s.name.replace(/\W+/g, '-')}/list/${String(i).padStart(6, '0')}`);
  await runCount(keys.length, WRITERS, (i) => s.create(keys[i], VALUE));
  listKeys.set(s.name, keys);
}

async function benchReads(s: Subject): Promise<number> {
  const keys = listKeys.get(s.name)!;
  const t = await runFor(seconds * 1000, READERS, (i) => s.get(keys[(i * 7919) % keys.length]));
  record(pointReads, s, t.perSecond);
  return t.ops;
}

async function benchList(s: Subject): Promise<number> {
  const prefix = `/bench/${s.name.replace(/\W+/g, '-')}/list/`;
  const times: number[] = [];
  for (let i = 0; i < LISTS; i++) {
    const t0 = now();
    const n = await s.list(prefix);
    times.push(now() - t0);
    if (n !== LIST_KEYS) throw new Error(`${s.name}: listed ${n} keys, expected ${LIST_KEYS}`);
  }
  record(listRow, s, median(times));
  return LISTS;
}

async function benchWatch(s: Subject): Promise<number> {
  const prefix = `/bench/${s.name.replace(/\W+/g, '-')}/watch${seq++}/`;
  let current: { key: string; times: number[]; done: () => void } | null = null;
  const cancels = await Promise.all(Array.from({ length: WATCHERS }, () => s.watch(prefix, (k) => {
    if (current && k === current.key) {
      current.times.push(now());
      if (current.times.length === WATCHERS) current.done();
    }
  })));
  const latencies: number[] = [];
  try {
    for (let i = 0; i < WATCH_WARMUP + WATCH_WRITES; i++) {
      const k = `${prefix}${i}`;
      const all = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${s.name}: watch events for ${k} missing after 10 s`)), 10_000);
        current = { key: k, times: [], done: () => { clearTimeout(timer); resolve(); } };
      });
      const entry = current!;
      await s.create(k, VALUE);
      const acked = now();
      await all;
      // Delivery can beat the write's own reply to the writer; that counts as no delay.
      if (i >= WATCH_WARMUP) for (const t of entry.times) latencies.push(Math.max(0, t - acked));
    }
  } finally {
    for (const c of cancels) c();
  }
  record(watchP50, s, percentile(latencies, 50));
  record(watchP99, s, percentile(latencies, 99));
  return WATCH_WARMUP + WATCH_WRITES;
}

// ---- main ------------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const loadBefore = loadavg()[0];
  const dirs: string[] = [];
  const clusters: EtcdCluster[] = [];
  const subjects: Subject[] = [];
  try {
    // Each etcd subject gets its own single-member etcd; the data dirs and the SQLite file share
    // one file system (the OS temp dir).
    const rawEtcd = await startEtcd();
    clusters.push(rawEtcd);
    subjects.push(rawEtcdSubject(rawEtcd.endpoints[0], rawEtcd.pid(0)));
    const k8tsEtcd = await startEtcd();
    clusters.push(k8tsEtcd);
    subjects.push(storeSubject('k8ts etcd', await EtcdStore.connect({ endpoints: k8tsEtcd.endpoints }), k8tsEtcd.pid(0)));
    const sqlite = await openSqlite(dirs);
    if (sqlite) subjects.push(storeSubject('k8ts sqlite', sqlite));
    else console.error('# the SQLite backend (src/store/sqlite/sqlite-store.ts) is not there; its column is left out');

    /** CPU microseconds per operation, per workload and subject: [client, server] for each round. */
    const cost = new Map<string, Map<string, Array<[number, number]>>>();
    const serverRss = new Map<string, number>();
    const measured = async (s: Subject, name: string, fn: (s: Subject) => Promise<number>) => {
      const client = new UsageMeter(usageOfSelf);
      const server = new UsageMeter(() => (s.serverPid ? usageOf(s.serverPid) : null));
      client.start();
      server.start();
      const ops = await fn(s);
      const c = client.stop();
      const sv = server.stop();
      if (!cost.has(name)) cost.set(name, new Map());
      const per = cost.get(name)!;
      if (!per.has(s.name)) per.set(s.name, []);
      per.get(s.name)!.push([(c.cpuSeconds / ops) * 1e6, (sv.cpuSeconds / ops) * 1e6]);
      serverRss.set(s.name, Math.max(serverRss.get(s.name) ?? 0, sv.peakRssMiB));
    };

    for (const s of subjects) {
      console.error(`# ${s.name}: writing ${LIST_KEYS} keys to list`);
      await populate(s);
    }
    const workloads: Array<[string, (s: Subject) => Promise<number>]> = [
      [seqWrites.label, benchSequential], [concWrites.label, benchConcurrent], [pointReads.label, benchReads],
      [`${listRow.label} (per list)`, benchList], [`watch, ${WATCHERS} watchers (per write)`, benchWatch],
    ];
    // Round 0 warms up every code path (JIT, connections) and is not recorded. Each round starts
    // with a different subject, so that none always runs right after another's heavy phase.
    for (let round = 0; round <= ROUNDS; round++) {
      recording = round > 0;
      seconds = round > 0 ? SECONDS : 0.3;
      for (const [name, w] of workloads) {
        for (let j = 0; j < subjects.length; j++) {
          const s = subjects[(round + j) % subjects.length];
          console.error(`# round ${round}/${ROUNDS}${round ? '' : ' (warm-up)'}: ${name} on ${s.name}`);
          collectGarbage();
          await sleep(100);
          if (recording) await measured(s, name, w);
          else await w(s);
        }
      }
    }

    const names = subjects.map((s) => s.name);
    const table = report(names);
    const hasServer = (n: string) => !!subjects.find((x) => x.name === n)!.serverPid;
    const costHeaders = ['workload', ...names.flatMap((n) => (hasServer(n) ? [`${n}: client`, `${n}: etcd`] : [`${n} (in process)`]))];
    const costRows = workloads.map(([name]) => [name, ...names.flatMap((n) => {
      const samples = cost.get(name)?.get(n) ?? [];
      const client = fmt(median(samples.map((x) => x[0])));
      return hasServer(n) ? [client, fmt(median(samples.map((x) => x[1])))] : [client];
    })]);
    const resources = markdownTable(costHeaders, costRows);
    const rss = names.filter(hasServer).map((n) => `${n} ${fmt(serverRss.get(n) ?? 0)} MiB`).join(', ');
    const goals = verdicts(names);
    const spread = markdownTable(
      ['workload', ...names],
      rows.map((r) => [r.label, ...names.map((n) => (r.values.get(n) ?? []).map(fmt).join(' · '))]),
    );
    const elapsed = Math.round((Date.now() - started) / 1000);
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${await etcdVersion()} (load average ${loadBefore.toFixed(1)} before the run, ${loadavg()[0].toFixed(1)} after)`;
    const body = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; after a warm-up pass, ${ROUNDS} rounds of ${SECONDS} s per throughput row, each row the median over rounds; the whole run took ${elapsed} s.`,
      '',
      table,
      '',
      'The ratio columns divide by raw etcd in the same run: above 1 is better for throughput rows, below 1 is better for time rows.',
      '',
      ...goals.map((g) => `- ${g}`),
      '',
      '<details><summary>Every round\'s value (the table above shows their medians)</summary>',
      '',
      spread,
      '',
      '</details>',
      '',
      'CPU microseconds per operation (medians over rounds): the client is this Node process, etcd\'s is read from /proc. Less sensitive to a busy machine than the rates above.',
      '',
      resources,
      '',
      `Peak resident memory of the etcd servers: ${rss}.`,
      '',
      'What is measured:',
      '',
      `- Every subject gets its own single-member etcd 3.4 (fsync on, default settings otherwise) or SQLite file, in the OS temp dir on the same disk. Values are ${VALUE.length}-byte JSON objects.`,
      '- raw etcd is @grpc/grpc-js with etcd\'s proto and no k8ts code; its write is the same request a create needs (a transaction that puts only if the key does not exist).',
      `- sequential writes: one create after another; concurrent writes: ${WRITERS} loops creating keys at once; point reads: ${READERS} loops reading keys among ${LIST_KEYS.toLocaleString('en-US')}.`,
      `- list: all ${LIST_KEYS.toLocaleString('en-US')} keys of a prefix with their values, median of ${LISTS}.`,
      `- watch delivery: ${WATCHERS} watchers on one prefix; ${WATCH_WRITES} writes one at a time (after ${WATCH_WARMUP} unmeasured), each waiting for all ${WATCHERS} deliveries; latency from the write's acknowledgement to each delivery (a delivery that beats the acknowledgement counts as 0).`,
      '- On a shared, busy machine the rates move by tens of percent between rounds (see the per-round values); the CPU cost per operation is steadier. Compare columns within one run.',
      '',
      'Reproduce: `node --import tsx bench/store.ts` (options: `--rounds N`, `--seconds S`, `--no-readme`), or `npm run build && node dist/bench/store.js`.',
    ].join('\n');
    console.log(body);
    if (WRITE_README) {
      const readme = join(REPO, 'bench/README.md');
      writeSection(readme, 'Store', body, '# Benchmarks\n\nRecorded results of the benchmarks in this folder; each section says how to reproduce it.\n');
      console.error(`# wrote the Store section of ${readme}`);
    }
  } finally {
    for (const s of subjects) await s.close().catch(() => undefined);
    for (const c of clusters) await c.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

function report(names: string[]): string {
  const raw = names[0];
  const headers = ['workload', 'unit', ...names.flatMap((n, i) => (i === 0 ? [n] : [n, `${n} / raw`]))];
  const lines = rows.map((r) => {
    const base = median(r.values.get(raw) ?? []);
    const cells = [r.label, r.unit];
    names.forEach((n, i) => {
      const v = median(r.values.get(n) ?? []);
      cells.push(fmt(v));
      if (i > 0) cells.push(`${(v / base).toFixed(2)}×`);
    });
    return cells;
  });
  return markdownTable(headers, lines);
}

/** The issue's goals, checked on the medians. */
function verdicts(names: string[]): string[] {
  const raw = names[0];
  const out: string[] = [];
  const check = (name: string, allowed: number, goal: string) => {
    if (!names.includes(name)) {
      out.push(`${goal}: not measured (${name} missing).`);
      return;
    }
    const misses = rows.filter((r) => {
      const ratio = median(r.values.get(name)!) / median(r.values.get(raw)!);
      return r.higherIsBetter ? ratio < 1 / allowed : ratio > allowed;
    }).map((r) => r.label);
    out.push(`${goal}: ${misses.length === 0 ? 'met on every row' : `not met on ${misses.join(', ')}`}.`);
  };
  check('k8ts etcd', 1.1, 'Goal "the etcd backend adds no more than 10 % over raw etcd"');
  check('k8ts sqlite', 1.0, 'Goal "the SQLite backend at least matches raw etcd on every row"');
  return out;
}

async function openSqlite(dirs: string[]): Promise<Store | null> {
  let mod: { SqliteStore: { open(path: string): Promise<Store> } };
  try {
    mod = await import('../src/store/sqlite/sqlite-store.js');
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-sqlite-'));
  dirs.push(dir);
  return mod.SqliteStore.open(join(dir, 'state.db'));
}

async function etcdVersion(): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  try {
    return `etcd ${/etcd Version: (\S+)/.exec(execFileSync(process.env.ETCD_BIN ?? 'etcd', ['--version'], { encoding: 'utf8' }))?.[1] ?? '?'}`;
  } catch {
    return 'etcd (version unknown)';
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
