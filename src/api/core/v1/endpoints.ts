// core/v1 Endpoints: the addresses behind a Service, kept by the endpoints controller (or by hand
// for services without a selector).
import { int32, list, obj, str, enumOf, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1123Label, validateDNS1123Subdomain, validateQualifiedName } from '../../../machinery/names.js';
import type { ResourceDef } from '../../resource.js';
import { age } from '../../printers.js';
import { col, core, cref, kindObj, nameColumn, ageColumn } from './common.js';
import { arr, isObj, isValidIP, IP_MSG, strOf, validatePortNumber, type O } from './validation.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export const definitions: Record<string, Schema> = {
  [core('Endpoints')]: kindObj('', 'Endpoints', {
    subsets: list(cref('EndpointSubset'), 'Groups of addresses that share the same ports.'),
  }, 'The network addresses of a service\'s backends. Superseded by EndpointSlices, still kept in step.'),
  [core('EndpointSubset')]: obj({
    addresses: list(cref('EndpointAddress'), 'Addresses that are ready to receive traffic.'),
    notReadyAddresses: list(cref('EndpointAddress'), 'Addresses that are not ready yet, or failed their readiness check.'),
    ports: list(cref('EndpointPort'), 'Ports open on all these addresses.'),
  }, 'A set of addresses with a set of ports; the endpoints are their product.'),
  [core('EndpointAddress')]: obj({
    ip: str('IP of the endpoint.'),
    hostname: str('Hostname of the endpoint.'),
    nodeName: str('Node hosting the endpoint.'),
    targetRef: cref('ObjectReference', 'The object (usually a pod) behind the endpoint.'),
  }, { description: 'One endpoint address.', required: ['ip'], 'x-kubernetes-map-type': 'atomic' }),
  [core('EndpointPort')]: obj({
    name: str('Name of the port, matching the service port\'s name.'),
    port: int32('Port number.'),
    protocol: enumOf(PROTOCOLS, 'TCP, UDP or SCTP. Defaults to TCP.'),
    appProtocol: str('Application protocol of the port.'),
  }, { description: 'A port of an endpoint subset.', required: ['port'], 'x-kubernetes-map-type': 'atomic' }),
};

function validateAddress(a: O, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isValidIP(a.ip)) errs.push(field.invalid(`${path}.ip`, a.ip ?? '', IP_MSG));
  else if (a.ip === '0.0.0.0' || a.ip === '::') errs.push(field.invalid(`${path}.ip`, a.ip, `may not be unspecified (${a.ip})`));
  if (a.hostname) for (const m of validateDNS1123Label(strOf(a.hostname))) errs.push(field.invalid(`${path}.hostname`, a.hostname, m));
  if (a.nodeName !== undefined && a.nodeName !== null) for (const m of validateDNS1123Subdomain(strOf(a.nodeName))) errs.push(field.invalid(`${path}.nodeName`, a.nodeName, m));
  return errs;
}

export function validateEndpoints(ep: O): FieldError[] {
  const errs: FieldError[] = [];
  arr(ep.subsets).forEach((ss: O, i) => {
    const p = `subsets[${i}]`;
    if (!isObj(ss)) return;
    if (arr(ss.addresses).length === 0 && arr(ss.notReadyAddresses).length === 0) errs.push(field.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    arr(ss.addresses).forEach((a, j) => isObj(a) && errs.push(...validateAddress(a, `${p}.addresses[${j}]`)));
    arr(ss.notReadyAddresses).forEach((a, j) => isObj(a) && errs.push(...validateAddress(a, `${p}.notReadyAddresses[${j}]`)));
    const ports = arr(ss.ports).filter(isObj);
    ports.forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      if (ports.length > 1 && !port.name) errs.push(field.required(`${pp}.name`));
      else if (port.name) for (const m of validateDNS1123Label(strOf(port.name))) errs.push(field.invalid(`${pp}.name`, port.name, m));
      errs.push(...validatePortNumber(port.port, `${pp}.port`));
      if (!port.protocol) errs.push(field.required(`${pp}.protocol`));
      else if (!PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(`${pp}.protocol`, port.protocol, PROTOCOLS));
      if (port.appProtocol !== undefined && port.appProtocol !== null) {
        for (const m of validateQualifiedName(strOf(port.appProtocol))) errs.push(field.invalid(`${pp}.appProtocol`, port.appProtocol, m));
      }
    });
  });
  return errs;
}

/** ENDPOINTS: up to three ip:port pairs, then "+ N more...". */
export function formatEndpoints(subsets: unknown): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of arr(subsets).filter(isObj)) {
    const addresses = arr(ss.addresses).filter(isObj);
    const ports = arr(ss.ports).filter(isObj);
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) { more = true; break; }
        list.push(strOf(a.ip));
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) { more = true; break; }
        const ip = strOf(a.ip);
        list.push(ip.includes(':') ? `[${ip}]:${port.port}` : `${ip}:${port.port}`);
      }
    }
  }
  const joined = list.join(',');
  if (more) return `${joined} + ${count - max} more...`;
  return joined || '<none>';
}

export const endpoints: ResourceDef = {
  group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true,
  shortNames: ['ep'], schemaName: core('Endpoints'),
  defaults(ep) {
    for (const ss of arr(ep.subsets)) {
      if (!isObj(ss)) continue;
      for (const p of arr(ss.ports)) if (isObj(p) && !p.protocol) p.protocol = 'TCP';
    }
  },
  validate: (ep) => validateEndpoints(ep),
  columns: [nameColumn, col('Endpoints', 'string', 'Addresses and ports of the service\'s backends.'), ageColumn],
  row: (ep, now) => [ep.metadata.name, formatEndpoints(ep.subsets), age(ep.metadata.creationTimestamp, now)],
};
