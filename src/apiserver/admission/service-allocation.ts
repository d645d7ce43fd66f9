// Service cluster IPs from --service-cidr and node ports from 30000-32767. Each allocation is a key
// in the store created only if absent, so several API servers never hand out the same one.
import type { KObject } from '../../api/resource.js';
import { errors, type StatusCause } from '../../machinery/status.js';
import { KeyExistsError, NotFoundError, type Store } from '../../store/types.js';
import type { Admission } from './types.js';

const IP_PREFIX = '/registry/core/allocations/clusterips/';
const PORT_PREFIX = '/registry/core/allocations/nodeports/';
export const NODE_PORT_RANGE = { base: 30000, size: 2768 };

interface Cidr { base: number; size: number }

export function parseCidr(cidr: string): Cidr {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new Error(`invalid CIDR ${cidr}`);
  const bits = Number(m[5]);
  const ip = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
  const size = 2 ** (32 - bits);
  return { base: ip - (ip % size), size };
}

export const ipToString = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
export function ipToNumber(s: string): number | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (!m || m.slice(1).some((x) => Number(x) > 255)) return null;
  return ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
}

/** The kubernetes Service takes the first address of the range. */
export function firstServiceIP(cidr: string): string {
  return ipToString(parseCidr(cidr).base + 1);
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: Array<{ nodePort?: number; port?: number }>;
}

export function serviceAllocation(store: Store, serviceCIDR: string): Admission {
  const range = parseCidr(serviceCIDR);
  const owner = (svc: KObject) => JSON.stringify({ namespace: svc.metadata.namespace, name: svc.metadata.name, uid: svc.metadata.uid });

  async function reserve(key: string, svc: KObject, dryRun: boolean): Promise<boolean> {
    if (dryRun) return !(await store.get(key)).kv;
    try {
      await store.create(key, owner(svc));
      return true;
    } catch (err) {
      if (err instanceof KeyExistsError) return false;
      throw err;
    }
  }
  async function free(key: string): Promise<void> {
    await store.delete(key).catch((err) => { if (!(err instanceof NotFoundError)) throw err; });
  }
  const invalid = (svc: KObject, causes: StatusCause[]) => errors.invalid('Service', '', svc.metadata.name ?? '', causes);

  async function allocateIP(svc: KObject, spec: ServiceSpec, dryRun: boolean): Promise<void> {
    if (spec.type === 'ExternalName') return;
    if (spec.clusterIP === 'None' || spec.clusterIPs?.[0] === 'None') {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
      return;
    }
    const wanted = spec.clusterIP || spec.clusterIPs?.[0];
    if (wanted) {
      const n = ipToNumber(wanted);
      if (n === null || n <= range.base || n >= range.base + range.size - 1) {
        throw invalid(svc, [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs', message: `Invalid value: []string{"${wanted}"}: failed to allocate IP ${wanted}: the provided IP (${wanted}) is not in the valid range. The range of valid IPs is ${serviceCIDR}` }]);
      }
      if (!(await reserve(IP_PREFIX + wanted, svc, dryRun))) {
        throw invalid(svc, [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs', message: `Invalid value: []string{"${wanted}"}: failed to allocate IP ${wanted}: provided IP is already allocated` }]);
      }
      spec.clusterIP = wanted;
      spec.clusterIPs = [wanted];
      return;
    }
    // Random probing, then a scan, so a nearly full range still finds its last free address.
    const usable = range.size - 3;
    for (let i = 0; i < usable + 64; i++) {
      const offset = i < 64 ? 2 + Math.floor(Math.random() * usable) : 2 + (i - 64);
      const ip = ipToString(range.base + offset);
      if (await reserve(IP_PREFIX + ip, svc, dryRun)) {
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
        return;
      }
    }
    throw errors.internal(`failed to allocate a serviceIP: range is full`);
  }

  async function allocatePorts(svc: KObject, spec: ServiceSpec, keep: Set<number>, dryRun: boolean): Promise<void> {
    if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') return;
    for (const [i, p] of (spec.ports ?? []).entries()) {
      if (p.nodePort) {
        if (keep.has(p.nodePort)) continue;
        if (p.nodePort < NODE_PORT_RANGE.base || p.nodePort >= NODE_PORT_RANGE.base + NODE_PORT_RANGE.size) {
          throw invalid(svc, [{ reason: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is 30000-32767` }]);
        }
        if (!(await reserve(PORT_PREFIX + p.nodePort, svc, dryRun))) {
          throw invalid(svc, [{ reason: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${p.nodePort}: provided port is already allocated` }]);
        }
        continue;
      }
      for (let t = 0; t < NODE_PORT_RANGE.size + 64; t++) {
        const port = t < 64 ? NODE_PORT_RANGE.base + Math.floor(Math.random() * NODE_PORT_RANGE.size) : NODE_PORT_RANGE.base + (t - 64);
        if (await reserve(PORT_PREFIX + port, svc, dryRun)) {
          p.nodePort = port;
          break;
        }
      }
      if (!p.nodePort) throw errors.internal('failed to allocate a nodePort: range is full');
    }
  }

  const nodePortsOf = (spec: ServiceSpec | undefined) => new Set((spec?.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p));

  return {
    name: 'ServiceAllocation',
    async admit(op, def, obj, old, ctx) {
      if (def.group !== '' || def.plural !== 'services') return;
      const spec = (obj.spec ??= {}) as ServiceSpec;
      if (op === 'CREATE') {
        await allocateIP(obj, spec, ctx.dryRun);
        await allocatePorts(obj, spec, new Set(), ctx.dryRun);
      } else if (op === 'UPDATE' && old) {
        const oldSpec = (old.spec ?? {}) as ServiceSpec;
        if (!oldSpec.clusterIP && spec.type !== 'ExternalName') await allocateIP(obj, spec, ctx.dryRun);
        if (oldSpec.type === 'ExternalName' || !spec.type || spec.type === 'ExternalName') { /* no IP changes */ }
        const before = nodePortsOf(oldSpec);
        // Keep node ports the user did not set on an update, as Kubernetes carries them over.
        if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
          for (const p of spec.ports ?? []) {
            if (!p.nodePort) p.nodePort = oldSpec.ports?.find((o) => o.port === p.port)?.nodePort;
          }
        }
        await allocatePorts(obj, spec, before, ctx.dryRun);
        if (!ctx.dryRun) {
          const after = nodePortsOf(spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? spec : undefined);
          for (const p of before) if (!after.has(p)) await free(PORT_PREFIX + p);
          if (spec.type === 'ExternalName' && oldSpec.clusterIP && oldSpec.clusterIP !== 'None') await free(IP_PREFIX + oldSpec.clusterIP);
        }
      }
    },
    async release(def, obj) {
      if (def.group !== '' || def.plural !== 'services') return;
      const spec = (obj.spec ?? {}) as ServiceSpec;
      if (spec.clusterIP && spec.clusterIP !== 'None') {
        const cur = (await store.get(IP_PREFIX + spec.clusterIP)).kv;
        if (cur && JSON.parse(cur.value).uid === obj.metadata.uid) await free(IP_PREFIX + spec.clusterIP);
      }
      for (const p of nodePortsOf(spec)) {
        const cur = (await store.get(PORT_PREFIX + p)).kv;
        if (cur && JSON.parse(cur.value).uid === obj.metadata.uid) await free(PORT_PREFIX + p);
      }
    },
  };
}
