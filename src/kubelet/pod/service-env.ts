// Service links: the Docker-link style variables (FOO_SERVICE_HOST, FOO_PORT_80_TCP ...) the
// kubelet gives containers for the Services of their namespace (when enableServiceLinks) and
// always for the API server's own `kubernetes` Service in `default`.
import type { KObject } from '../../api/resource.js';

export interface Service extends KObject {
  spec?: {
    clusterIP?: string;
    ports?: Array<{ name?: string; port: number; protocol?: string }>;
  };
}

const MASTER_SERVICE = { namespace: 'default', name: 'kubernetes' };

const varName = (s: string) => s.toUpperCase().replace(/-/g, '_');

function hasClusterIP(s: Service): boolean {
  const ip = s.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/** The variables for one Service. */
export function serviceVariables(s: Service): Record<string, string> {
  const out: Record<string, string> = {};
  const name = varName(s.metadata.name ?? '');
  const ip = s.spec!.clusterIP!;
  const ports = s.spec?.ports ?? [];
  out[`${name}_SERVICE_HOST`] = ip;
  if (ports.length) out[`${name}_SERVICE_PORT`] = String(ports[0].port);
  for (const p of ports) if (p.name) out[`${name}_SERVICE_PORT_${varName(p.name)}`] = String(p.port);
  if (ports.length) {
    const first = ports[0];
    out[`${name}_PORT`] = `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`;
  }
  for (const p of ports) {
    const proto = (p.protocol ?? 'TCP').toUpperCase();
    const prefix = `${name}_PORT_${p.port}_${proto}`;
    out[prefix] = `${proto.toLowerCase()}://${ip}:${p.port}`;
    out[`${prefix}_PROTO`] = proto.toLowerCase();
    out[`${prefix}_PORT`] = String(p.port);
    out[`${prefix}_ADDR`] = ip;
  }
  return out;
}

/** The service variables for a pod in `namespace`; services of its own namespace win on names. */
export function serviceEnvFor(services: Service[], namespace: string, enableServiceLinks: boolean): Record<string, string> {
  const chosen = new Map<string, Service>();
  for (const s of services) {
    if (!hasClusterIP(s)) continue;
    const name = s.metadata.name ?? '';
    const ns = s.metadata.namespace ?? '';
    if (ns === namespace && enableServiceLinks) chosen.set(name, s);
    else if (ns === MASTER_SERVICE.namespace && name === MASTER_SERVICE.name && !chosen.has(name)) chosen.set(name, s);
  }
  const out: Record<string, string> = {};
  for (const s of chosen.values()) Object.assign(out, serviceVariables(s));
  return out;
}
