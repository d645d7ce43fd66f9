// The files of configMap, secret, downwardAPI and projected volumes, computed from the objects
// they name: every key (or only the listed items, at their paths), with the volume's default mode
// or the item's own; a projected serviceAccountToken source is a token of the pod's service account
// bound to the pod.
import type { ConfigMap, DownwardAPIVolumeFile, KeyToPath, Pod, Secret, Volume } from '../types.js';
import { podFieldValue, resourceFieldValue, DownwardAPIError, type PodAddresses } from '../pod/downward.js';
import { PayloadError, type FileProjection } from './atomic-writer.js';

export const DEFAULT_MODE = 0o644;

export interface ProjectionSources {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  addresses: PodAddresses;
  allocatable: Record<string, string>;
  /** A token of the pod's service account for serviceAccountToken sources (a TokenRequest). */
  serviceAccountToken?(pod: Pod, audience: string | undefined, expirationSeconds: number): Promise<string>;
}

/** Kubernetes' default lifetime of a projected token. */
const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

type Payload = Map<string, FileProjection>;

function keyed(
  all: Record<string, Buffer>, items: KeyToPath[] | undefined, mode: number, optional: boolean,
  missingKey: (key: string) => string, out: Payload,
): void {
  if (!items?.length) {
    for (const [k, data] of Object.entries(all)) out.set(k, { data, mode });
    return;
  }
  for (const it of items) {
    const data = all[it.key];
    if (data === undefined) {
      if (optional) continue;
      throw new PayloadError(missingKey(it.key));
    }
    out.set(it.path, { data, mode: it.mode ?? mode });
  }
}

function configMapFiles(cm: ConfigMap): Record<string, Buffer> {
  const all: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm.data ?? {})) all[k] = Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) all[k] = Buffer.from(v, 'base64');
  return all;
}

function secretFiles(s: Secret): Record<string, Buffer> {
  const all: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) all[k] = Buffer.from(v, 'base64');
  return all;
}

async function addConfigMap(
  pod: Pod, src: ProjectionSources, ref: { name?: string; items?: KeyToPath[]; optional?: boolean }, mode: number, out: Payload,
): Promise<void> {
  const name = ref.name ?? '';
  const cm = await src.configMap(pod.metadata.namespace ?? 'default', name);
  if (!cm) {
    if (ref.optional) return;
    throw new PayloadError(`configmap "${name}" not found`);
  }
  keyed(configMapFiles(cm), ref.items, mode, !!ref.optional, (k) => `configmap references non-existent config key: ${k}`, out);
}

async function addSecret(
  pod: Pod, src: ProjectionSources, name: string, ref: { items?: KeyToPath[]; optional?: boolean }, mode: number, out: Payload,
): Promise<void> {
  const s = await src.secret(pod.metadata.namespace ?? 'default', name);
  if (!s) {
    if (ref.optional) return;
    throw new PayloadError(`secret "${name}" not found`);
  }
  keyed(secretFiles(s), ref.items, mode, !!ref.optional, (k) => `secret references non-existent secret key: ${k}`, out);
}

function addDownward(pod: Pod, src: ProjectionSources, items: DownwardAPIVolumeFile[] | undefined, mode: number, out: Payload): void {
  for (const it of items ?? []) {
    let value: string;
    try {
      if (it.fieldRef) value = podFieldValue(pod, it.fieldRef, src.addresses, true);
      else if (it.resourceFieldRef) value = resourceFieldValue(pod, it.resourceFieldRef, undefined, src.allocatable);
      else continue;
    } catch (err) {
      if (err instanceof DownwardAPIError) throw new PayloadError(err.message);
      throw err;
    }
    out.set(it.path, { data: Buffer.from(value, 'utf8'), mode: it.mode ?? mode });
  }
}

async function addToken(
  pod: Pod, src: ProjectionSources, t: { audience?: string; expirationSeconds?: number; path: string }, mode: number, out: Payload,
): Promise<void> {
  if (!src.serviceAccountToken) throw new PayloadError('failed to fetch token: this node cannot request service account tokens');
  let token: string;
  try {
    token = await src.serviceAccountToken(pod, t.audience || undefined, t.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS);
  } catch (err) {
    throw new PayloadError(err instanceof Error ? err.message : String(err));
  }
  out.set(t.path, { data: Buffer.from(token, 'utf8'), mode });
}

/** The payload of a projecting volume, or undefined when `v` is of another kind. */
export async function projectionPayload(pod: Pod, v: Volume, src: ProjectionSources): Promise<Payload | undefined> {
  const out: Payload = new Map();
  if (v.configMap) {
    await addConfigMap(pod, src, v.configMap, v.configMap.defaultMode ?? DEFAULT_MODE, out);
    return out;
  }
  if (v.secret) {
    await addSecret(pod, src, v.secret.secretName ?? '', v.secret, v.secret.defaultMode ?? DEFAULT_MODE, out);
    return out;
  }
  if (v.downwardAPI) {
    addDownward(pod, src, v.downwardAPI.items, v.downwardAPI.defaultMode ?? DEFAULT_MODE, out);
    return out;
  }
  if (v.projected) {
    const mode = v.projected.defaultMode ?? DEFAULT_MODE;
    for (const s of v.projected.sources ?? []) {
      if (s.configMap) await addConfigMap(pod, src, s.configMap, mode, out);
      else if (s.secret) await addSecret(pod, src, s.secret.name ?? '', s.secret, mode, out);
      else if (s.downwardAPI) addDownward(pod, src, s.downwardAPI.items, mode, out);
      else if (s.serviceAccountToken) await addToken(pod, src, s.serviceAccountToken, mode, out);
    }
    return out;
  }
  return undefined;
}
