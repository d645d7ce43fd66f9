// Test images: busybox-based OCI images built with umoci (busybox and its applet links, the given
// files, entrypoint/cmd/env) and pushed with skopeo to a local registry over plain HTTP.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildOciImage, type OciImageSpec } from '../../src/kubelet/cri/oci-image.js';
import type { LocalRegistry } from './registry.js';

const run = promisify(execFile);

export interface TestImageSpec {
  cmd?: string[];
  entrypoint?: string[];
  /** KEY=VALUE strings. */
  env?: string[];
  workingDir?: string;
  files?: OciImageSpec['files'];
}

/**
 * Builds `name:tag` (busybox with every applet linked, so /bin/sh, echo, sleep, dd ... work) and
 * pushes it to the registry. Resolves to the reference to pull: `127.0.0.1:PORT/name:tag`.
 */
export async function buildImage(registry: LocalRegistry, name: string, tag: string, spec: TestImageSpec = {}): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'k8ts-image-'));
  try {
    const layout = join(work, 'oci');
    await buildOciImage(layout, tag, { ...spec, applets: true });
    const ref = `${registry.host}/${name}:${tag}`;
    try {
      // --insecure-policy: signature policy is about trusting others' images; these are our own.
      await run('skopeo', ['--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false', `oci:${layout}:${tag}`, `docker://${ref}`]);
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT') throw new Error('skopeo is not installed (apt-get install skopeo)');
      throw new Error(`pushing ${ref} failed: ${(e.stderr || e.message).trim()}`);
    }
    return ref;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
