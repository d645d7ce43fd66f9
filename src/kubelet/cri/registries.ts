// k3s's registries.yaml (`--private-registry FILE`): mirrors and per-registry auth/TLS, read the
// way k3s reads it and turned into containerd 1.6's CRI registry settings.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';

export interface RegistryMirror {
  /** Endpoints tried in order, e.g. `http://127.0.0.1:5000` (plain HTTP is allowed per endpoint). */
  endpoint: string[];
}

export interface RegistryConfig {
  auth?: { username?: string; password?: string; auth?: string; identity_token?: string };
  tls?: { ca_file?: string; cert_file?: string; key_file?: string; insecure_skip_verify?: boolean };
}

export interface Registries {
  mirrors: Record<string, RegistryMirror>;
  configs: Record<string, RegistryConfig>;
}

export class RegistriesError extends Error {
  constructor(source: string, msg: string) {
    super(`${source}: ${msg}`);
    this.name = 'RegistriesError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(v: unknown, where: string, source: string): string[] {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    throw new RegistriesError(source, `${where} must be a list of strings`);
  }
  return v as string[];
}

function pickStrings<K extends string>(v: unknown, keys: readonly K[], where: string, source: string): Partial<Record<K, string>> {
  if (!isObject(v)) throw new RegistriesError(source, `${where} must be a mapping`);
  const out: Partial<Record<K, string>> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!(keys as readonly string[]).includes(k)) continue;
    if (typeof val !== 'string') throw new RegistriesError(source, `${where}.${k} must be a string`);
    out[k as K] = val;
  }
  return out;
}

/** Parses registries.yaml text; unknown keys are ignored as k3s does, wrong types are errors. */
export function parseRegistries(text: string, source = 'registries.yaml'): Registries {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new RegistriesError(source, `not valid YAML: ${(err as Error).message}`);
  }
  const out: Registries = { mirrors: {}, configs: {} };
  if (doc === null || doc === undefined) return out;
  if (!isObject(doc)) throw new RegistriesError(source, 'the top level must be a mapping with mirrors and configs');
  if (doc.mirrors !== undefined && doc.mirrors !== null) {
    if (!isObject(doc.mirrors)) throw new RegistriesError(source, 'mirrors must be a mapping of registry host to {endpoint: [...]}');
    for (const [host, m] of Object.entries(doc.mirrors)) {
      if (!isObject(m)) throw new RegistriesError(source, `mirrors."${host}" must be a mapping`);
      const endpoint = m.endpoint === undefined ? [] : strings(m.endpoint, `mirrors."${host}".endpoint`, source);
      for (const e of endpoint) {
        let u: URL;
        try {
          u = new URL(e);
        } catch {
          throw new RegistriesError(source, `mirrors."${host}".endpoint "${e}" is not a URL (write http://HOST:PORT or https://HOST)`);
        }
        if (u.protocol !== 'http:' && u.protocol !== 'https:') {
          throw new RegistriesError(source, `mirrors."${host}".endpoint "${e}" must be http:// or https://`);
        }
      }
      out.mirrors[host] = { endpoint };
    }
  }
  if (doc.configs !== undefined && doc.configs !== null) {
    if (!isObject(doc.configs)) throw new RegistriesError(source, 'configs must be a mapping of registry host to {auth, tls}');
    for (const [host, c] of Object.entries(doc.configs)) {
      if (!isObject(c)) throw new RegistriesError(source, `configs."${host}" must be a mapping`);
      const cfg: RegistryConfig = {};
      if (c.auth !== undefined) cfg.auth = pickStrings(c.auth, ['username', 'password', 'auth', 'identity_token'] as const, `configs."${host}".auth`, source);
      if (c.tls !== undefined) {
        const tls: NonNullable<RegistryConfig['tls']> = pickStrings(c.tls, ['ca_file', 'cert_file', 'key_file'] as const, `configs."${host}".tls`, source);
        const skip = (c.tls as Record<string, unknown>).insecure_skip_verify;
        if (skip !== undefined) {
          if (typeof skip !== 'boolean') throw new RegistriesError(source, `configs."${host}".tls.insecure_skip_verify must be true or false`);
          tls.insecure_skip_verify = skip;
        }
        cfg.tls = tls;
      }
      out.configs[host] = cfg;
    }
  }
  return out;
}

export async function readRegistriesFile(path: string): Promise<Registries> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new RegistriesError(path, `cannot read the private registry file: ${(err as Error).message}`);
  }
  return parseRegistries(text, path);
}
