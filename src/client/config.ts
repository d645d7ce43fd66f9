// Where and how to reach the API server: the part of a kubeconfig the client needs, and a reader
// for kubeconfig files as kubectl writes and reads them (current-context → cluster + user).
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

export interface ClientConfig {
  /** https://127.0.0.1:6443 (http:// is accepted for tests and local proxies). */
  server: string;
  /** PEM of the CA that signed the server's certificate; the system roots when absent. */
  caCert?: string;
  /** PEM client certificate and key for mutual TLS. */
  clientCert?: string;
  clientKey?: string;
  /** Bearer token. */
  token?: string;
  userAgent?: string;
  /** Accept any server certificate (kubeconfig insecure-skip-tls-verify). */
  insecureSkipTLSVerify?: boolean;
  /** The name to check the server certificate against, when it differs from the URL's host. */
  tlsServerName?: string;
  /** The default namespace from the kubeconfig context; not applied by the client itself. */
  namespace?: string;
  /** Client-side throttle like client-go's QPS/Burst; none when absent. Watches are not throttled. */
  qps?: number;
  burst?: number;
  /** Deadline for one non-watch request, ms; default 60 s. */
  timeoutMs?: number;
}

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

interface Named<T> { name: string; [k: string]: unknown; cluster?: T; user?: T; context?: T }

/** Reads a kubeconfig file; `context` overrides current-context. */
export function loadKubeconfig(path: string, context?: string): ClientConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new KubeconfigError(`cannot read kubeconfig ${path}: ${(e as Error).message}`);
  }
  return parseKubeconfig(text, dirname(path), context);
}

/** Parses kubeconfig YAML; relative file references resolve against `baseDir`. */
export function parseKubeconfig(text: string, baseDir = process.cwd(), context?: string): ClientConfig {
  let doc: Record<string, unknown>;
  try {
    doc = (parse(text) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new KubeconfigError(`kubeconfig is not valid YAML: ${(e as Error).message}`);
  }
  const pick = <T>(list: unknown, name: string | undefined, what: string): T | undefined => {
    if (!name) return undefined;
    const found = (Array.isArray(list) ? (list as Named<T>[]) : []).find((e) => e?.name === name);
    if (!found) throw new KubeconfigError(`kubeconfig: ${what} "${name}" not found`);
    return (found.cluster ?? found.user ?? found.context ?? {}) as T;
  };
  const ctxName = context ?? (doc['current-context'] as string | undefined);
  const ctx = pick<Record<string, string>>(doc.contexts, ctxName, 'context');
  const clusterName = ctx?.cluster ?? (Array.isArray(doc.clusters) && doc.clusters.length === 1 ? (doc.clusters[0] as Named<unknown>).name : undefined);
  const userName = ctx?.user ?? (Array.isArray(doc.users) && doc.users.length === 1 ? (doc.users[0] as Named<unknown>).name : undefined);
  const cluster = pick<Record<string, unknown>>(doc.clusters, clusterName, 'cluster');
  if (!cluster || typeof cluster.server !== 'string') throw new KubeconfigError('kubeconfig: no cluster with a server for the current context');
  const user = pick<Record<string, unknown>>(doc.users, userName, 'user') ?? {};

  const file = (p: unknown) => {
    const full = isAbsolute(String(p)) ? String(p) : resolve(baseDir, String(p));
    try {
      return readFileSync(full, 'utf8');
    } catch (e) {
      throw new KubeconfigError(`kubeconfig: cannot read ${full}: ${(e as Error).message}`);
    }
  };
  const data = (inline: unknown, path: unknown) =>
    typeof inline === 'string' ? Buffer.from(inline, 'base64').toString('utf8') : typeof path === 'string' ? file(path) : undefined;

  const cfg: ClientConfig = { server: cluster.server.replace(/\/+$/, '') };
  const ca = data(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (ca) cfg.caCert = ca;
  if (cluster['insecure-skip-tls-verify'] === true) cfg.insecureSkipTLSVerify = true;
  if (typeof cluster['tls-server-name'] === 'string') cfg.tlsServerName = cluster['tls-server-name'];
  const cert = data(user['client-certificate-data'], user['client-certificate']);
  const key = data(user['client-key-data'], user['client-key']);
  if (cert) cfg.clientCert = cert;
  if (key) cfg.clientKey = key;
  if (typeof user.token === 'string') cfg.token = user.token;
  else if (typeof user.tokenFile === 'string') cfg.token = file(user.tokenFile).trim();
  if (ctx?.namespace) cfg.namespace = ctx.namespace;
  return cfg;
}
