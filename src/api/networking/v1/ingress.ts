// networking.k8s.io/v1 Ingress: HTTP routing from hosts and paths to Services.
import { enumOf, int32, list, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1035Label, validateDNS1123Subdomain } from '../../../machinery/names.js';
import { isIP } from 'node:net';
import { age } from '../../printers.js';
import type { KObject, ResourceDef } from '../../resource.js';
import {
  ageColumn, arr, col, invalidRaw, isObj, kindSchema, nameColumn, o, pathSegmentErrors, portNameErrors, portNumErrors,
  wildcardSubdomainErrors, type Obj,
} from '../../apps/v1/common.js';

const N = 'io.k8s.api.networking.v1';
export const INGRESS = `${N}.Ingress`;

export const definitions: Record<string, Schema> = {
  [INGRESS]: kindSchema('networking.k8s.io', 'v1', 'Ingress', {
    spec: ref(`${N}.IngressSpec`, 'The routing rules and TLS settings.'),
    status: ref(`${N}.IngressStatus`, 'The addresses the ingress is reachable at, written by its controller.'),
  }, 'Routes external HTTP(S) traffic by host and path to Services, through an ingress controller.'),
  [`${N}.IngressSpec`]: obj({
    ingressClassName: str('The IngressClass of the controller that should implement this ingress; default: the class marked default.'),
    defaultBackend: ref(`${N}.IngressBackend`, 'Where requests that match no rule go.'),
    tls: list(ref(`${N}.IngressTLS`), 'TLS termination: certificates and the hosts they serve.'),
    rules: list(ref(`${N}.IngressRule`), 'Host rules; requests matching none go to defaultBackend.'),
  }, 'The desired routing of an Ingress.'),
  [`${N}.IngressBackend`]: obj({
    service: ref(`${N}.IngressServiceBackend`, 'A Service and port; excludes resource.'),
    resource: ref('io.k8s.api.core.v1.TypedLocalObjectReference', 'Another object in the namespace, e.g. a storage bucket; excludes service.'),
  }, 'Where matching requests are sent.'),
  [`${N}.IngressServiceBackend`]: obj({
    name: str('Name of the Service, in the ingress\'s namespace.'),
    port: ref(`${N}.ServiceBackendPort`, 'Port of the Service.'),
  }, { description: 'A Service as a backend.', required: ['name'] }),
  [`${N}.ServiceBackendPort`]: obj({
    name: str('Port name on the Service; excludes number.'),
    number: int32('Port number on the Service; excludes name.'),
  }, { description: 'A Service port, by name or number.', 'x-kubernetes-map-type': 'atomic' }),
  [`${N}.IngressTLS`]: obj({
    hosts: list(str(), 'Hosts the certificate is for; must match hosts of the rules. Default: the controller\'s wildcard host.'),
    secretName: str('Secret holding the certificate (tls.crt) and key (tls.key); empty for SNI-only routing by the controller.'),
  }, 'TLS settings for some hosts.'),
  [`${N}.IngressRule`]: obj({
    host: str('Fully qualified domain name, optionally with a leading "*." wildcard; empty: all hosts. Not an IP address.'),
    http: ref(`${N}.HTTPIngressRuleValue`, 'Path rules for the host.'),
  }, 'Routing for one host.'),
  [`${N}.HTTPIngressRuleValue`]: obj({
    paths: list(ref(`${N}.HTTPIngressPath`), 'Paths and their backends.'),
  }, { description: 'HTTP path routing.', required: ['paths'] }),
  [`${N}.HTTPIngressPath`]: obj({
    path: str('Path matched against the request path; must start with "/".'),
    pathType: enumOf(['Exact', 'ImplementationSpecific', 'Prefix'], 'Exact, Prefix (by path element) or ImplementationSpecific.'),
    backend: ref(`${N}.IngressBackend`, 'Where matching requests go.'),
  }, { description: 'One path and its backend.', required: ['pathType', 'backend'] }),
  [`${N}.IngressStatus`]: obj({
    loadBalancer: ref(`${N}.IngressLoadBalancerStatus`, 'The load balancer in front of the ingress.'),
  }, 'The observed state of an Ingress.'),
  [`${N}.IngressLoadBalancerStatus`]: obj({
    ingress: list(ref(`${N}.IngressLoadBalancerIngress`), 'Its addresses.'),
  }, 'A load balancer\'s addresses.'),
  [`${N}.IngressLoadBalancerIngress`]: obj({
    ip: str('IP address.'),
    hostname: str('DNS name.'),
    ports: list(ref(`${N}.IngressPortStatus`), 'Ports and their state.'),
  }, 'One address of a load balancer.'),
  [`${N}.IngressPortStatus`]: obj({
    port: int32('Port number.'),
    protocol: enumOf(['SCTP', 'TCP', 'UDP'], 'TCP, UDP or SCTP.'),
    error: str('Why the port has a problem, CamelCase.'),
  }, { description: 'State of one port.', required: ['port', 'protocol'] }),
};

const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

function validateTypedLocalObjectReference(r: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (r.apiGroup != null) for (const msg of validateDNS1123Subdomain(String(r.apiGroup))) errs.push(field.invalid(`${path}.apiGroup`, r.apiGroup, msg));
  for (const k of ['kind', 'name']) {
    const v = typeof r[k] === 'string' ? r[k] : '';
    if (!v) errs.push(field.required(`${path}.${k}`, `${k} is required`));
    else for (const msg of pathSegmentErrors(v)) errs.push(field.invalid(`${path}.${k}`, v, msg));
  }
  return errs;
}

export { validateTypedLocalObjectReference };

function validateBackend(b: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const hasResource = b.resource != null;
  const hasService = b.service != null;
  if (hasResource && hasService) return [field.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateTypedLocalObjectReference(o(b.resource), `${path}.resource`);
  if (!hasService) return [field.invalid(path, '', 'resource or service backend is required')];
  const svc = o(b.service);
  if (!svc.name) errs.push(field.required(`${path}.service.name`));
  else for (const msg of validateDNS1035Label(String(svc.name))) errs.push(field.invalid(`${path}.service.name`, svc.name, msg));
  const port = o(svc.port);
  const hasName = typeof port.name === 'string' && port.name.length > 0;
  const hasNumber = port.number != null && port.number !== 0;
  if (hasName && hasNumber) errs.push(field.invalid(path, '', 'cannot set both port name & port number'));
  else if (hasName) for (const msg of portNameErrors(port.name)) errs.push(field.invalid(`${path}.service.port.name`, port.name, msg));
  else if (hasNumber) for (const msg of portNumErrors(port.number)) errs.push(field.invalid(`${path}.service.port.number`, port.number, msg));
  else errs.push(field.required(path, 'port name or number is required'));
  return errs;
}

function validatePath(p: Obj, path: string): FieldError[] {
  if (p.pathType == null) return [field.required(`${path}.pathType`, 'pathType must be specified')];
  const errs: FieldError[] = [];
  const v = typeof p.path === 'string' ? p.path : '';
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!v.startsWith('/')) errs.push(field.invalid(`${path}.path`, v, 'must be an absolute path'));
      if (v.length > 0) {
        for (const seq of INVALID_PATH_SEQUENCES) if (v.includes(seq)) errs.push(field.invalid(`${path}.path`, v, `must not contain '${seq}'`));
        for (const suf of INVALID_PATH_SUFFIXES) if (v.endsWith(suf)) errs.push(field.invalid(`${path}.path`, v, `cannot end with '${suf}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (v.length > 0 && !v.startsWith('/')) errs.push(field.invalid(`${path}.path`, v, 'must be an absolute path'));
      break;
    default:
      errs.push(field.notSupported(`${path}.pathType`, p.pathType, ['Exact', 'ImplementationSpecific', 'Prefix']));
  }
  errs.push(...validateBackend(o(p.backend), `${path}.backend`));
  return errs;
}

function hostErrors(host: string, path: string): FieldError[] {
  const msgs = host.includes('*') ? wildcardSubdomainErrors(host) : validateDNS1123Subdomain(host);
  return msgs.map((m) => field.invalid(path, host, m));
}

export function validateIngress(ing: KObject): FieldError[] {
  const spec = o(ing.spec);
  const errs: FieldError[] = [];
  const rules = arr(spec.rules);
  if (rules.length === 0 && spec.defaultBackend == null) {
    errs.push(invalidRaw('spec', '[]networking.IngressRule(nil)', 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend != null) errs.push(...validateBackend(o(spec.defaultBackend), 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    const rule = o(r);
    const rp = `spec.rules[${i}]`;
    if (typeof rule.host === 'string' && rule.host.length > 0) {
      if (isIP(rule.host)) errs.push(field.invalid(`${rp}.host`, rule.host, 'must be a DNS name, not an IP address'));
      errs.push(...hostErrors(rule.host, `${rp}.host`));
    }
    if (isObj(rule.http)) {
      const paths = arr(rule.http.paths);
      if (paths.length === 0) errs.push(field.required(`${rp}.http.paths`));
      paths.forEach((p, j) => errs.push(...validatePath(o(p), `${rp}.http.paths[${j}]`)));
    }
  });
  arr(spec.tls).forEach((t, i) => {
    const tls = o(t);
    arr(tls.hosts).forEach((h, j) => errs.push(...hostErrors(String(h), `spec.tls[${i}].hosts[${j}]`)));
    if (tls.secretName) for (const msg of validateDNS1123Subdomain(String(tls.secretName))) errs.push(field.invalid(`spec.tls[${i}].secretName`, tls.secretName, msg));
  });
  if (spec.ingressClassName != null) {
    for (const msg of validateDNS1123Subdomain(String(spec.ingressClassName))) errs.push(field.invalid('spec.ingressClassName', spec.ingressClassName, msg));
  }
  arr(o(o(ing.status).loadBalancer).ingress).forEach((l, i) => {
    const lb = o(l);
    if (lb.ip && !isIP(lb.ip)) errs.push(field.invalid(`status.loadBalancer.ingress[${i}].ip`, lb.ip, 'must be a valid IP address'));
    if (lb.hostname && isIP(lb.hostname)) errs.push(field.invalid(`status.loadBalancer.ingress[${i}].hostname`, lb.hostname, 'must be a DNS name, not an IP address'));
  });
  return errs;
}

/** HOSTS: up to four hosts, `*` when no rule names one. */
function formatHosts(rules: unknown): string {
  const rs = arr(rules).map(o);
  const max = 4;
  const list: string[] = [];
  let more = false;
  for (const r of rs) {
    if (list.length === max) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rs.length - max} more...` : list.join(',');
}

/** ADDRESS: the load balancer's IPs or hostnames, sorted and de-duplicated. */
export function loadBalancerAddresses(lb: unknown): string {
  const set = new Set<string>();
  for (const i of arr(o(lb).ingress).map(o)) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

export const ingresses: ResourceDef = {
  group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', singular: 'ingress',
  namespaced: true, shortNames: ['ing'], schemaName: INGRESS,
  subresources: { status: true },
  validate: (ing) => validateIngress(ing),
  columns: [
    nameColumn,
    col('Class', 'string', 'The IngressClass whose controller implements the ingress.'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  row(ing, now) {
    const spec = o(ing.spec);
    return [
      ing.metadata.name, spec.ingressClassName ?? '<none>', formatHosts(spec.rules), loadBalancerAddresses(o(ing.status).loadBalancer),
      arr(spec.tls).length ? '80, 443' : '80', age(ing.metadata.creationTimestamp, now),
    ];
  },
};
