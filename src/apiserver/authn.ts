// Who is asking: kube-apiserver's authenticators reduced to what k8ts serves. A client certificate
// verified against the cluster CA names the user (CN) and groups (O); otherwise a bearer token is
// looked up in a table the caller owns (static tokens, service account tokens, the join token).
// Every authenticated user also gets the group system:authenticated, as Kubernetes adds it.
import type { IncomingHttpHeaders } from 'node:http';
import type { TLSSocket, PeerCertificate } from 'node:tls';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile, rename, chmod } from 'node:fs/promises';
import { join } from 'node:path';

export interface UserInfo {
  user: string;
  groups: string[];
  uid?: string;
  /** Extra attributes, e.g. the service account's pod for bound tokens. */
  extra?: Record<string, string[]>;
}

/** Looks a bearer token up; null when the token is unknown. */
export type TokenLookup = (token: string) => UserInfo | null | undefined;

export interface AuthnOptions {
  tokens?: TokenLookup;
  /**
   * Requests without credentials become system:anonymous (group system:unauthenticated), as
   * kube-apiserver does with --anonymous-auth=true. Off by default, like k3s: the caller answers 401.
   */
  anonymous?: boolean;
}

export const AUTHENTICATED = 'system:authenticated';
export const UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS = 'system:anonymous';

/** Just the parts of an http.IncomingMessage authentication reads. */
export interface AuthnRequest {
  socket: unknown;
  headers: IncomingHttpHeaders;
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function withAuthenticated(u: UserInfo): UserInfo {
  return u.groups.includes(AUTHENTICATED) ? u : { ...u, groups: [...u.groups, AUTHENTICATED] };
}

/** The user of a verified client certificate, or undefined when none was presented. Null: presented but not trusted. */
function fromCertificate(socket: unknown): UserInfo | null | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (typeof tls.getPeerCertificate !== 'function') return undefined;
  const cert = tls.getPeerCertificate() as PeerCertificate | undefined;
  if (!cert || !cert.subject || Object.keys(cert).length === 0) return undefined;
  // Presented but not verified against the CA: Go's TLS stack would have failed the handshake.
  if (!tls.authorized) return null;
  const cn = asList(cert.subject.CN)[0];
  if (!cn) return null;
  if (Date.parse(cert.valid_to) < Date.now()) return null;
  return withAuthenticated({ user: cn, groups: asList(cert.subject.O) });
}

/** The bearer token of an Authorization header; undefined when there is none or it is empty, as Kubernetes reads it. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const m = /^bearer (\S+)/i.exec(headers.authorization ?? '');
  return m?.[1];
}

/**
 * Authenticates a request: a trusted client certificate wins, then a bearer token. Returns null
 * when the request carries no usable credentials (the caller answers 401 Unauthorized), including
 * when it carries wrong ones: an untrusted certificate or an unknown token never falls back to
 * anonymous, as in Kubernetes.
 */
export function authenticate(req: AuthnRequest, opts: AuthnOptions = {}): UserInfo | null {
  const byCert = fromCertificate(req.socket);
  if (byCert !== undefined) return byCert;
  const token = bearerToken(req.headers);
  if (token !== undefined) {
    const u = opts.tokens?.(token);
    return u ? withAuthenticated(u) : null;
  }
  return opts.anonymous ? { user: ANONYMOUS, groups: [UNAUTHENTICATED] } : null;
}

// ---- the cluster join token --------------------------------------------------------------

/** The parts of a k3s-style token `K10<ca-hash>::<user>:<secret>`; a bare secret is accepted too. */
export interface JoinToken {
  caHash?: string;
  username?: string;
  secret: string;
}

export function parseJoinToken(token: string): JoinToken {
  const t = token.trim();
  const m = /^K10([0-9a-f]{64})::(?:([^:]+):)?(.+)$/i.exec(t);
  if (m) return { caHash: m[1].toLowerCase(), username: m[2], secret: m[3] };
  return { secret: t };
}

export function caHash(caCert: string): string {
  return createHash('sha256').update(caCert).digest('hex');
}

/** Whether a token someone presents carries the same secret as ours (compared in constant time). */
export function joinTokenMatches(presented: string, ours: string): boolean {
  const a = Buffer.from(parseJoinToken(presented).secret);
  const b = Buffer.from(parseJoinToken(ours).secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** For an agent: whether the CA a server presents is the one the token was made for. */
export function tokenTrustsCA(token: string, caCert: string): boolean {
  const h = parseJoinToken(token).caHash;
  return h === undefined || h === caHash(caCert);
}

/**
 * The cluster join token in <dataDir>/token (mode 0600), made on first start as k3s makes it:
 * `K10` + sha256 of the CA certificate + `::server:` + 32 random hex digits. If the CA changed,
 * the secret is kept and the CA hash brought up to date. The CA is read from <dataDir>/tls
 * (run ensurePki first) unless given.
 */
export async function loadOrCreateToken(dataDir: string, caCert?: string): Promise<string> {
  const ca = caCert ?? (await readFile(join(dataDir, 'tls', 'server-ca.crt'), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new Error(`no cluster CA in ${join(dataDir, 'tls')}: create the PKI (ensurePki) before the token`);
    throw e;
  }));
  const file = join(dataDir, 'token');
  let existing: string | undefined;
  try {
    existing = (await readFile(file, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const parsed = existing ? parseJoinToken(existing) : undefined;
  const token = `K10${caHash(ca)}::${parsed?.username ?? 'server'}:${parsed?.secret ?? randomBytes(16).toString('hex')}`;
  if (token !== existing) {
    await mkdir(dataDir, { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    await writeFile(tmp, token + '\n', { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  }
  return token;
}
