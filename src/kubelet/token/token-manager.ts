// Service account tokens for projected volumes, as the kubelet's token manager keeps them: one
// TokenRequest per (account, audiences, lifetime, pod), cached and asked for again once 80% of
// its lifetime has passed or it is older than 24 h (less a few seconds of jitter, so pods started
// together do not all refresh at once). A failed refresh keeps the old token while it is valid.
import { resources, type RestClient } from '../../client/index.js';
import { logError } from '../../machinery/log.js';
import { errMessage } from '../types.js';

/** Tokens are renewed at least this often, however long they last. */
export const MAX_TTL_MS = 24 * 3600 * 1000;
/** Up to this much earlier than the rule says, at random. */
export const MAX_JITTER_MS = 10_000;

export interface BoundPod {
  name: string;
  uid: string;
}

export interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds: number;
  boundObjectRef: { apiVersion: 'v1'; kind: 'Pod'; name: string; uid: string };
}

export interface IssuedToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** The lifetime the API server granted (it may clamp what was asked). */
  expirationSeconds: number;
}

/** Whether a token issued with this lifetime should be asked for again at `now` (all in ms). */
export function requiresRefresh(t: IssuedToken, now: number, jitterMs: number): boolean {
  const lifetimeMs = t.expirationSeconds * 1000;
  const issuedAt = t.expiresAt - lifetimeMs;
  if (now > issuedAt + MAX_TTL_MS - jitterMs) return true;
  return now > t.expiresAt - lifetimeMs * 0.2 - jitterMs;
}

export interface TokenManagerOptions {
  /** POST serviceaccounts/<name>/token in the namespace. */
  request(namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<IssuedToken>;
  now?: () => number;
  jitterMs?: () => number;
}

interface Entry {
  token: IssuedToken;
  podUID: string;
}

export class TokenManager {
  private readonly cache = new Map<string, Entry>();
  /** Requests in flight by key: concurrent syncs of one pod share one request. */
  private readonly pending = new Map<string, Promise<IssuedToken>>();
  private readonly now: () => number;
  private readonly jitter: () => number;

  constructor(private readonly opts: TokenManagerOptions) {
    this.now = opts.now ?? Date.now;
    this.jitter = opts.jitterMs ?? (() => Math.random() * MAX_JITTER_MS);
  }

  /** A RestClient's TokenRequest. */
  static forClient(client: RestClient, opts: Omit<TokenManagerOptions, 'request'> = {}): TokenManager {
    return new TokenManager({
      ...opts,
      async request(namespace, serviceAccount, spec) {
        const path = client.path(resources.serviceaccounts, namespace, serviceAccount, 'token');
        const tr = await client.request('POST', path, {
          apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: serviceAccount, namespace }, spec,
        }) as { spec?: { expirationSeconds?: number }; status?: { token?: string; expirationTimestamp?: string } };
        const token = tr.status?.token;
        const expiresAt = Date.parse(tr.status?.expirationTimestamp ?? '');
        if (!token || !Number.isFinite(expiresAt)) throw new Error('the TokenRequest was answered without a token or expiration');
        return { token, expiresAt, expirationSeconds: tr.spec?.expirationSeconds ?? spec.expirationSeconds };
      },
    });
  }

  /** A valid token for the pod's account, from the cache unless it is due for renewal. */
  async get(namespace: string, serviceAccount: string, pod: BoundPod, audiences: string[] | undefined, expirationSeconds: number): Promise<string> {
    const key = JSON.stringify([namespace, serviceAccount, audiences ?? [], expirationSeconds, pod.uid]);
    const cached = this.cache.get(key);
    if (cached && !requiresRefresh(cached.token, this.now(), this.jitter())) return cached.token.token;
    let req = this.pending.get(key);
    if (!req) {
      req = this.opts.request(namespace, serviceAccount, {
        ...(audiences?.length ? { audiences } : {}), expirationSeconds,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.name, uid: pod.uid },
      });
      this.pending.set(key, req);
      void req.then(() => this.pending.delete(key), () => this.pending.delete(key));
    }
    try {
      const token = await req;
      this.cache.set(key, { token, podUID: pod.uid });
      return token.token;
    } catch (err) {
      if (!cached) throw new Error(`failed to fetch token: ${errMessage(err)}`);
      if (cached.token.expiresAt <= this.now()) throw new Error(`token for ${namespace}/${serviceAccount} expired and refresh failed: ${errMessage(err)}`);
      logError('kubelet', 'could not renew a service account token; the current one stays', { namespace, serviceAccount, pod: pod.name, err: errMessage(err) });
      return cached.token.token;
    }
  }

  /** Forgets the tokens of a pod that is gone. */
  deletePod(podUID: string): void {
    for (const [k, e] of this.cache) if (e.podUID === podUID) this.cache.delete(k);
  }

  /** Forgets expired tokens (of pods that stopped asking). */
  gc(): void {
    const now = this.now();
    for (const [k, e] of this.cache) if (e.token.expiresAt <= now) this.cache.delete(k);
  }

  get size(): number {
    return this.cache.size;
  }
}
