// Pulling a container's image as the kubelet's image manager does: the pull policy decides whether
// to pull, imagePullSecrets (dockerconfigjson or dockercfg) supply registry credentials, and a
// failing pull backs off per pod and image (ErrImagePull, then ImagePullBackOff).
import type { RuntimeDriver } from '../runtime.js';
import { containerRef, Reasons, type Recorder } from '../events.js';
import { errMessage, type Container, type Pod, type Secret } from '../types.js';
import { BackOff, goDuration } from './backoff.js';
import { rethrowIfCancelled } from './cancellable-runtime.js';

export class ImagePullError extends Error {
  constructor(readonly reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName', message: string) {
    super(message);
  }
}

export interface RegistryAuth {
  username?: string;
  password?: string;
  auth?: string;
  serverAddress?: string;
}

const DOCKER_HUB = 'docker.io';

/** The registry host of an image reference, docker.io for short names as Docker resolves them. */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return DOCKER_HUB;
  const first = image.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return first === 'index.docker.io' ? DOCKER_HUB : first;
  return DOCKER_HUB;
}

/** A dockerconfig key (`https://index.docker.io/v1/`, `registry:5000`, `*.example.com`) as a host pattern. */
function hostOfKey(key: string): string {
  let k = key.trim().replace(/^[a-z]+:\/\//i, '');
  const slash = k.indexOf('/');
  if (slash >= 0) k = k.slice(0, slash);
  return k === 'index.docker.io' || k === 'registry-1.docker.io' ? DOCKER_HUB : k;
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.includes('*')) return false;
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^.]*') + '$');
  return re.test(host);
}

/** Credentials from pull secrets that apply to `image`, in the order the secrets were listed. */
export function credentialsFor(image: string, secrets: Secret[]): RegistryAuth[] {
  const host = registryOf(image);
  const out: RegistryAuth[] = [];
  for (const s of secrets) {
    let auths: Record<string, { username?: string; password?: string; auth?: string }> = {};
    try {
      if (s.type === 'kubernetes.io/dockerconfigjson' && s.data?.['.dockerconfigjson']) {
        auths = JSON.parse(Buffer.from(s.data['.dockerconfigjson'], 'base64').toString('utf8')).auths ?? {};
      } else if (s.type === 'kubernetes.io/dockercfg' && s.data?.['.dockercfg']) {
        auths = JSON.parse(Buffer.from(s.data['.dockercfg'], 'base64').toString('utf8')) ?? {};
      }
    } catch {
      continue;
    }
    for (const [key, cred] of Object.entries(auths)) {
      if (!cred || typeof cred !== 'object' || !hostMatches(hostOfKey(key), host)) continue;
      let { username, password } = cred;
      if ((!username || !password) && cred.auth) {
        const decoded = Buffer.from(cred.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0) {
          username = decoded.slice(0, colon);
          password = decoded.slice(colon + 1);
        }
      }
      out.push({ username, password, serverAddress: key });
    }
  }
  return out;
}

export interface ImageManagerDeps {
  runtime: RuntimeDriver;
  recorder: Recorder;
  /** The pod's imagePullSecrets that exist. */
  pullSecrets(pod: Pod): Promise<Secret[]>;
  backOff?: BackOff;
  now?: () => number;
}

export class ImageManager {
  readonly backOff: BackOff;
  private readonly now: () => number;

  constructor(private readonly d: ImageManagerDeps) {
    this.now = d.now ?? Date.now;
    this.backOff = d.backOff ?? new BackOff(10_000, 300_000, this.now);
  }

  /** Makes sure the container's image is present; returns its image ref. */
  async ensureImage(pod: Pod, c: Container): Promise<string> {
    const image = c.image ?? '';
    const ref = containerRef(pod, c);
    if (!image.trim() || /\s/.test(image)) {
      const msg = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`;
      this.d.recorder.event(ref, 'Warning', 'InspectFailed', msg);
      throw new ImagePullError('InvalidImageName', msg);
    }
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    let present: Awaited<ReturnType<RuntimeDriver['imageStatus']>> = null;
    try {
      present = await this.d.runtime.imageStatus(image);
    } catch (err) {
      rethrowIfCancelled(err);
      const msg = `Failed to inspect image "${image}": ${errMessage(err)}`;
      this.d.recorder.event(ref, 'Warning', Reasons.Failed, msg);
      throw new ImagePullError('ErrImagePull', msg);
    }
    const shouldPull = policy === 'Always' || (policy === 'IfNotPresent' && !present);
    if (!shouldPull) {
      if (present) {
        this.d.recorder.event(ref, 'Normal', Reasons.Pulled, `Container image "${image}" already present on machine`);
        return present.id;
      }
      const msg = `Container image "${image}" is not present with pull policy of Never`;
      this.d.recorder.event(ref, 'Warning', Reasons.ErrImageNeverPull, msg);
      throw new ImagePullError('ErrImageNeverPull', msg);
    }
    const key = `${pod.metadata.uid}_${image}`;
    if (this.backOff.isInBackOffSinceUpdate(key)) {
      const msg = `Back-off pulling image "${image}"`;
      this.d.recorder.event(ref, 'Normal', Reasons.BackOff, msg);
      throw new ImagePullError('ImagePullBackOff', msg);
    }
    this.d.recorder.event(ref, 'Normal', Reasons.Pulling, `Pulling image "${image}"`);
    const started = this.now();
    try {
      const imageRef = await this.pull(image, pod);
      const took = this.now() - started;
      let size = 0;
      try {
        size = (await this.d.runtime.imageStatus(image))?.size ?? 0;
      } catch {
        // size is only for the message
      }
      this.d.recorder.event(ref, 'Normal', Reasons.Pulled, `Successfully pulled image "${image}" in ${goDuration(took)} (${goDuration(took)} including waiting). Image size: ${size} bytes.`);
      this.backOff.gc();
      return imageRef;
    } catch (err) {
      rethrowIfCancelled(err);
      this.backOff.next(key, this.now());
      const msg = `Failed to pull image "${image}": ${errMessage(err)}`;
      this.d.recorder.event(ref, 'Warning', Reasons.Failed, msg);
      throw new ImagePullError('ErrImagePull', errMessage(err));
    }
  }

  private async pull(image: string, pod: Pod): Promise<string> {
    const creds = credentialsFor(image, await this.d.pullSecrets(pod));
    if (creds.length === 0) return this.d.runtime.pullImage(image);
    let last: unknown;
    for (const auth of creds) {
      try {
        return await this.d.runtime.pullImage(image, auth);
      } catch (err) {
        last = err;
      }
    }
    throw last;
  }
}
