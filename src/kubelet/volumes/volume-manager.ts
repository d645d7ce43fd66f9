// A pod's volumes on the node, under <rootDir>/pods/<uid>/volumes/<plugin>/<name> as the kubelet
// lays them out: emptyDir (a directory, or tmpfs for medium Memory), configMap, secret,
// downwardAPI and projected (written atomically and rewritten when their sources change, service
// account tokens included: renewed by the token manager, the new one lands on the next sync),
// hostPath (with its type check) and persistentVolumeClaim (bound to a hostPath or local volume).
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isNotFound, resources, type RestClient } from '../../client/index.js';
import { log, logError } from '../../machinery/log.js';
import { parseQuantity } from '../../machinery/quantity.js';
import { errMessage, type PersistentVolume, type PersistentVolumeClaim, type Pod, type Volume } from '../types.js';
import { forgetWritten, PayloadError, writeAtomically } from './atomic-writer.js';
import { projectionPayload, type ProjectionSources } from './projection.js';
import { TokenManager } from '../token/token-manager.js';

const run = promisify(execFile);

/** A volume could not be set up: the FailedMount event and the pod's waiting state carry it. */
export class VolumeError extends Error {
  constructor(readonly volume: string, message: string) {
    super(message);
  }
}

export interface VolumeManagerOptions {
  rootDir: string;
  client: RestClient;
  /** Root may mount tmpfs; others get a plain directory for medium Memory. */
  canMount?: boolean;
  /** Service account tokens for projected volumes; TokenRequests through `client` by default. */
  tokens?: TokenManager;
}

export interface PodVolume {
  name: string;
  hostPath: string;
  /** configMap, secret, downwardAPI and projected volumes are always mounted read-only. */
  readOnly: boolean;
}

const PLUGIN: Record<string, string> = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
};

export class VolumeManager {
  /** Claims resolved to host paths, per pod: a bound claim does not change. */
  private readonly claims = new Map<string, Map<string, string>>();
  private readonly tmpfs = new Map<string, Set<string>>();
  private readonly canMount: boolean;
  private readonly tokens: TokenManager;

  constructor(private readonly opts: VolumeManagerOptions) {
    this.canMount = opts.canMount ?? process.getuid?.() === 0;
    this.tokens = opts.tokens ?? TokenManager.forClient(opts.client);
  }

  podDir(uid: string): string {
    return join(this.opts.rootDir, 'pods', uid);
  }

  /**
   * Sets up (or refreshes) every volume of the pod; returns them by name. Throws VolumeError for
   * the first volume that cannot be set up.
   */
  async setUp(pod: Pod, sources: ProjectionSources): Promise<Map<string, PodVolume>> {
    const uid = pod.metadata.uid!;
    const out = new Map<string, PodVolume>();
    sources = {
      ...sources,
      serviceAccountToken: sources.serviceAccountToken ?? ((p, audience, expirationSeconds) => this.tokens.get(
        p.metadata.namespace ?? 'default', p.spec?.serviceAccountName || 'default', { name: p.metadata.name!, uid },
        audience ? [audience] : undefined, expirationSeconds)),
    };
    for (const v of pod.spec?.volumes ?? []) {
      try {
        out.set(v.name, await this.setUpOne(pod, uid, v, sources));
      } catch (err) {
        if (err instanceof VolumeError) throw err;
        throw new VolumeError(v.name, errMessage(err));
      }
    }
    return out;
  }

  private async setUpOne(pod: Pod, uid: string, v: Volume, sources: ProjectionSources): Promise<PodVolume> {
    const kind = Object.keys(PLUGIN).find((k) => v[k] !== undefined && v[k] !== null);
    if (kind) {
      const dir = join(this.podDir(uid), 'volumes', PLUGIN[kind], v.name);
      if (kind === 'emptyDir') {
        await this.emptyDir(uid, dir, v.emptyDir!);
        return { name: v.name, hostPath: dir, readOnly: false };
      }
      let payload;
      try {
        payload = await projectionPayload(pod, v, sources);
      } catch (err) {
        if (err instanceof PayloadError) throw new VolumeError(v.name, err.message);
        throw err;
      }
      if (await writeAtomically(dir, payload!)) log('kubelet', 'volume written', { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, volume: v.name });
      return { name: v.name, hostPath: dir, readOnly: true };
    }
    if (v.hostPath) return { name: v.name, hostPath: await checkHostPath(v.hostPath.path, v.hostPath.type ?? ''), readOnly: false };
    if (v.persistentVolumeClaim) {
      return { name: v.name, hostPath: await this.claimPath(pod, uid, v.persistentVolumeClaim.claimName), readOnly: !!v.persistentVolumeClaim.readOnly };
    }
    const other = Object.keys(v).filter((k) => k !== 'name');
    throw new VolumeError(v.name, `volume type ${other.join(',') || 'unknown'} is not supported by this node`);
  }

  private async emptyDir(uid: string, dir: string, src: { medium?: string; sizeLimit?: string }): Promise<void> {
    await mkdir(dir, { recursive: true });
    if (src.medium === 'Memory') {
      const mounted = this.tmpfs.get(uid) ?? new Set<string>();
      if (!mounted.has(dir)) {
        if (this.canMount && !(await isMountPoint(dir))) {
          const size = src.sizeLimit ? [`-o`, `size=${toBytes(src.sizeLimit)}`] : [];
          await run('mount', ['-t', 'tmpfs', ...size, 'tmpfs', dir]);
        } else if (!this.canMount) {
          logError('kubelet', 'emptyDir medium Memory needs root to mount tmpfs; using a plain directory', { dir });
        }
        mounted.add(dir);
        this.tmpfs.set(uid, mounted);
      }
    }
    await chmod(dir, 0o777);
  }

  private async claimPath(pod: Pod, uid: string, claimName: string): Promise<string> {
    const cached = this.claims.get(uid)?.get(claimName);
    if (cached) return cached;
    const ns = pod.metadata.namespace ?? 'default';
    let pvc: PersistentVolumeClaim;
    try {
      pvc = await this.opts.client.get<PersistentVolumeClaim>(resources.persistentvolumeclaims, ns, claimName);
    } catch (err) {
      if (isNotFound(err)) throw new Error(`persistentvolumeclaim "${claimName}" not found`);
      throw err;
    }
    const pvName = pvc.spec?.volumeName;
    if (!pvName || pvc.status?.phase !== 'Bound') throw new Error(`persistentvolumeclaim "${claimName}" is not bound`);
    let pv: PersistentVolume;
    try {
      pv = await this.opts.client.get<PersistentVolume>(resources.persistentvolumes, undefined, pvName);
    } catch (err) {
      if (isNotFound(err)) throw new Error(`persistentvolume "${pvName}" not found`);
      throw err;
    }
    const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
    if (!path) throw new Error(`persistentvolume "${pvName}" is neither hostPath nor local: this node mounts only those`);
    await mkdir(path, { recursive: true });
    const m = this.claims.get(uid) ?? new Map<string, string>();
    m.set(claimName, path);
    this.claims.set(uid, m);
    return path;
  }

  /**
   * Unmounts whatever is mounted under the pod's directory (found in mountinfo, so tmpfs mounts
   * of an earlier run count too) and removes the directory; a mount that stays keeps it.
   */
  async tearDown(uid: string): Promise<void> {
    const podDir = this.podDir(uid);
    forgetWritten(podDir);
    this.tmpfs.delete(uid);
    this.claims.delete(uid);
    this.tokens.deletePod(uid);
    this.tokens.gc();
    const mounts = (await mountPoints()).filter((m) => m.startsWith(podDir + '/')).sort().reverse();
    for (const dir of mounts) {
      try {
        await run('umount', [dir]);
      } catch (err) {
        logError('kubelet', 'cannot unmount a pod volume; its directory stays', { dir, err: errMessage(err) });
        return;
      }
    }
    await rm(podDir, { recursive: true, force: true });
  }
}

/** hostPath's type check; DirectoryOrCreate and FileOrCreate create what is missing. */
export async function checkHostPath(path: string, type: string): Promise<string> {
  const info = async () => {
    try {
      return await stat(path);
    } catch {
      return undefined;
    }
  };
  const fail = (what: string) => new Error(`hostPath type check failed: ${path} is not ${what}`);
  switch (type) {
    case '':
      return path;
    case 'DirectoryOrCreate': {
      const st = await info();
      if (!st) await mkdir(path, { recursive: true, mode: 0o755 });
      else if (!st.isDirectory()) throw fail('a directory');
      return path;
    }
    case 'Directory':
      if (!(await info())?.isDirectory()) throw fail('a directory');
      return path;
    case 'FileOrCreate': {
      const st = await info();
      if (!st) await writeFile(path, '', { mode: 0o644 });
      else if (st.isDirectory()) throw fail('a file');
      return path;
    }
    case 'File': {
      const st = await info();
      if (!st || st.isDirectory()) throw fail('a file');
      return path;
    }
    case 'Socket':
      if (!(await info())?.isSocket()) throw fail('a socket file');
      return path;
    case 'CharDevice':
      if (!(await info())?.isCharacterDevice()) throw fail('a character device');
      return path;
    case 'BlockDevice':
      if (!(await info())?.isBlockDevice()) throw fail('a block device');
      return path;
    default:
      throw new Error(`hostPath type ${type} is not supported`);
  }
}

async function mountPoints(): Promise<string[]> {
  try {
    const text = await readFile('/proc/self/mountinfo', 'utf8');
    return text.split('\n').map((l) => l.split(' ')[4]).filter((p): p is string => !!p);
  } catch {
    return [];
  }
}

async function isMountPoint(dir: string): Promise<boolean> {
  return (await mountPoints()).includes(dir);
}

function toBytes(q: string): string {
  try {
    return parseQuantity(q).value().toString();
  } catch {
    throw new Error(`emptyDir sizeLimit ${JSON.stringify(q)} is not a quantity`);
  }
}
