// core/v1 Service: a stable virtual IP (or DNS name) in front of a set of pods.
// Cluster IPs and node ports are allocated by the API server's admission, after validation.
import { bool, int32, intOrString, list, mapList, obj, str, strMap, enumOf, ref, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1035Label, validateDNS1123Label, validateDNS1123Subdomain, validateLabels, validateQualifiedName } from '../../../machinery/names.js';
import type { KObject, ResourceDef } from '../../resource.js';
import { age } from '../../printers.js';
import { col, core, cref, kindObj, nameColumn, ageColumn } from './common.js';
import { labelsString } from './labels-string.js';
import { arr, isObj, isValidIP, IP_MSG, strOf, validateCIDR, validatePortNumber, validatePortNumOrName, portNameErrors, type O } from './validation.js';
import { isIP } from 'node:net';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

export const definitions: Record<string, Schema> = {
  [core('Service')]: kindObj('', 'Service', {
    spec: cref('ServiceSpec', 'What the service exposes and how.'),
    status: cref('ServiceStatus', 'State of the service\'s load balancer; read-only.'),
  }, 'A named, stable endpoint (virtual IP, ports, DNS name) in front of the pods its selector picks.'),
  [core('ServiceSpec')]: obj({
    ports: mapList(cref('ServicePort'), ['port', 'protocol'], 'Ports the service exposes.'),
    selector: { ...strMap('Pods with these labels receive the traffic; without a selector, endpoints are managed by hand.'), 'x-kubernetes-map-type': 'atomic' },
    clusterIP: str('The virtual IP, allocated when empty; "None" makes a headless service. Cannot change once set.'),
    clusterIPs: list(str(), 'The virtual IPs, one per IP family; the first equals clusterIP.'),
    type: enumOf(TYPES, 'ClusterIP (default), NodePort, LoadBalancer or ExternalName.'),
    externalIPs: list(str(), 'Extra IPs at which nodes accept traffic for the service.'),
    sessionAffinity: enumOf(['ClientIP', 'None'], 'ClientIP keeps a client on one backend; None (default) balances each connection.'),
    loadBalancerIP: str('Deprecated: the IP a load balancer should use, where the provider supports it.'),
    loadBalancerSourceRanges: list(str(), 'Client CIDRs a load balancer accepts.'),
    externalName: str('For ExternalName: the DNS name the service is an alias (CNAME) of.'),
    externalTrafficPolicy: enumOf(['Cluster', 'Local'], 'For external traffic: Cluster spreads it over all endpoints; Local keeps it on the receiving node and the client IP.'),
    healthCheckNodePort: int32('Node port answering health checks, for LoadBalancer services with externalTrafficPolicy Local.'),
    publishNotReadyAddresses: bool('Publish endpoints of pods that are not ready (e.g. for peer discovery).'),
    sessionAffinityConfig: cref('SessionAffinityConfig', 'Settings of session affinity.'),
    ipFamilies: list(enumOf(['IPv4', 'IPv6']), 'IP families of the service, IPv4 and/or IPv6.'),
    ipFamilyPolicy: enumOf(['PreferDualStack', 'RequireDualStack', 'SingleStack'], 'SingleStack, PreferDualStack or RequireDualStack.'),
    allocateLoadBalancerNodePorts: bool('Whether a LoadBalancer service gets node ports. Defaults to true.'),
    loadBalancerClass: str('The load balancer implementation to use; cannot change once set.'),
    internalTrafficPolicy: enumOf(['Cluster', 'Local'], 'For traffic from inside the cluster: Cluster (default) or Local (only endpoints on the same node).'),
    trafficDistribution: str('Preference for how traffic is spread, e.g. PreferClose.'),
  }, 'The desired state of a service.'),
  [core('ServicePort')]: obj({
    name: str('Name of the port, a DNS label; required when there are several.'),
    protocol: enumOf(PROTOCOLS, { description: 'TCP, UDP or SCTP. Defaults to TCP.', default: 'TCP' }),
    appProtocol: str('Application protocol, e.g. http, kubernetes.io/h2c.'),
    port: int32('Port the service listens on.'),
    targetPort: intOrString('Port number or name on the pods; defaults to port.'),
    nodePort: int32('Port on every node for NodePort and LoadBalancer services; allocated when empty.'),
  }, { description: 'A port of a service.', required: ['port'] }),
  [core('SessionAffinityConfig')]: obj({
    clientIP: cref('ClientIPConfig', 'Settings of ClientIP affinity.'),
  }, 'Session affinity settings.'),
  [core('ClientIPConfig')]: obj({
    timeoutSeconds: int32('Seconds a client sticks to its backend, 1 to 86400. Defaults to 10800.'),
  }, 'ClientIP session affinity settings.'),
  [core('ServiceStatus')]: obj({
    loadBalancer: cref('LoadBalancerStatus', 'The load balancer, if any.'),
    conditions: mapList(ref(META.Condition), ['type'], 'Current conditions of the service.'),
  }, 'The observed state of a service.'),
  [core('LoadBalancerStatus')]: obj({
    ingress: list(cref('LoadBalancerIngress'), 'Where the load balancer receives traffic.'),
  }, 'The state of a load balancer.'),
  [core('LoadBalancerIngress')]: obj({
    ip: str('IP of the load balancer.'),
    hostname: str('DNS name of the load balancer.'),
    ipMode: str('VIP (traffic arrives at the node addressed to the IP) or Proxy.'),
    ports: list(cref('PortStatus'), 'State of each service port.'),
  }, 'An entry point of a load balancer.'),
  [core('PortStatus')]: obj({
    port: int32('The port number.'),
    protocol: enumOf(PROTOCOLS, 'TCP, UDP or SCTP.'),
    error: str('Problem with the port, e.g. PortAllocated.'),
  }, { description: 'State of a load balancer port.', required: ['port', 'protocol'] }),
};

// ---- defaults ------------------------------------------------------------------------------------

const externallyAccessible = (s: O) => s.type === 'NodePort' || s.type === 'LoadBalancer' || (s.type === 'ClusterIP' && arr(s.externalIPs).length > 0);

export function defaultService(svc: KObject): void {
  if (!isObj(svc.spec)) svc.spec = {};
  const s = svc.spec as O;
  if (!s.type) s.type = 'ClusterIP';
  if (!s.sessionAffinity) s.sessionAffinity = 'None';
  if (s.sessionAffinity === 'ClientIP') {
    if (!isObj(s.sessionAffinityConfig)) s.sessionAffinityConfig = {};
    if (!isObj(s.sessionAffinityConfig.clientIP)) s.sessionAffinityConfig.clientIP = {};
    s.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
  for (const p of arr(s.ports)) {
    if (!isObj(p)) continue;
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (s.type === 'LoadBalancer' && (s.allocateLoadBalancerNodePorts === undefined || s.allocateLoadBalancerNodePorts === null)) s.allocateLoadBalancerNodePorts = true;
  if (externallyAccessible(s) && !s.externalTrafficPolicy) s.externalTrafficPolicy = 'Cluster';
  if ((s.internalTrafficPolicy === undefined || s.internalTrafficPolicy === null) && s.type !== 'ExternalName') s.internalTrafficPolicy = 'Cluster';
  if (s.type === 'ExternalName') return;
  // An old client sets only clusterIP; clusterIPs follows it. (A client that sets clusterIPs must set both.)
  if (s.clusterIP && arr(s.clusterIPs).length === 0) s.clusterIPs = [s.clusterIP];
  const headless = s.clusterIP === 'None';
  const noSelector = !isObj(s.selector) || Object.keys(s.selector).length === 0;
  if (!s.ipFamilyPolicy) s.ipFamilyPolicy = headless && noSelector ? 'RequireDualStack' : 'SingleStack';
  if (arr(s.ipFamilies).length === 0) {
    const ips = arr(s.clusterIPs).filter((ip) => isValidIP(ip));
    s.ipFamilies = ips.length ? ips.map((ip) => (isIP(ip) === 6 ? 'IPv6' : 'IPv4')) : ['IPv4'];
  }
}

const needsClusterIP = (s: O) => s.type !== 'ExternalName';
const needsNodePorts = (s: O) => s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * On update: keep what the server allocated when the client left it out (a replaced manifest has
 * no clusterIP), and drop what no longer applies after a type change, when the client did not touch it.
 */
function prepareServiceUpdate(svc: KObject, old: KObject): void {
  const s = (isObj(svc.spec) ? svc.spec : (svc.spec = {})) as O;
  const o = (isObj(old.spec) ? old.spec : {}) as O;
  // A patch of clusterIP alone: clusterIPs follows it, so validation reports the change.
  if ((o.clusterIP ?? '') !== (s.clusterIP ?? '')) {
    if (o.clusterIP && !s.clusterIP && same(s.clusterIPs, o.clusterIPs)) delete s.clusterIPs;
    if (s.clusterIP && same(s.clusterIPs, o.clusterIPs)) s.clusterIPs = [s.clusterIP];
  }
  if (needsClusterIP(o) && needsClusterIP(s)) {
    if (!s.clusterIP && o.clusterIP) s.clusterIP = o.clusterIP;
    if (arr(s.clusterIPs).length === 0 && arr(o.clusterIPs).length > 0) s.clusterIPs = [...o.clusterIPs];
  }
  if (!s.healthCheckNodePort && o.healthCheckNodePort && s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local') {
    s.healthCheckNodePort = o.healthCheckNodePort;
  }
  if (needsClusterIP(o) && !needsClusterIP(s)) {
    if (same(s.clusterIP, o.clusterIP) && same(s.clusterIPs, o.clusterIPs)) { delete s.clusterIP; delete s.clusterIPs; }
    if (same(s.ipFamilies, o.ipFamilies)) delete s.ipFamilies;
    if (same(s.ipFamilyPolicy, o.ipFamilyPolicy)) delete s.ipFamilyPolicy;
  }
  if (needsNodePorts(o) && !needsNodePorts(s) && same(arr(s.ports).map((p) => p?.nodePort), arr(o.ports).map((p) => p?.nodePort))) {
    for (const p of arr(s.ports)) if (isObj(p)) delete p.nodePort;
  }
  if (o.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (same(s.allocateLoadBalancerNodePorts, o.allocateLoadBalancerNodePorts)) delete s.allocateLoadBalancerNodePorts;
    if (same(s.loadBalancerClass, o.loadBalancerClass)) delete s.loadBalancerClass;
    if (same(s.healthCheckNodePort, o.healthCheckNodePort)) delete s.healthCheckNodePort;
    if (isObj(svc.status)) svc.status = { ...svc.status, loadBalancer: {} };
  }
  if (externallyAccessible(o) && !externallyAccessible(s) && same(s.externalTrafficPolicy, o.externalTrafficPolicy)) delete s.externalTrafficPolicy;
}

// ---- validation ----------------------------------------------------------------------------------

const goStrings = (v: unknown) => `[]string{${arr(v).map((x) => JSON.stringify(String(x))).join(', ')}}`;
/** An Invalid error whose value is a list of strings, printed as Kubernetes prints a Go slice. */
const invalidList = (f: string, v: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field: f, message: `Invalid value: ${goStrings(v)}: ${detail}` });

function validateClusterIPs(s: O): FieldError[] {
  if (s.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = arr(s.clusterIPs);
  if (s.clusterIP) {
    if (ips.length === 0) errs.push(field.required('spec.clusterIPs'));
    else if (ips[0] !== s.clusterIP) errs.push(invalidList('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(invalidList('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  arr(s.ipFamilies).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(field.notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    if (seen.has(f)) errs.push(field.duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
  if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null && !policies.includes(s.ipFamilyPolicy)) {
    errs.push(field.notSupported('spec.ipFamilyPolicy', s.ipFamilyPolicy, policies));
  }
  let bad = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) { bad = true; errs.push(invalidList('spec.clusterIPs', ips, "'None' must be the first and only value")); }
      return;
    }
    if (!isValidIP(ip)) { bad = true; errs.push(field.invalid(`spec.clusterIPs[${i}]`, ip, IP_MSG)); }
  });
  if (ips.length > 2) errs.push(invalidList('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (bad) return errs;
  if (ips.length > 1 && isIP(ips[0]) === isIP(ips[1])) errs.push(invalidList('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  if (s.clusterIP !== 'None') {
    const fams = arr(s.ipFamilies);
    ips.forEach((ip, i) => {
      if (i >= fams.length) return;
      if (fams[i] === 'IPv4' && isIP(ip) === 6) errs.push(field.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (fams[i] === 'IPv6' && isIP(ip) !== 6) errs.push(field.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

/** Kubernetes' ValidateService (the type-specific part; metadata is checked by the registry). */
export function validateService(svc: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const s: O = isObj(svc.spec) ? svc.spec : {};
  const headless = s.clusterIP === 'None';
  const ports = arr(s.ports).filter(isObj);
  if (ports.length === 0 && !headless && s.type !== 'ExternalName') errs.push(field.required('spec.ports'));
  if (s.type === 'LoadBalancer' && headless) errs.push(field.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"));
  if (s.type === 'NodePort' && headless) errs.push(field.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"));
  if (s.type === 'ExternalName') {
    if (arr(s.clusterIPs).length > 0 || s.clusterIP) errs.push(field.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (arr(s.ipFamilies).length > 0) errs.push(field.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (s.ipFamilyPolicy) errs.push(field.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = strOf(s.externalName).replace(/\.$/, '');
    if (cname) for (const m of validateDNS1123Subdomain(cname)) errs.push(field.invalid('spec.externalName', cname, m));
    else errs.push(field.required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(field.required(`${pp}.name`));
    else if (p.name) {
      for (const m of validateDNS1123Label(strOf(p.name))) errs.push(field.invalid(`${pp}.name`, p.name, m));
      if (names.has(p.name)) errs.push(field.duplicate(`${pp}.name`, p.name));
      names.add(p.name);
    }
    errs.push(...validatePortNumber(p.port, `${pp}.port`));
    if (!p.protocol) errs.push(field.required(`${pp}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
    if (typeof p.targetPort === 'string') for (const m of portNameErrors(p.targetPort)) errs.push(field.invalid(`${pp}.targetPort`, p.targetPort, m));
    else errs.push(...validatePortNumOrName(p.targetPort, `${pp}.targetPort`));
    if (p.appProtocol !== undefined && p.appProtocol !== null) {
      for (const m of validateQualifiedName(strOf(p.appProtocol))) errs.push(field.invalid(`${pp}.appProtocol`, p.appProtocol, m));
    }
  });
  if (isObj(s.selector)) errs.push(...validateLabels(s.selector, 'spec.selector'));
  const affinities = ['ClientIP', 'None'];
  if (!s.sessionAffinity) errs.push(field.required('spec.sessionAffinity'));
  else if (!affinities.includes(s.sessionAffinity)) errs.push(field.notSupported('spec.sessionAffinity', s.sessionAffinity, affinities));
  if (s.sessionAffinity === 'ClientIP') {
    const t = s.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (typeof t !== 'number' || t <= 0 || t > 86400) {
      errs.push(field.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t ?? 0, 'must be greater than 0 and less than 86400'));
    }
  } else if (s.sessionAffinity === 'None' && isObj(s.sessionAffinityConfig)) {
    errs.push(field.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errs.push(...validateClusterIPs(s));
  arr(s.externalIPs).forEach((ip, i) => {
    if (!isValidIP(ip)) errs.push(field.invalid(`spec.externalIPs[${i}]`, ip, IP_MSG));
  });
  if (!s.type) errs.push(field.required('spec.type'));
  else if (!TYPES.includes(s.type)) errs.push(field.notSupported('spec.type', s.type, TYPES));
  if (s.type === 'ClusterIP') {
    ports.forEach((p, i) => { if (p.nodePort) errs.push(field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'")); });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(field.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (portKeys.has(key)) errs.push(field.duplicate(`spec.ports[${i}]`, { port: p.port, protocol: p.protocol }));
    portKeys.add(key);
  });
  const ranges = arr(s.loadBalancerSourceRanges);
  if (ranges.length) {
    if (s.type !== 'LoadBalancer') errs.push(field.forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...validateCIDR(strOf(r).trim(), `spec.LoadBalancerSourceRanges[${i}]`)));
  }
  if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts !== null && s.type !== 'LoadBalancer') {
    errs.push(field.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (s.loadBalancerClass !== undefined && s.loadBalancerClass !== null) {
    if (s.type !== 'LoadBalancer') errs.push(field.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
    else for (const m of validateQualifiedName(strOf(s.loadBalancerClass))) errs.push(field.invalid('spec.loadBalancerClass', s.loadBalancerClass, m));
  }
  if (!externallyAccessible(s)) {
    if (s.externalTrafficPolicy) errs.push(field.invalid('spec.externalTrafficPolicy', s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!s.externalTrafficPolicy) {
    errs.push(field.required('spec.externalTrafficPolicy'));
  } else if (!['Cluster', 'Local'].includes(s.externalTrafficPolicy)) {
    errs.push(field.notSupported('spec.externalTrafficPolicy', s.externalTrafficPolicy, ['Cluster', 'Local']));
  }
  const needsHealthCheck = s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
  if (!needsHealthCheck && s.healthCheckNodePort) {
    errs.push(field.invalid('spec.healthCheckNodePort', s.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  if (s.internalTrafficPolicy === undefined || s.internalTrafficPolicy === null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type)) errs.push(field.required('spec.internalTrafficPolicy'));
  } else if (!['Cluster', 'Local'].includes(s.internalTrafficPolicy)) {
    errs.push(field.notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (s.trafficDistribution !== undefined && s.trafficDistribution !== null && s.trafficDistribution !== 'PreferClose') {
    errs.push(field.notSupported('spec.trafficDistribution', s.trafficDistribution, ['PreferClose']));
  }
  return errs;
}

/** The primary cluster IP may not change (except to, from or on ExternalName); neither may the primary family. */
function validateServiceUpdate(svc: KObject, old: KObject): FieldError[] {
  const s: O = isObj(svc.spec) ? svc.spec : {};
  const o: O = isObj(old.spec) ? old.spec : {};
  const errs: FieldError[] = [];
  if (s.type !== 'ExternalName' && o.type !== 'ExternalName' && !(s.clusterIP === 'None' && o.clusterIP === 'None')) {
    const now = arr(s.clusterIPs);
    const before = arr(o.clusterIPs);
    if (now.length === before.length) {
      before.forEach((ip, i) => { if (ip !== now[i]) errs.push(invalidList(`spec.clusterIPs[${i}]`, now, 'may not change once set')); });
    } else if (before.length > now.length) {
      if (now.length === 0) errs.push(invalidList('spec.clusterIPs[0]', now, 'primary clusterIP can not be unset'));
      else if (now[0] !== before[0]) errs.push(invalidList('spec.clusterIPs[0]', now, 'may not change once set'));
      if (now.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
        errs.push(invalidList('spec.clusterIPs[0]', now, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
      }
    } else if (before.length > 0 && now[0] !== before[0]) {
      errs.push(invalidList('spec.clusterIPs[0]', now, 'may not change once set'));
    }
    const fams = arr(s.ipFamilies);
    const oldFams = arr(o.ipFamilies);
    if (fams.length && oldFams.length && fams[0] !== oldFams[0]) {
      errs.push(field.invalid('spec.ipFamilies[0]', fams[0], 'may not change once set'));
    }
  }
  if (o.type === 'LoadBalancer' && s.type === 'LoadBalancer' && !same(o.loadBalancerClass, s.loadBalancerClass)) {
    errs.push(field.invalid('spec.loadBalancerClass', s.loadBalancerClass ?? null, 'may not change once set'));
  }
  return errs;
}

// ---- printing ------------------------------------------------------------------------------------

function loadBalancerIPs(status: unknown, wide: boolean): string {
  const ingress = isObj(status) && isObj(status.loadBalancer) ? arr(status.loadBalancer.ingress) : [];
  const out = ingress.filter(isObj).map((i) => i.ip || i.hostname).filter(Boolean).join(',');
  return !wide && out.length > 16 ? `${out.slice(0, 13)}...` : out;
}

/** EXTERNAL-IP as kubectl shows it; `wide` keeps long load balancer lists whole. */
export function serviceExternalIP(svc: KObject, wide = true): string {
  const s: O = isObj(svc.spec) ? svc.spec : {};
  const external = arr(s.externalIPs);
  switch (s.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIPs(svc.status, wide);
      if (external.length) return [...(lb ? lb.split(',') : []), ...external].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return strOf(s.externalName);
    default:
      return '<unknown>';
  }
}

/** PORT(S): "80/TCP,443:30443/TCP". */
export function servicePorts(ports: unknown): string {
  return arr(ports).filter(isObj).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

export const services: ResourceDef = {
  group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true,
  shortNames: ['svc'], categories: ['all'], schemaName: core('Service'),
  nameValidator: validateDNS1035Label,
  subresources: { status: true },
  tracksGeneration: false,
  defaults: defaultService,
  prepareForCreate(svc) {
    svc.status = { loadBalancer: {} };
  },
  prepareForUpdate: prepareServiceUpdate,
  validate(svc, { old }) {
    const errs = old ? validateServiceUpdate(svc, old) : [];
    errs.push(...validateService(svc));
    return errs;
  },
  columns: [
    nameColumn,
    col('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    col('Cluster-IP', 'string', 'The virtual IP of the service.'),
    col('External-IP', 'string', 'IPs (or name) at which the service is reachable from outside.'),
    col('Port(s)', 'string', 'Ports the service exposes.'),
    ageColumn,
    col('Selector', 'string', 'Labels of the pods that receive the traffic.', 1),
  ],
  row(svc, now) {
    const s: O = isObj(svc.spec) ? svc.spec : {};
    const ips = arr(s.clusterIPs);
    return [
      svc.metadata.name, strOf(s.type), ips.length ? ips[0] : '<none>', serviceExternalIP(svc, false),
      servicePorts(s.ports) || '<none>', age(svc.metadata.creationTimestamp, now), labelsString(s.selector),
    ];
  },
  selectableFields(svc) {
    const s: O = isObj(svc.spec) ? svc.spec : {};
    return { 'spec.clusterIP': strOf(s.clusterIP), 'spec.type': strOf(s.type) };
  },
};
