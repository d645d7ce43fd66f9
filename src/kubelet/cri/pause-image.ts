// The sandbox ("pause") image: every pod's network namespace is held by a container running it.
// k8ts builds it on the node from the static busybox (an entrypoint that sleeps forever) and
// imports it into containerd's k8s.io namespace, so pods start with no registry reachable.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectCri } from './grpc.js';
import { buildOciImage, packLayout } from './oci-image.js';

const run = promisify(execFile);

export const PAUSE_IMAGE = 'k8ts.local/pause:3.10';

/** Splits `host/repo:tag` into repository and tag (a port's colon is not a tag). */
export function splitImageRef(ref: string): { repository: string; tag: string } {
  const at = ref.indexOf('@');
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const colon = base.lastIndexOf(':');
  if (colon > base.lastIndexOf('/')) return { repository: base.slice(0, colon), tag: base.slice(colon + 1) };
  return { repository: base, tag: 'latest' };
}

function layoutHasTag(layout: string, tag: string): boolean {
  try {
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
    return (index.manifests ?? []).some((m: any) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  } catch {
    return false;
  }
}

export interface PauseImageOptions {
  /** The runtime's CRI socket. */
  socket: string;
  /** Where the built layout is kept between starts, e.g. <data-dir>/containerd/images. */
  workDir: string;
  image?: string;
  /** `ctr` binary that imports into containerd. */
  ctr?: string;
}

/**
 * Makes sure the pause image is in the runtime; builds and imports it on first start only.
 * Resolves to whether it had to import it.
 */
export async function ensurePauseImage(opts: PauseImageOptions): Promise<{ image: string; imported: boolean }> {
  const image = opts.image ?? PAUSE_IMAGE;
  const cri = connectCri(opts.socket, 30_000);
  try {
    const present = async () => !!(await cri.image<any>('ImageStatus', { image: { image } })).image?.id;
    if (await present()) return { image, imported: false };
    const { repository, tag } = splitImageRef(image);
    const dir = join(opts.workDir, 'pause');
    const layout = join(dir, 'oci');
    if (!layoutHasTag(layout, tag)) {
      await rm(layout, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await buildOciImage(layout, tag, { entrypoint: ['/bin/busybox', 'sleep', '2147483647'] });
    }
    const tar = join(dir, 'pause.tar');
    await packLayout(layout, tar);
    try {
      await run(opts.ctr ?? 'ctr', ['-a', opts.socket, '-n', 'k8s.io', 'images', 'import', '--base-name', repository, tar]);
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`importing the pause image into containerd failed: ${(e.stderr || e.message).trim()}`);
    } finally {
      await rm(tar, { force: true });
    }
    // The CRI plugin learns of imported images from containerd's events, a moment later.
    for (let i = 0; i < 50 && !(await present()); i++) await new Promise((r) => setTimeout(r, 100));
    if (!(await present())) throw new Error(`the pause image ${image} was imported but the CRI plugin does not list it`);
    return { image, imported: true };
  } finally {
    cri.close();
  }
}
