// Test harness: a real etcd (1 or 3 members) as child processes on free loopback ports, each in its
// own temporary data dir. Suites that need an etcd (store backend, API server on etcd) start one
// here and stop it in `after`; stop() ends exactly the processes it started and removes their dirs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EtcdCluster {
  /** Client URLs, one per member, in member order: `http://127.0.0.1:<port>`. */
  endpoints: string[];
  /** Kills member i (SIGKILL, as a crash) and waits until it has exited. Its data dir is kept. */
  stopMember(i: number): Promise<void>;
  /** Starts member i again on its data dir and ports; resolves once it serves requests. */
  startMember(i: number): Promise<void>;
  /** Kills every member this harness started and removes their data dirs. */
  stop(): Promise<void>;
  /** PID of member i while it runs (for benches that measure its CPU and memory). */
  pid(i: number): number | undefined;
}

export interface StartEtcdOptions {
  /** 1 (default) or 3. */
  members?: number;
  /** Largest request etcd accepts; the default leaves room for a value of MAX_VALUE_BYTES plus its key. */
  maxRequestBytes?: number;
  /** How long to wait for the cluster to become healthy. */
  startTimeoutMs?: number;
}

const ETCD = process.env.ETCD_BIN ?? 'etcd';

interface Member {
  name: string;
  dir: string;
  clientPort: number;
  peerPort: number;
  proc: ChildProcess | null;
  exited: Promise<void>;
  log: string[];
}

/** Starts etcd and resolves once every member reports healthy. */
export async function startEtcd(opts: StartEtcdOptions = {}): Promise<EtcdCluster> {
  const n = opts.members ?? 1;
  if (n !== 1 && n !== 3) throw new Error(`startEtcd: members must be 1 or 3, got ${n}`);
  const timeout = opts.startTimeoutMs ?? 30_000;
  // A port picked free can be taken before etcd binds it; a failed start is retried on new ports.
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const cluster = new Harness(n, opts.maxRequestBytes ?? 2 * 1024 * 1024);
    try {
      await cluster.startAll(timeout);
      return cluster.api();
    } catch (err) {
      lastErr = err;
      await cluster.stop();
      if (!/address already in use/.test(String((err as Error).message))) break;
    }
  }
  throw lastErr;
}

class Harness {
  private members: Member[] = [];
  private token = `k8ts-test-${process.pid}-${Date.now()}`;
  private stopped = false;
  private onExit = () => this.killAllSync();

  constructor(private n: number, private maxRequestBytes: number) {}

  async startAll(timeoutMs: number): Promise<void> {
    const ports = await freePorts(this.n * 2);
    for (let i = 0; i < this.n; i++) {
      this.members.push({
        name: `m${i}`,
        dir: mkdtempSync(join(tmpdir(), `k8ts-etcd-m${i}-`)),
        clientPort: ports[2 * i],
        peerPort: ports[2 * i + 1],
        proc: null,
        exited: Promise.resolve(),
        log: [],
      });
    }
    // If the test process dies without calling stop(), its etcd members must not outlive it.
    process.once('exit', this.onExit);
    for (let i = 0; i < this.n; i++) this.spawn(i);
    await Promise.all(this.members.map((_, i) => this.waitHealthy(i, timeoutMs)));
  }

  api(): EtcdCluster {
    return {
      endpoints: this.members.map((m) => `http://127.0.0.1:${m.clientPort}`),
      stopMember: (i) => this.stopMember(i),
      startMember: async (i) => {
        this.member(i);
        if (this.members[i].proc) throw new Error(`etcd member ${i} is already running`);
        this.spawn(i);
        await this.waitHealthy(i, 30_000);
      },
      stop: () => this.stop(),
      pid: (i) => this.member(i).proc?.pid,
    };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.members.map((_, i) => this.stopMember(i)));
    for (const m of this.members) rmSync(m.dir, { recursive: true, force: true });
    process.removeListener('exit', this.onExit);
  }

  private member(i: number): Member {
    const m = this.members[i];
    if (!m) throw new Error(`no etcd member ${i} (cluster of ${this.members.length})`);
    return m;
  }

  private async stopMember(i: number): Promise<void> {
    const m = this.member(i);
    const proc = m.proc;
    if (!proc) return;
    proc.kill('SIGKILL');
    await m.exited;
  }

  private spawn(i: number): void {
    const m = this.member(i);
    const peer = (x: Member) => `http://127.0.0.1:${x.peerPort}`;
    const client = `http://127.0.0.1:${m.clientPort}`;
    const args = [
      '--name', m.name,
      '--data-dir', m.dir,
      '--listen-client-urls', client,
      '--advertise-client-urls', client,
      '--listen-peer-urls', peer(m),
      '--initial-advertise-peer-urls', peer(m),
      '--initial-cluster', this.members.map((x) => `${x.name}=${peer(x)}`).join(','),
      '--initial-cluster-token', this.token,
      '--initial-cluster-state', 'new',
      // Short raft timings so that elections after a member stops take a fraction of a second.
      '--heartbeat-interval', '50',
      '--election-timeout', '500',
      '--max-request-bytes', String(this.maxRequestBytes),
      '--logger', 'zap',
      '--log-level', 'warn',
    ];
    const proc = spawn(ETCD, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    m.proc = proc;
    m.log = [];
    const keep = (chunk: Buffer) => {
      // ETCD_TEST_LOG=1 shows the members' own logs, for debugging a suite.
      if (process.env.ETCD_TEST_LOG) process.stderr.write(`[etcd ${m.name}] ${chunk}`);
      m.log.push(chunk.toString());
      if (m.log.length > 50) m.log.shift();
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    m.exited = new Promise((resolve) => {
      proc.once('exit', () => {
        if (m.proc === proc) m.proc = null;
        resolve();
      });
      proc.once('error', (err) => {
        m.log.push(`cannot run ${ETCD}: ${err.message}`);
        if (m.proc === proc) m.proc = null;
        resolve();
      });
    });
  }

  private async waitHealthy(i: number, timeoutMs: number): Promise<void> {
    const m = this.member(i);
    const deadline = Date.now() + timeoutMs;
    const url = `http://127.0.0.1:${m.clientPort}/health`;
    for (;;) {
      if (!m.proc) {
        throw new Error(`etcd member ${m.name} exited during start: ${m.log.join('').slice(-2000)}`);
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
        const body = (await res.json()) as { health?: string };
        if (body.health === 'true') return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`etcd member ${m.name} not healthy after ${timeoutMs} ms: ${m.log.join('').slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private killAllSync(): void {
    for (const m of this.members) {
      if (m.proc?.pid) {
        try { process.kill(m.proc.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
      rmSync(m.dir, { recursive: true, force: true });
    }
  }
}

/** Ports the kernel reports free right now, all distinct. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<import('node:net').Server>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
