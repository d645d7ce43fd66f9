// Pod cgroups, as the kubelet's pod container manager keeps them with the cgroupfs driver: each pod
// gets /k8ts/[burstable|besteffort/]pod<uid> with its summed limits (memory, CFS quota) and cpu
// weight before its sandbox starts, so the pod as a whole cannot use more than it declared; the
// runtime puts the sandbox and the containers underneath (cgroup_parent). The QoS levels
// /k8ts/burstable and /k8ts/besteffort (minimum cpu weight) are made on first use; as the kubelet's
// QoS container manager, the burstable level weighs as much as its pods' cpu requests together,
// so under contention it gets its share beside the guaranteed pods directly under /k8ts. The pod's
// cgroup goes when the pod is gone. Works on the unified hierarchy (cgroup v2) and on v1's
// per-controller hierarchies.
import { access, mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logError } from '../../machinery/log.js';
import { errMessage, type Pod } from '../types.js';
import { milliCPUToShares, podCgroupConfig, podCgroupParent, podRequests, qosClassOf, type PodCgroupConfig } from './resources.js';

export const CGROUP_ROOT = '/k8ts';
const QOS_LEVELS = ['burstable', 'besteffort'];
/** v1 hierarchies the pod cgroup's settings live in; runc makes the others itself. */
const V1_CONTROLLERS = ['cpu', 'memory'];

/** cgroup v1 cpu.shares as v2's cpu.weight (runc's and the kubelet's conversion). */
export function sharesToWeight(shares: number): number {
  if (shares <= 2) return 1;
  return Math.min(10000, 1 + Math.floor(((shares - 2) * 9999) / 262142));
}

/** The files to write, relative to the cgroup directory, in order. */
export function cgroupFiles(cfg: PodCgroupConfig, version: 1 | 2): Array<{ controller: string; file: string; value: string }> {
  if (version === 2) {
    return [
      { controller: '', file: 'cpu.weight', value: String(sharesToWeight(cfg.cpuShares)) },
      { controller: '', file: 'cpu.max', value: cfg.cpuQuota ? `${cfg.cpuQuota} ${cfg.cpuPeriod}` : 'max 100000' },
      { controller: '', file: 'memory.max', value: cfg.memoryLimitBytes !== undefined ? String(cfg.memoryLimitBytes) : 'max' },
    ];
  }
  return [
    { controller: 'cpu', file: 'cpu.shares', value: String(cfg.cpuShares) },
    { controller: 'cpu', file: 'cpu.cfs_period_us', value: String(cfg.cpuPeriod ?? 100_000) },
    { controller: 'cpu', file: 'cpu.cfs_quota_us', value: cfg.cpuQuota ? String(cfg.cpuQuota) : '-1' },
    { controller: 'memory', file: 'memory.limit_in_bytes', value: cfg.memoryLimitBytes !== undefined ? String(cfg.memoryLimitBytes) : '-1' },
  ];
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** Removes a cgroup directory and the cgroups below it, deepest first; cgroupfs files go with their directory. */
async function removeCgroupTree(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) if (e.isDirectory()) await removeCgroupTree(join(dir, e.name));
  try {
    await rmdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export interface PodCgroupsOptions {
  /** Where the cgroup filesystems are mounted; /sys/fs/cgroup. */
  mountPoint?: string;
  /** Which hierarchy; found out from the mount point when absent. */
  version?: 1 | 2;
}

export class PodCgroups {
  readonly mountPoint: string;
  private version?: 1 | 2;
  private readonly ready = new Set<string>();
  private qosReady?: Promise<void>;
  /** CPU requests (milli) of the burstable pods, by UID; their sum sets the burstable level's weight. */
  private burstable = new Map<string, bigint>();
  /** The burstable level's cpu.shares as last written. */
  private burstableShares?: number;

  constructor(opts: PodCgroupsOptions = {}) {
    this.mountPoint = opts.mountPoint ?? '/sys/fs/cgroup';
    this.version = opts.version;
  }

  async cgroupVersion(): Promise<1 | 2> {
    this.version ??= (await exists(join(this.mountPoint, 'cgroup.controllers'))) ? 2 : 1;
    return this.version;
  }

  /** The directories of a cgroup path: one on v2, one per managed controller on v1. */
  async dirs(path: string): Promise<Array<{ controller: string; dir: string }>> {
    if ((await this.cgroupVersion()) === 2) return [{ controller: '', dir: join(this.mountPoint, path) }];
    return V1_CONTROLLERS.map((c) => ({ controller: c, dir: join(this.mountPoint, c, path) }));
  }

  /** The pod's cgroup with its limits; done once per pod (a pod's resources do not change). */
  async ensure(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid!;
    if (this.ready.has(uid)) return;
    await this.qosLevels();
    const path = podCgroupParent(pod);
    const version = await this.cgroupVersion();
    if (qosClassOf(pod) === 'Burstable') {
      this.burstable.set(uid, podRequests(pod).get('cpu') ?? 0n);
      await this.writeBurstableShares();
    }
    const dirs = await this.dirs(path);
    for (const { dir } of dirs) await mkdir(dir, { recursive: true });
    if (version === 2) await this.enableControllers(path);
    for (const f of cgroupFiles(podCgroupConfig(pod), version)) {
      const dir = dirs.find((d) => d.controller === f.controller)!.dir;
      await writeFile(join(dir, f.file), f.value);
    }
    this.ready.add(uid);
  }

  /** Removes the pod's cgroup (in every v1 hierarchy runc made it in); what still holds processes stays, with a log line. */
  async remove(pod: Pod): Promise<void> {
    this.ready.delete(pod.metadata.uid!);
    if (this.burstable.delete(pod.metadata.uid!)) await this.writeBurstableShares().catch((err) => logError('kubelet', 'cannot set the burstable cgroup\'s cpu shares', { err: errMessage(err) }));
    const path = podCgroupParent(pod);
    const dirs = (await this.cgroupVersion()) === 2
      ? [join(this.mountPoint, path)]
      : (await this.v1Hierarchies()).map((h) => join(this.mountPoint, h, path));
    for (const dir of dirs) {
      try {
        await removeCgroupTree(dir);
      } catch (err) {
        logError('kubelet', 'cannot remove a pod cgroup; it stays', { dir, err: errMessage(err) });
      }
    }
  }

  /** Removes the cgroups of every QoS level for a pod uid (its QoS class is not known any more). */
  async removeByUID(uid: string): Promise<void> {
    for (const qos of ['Guaranteed', 'Burstable', 'BestEffort']) {
      await this.remove({ metadata: { uid }, status: { qosClass: qos } } as Pod);
    }
  }

  /**
   * Sets the burstable level's weight from `pods`, the node's active pods: the kubelet calls it
   * now and then, so pods it did not start itself (before a restart) count too.
   */
  async updateQOS(pods: Pod[]): Promise<void> {
    const burstable = new Map<string, bigint>();
    for (const pod of pods) {
      if (qosClassOf(pod) === 'Burstable') burstable.set(pod.metadata.uid!, podRequests(pod).get('cpu') ?? 0n);
    }
    this.burstable = burstable;
    await this.qosLevels();
    await this.writeBurstableShares();
  }

  /** The QoS levels' cgroups, made once. */
  private qosLevels(): Promise<void> {
    this.qosReady ??= this.ensureQOS().catch((err) => {
      this.qosReady = undefined;
      throw err;
    });
    return this.qosReady;
  }

  private async writeBurstableShares(): Promise<void> {
    let milli = 0n;
    for (const m of this.burstable.values()) milli += m;
    const shares = milliCPUToShares(milli);
    if (shares === this.burstableShares) return;
    const version = await this.cgroupVersion();
    const dir = version === 2 ? join(this.mountPoint, CGROUP_ROOT, 'burstable') : join(this.mountPoint, 'cpu', CGROUP_ROOT, 'burstable');
    await writeFile(join(dir, version === 2 ? 'cpu.weight' : 'cpu.shares'), String(version === 2 ? sharesToWeight(shares) : shares));
    this.burstableShares = shares;
  }

  private async v1Hierarchies(): Promise<string[]> {
    try {
      const out: string[] = [];
      for (const e of await readdir(this.mountPoint, { withFileTypes: true })) {
        // The hybrid layout's v2 hierarchy (unified) gets runc's directories too.
        if (e.isDirectory() || e.isSymbolicLink()) out.push(e.name);
      }
      return out;
    } catch {
      return V1_CONTROLLERS;
    }
  }

  private async ensureQOS(): Promise<void> {
    const version = await this.cgroupVersion();
    for (const { dir } of await this.dirs(CGROUP_ROOT)) await mkdir(dir, { recursive: true });
    if (version === 2) await this.enableControllers(CGROUP_ROOT);
    for (const level of QOS_LEVELS) {
      const path = `${CGROUP_ROOT}/${level}`;
      const dirs = await this.dirs(path);
      for (const { dir } of dirs) await mkdir(dir, { recursive: true });
      if (version === 2) await this.enableControllers(path);
      if (level === 'besteffort') {
        const cpu = dirs.find((d) => d.controller === (version === 2 ? '' : 'cpu'))!.dir;
        await writeFile(join(cpu, version === 2 ? 'cpu.weight' : 'cpu.shares'), version === 2 ? '1' : '2');
      }
    }
  }

  /**
   * cgroup v2 hands a controller to a child only when every ancestor lists it in
   * cgroup.subtree_control: turn on cpu and memory from the root down to `path`'s parent.
   */
  private async enableControllers(path: string): Promise<void> {
    const parts = path.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const parent = join(this.mountPoint, ...parts.slice(0, i));
      const file = join(parent, 'cgroup.subtree_control');
      const enabled = (await readFile(file, 'utf8')).split(/\s+/);
      const want = ['cpu', 'memory'].filter((c) => !enabled.includes(c));
      if (want.length) await writeFile(file, want.map((c) => `+${c}`).join(' '));
    }
  }
}
