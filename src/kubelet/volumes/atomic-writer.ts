// Writes projected files (configMap, secret, downwardAPI, projected volumes) so that a container
// never sees a half-updated set, as Kubernetes' AtomicWriter does: the files go to a fresh
// timestamped directory, the `..data` symlink is swapped to it with a rename, and each top-level
// name the user sees is a symlink through `..data`:
//   key -> ..data/key,  ..data -> ..2024_01_02_03_04_05.123456789
import { createHash, randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, readdir, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';

export interface FileProjection {
  data: Buffer;
  mode: number;
}

export class PayloadError extends Error {}

const DATA_DIR = '..data';
const DATA_TMP = '..data_tmp';

/** Rejects paths that are absolute, contain `..` elements or start with `..`. */
export function validatePayloadPath(p: string): void {
  if (!p) throw new PayloadError('invalid path: must not be empty');
  if (posix.isAbsolute(p)) throw new PayloadError(`invalid path: must be relative path: ${p}`);
  if (p.split('/').includes('..')) throw new PayloadError(`invalid path: must not contain '..': ${p}`);
  if (p.startsWith('..')) throw new PayloadError(`invalid path: must not start with '..': ${p}`);
}

function tsDirName(now = new Date()): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}`;
  return `..${stamp}.${randomBytes(4).readUInt32BE(0)}`;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Whether the files under `dir` are exactly the payload (same names, contents and modes). */
async function sameAsPayload(dir: string, payload: Map<string, FileProjection>): Promise<boolean> {
  const found: string[] = [];
  const walk = async (rel: string): Promise<boolean> => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!(await walk(r))) return false;
        continue;
      }
      const want = payload.get(r);
      if (!want) return false;
      const full = join(dir, r);
      const st = await stat(full);
      if ((st.mode & 0o7777) !== want.mode) return false;
      if (!(await readFile(full)).equals(want.data)) return false;
      found.push(r);
    }
    return true;
  };
  try {
    return (await walk('')) && found.length === payload.size;
  } catch {
    return false;
  }
}

/**
 * What this process last put in each volume directory: the payload's digest and the timestamped
 * directory holding it. Every pod sync sets its volumes up again; while `..data` still points where
 * we left it and the payload is the same, one readlink answers instead of reading every file back.
 */
const lastWritten = new Map<string, { digest: string; ts: string }>();

function payloadDigest(payload: Map<string, FileProjection>): string {
  const h = createHash('sha256');
  for (const p of [...payload.keys()].sort()) {
    const f = payload.get(p)!;
    h.update(`${p.length}:${p}:${f.mode}:${f.data.length}:`);
    h.update(f.data);
  }
  return h.digest('hex');
}

/** Forgets what was written under `dir` (a pod's directory being torn down). */
export function forgetWritten(dir: string): void {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  for (const k of lastWritten.keys()) if (k === dir || k.startsWith(prefix)) lastWritten.delete(k);
}

/**
 * Makes `targetDir` show exactly `payload`. Returns true when something changed. Safe to call on
 * every sync: an unchanged payload writes nothing.
 */
export async function writeAtomically(targetDir: string, payload: Map<string, FileProjection>): Promise<boolean> {
  for (const p of payload.keys()) validatePayloadPath(p);
  const dataLink = join(targetDir, DATA_DIR);
  const digest = payloadDigest(payload);
  const known = lastWritten.get(targetDir);
  // Where `..data` points now; none yet (nor the directory) on a first write.
  const oldTs = await readlink(dataLink).catch(() => undefined);
  if (known?.digest === digest && oldTs === known.ts) return false;
  lastWritten.delete(targetDir);
  await mkdir(targetDir, { recursive: true });
  const topLevel = new Set([...payload.keys()].map((p) => p.split('/')[0]));
  if (oldTs && (await sameAsPayload(join(targetDir, oldTs), payload))) {
    let visibleOk = true;
    for (const name of topLevel) if (!(await exists(join(targetDir, name)))) visibleOk = false;
    if (visibleOk) {
      lastWritten.set(targetDir, { digest, ts: oldTs });
      return false;
    }
  }

  const tsName = tsDirName();
  const tsDir = join(targetDir, tsName);
  await mkdir(tsDir, { recursive: true, mode: 0o755 });
  for (const [p, f] of payload) {
    const full = join(tsDir, p);
    await mkdir(dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, f.data, { mode: f.mode });
    await chmod(full, f.mode);
  }

  const tmpLink = join(targetDir, DATA_TMP);
  await rm(tmpLink, { force: true });
  await symlink(tsName, tmpLink);
  await rename(tmpLink, dataLink);

  for (const name of topLevel) {
    const visible = join(targetDir, name);
    if (!(await exists(visible))) await symlink(join(DATA_DIR, name), visible);
  }
  // Names of the previous payload that are gone now.
  for (const name of await readdir(targetDir)) {
    if (name.startsWith('..') || topLevel.has(name)) continue;
    await rm(join(targetDir, name), { recursive: true, force: true });
  }
  if (oldTs && oldTs !== tsName) await rm(join(targetDir, oldTs), { recursive: true, force: true });
  lastWritten.set(targetDir, { digest, ts: tsName });
  return true;
}
