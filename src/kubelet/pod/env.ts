// A container's environment as the kubelet builds it (makeEnvironmentVariables): envFrom sources
// in order (with their prefix), then env entries in order, each value expanded against the
// variables defined before it and the service variables; the service variables the pod did not
// define itself come last.
import type { ConfigMap, Container, EnvVar, Pod, Secret } from '../types.js';
import { DownwardAPIError, podFieldValue, resourceFieldValue, type PodAddresses } from './downward.js';
import { expand, lookupIn } from './expansion.js';

/** The container cannot be configured (CreateContainerConfigError). */
export class ContainerConfigError extends Error {}

export interface EnvSources {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
}

export interface EnvContext extends EnvSources {
  pod: Pod;
  container: Container;
  addresses: PodAddresses;
  /** Node allocatable: resourceFieldRef limits default to it. */
  allocatable: Record<string, string>;
  /** Service links (FOO_SERVICE_HOST ...), already chosen by enableServiceLinks. */
  serviceEnv?: Record<string, string>;
  /** Told about envFrom keys skipped because they are not valid variable names. */
  onInvalidKeys?(kind: 'configMap' | 'secret', name: string, keys: string[]): void;
}

/** Printable ASCII without '=' (RelaxedEnvironmentVariableValidation, on by default in 1.32). */
export function isValidEnvName(name: string): boolean {
  return name.length > 0 && /^[\x20-\x3c\x3e-\x7e]+$/.test(name);
}

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

/** Only `data`: binaryData keys do not become variables, as in Kubernetes. */
function configMapValues(cm: ConfigMap): Record<string, string> {
  return { ...(cm.data ?? {}) };
}

function secretValues(s: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = decode(v);
  return out;
}

export async function makeEnvironment(ctx: EnvContext): Promise<Array<{ key: string; value: string }>> {
  const { pod, container } = ctx;
  const ns = pod.metadata.namespace ?? 'default';
  const env = new Map<string, string>();
  const serviceEnv = ctx.serviceEnv ?? {};
  const lookup = lookupIn(env, serviceEnv);

  for (const from of container.envFrom ?? []) {
    let values: Record<string, string>;
    let kind: 'configMap' | 'secret';
    let name: string;
    if (from.configMapRef) {
      kind = 'configMap';
      name = from.configMapRef.name ?? '';
      const cm = await ctx.configMap(ns, name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      values = configMapValues(cm);
    } else if (from.secretRef) {
      kind = 'secret';
      name = from.secretRef.name ?? '';
      const s = await ctx.secret(ns, name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      values = secretValues(s);
    } else continue;
    const invalid: string[] = [];
    for (const [k, v] of Object.entries(values)) {
      const key = (from.prefix ?? '') + k;
      if (!isValidEnvName(key)) {
        invalid.push(key);
        continue;
      }
      env.delete(key);
      env.set(key, v);
    }
    if (invalid.length) ctx.onInvalidKeys?.(kind, `${ns}/${name}`, invalid.sort());
  }

  for (const e of container.env ?? []) {
    const value = await envValue(ctx, e, lookup, ns);
    if (value === undefined) continue;
    env.delete(e.name);
    env.set(e.name, value);
  }

  for (const [k, v] of Object.entries(serviceEnv)) if (!env.has(k)) env.set(k, v);
  return [...env].map(([key, value]) => ({ key, value }));
}

/** One entry's value; undefined when an optional source is missing (the variable is left out). */
async function envValue(ctx: EnvContext, e: EnvVar, lookup: (n: string) => string | undefined, ns: string): Promise<string | undefined> {
  if (e.value !== undefined && e.value !== '') return expand(e.value, lookup);
  const from = e.valueFrom;
  if (!from) return '';
  try {
    if (from.fieldRef) return podFieldValue(ctx.pod, from.fieldRef, ctx.addresses);
    if (from.resourceFieldRef) return resourceFieldValue(ctx.pod, from.resourceFieldRef, ctx.container.name, ctx.allocatable);
  } catch (err) {
    if (err instanceof DownwardAPIError) throw new ContainerConfigError(err.message);
    throw err;
  }
  if (from.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const name = ref.name ?? '';
    const cm = await ctx.configMap(ns, name);
    if (!cm) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(`configmap "${name}" not found`);
    }
    const v = cm.data?.[ref.key];
    if (v === undefined) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${ns}/${name}`);
    }
    return v;
  }
  if (from.secretKeyRef) {
    const ref = from.secretKeyRef;
    const name = ref.name ?? '';
    const s = await ctx.secret(ns, name);
    if (!s) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(`secret "${name}" not found`);
    }
    const raw = s.data?.[ref.key];
    if (raw === undefined) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${ns}/${name}`);
    }
    return decode(raw);
  }
  return '';
}

/** command and args with $(VAR) references expanded from the container's final environment. */
export function expandCommand(container: Container, env: Array<{ key: string; value: string }>): { command: string[]; args: string[] } {
  const m = new Map(env.map((e) => [e.key, e.value]));
  const lookup = lookupIn(m);
  return {
    command: (container.command ?? []).map((s) => expand(s, lookup)),
    args: (container.args ?? []).map((s) => expand(s, lookup)),
  };
}
