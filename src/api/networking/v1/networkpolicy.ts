// networking.k8s.io/v1 NetworkPolicy: which traffic may reach and leave selected pods.
import { int32, intOrString, list, obj, ref, str, enumOf, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { formatLabelSelector } from '../../../machinery/labels.js';
import { isIP } from 'node:net';
import { META } from '../../meta/v1.js';
import { age } from '../../printers.js';
import type { KObject, ResourceDef } from '../../resource.js';
import {
  ageColumn, arr, col, invalidRaw, isObj, kindSchema, nameColumn, o, portNameErrors, portNumErrors, validateLabelSelector, type Obj,
} from '../../apps/v1/common.js';

const N = 'io.k8s.api.networking.v1';
export const NETWORK_POLICY = `${N}.NetworkPolicy`;

export const definitions: Record<string, Schema> = {
  [NETWORK_POLICY]: kindSchema('networking.k8s.io', 'v1', 'NetworkPolicy', {
    spec: ref(`${N}.NetworkPolicySpec`, 'The pods selected and the traffic allowed.'),
  }, 'Allows traffic to and from the pods it selects; once a pod is selected, traffic not allowed by some policy is dropped.'),
  [`${N}.NetworkPolicySpec`]: obj({
    podSelector: ref(META.LabelSelector, 'Pods of the namespace the policy applies to; empty selects all.'),
    ingress: list(ref(`${N}.NetworkPolicyIngressRule`), 'Allowed incoming traffic; none: the selected pods accept nothing (when Ingress is a policy type).'),
    egress: list(ref(`${N}.NetworkPolicyEgressRule`), 'Allowed outgoing traffic; none: the selected pods send nothing (when Egress is a policy type).'),
    policyTypes: list(enumOf(['Ingress', 'Egress']), 'Ingress, Egress or both. Defaults to Ingress, plus Egress when egress rules are given.'),
  }, 'The desired behaviour of a NetworkPolicy.'),
  [`${N}.NetworkPolicyIngressRule`]: obj({
    ports: list(ref(`${N}.NetworkPolicyPort`), 'Allowed destination ports; none: all.'),
    from: list(ref(`${N}.NetworkPolicyPeer`), 'Allowed sources; none: all.'),
  }, 'Incoming traffic a policy allows.'),
  [`${N}.NetworkPolicyEgressRule`]: obj({
    ports: list(ref(`${N}.NetworkPolicyPort`), 'Allowed destination ports; none: all.'),
    to: list(ref(`${N}.NetworkPolicyPeer`), 'Allowed destinations; none: all.'),
  }, 'Outgoing traffic a policy allows.'),
  [`${N}.NetworkPolicyPort`]: obj({
    protocol: enumOf(['SCTP', 'TCP', 'UDP'], 'TCP, UDP or SCTP. Defaults to TCP.'),
    port: intOrString('Port number or named container port; none: all ports.'),
    endPort: int32('With a numeric port: the last port of a range.'),
  }, 'A port or port range.'),
  [`${N}.NetworkPolicyPeer`]: obj({
    podSelector: ref(META.LabelSelector, 'Pods (of the namespaces selected, or of this namespace).'),
    namespaceSelector: ref(META.LabelSelector, 'Namespaces; empty selects all.'),
    ipBlock: ref(`${N}.IPBlock`, 'An IP range; excludes the selectors.'),
  }, 'A source or destination of traffic.'),
  [`${N}.IPBlock`]: obj({
    cidr: str('The range, e.g. 192.168.1.0/24 or 2001:db8::/64.'),
    except: list(str(), 'Sub-ranges excluded.'),
  }, { description: 'An IP range.', required: ['cidr'] }),
};

export function defaultNetworkPolicy(np: KObject): void {
  const spec = (np.spec ??= {}) as Obj;
  for (const rules of [spec.ingress, spec.egress]) {
    for (const r of arr(rules)) for (const p of arr(o(r).ports)) if (isObj(p) && p.protocol == null) p.protocol = 'TCP';
  }
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = arr(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

interface Cidr { family: 4 | 6; bits: bigint; prefix: number }

function ipBits(ip: string): bigint | undefined {
  const v = isIP(ip);
  if (v === 4) return ip.split('.').reduce((acc, p) => (acc << 8n) | BigInt(parseInt(p, 10)), 0n);
  if (v === 6) {
    let s = ip;
    let tail4: bigint[] = [];
    const m = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
    if (m) {
      const b = ipBits(m[1])!;
      tail4 = [(b >> 16n) & 0xffffn, b & 0xffffn];
      s = s.slice(0, -m[1].length) + '0:0';
    }
    const [head, rest] = s.includes('::') ? s.split('::') : [s, undefined];
    const h = head ? head.split(':') : [];
    const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
    const groups = rest === undefined ? h : [...h, ...Array(8 - h.length - r.length).fill('0'), ...r];
    let bits = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
    if (tail4.length) bits = (bits & ~0xffffffffn) | (tail4[0] << 16n) | tail4[1];
    return bits;
  }
  return undefined;
}

export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = s.slice(0, slash);
  const prefixText = s.slice(slash + 1);
  const family = isIP(ip);
  if (family === 0 || !/^\d+$/.test(prefixText)) return undefined;
  const prefix = parseInt(prefixText, 10);
  const width = family === 4 ? 32 : 128;
  if (prefix > width) return undefined;
  const bits = ipBits(ip)!;
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - prefix)) - 1n);
  return { family: family as 4 | 6, bits: bits & mask, prefix };
}

const CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function validateIPBlock(b: Obj, path: string): FieldError[] {
  if (!b.cidr) return [field.required(`${path}.cidr`)];
  const cidr = parseCidr(String(b.cidr));
  if (!cidr) return [field.invalid(`${path}.cidr`, b.cidr, CIDR_MESSAGE)];
  const errs: FieldError[] = [];
  arr(b.except).forEach((e, i) => {
    const p = `${path}.except[${i}]`;
    const ex = parseCidr(String(e));
    if (!ex) {
      errs.push(field.invalid(p, e, CIDR_MESSAGE));
      return;
    }
    const width = cidr.family === 4 ? 32 : 128;
    const contained = ex.family === cidr.family && (ex.bits >> BigInt(width - cidr.prefix)) === (cidr.bits >> BigInt(width - cidr.prefix));
    if (!contained || cidr.prefix >= ex.prefix) errs.push(field.invalid(p, e, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

function validatePort(port: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol != null && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) errs.push(field.notSupported(`${path}.protocol`, port.protocol, ['TCP', 'UDP', 'SCTP']));
  if (port.port != null) {
    if (typeof port.port === 'number') {
      for (const msg of portNumErrors(port.port)) errs.push(field.invalid(`${path}.port`, port.port, msg));
      if (port.endPort != null) {
        if (port.endPort < port.port) errs.push(field.invalid(`${path}.endPort`, port.port, 'must be greater than or equal to `port`'));
        for (const msg of portNumErrors(port.endPort)) errs.push(field.invalid(`${path}.endPort`, port.endPort, msg));
      }
    } else {
      if (port.endPort != null) errs.push(field.invalid(`${path}.endPort`, port.endPort, 'may not be specified when `port` is non-numeric'));
      for (const msg of portNameErrors(String(port.port))) errs.push(field.invalid(`${path}.port`, port.port, msg));
    }
  } else if (port.endPort != null) {
    errs.push(field.invalid(`${path}.endPort`, port.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function validatePeer(peer: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer.podSelector != null) { n++; errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`)); }
  if (peer.namespaceSelector != null) { n++; errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`)); }
  if (peer.ipBlock != null) { n++; errs.push(...validateIPBlock(o(peer.ipBlock), `${path}.ipBlock`)); }
  if (n === 0) errs.push(field.required(path, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock != null) errs.push(field.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

export function validateNetworkPolicy(np: KObject): FieldError[] {
  const spec = o(np.spec);
  const errs: FieldError[] = [...validateLabelSelector(spec.podSelector, 'spec.podSelector')];
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    arr(spec[dir]).forEach((r, i) => {
      const rule = o(r);
      arr(rule.ports).forEach((p, j) => errs.push(...validatePort(o(p), `spec.${dir}[${i}].ports[${j}]`)));
      arr(rule[peers]).forEach((p, j) => errs.push(...validatePeer(o(p), `spec.${dir}[${i}].${peers}[${j}]`)));
    });
  }
  const types = arr(spec.policyTypes);
  if (types.length > 2) {
    errs.push(invalidRaw('spec.policyTypes', `&[]networking.PolicyType{${types.map((t) => JSON.stringify(String(t))).join(', ')}}`, 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(field.notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  return errs;
}

export const networkPolicies: ResourceDef = {
  group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', singular: 'networkpolicy',
  namespaced: true, shortNames: ['netpol'], schemaName: NETWORK_POLICY,
  tracksGeneration: true,
  defaults: defaultNetworkPolicy,
  validate: (np) => validateNetworkPolicy(np),
  columns: [
    nameColumn,
    col('Pod-Selector', 'string', 'Selects the pods to which this NetworkPolicy object applies.'),
    ageColumn,
  ],
  row: (np, now) => [np.metadata.name, formatLabelSelector(o(np.spec).podSelector ?? {}), age(np.metadata.creationTimestamp, now)],
};
