// ServiceAccount: every pod runs as a service account ("default" unless it names one), which must
// exist; unless the pod or the account turns automounting off, each container gets the account's
// API credentials as the projected volume kube-api-access-<random> (a bound token, the cluster's
// CA bundle and the namespace) at /var/run/secrets/kubernetes.io/serviceaccount, and the pod
// inherits the account's imagePullSecrets. As kube-apiserver does, the accounts come from a cache
// kept by a watch; the store is read only for an account the cache has not seen, and for
// "default", which the service account controller creates a moment after its namespace, the read
// is retried for a while before the pod is refused.
import type { KObject, ResourceDef } from '../../api/resource.js';
import { errors, StatusError } from '../../machinery/status.js';
import type { Watcher } from '../../store/types.js';
import type { Registry } from '../registry.js';
import { WARN_ONLY_EXPIRATION_S } from '../serviceaccount-token.js';
import { decode, storagePrefix } from '../storage-codec.js';
import type { Admission } from './types.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
/** Kubernetes' WarnOnlyBoundTokenExpirationSeconds: an hour and a few seconds, so the API server can tell these tokens apart. */
export const TOKEN_EXPIRATION_SECONDS = WARN_ONLY_EXPIRATION_S;
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
/** Tries at reading "default" before giving up (kube-apiserver: 10, 100-200 ms apart). */
const DEFAULT_ACCOUNT_ATTEMPTS = 10;

interface ServiceAccount {
  automountServiceAccountToken?: boolean;
  imagePullSecrets?: Array<{ name?: string }>;
}

interface VolumeMount { name: string; mountPath: string; readOnly?: boolean }
interface Container { volumeMounts?: VolumeMount[] }
interface Volume { name: string; projected?: { sources?: Array<Record<string, unknown>> } }
interface PodSpec {
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  imagePullSecrets?: Array<{ name?: string }>;
  volumes?: Volume[];
  containers?: Container[];
  initContainers?: Container[];
}

/** The projected volume kube-apiserver gives every pod that automounts its token. */
export function tokenVolumeSource(): Record<string, unknown> {
  return {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

/** Kubernetes' generated-name alphabet: no vowels (no words) and no look-alike characters. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A name suffix, not a secret: Math.random is enough and cheaper than the crypto generator. */
function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return s;
}

class ServiceAccountCache {
  private readonly accounts = new Map<string, ServiceAccount>();
  /** Revisions of deletes seen, so a store read that raced with a delete does not bring the account back. */
  private readonly deletedAt = new Map<string, number>();
  private watcher?: Watcher;
  private readonly prefix: string;

  constructor(private readonly registry: Registry, private readonly def: ResourceDef) {
    this.prefix = storagePrefix(def);
  }

  cached(namespace: string, name: string): ServiceAccount | undefined {
    this.ensureWatching();
    return this.accounts.get(`${namespace}/${name}`);
  }

  /** Reads one account from the store (a cache miss); undefined when it does not exist. */
  async read(namespace: string, name: string): Promise<ServiceAccount | undefined> {
    const key = `${namespace}/${name}`;
    let sa: KObject;
    try {
      sa = await this.registry.get(this.def, namespace, name);
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return undefined;
      throw err;
    }
    // The watch started before this read, so anything newer reaches the cache through it.
    const rv = Number(sa.metadata.resourceVersion);
    if (!this.accounts.has(key) && !((this.deletedAt.get(key) ?? 0) > rv)) this.accounts.set(key, sa as ServiceAccount);
    return sa as ServiceAccount;
  }

  private ensureWatching(): void {
    if (this.watcher) return;
    this.watcher = this.registry.store.watch(this.prefix, {}, {
      onEvents: (events) => {
        for (const ev of events) {
          if (ev.type === 'DELETE') {
            const key = ev.prevKv!.key.slice(this.prefix.length);
            this.accounts.delete(key);
            this.deletedAt.set(key, ev.kv.modRevision);
            continue;
          }
          const key = ev.kv.key.slice(this.prefix.length);
          this.accounts.set(key, decode(this.def, ev.kv) as ServiceAccount);
          this.deletedAt.delete(key);
        }
      },
      onError: () => {
        // Forget everything and start over on the next lookup.
        this.accounts.clear();
        this.deletedAt.clear();
        this.watcher = undefined;
      },
    });
  }
}

export interface ServiceAccountAdmissionOptions {
  /** Pause between reads of a missing "default" account; 100-200 ms. */
  retryDelayMs?: () => number;
}

export function serviceAccount(opts: ServiceAccountAdmissionOptions = {}): Admission {
  const caches = new WeakMap<Registry, ServiceAccountCache>();
  const retryDelay = opts.retryDelayMs ?? (() => 100 + Math.floor(Math.random() * 100));

  /** The account, undefined when it does not exist, or null when its namespace does not. */
  const lookup = async (registry: Registry, namespace: string, name: string): Promise<ServiceAccount | undefined | null> => {
    const def = registry.resources.lookup('', 'v1', 'serviceaccounts')!;
    let cache = caches.get(registry);
    if (!cache) caches.set(registry, (cache = new ServiceAccountCache(registry, def)));
    const hit = cache.cached(namespace, name);
    if (hit) return hit;
    // NamespaceLifecycle answers for a namespace that is not there, and no retry will help.
    if (!(await namespaceExists(registry, namespace))) return null;
    const attempts = name === DEFAULT_SERVICE_ACCOUNT ? DEFAULT_ACCOUNT_ATTEMPTS : 1;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) {
        await new Promise((r) => setTimeout(r, retryDelay()));
        const later = cache.cached(namespace, name);
        if (later) return later;
      }
      const sa = await cache.read(namespace, name);
      if (sa) return sa;
    }
    return undefined;
  };

  return {
    name: 'ServiceAccount',
    async mutate(op, def, obj, _old, _ctx, registry) {
      if (op !== 'CREATE' || def.group !== '' || def.plural !== 'pods') return;
      if (!registry.resources.lookup('', 'v1', 'serviceaccounts')) return;
      const spec = (obj.spec ??= {}) as PodSpec;
      const forbidden = (why: string) =>
        errors.forbidden(`pods "${obj.metadata.generateName || obj.metadata.name || 'Unknown'}" is forbidden: ${why}`);
      // The kubelet owns mirror pods' specs; they only may not ask for credentials.
      if (obj.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined) {
        for (const v of spec.volumes ?? []) {
          if (v.projected?.sources?.some((s) => s.serviceAccountToken)) throw forbidden('a mirror pod may not use ServiceAccountToken volume projections');
        }
        return;
      }
      const namespace = obj.metadata.namespace!;
      if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
      spec.serviceAccount = spec.serviceAccountName;
      const name = spec.serviceAccountName;
      const sa = await lookup(registry, namespace, name);
      if (sa === null) return;
      if (!sa) {
        throw forbidden(`error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`);
      }
      const automount = spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
      if (automount) mountToken(spec);
      if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) {
        spec.imagePullSecrets = sa.imagePullSecrets.map((s) => ({ name: s.name }));
      }
    },
  };
}

async function namespaceExists(registry: Registry, namespace: string): Promise<boolean> {
  const def = registry.resources.lookup('', 'v1', 'namespaces');
  if (!def) return true;
  try {
    await registry.get(def, '', namespace);
    return true;
  } catch (err) {
    if (err instanceof StatusError && err.code === 404) return false;
    throw err;
  }
}

/**
 * Mounts the token volume read-only in every container and init container that has nothing at the
 * token path yet; the volume is added (or an existing kube-api-access-* reused) when one needs it.
 */
function mountToken(spec: PodSpec): void {
  const existing = (spec.volumes ?? []).find((v) => v.name.startsWith(TOKEN_VOLUME_PREFIX));
  const volumeName = existing?.name ?? TOKEN_VOLUME_PREFIX + randomSuffix();
  let needed = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT_PATH)) continue;
    (c.volumeMounts ??= []).push({ name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH });
    needed = true;
  }
  if (needed && !existing) (spec.volumes ??= []).push({ name: volumeName, projected: tokenVolumeSource() } as Volume);
}
