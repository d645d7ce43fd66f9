// Small OCI images built on this machine with umoci from the static busybox: the pause image the
// sandboxes run, and the test images. No registry or network is involved.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const BUSYBOX = '/bin/busybox';

export interface OciImageSpec {
  entrypoint?: string[];
  cmd?: string[];
  /** KEY=VALUE strings, as in an image config. */
  env?: string[];
  workingDir?: string;
  /** Extra files by absolute path in the image: text or bytes, mode 0644 unless given. */
  files?: Record<string, string | Buffer | { content: string | Buffer; mode: number }>;
  /** Link every busybox applet (/bin/sh, /bin/echo, ...) to /bin/busybox; the pause image needs none. */
  applets?: boolean;
  /** The static busybox binary to copy in. */
  busybox?: string;
}

export class OciImageError extends Error {
  constructor(msg: string) {
    super(msg);
    this.name = 'OciImageError';
  }
}

async function tool(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new OciImageError(`${cmd} is not installed; install it with: apt-get install ${cmd === 'umoci' ? 'umoci' : cmd}`);
    }
    throw new OciImageError(`${cmd} ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`);
  }
}

function inRootfs(rootfs: string, path: string): string {
  const clean = posix.normalize(`/${path}`);
  if (clean.split('/').includes('..')) throw new OciImageError(`image file path ${path} leaves the root`);
  return join(rootfs, clean);
}

/**
 * Builds image `tag` into the OCI layout at `layoutDir` (created if missing): one layer with
 * busybox and the given files, then the config. umoci's `insert` writes truncated layers in the
 * Debian version, so the layer is made by unpack + repack of a bundle.
 */
export async function buildOciImage(layoutDir: string, tag: string, spec: OciImageSpec): Promise<void> {
  const busybox = spec.busybox ?? BUSYBOX;
  if (!existsSync(busybox)) throw new OciImageError(`${busybox} not found; install busybox-static`);
  const image = `${layoutDir}:${tag}`;
  if (!existsSync(join(layoutDir, 'index.json'))) {
    await mkdir(dirname(layoutDir), { recursive: true });
    await tool('umoci', ['init', '--layout', layoutDir]);
  }
  await tool('umoci', ['new', '--image', image]);
  const work = await mkdtemp(join(dirname(layoutDir), '.bundle-'));
  const bundle = join(work, 'b');
  try {
    await tool('umoci', ['unpack', '--image', image, bundle]);
    const rootfs = join(bundle, 'rootfs');
    await mkdir(join(rootfs, 'bin'), { recursive: true });
    await copyFile(busybox, join(rootfs, 'bin', 'busybox'));
    await chmod(join(rootfs, 'bin', 'busybox'), 0o755);
    if (spec.applets) {
      const names = (await tool(busybox, ['--list-full'])).split('\n').map((s) => s.trim()).filter(Boolean);
      for (const rel of names) {
        const p = inRootfs(rootfs, rel);
        if (existsSync(p)) continue;
        await mkdir(dirname(p), { recursive: true });
        await symlink('/bin/busybox', p);
      }
      await mkdir(join(rootfs, 'tmp'), { recursive: true });
      await chmod(join(rootfs, 'tmp'), 0o1777);
    }
    for (const [path, f] of Object.entries(spec.files ?? {})) {
      const p = inRootfs(rootfs, path);
      const { content, mode } = typeof f === 'string' || Buffer.isBuffer(f) ? { content: f, mode: 0o644 } : f;
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, content);
      await chmod(p, mode);
    }
    await tool('umoci', ['repack', '--image', image, bundle]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const cfg: string[] = [];
  for (const e of spec.entrypoint ?? []) cfg.push('--config.entrypoint', e);
  for (const c of spec.cmd ?? []) cfg.push('--config.cmd', c);
  const env = [...(spec.env ?? [])];
  // Runtimes give a process no PATH of their own; an image without one finds no commands.
  if (!env.some((e) => e.startsWith('PATH='))) env.unshift('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  for (const e of env) cfg.push('--config.env', e);
  if (spec.workingDir) cfg.push('--config.workingdir', spec.workingDir);
  if (cfg.length) await tool('umoci', ['config', '--image', image, ...cfg]);
  await tool('umoci', ['gc', '--layout', layoutDir]);
}

/** Packs an OCI layout into a tar archive (what `ctr images import` and `skopeo` read). */
export async function packLayout(layoutDir: string, tarFile: string): Promise<void> {
  await tool('tar', ['-C', layoutDir, '-cf', tarFile, '.']);
}
