// discovery.k8s.io/v1 EndpointSlice: a slice of the network endpoints behind a Service.
import { bool, enumOf, int32, list, obj, ref, set, str, strMap, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1123Label, validateDNS1123Subdomain, validateLabels, validateQualifiedName } from '../../../machinery/names.js';
import { isIPv4, isIPv6 } from 'node:net';
import { age } from '../../printers.js';
import type { ResourceDef } from '../../resource.js';
import { ageColumn, arr, col, immutable, isObj, kindSchema, nameColumn, o, tooMany, type Obj } from '../../apps/v1/common.js';

const D = 'io.k8s.api.discovery.v1';
export const ENDPOINT_SLICE = `${D}.EndpointSlice`;
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';

export const definitions: Record<string, Schema> = {
  [ENDPOINT_SLICE]: kindSchema('discovery.k8s.io', 'v1', 'EndpointSlice', {
    addressType: enumOf(['FQDN', 'IPv4', 'IPv6'], 'The kind of addresses in the slice: IPv4, IPv6 or FQDN. Immutable.'),
    endpoints: list(ref(`${D}.Endpoint`), 'The endpoints, at most 1000.'),
    ports: list(ref(`${D}.EndpointPort`), 'Ports every endpoint of the slice exposes; none: all ports.'),
  }, `A subset of the endpoints of a Service (the Service is named by the ${LABEL_SERVICE_NAME} label).`, ['addressType', 'endpoints']),
  [`${D}.Endpoint`]: obj({
    addresses: set(str(), 'Addresses of the endpoint, of the slice\'s addressType; consumers use the first.'),
    conditions: ref(`${D}.EndpointConditions`, 'The readiness of the endpoint.'),
    hostname: str('Hostname of the endpoint (a DNS label), for DNS records of headless Services.'),
    targetRef: ref('io.k8s.api.core.v1.ObjectReference', 'The object behind the endpoint, usually a Pod.'),
    deprecatedTopology: strMap('Deprecated topology labels; use nodeName and zone.'),
    nodeName: str('The node hosting the endpoint.'),
    zone: str('The zone the endpoint is in.'),
    hints: ref(`${D}.EndpointHints`, 'Hints for topology-aware routing.'),
  }, { description: 'One network endpoint.', required: ['addresses'] }),
  [`${D}.EndpointConditions`]: obj({
    ready: bool('Whether the endpoint should receive traffic (serving and not terminating).'),
    serving: bool('Whether the endpoint is ready, regardless of terminating.'),
    terminating: bool('Whether the endpoint is terminating.'),
  }, 'The state of an endpoint.'),
  [`${D}.EndpointHints`]: obj({
    forZones: list(ref(`${D}.ForZone`), 'Zones that should consume this endpoint.'),
  }, 'Topology hints.'),
  [`${D}.ForZone`]: obj({ name: str('Name of the zone.') }, { description: 'A zone that should consume an endpoint.', required: ['name'] }),
  [`${D}.EndpointPort`]: obj({
    name: str('Name of the port (the Service port\'s name); empty when unnamed.'),
    protocol: enumOf(['SCTP', 'TCP', 'UDP'], 'TCP, UDP or SCTP. Defaults to TCP.'),
    port: int32('Port number; unset: all ports.'),
    appProtocol: str('Application protocol, e.g. http, kubernetes.io/h2c.'),
  }, { description: 'A port of the endpoints.', 'x-kubernetes-map-type': 'atomic' }),
};

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

function nonSpecialIP(ip: string, path: string): FieldError[] {
  const v4 = isIPv4(ip);
  const lower = ip.toLowerCase();
  if (ip === '0.0.0.0' || lower === '::') return [field.invalid(path, ip, 'may not be unspecified (0.0.0.0, ::)')];
  if ((v4 && ip.startsWith('127.')) || lower === '::1') return [field.invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if ((v4 && ip.startsWith('169.254.')) || /^fe[89ab]/.test(lower)) return [field.invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  if ((v4 && ip.startsWith('224.0.0.')) || lower.startsWith('ff02:')) return [field.invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  return [];
}

function validateAddress(addr: string, type: string, path: string): FieldError[] {
  switch (type) {
    case 'IPv4':
      return isIPv4(addr) ? nonSpecialIP(addr, path) : [field.invalid(path, addr, 'must be a valid IPv4 address')];
    case 'IPv6':
      return isIPv6(addr) ? nonSpecialIP(addr, path) : [field.invalid(path, addr, 'must be a valid IPv6 address')];
    case 'FQDN': {
      const errs = validateDNS1123Subdomain(addr).map((m) => field.invalid(path, addr, m));
      if (addr.split('.').length < 2) errs.push(field.invalid(path, addr, 'should be a domain with at least two segments separated by dots'));
      return errs;
    }
    default:
      return [];
  }
}

export const endpointSlices: ResourceDef = {
  group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice',
  namespaced: true, schemaName: ENDPOINT_SLICE,
  defaults(es) {
    for (const p of arr(es.ports)) {
      if (!isObj(p)) continue;
      p.name ??= '';
      p.protocol ??= 'TCP';
    }
  },
  validate(es, { old }) {
    const errs: FieldError[] = [];
    const type = typeof es.addressType === 'string' ? es.addressType : '';
    if (!type) errs.push(field.required('addressType'));
    else if (!ADDRESS_TYPES.includes(type) && !(old && old.addressType === 'IP' && type === 'IP')) errs.push(field.notSupported('addressType', type, ADDRESS_TYPES));
    const endpoints = arr(es.endpoints);
    if (endpoints.length > 1000) errs.push(tooMany('endpoints', endpoints.length, 1000));
    else endpoints.forEach((e, i) => {
      const ep = o(e);
      const p = `endpoints[${i}]`;
      const addrs = arr(ep.addresses);
      if (addrs.length === 0) errs.push(field.required(`${p}.addresses`, 'must contain at least 1 address'));
      else if (addrs.length > 100) errs.push(tooMany(`${p}.addresses`, addrs.length, 100));
      addrs.forEach((a, j) => errs.push(...validateAddress(String(a), type, `${p}.addresses[${j}]`)));
      if (ep.nodeName != null) for (const msg of validateDNS1123Subdomain(String(ep.nodeName))) errs.push(field.invalid(`${p}.nodeName`, ep.nodeName, msg));
      const topo = o(ep.deprecatedTopology);
      if (Object.keys(topo).length > 16) errs.push(tooMany(`${p}.deprecatedTopology`, Object.keys(topo).length, 16));
      errs.push(...validateLabels(ep.deprecatedTopology, `${p}.deprecatedTopology`));
      if (ep.hostname != null) for (const msg of validateDNS1123Label(String(ep.hostname))) errs.push(field.invalid(`${p}.hostname`, ep.hostname, msg));
      const zones = arr(o(ep.hints).forZones);
      if (zones.length > 8) errs.push(tooMany(`${p}.hints.forZones`, zones.length, 8));
    });
    const ports = arr(es.ports);
    const names = new Set<string>();
    if (ports.length > 20000) errs.push(tooMany('ports', ports.length, 20000));
    else ports.forEach((pt, i) => {
      const port = o(pt);
      const p = `ports[${i}]`;
      const name = typeof port.name === 'string' ? port.name : '';
      if (name) for (const msg of validateDNS1123Label(name)) errs.push(field.invalid(`${p}.name`, name, msg));
      if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
      else names.add(name);
      if (port.protocol == null) errs.push(field.required(`${p}.protocol`));
      else if (!['SCTP', 'TCP', 'UDP'].includes(port.protocol)) errs.push(field.notSupported(`${p}.protocol`, port.protocol, ['SCTP', 'TCP', 'UDP']));
      if (port.appProtocol != null) for (const msg of validateQualifiedName(String(port.appProtocol))) errs.push(field.invalid(`${p}.appProtocol`, port.appProtocol, msg));
    });
    if (old) errs.push(...immutable(es.addressType, old.addressType, 'addressType'));
    return errs;
  },
  columns: [
    nameColumn,
    col('AddressType', 'string', 'The type of addresses contained in the EndpointSlice.'),
    col('Ports', 'string', 'The ports contained in the EndpointSlice.'),
    col('Endpoints', 'string', 'The endpoints contained in the EndpointSlice.'),
    ageColumn,
  ],
  row: (es, now) => [es.metadata.name, es.addressType ?? '', formatPorts(es.ports), formatEndpoints(es.endpoints), age(es.metadata.creationTimestamp, now)],
};

function listWithMore(list: string[], count: number, max: number): string {
  const ret = list.join(',');
  if (count > max) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

/** PORTS: up to three port numbers (or names, or `*` for all ports). */
function formatPorts(ports: unknown): string {
  const ps = arr(ports).map(o);
  const list = ps.slice(0, 3).map((p: Obj) => (p.port != null ? String(p.port) : p.name != null ? String(p.name) : '*'));
  return listWithMore(list, ps.length, 3);
}

/** ENDPOINTS: up to three addresses across the endpoints. */
function formatEndpoints(endpoints: unknown): string {
  const all = arr(endpoints).flatMap((e) => arr(o(e).addresses).map(String));
  return listWithMore(all.slice(0, 3), all.length, 3);
}
