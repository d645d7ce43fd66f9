// Service account tokens: JWTs (ES256) signed with the cluster's service-account key, issued by
// the serviceaccounts/<name>/token subresource (TokenRequest) and accepted as bearer tokens, as
// kube-apiserver's bound service account tokens are. Pods use them to reach the API.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UserInfo } from './authn.js';
import type { BoundObjects } from './bound-objects.js';

export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
const DEFAULT_EXPIRATION_S = 3600;
const MIN_EXPIRATION_S = 600;
const MAX_EXPIRATION_S = 48 * 3600;
/**
 * What ServiceAccount admission asks for the kube-api-access volume (an hour and 7 s). Such a
 * pod-bound token for the API server is issued valid for a year, with a warnafter claim at the
 * hour, as kube-apiserver's --service-account-extend-token-expiration (on by default) does: the
 * kubelet still rotates it hourly, and a client that never rereads its token keeps working.
 */
export const WARN_ONLY_EXPIRATION_S = 3607;
const EXTENDED_EXPIRATION_S = 365 * 24 * 3600;

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    node?: { name: string; uid: string };
    warnafter?: number;
  };
}

export class ServiceAccountTokens {
  private readonly publicKey: KeyObject;
  /** Where verify finds whether a token's service account and pod still exist; unchecked without. */
  private bound?: BoundObjects;

  constructor(private readonly privateKey: KeyObject, readonly issuer = DEFAULT_ISSUER) {
    this.publicKey = createPublicKey(privateKey);
  }

  /** Loads <dataDir>/tls/service-account.key, making it on first start. */
  static async load(dataDir: string): Promise<ServiceAccountTokens> {
    const file = join(dataDir, 'tls', 'service-account.key');
    let pem: string;
    try {
      pem = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      await mkdir(join(dataDir, 'tls'), { recursive: true });
      await writeFile(file, pem, { mode: 0o600 });
    }
    return new ServiceAccountTokens(createPrivateKey(pem));
  }

  /** From now on a token is valid only while its service account and pod exist with its UIDs. */
  checkBoundObjects(bound: BoundObjects): void {
    this.bound = bound;
  }

  /** The expiration a TokenRequest gets, clamped as kube-apiserver clamps it. */
  static expirationSeconds(requested: number | undefined): number {
    const s = requested ?? DEFAULT_EXPIRATION_S;
    return Math.min(Math.max(s, MIN_EXPIRATION_S), MAX_EXPIRATION_S);
  }

  /**
   * Signs a token valid for `expirationSeconds`; `expiresAt` is when the requester should count it
   * as expired, which for an extended token (WARN_ONLY_EXPIRATION_S) comes long before its `exp`.
   */
  issue(sa: { namespace: string; name: string; uid: string }, opts: { audiences?: string[]; expirationSeconds: number; pod?: { name: string; uid: string } }): { token: string; expiresAt: number } {
    const now = Math.floor(Date.now() / 1000);
    const aud = opts.audiences?.length ? opts.audiences : [this.issuer];
    const extended = opts.pod !== undefined && opts.expirationSeconds === WARN_ONLY_EXPIRATION_S && aud.every((a) => a === this.issuer);
    if (opts.pod) this.bound?.saw('Pod', sa.namespace, opts.pod.name, opts.pod.uid);
    this.bound?.saw('ServiceAccount', sa.namespace, sa.name, sa.uid);
    const claims: TokenClaims = {
      iss: this.issuer,
      sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
      aud,
      exp: now + (extended ? EXTENDED_EXPIRATION_S : opts.expirationSeconds), iat: now, nbf: now, jti: randomUUID(),
      'kubernetes.io': {
        namespace: sa.namespace, serviceaccount: { name: sa.name, uid: sa.uid }, ...(opts.pod ? { pod: opts.pod } : {}),
        ...(extended ? { warnafter: now + opts.expirationSeconds } : {}),
      },
    };
    const head = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT' }));
    const body = b64url(JSON.stringify(claims));
    const sig = sign('sha256', Buffer.from(`${head}.${body}`), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${head}.${body}.${b64url(sig)}`, expiresAt: now + opts.expirationSeconds };
  }

  /** The service account a token authenticates, or null for anything else (not ours, expired, malformed). */
  verify(token: string): UserInfo | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    let claims: TokenClaims;
    try {
      const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: this.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
      if (!ok) return null;
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    } catch {
      return null;
    }
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== this.issuer || !(claims.exp > now) || (claims.nbf && claims.nbf > now + 60)) return null;
    const k = claims['kubernetes.io'];
    if (!k?.namespace || !k.serviceaccount?.name) return null;
    if (this.bound) {
      // Deleted, or made again under the same name: the token went with the object it was bound to.
      if (this.bound.uid('ServiceAccount', k.namespace, k.serviceaccount.name) !== k.serviceaccount.uid) return null;
      if (k.pod && this.bound.uid('Pod', k.namespace, k.pod.name) !== k.pod.uid) return null;
    }
    const extra: Record<string, string[]> = {};
    if (k.pod) {
      extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
    }
    return {
      user: `system:serviceaccount:${k.namespace}:${k.serviceaccount.name}`,
      uid: k.serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`],
      extra,
    };
  }
}
