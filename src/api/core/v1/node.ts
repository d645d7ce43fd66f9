// core/v1 Node: a machine that runs pods, registered by its kubelet with its status.
import { bool, int32, int64, list, mapList, obj, set, str, enumOf, ref, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateLabelValue, validateQualifiedName } from '../../../machinery/names.js';
import type { KObject, ResourceDef } from '../../resource.js';
import { age } from '../../printers.js';
import { col, core, cref, kindObj, nameColumn, ageColumn, resourceList } from './common.js';
import { arr, isObj, isValidCIDR, CIDR_MSG, strOf, type O } from './validation.js';
import { defaultResourceList } from './resource-list.js';
import { isIP } from 'node:net';

export const definitions: Record<string, Schema> = {
  [core('Node')]: kindObj('', 'Node', {
    spec: cref('NodeSpec', 'How the node is configured.'),
    status: cref('NodeStatus', 'What the kubelet reports about the node; read-only for others.'),
  }, 'A worker machine. Each node runs a kubelet that registers it and runs its pods.'),
  [core('NodeSpec')]: obj({
    podCIDR: str('Pod IP range assigned to the node; the first of podCIDRs.'),
    podCIDRs: set(str(), 'Pod IP ranges assigned to the node, at most one per IP family. Cannot change once set.'),
    providerID: str('ID of the node at its cloud provider: <provider>://<id>.'),
    unschedulable: bool('Keep new pods off the node (kubectl cordon).'),
    taints: list(cref('Taint'), 'Taints that repel pods that do not tolerate them.'),
    configSource: cref('NodeConfigSource', 'Deprecated: dynamic kubelet configuration; ignored.'),
    externalID: str('Deprecated; ignored.'),
  }, 'The desired state of a node.'),
  [core('NodeConfigSource')]: obj({
    configMap: cref('ConfigMapNodeConfigSource', 'A ConfigMap holding kubelet configuration.'),
  }, 'Deprecated: a source of node configuration.'),
  [core('ConfigMapNodeConfigSource')]: obj({
    namespace: str('Namespace of the ConfigMap.'),
    name: str('Name of the ConfigMap.'),
    uid: str('UID of the ConfigMap.'),
    resourceVersion: str('Resource version of the ConfigMap.'),
    kubeletConfigKey: str('Key holding the KubeletConfiguration.'),
  }, { description: 'Deprecated: a ConfigMap as node configuration source.', required: ['namespace', 'name', 'kubeletConfigKey'] }),
  [core('NodeStatus')]: obj({
    capacity: resourceList('Total resources of the node.'),
    allocatable: resourceList('Resources available to pods; defaults to capacity.'),
    phase: str('Deprecated; unused.'),
    conditions: mapList(cref('NodeCondition'), ['type'], 'Current conditions: Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.'),
    addresses: mapList(cref('NodeAddress'), ['type'], 'Addresses of the node: InternalIP, ExternalIP, Hostname, ...'),
    daemonEndpoints: cref('NodeDaemonEndpoints', 'Ports of daemons on the node.'),
    nodeInfo: cref('NodeSystemInfo', 'Versions and identifiers of the node.'),
    images: list(cref('ContainerImage'), 'Images present on the node.'),
    volumesInUse: list(str(), 'Volumes attached and mounted on the node.'),
    volumesAttached: list(cref('AttachedVolume'), 'Volumes attached to the node.'),
    config: cref('NodeConfigStatus', 'Deprecated: status of dynamic configuration.'),
    runtimeHandlers: list(cref('NodeRuntimeHandler'), 'Runtime handlers (RuntimeClasses) the node offers.'),
    features: cref('NodeFeatures', 'Features the node supports.'),
  }, 'The observed state of a node.'),
  [core('NodeCondition')]: obj({
    type: str('Condition type: Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.'),
    status: str('True, False or Unknown.'),
    lastHeartbeatTime: ref(META.Time, 'When the kubelet last reported the condition.'),
    lastTransitionTime: ref(META.Time, 'When the status last changed.'),
    reason: str('Why, in one CamelCase word.'),
    message: str('Details, for people.'),
  }, { description: 'A condition of a node.', required: ['type', 'status'] }),
  [core('NodeAddress')]: obj({
    type: str('Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.'),
    address: str('The address.'),
  }, { description: 'An address of a node.', required: ['type', 'address'] }),
  [core('NodeDaemonEndpoints')]: obj({
    kubeletEndpoint: cref('DaemonEndpoint', 'Where the kubelet listens.'),
  }, 'Ports of daemons running on the node.'),
  [core('DaemonEndpoint')]: obj({
    Port: int32('Port number.'),
  }, { description: 'A port a daemon listens on.', required: ['Port'] }),
  [core('NodeSystemInfo')]: obj({
    machineID: str('Machine ID (/etc/machine-id).'),
    systemUUID: str('System UUID from the firmware.'),
    bootID: str('Boot ID, changes on every boot.'),
    kernelVersion: str('Kernel version (uname -r).'),
    osImage: str('Operating system name and version, from /etc/os-release.'),
    containerRuntimeVersion: str('Container runtime and version, e.g. containerd://1.7.24.'),
    kubeletVersion: str('Kubelet version.'),
    kubeProxyVersion: str('Deprecated: kube-proxy version.'),
    operatingSystem: str('Operating system: linux or windows.'),
    architecture: str('CPU architecture: amd64, arm64, ...'),
  }, { description: 'Identifiers and versions of a node.', required: ['machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion', 'kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture'] }),
  [core('ContainerImage')]: obj({
    names: list(str(), 'Names of the image, e.g. docker.io/library/nginx:1.27 and its digest.'),
    sizeBytes: int64('Size of the image.'),
  }, 'An image on a node.'),
  [core('AttachedVolume')]: obj({
    name: str('Name of the volume.'),
    devicePath: str('Where the device is available on the node.'),
  }, { description: 'A volume attached to a node.', required: ['name', 'devicePath'] }),
  [core('NodeConfigStatus')]: obj({
    assigned: cref('NodeConfigSource', 'The configuration the node should use.'),
    active: cref('NodeConfigSource', 'The configuration in use.'),
    lastKnownGood: cref('NodeConfigSource', 'The fallback configuration.'),
    error: str('Problem applying the configuration.'),
  }, 'Deprecated: state of dynamic node configuration.'),
  [core('NodeRuntimeHandler')]: obj({
    name: str('Handler name; empty for the default.'),
    features: cref('NodeRuntimeHandlerFeatures', 'What the handler supports.'),
  }, 'A container runtime handler of a node.'),
  [core('NodeRuntimeHandlerFeatures')]: obj({
    recursiveReadOnlyMounts: bool('Supports recursive read-only mounts.'),
    userNamespaces: bool('Supports user namespaces for pods.'),
  }, 'Features of a runtime handler.'),
  [core('NodeFeatures')]: obj({
    supplementalGroupsPolicy: bool('Supports the supplementalGroupsPolicy pod setting.'),
  }, 'Features a node supports.'),
};

function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  const effects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
  arr(taints).forEach((t: O, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(t)) return;
    for (const m of validateQualifiedName(strOf(t.key))) errs.push(field.invalid(`${p}.key`, t.key ?? '', m));
    const vmsgs = validateLabelValue(strOf(t.value));
    if (vmsgs.length) errs.push(field.invalid(`${p}.value`, t.value, vmsgs.join(';')));
    if (!t.effect) errs.push(field.required(`${p}.effect`));
    else if (!effects.includes(t.effect)) errs.push(field.notSupported(`${p}.effect`, t.effect, effects));
    const key = `${t.effect}\u0000${t.key}`;
    if (seen.has(key)) {
      const e = field.duplicate(p, { key: t.key, effect: t.effect });
      errs.push({ ...e, message: `${e.message}: taints must be unique by key and effect pair` });
    }
    seen.add(key);
  });
  return errs;
}

function validateNode(node: KObject, old: KObject | undefined): FieldError[] {
  const spec: O = isObj(node.spec) ? node.spec : {};
  const errs: FieldError[] = [];
  const cidrs = arr(spec.podCIDRs);
  cidrs.forEach((c, i) => { if (!isValidCIDR(c)) errs.push(field.invalid(`spec.podCIDRs[${i}]`, c, CIDR_MSG)); });
  if (cidrs.length > 1 && cidrs.every(isValidCIDR)) {
    const fam = (c: string) => isIP(c.slice(0, c.indexOf('/')));
    if (cidrs.length > 2 || fam(cidrs[0]) === fam(cidrs[1])) {
      errs.push(field.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    }
  }
  errs.push(...validateTaints(spec.taints, 'spec.taints'));
  if (old) {
    const oldSpec: O = isObj(old.spec) ? old.spec : {};
    const before = arr(oldSpec.podCIDRs);
    if (before.length > 0 && JSON.stringify(before) !== JSON.stringify(cidrs)) {
      errs.push(field.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    }
    if (oldSpec.providerID && oldSpec.providerID !== spec.providerID) {
      errs.push(field.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    }
    if ((spec.externalID ?? '') !== (oldSpec.externalID ?? '')) errs.push(field.forbidden('spec.externalID', 'may not be updated'));
    const addrs = new Set<string>();
    arr((node.status as O | undefined)?.addresses).forEach((a, i) => {
      const k = JSON.stringify([a?.type, a?.address]);
      if (addrs.has(k)) errs.push(field.duplicate(`status.addresses[${i}]`, a));
      addrs.add(k);
    });
  }
  return errs;
}

/** ROLES: node-role.kubernetes.io/<role> labels (and the old kubernetes.io/role), sorted. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

const addressOf = (status: O, type: string) => arr(status.addresses).find((a) => isObj(a) && a.type === type)?.address || '<none>';

export const nodes: ResourceDef = {
  group: '', version: 'v1', kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false,
  shortNames: ['no'], schemaName: core('Node'),
  subresources: { status: true },
  tracksGeneration: false,
  keepStatusOnCreate: true,
  defaults(node) {
    const spec = (isObj(node.spec) ? node.spec : (node.spec = {})) as O;
    if (spec.podCIDR && arr(spec.podCIDRs).length === 0) spec.podCIDRs = [spec.podCIDR];
    else if (!spec.podCIDR && arr(spec.podCIDRs).length > 0) spec.podCIDR = spec.podCIDRs[0];
    const status = node.status as O | undefined;
    if (isObj(status) && isObj(status.capacity) && !isObj(status.allocatable)) status.allocatable = { ...status.capacity };
    if (isObj(status)) {
      defaultResourceList(status.capacity);
      defaultResourceList(status.allocatable);
    }
  },
  validate: (node, { old }) => validateNode(node, old),
  columns: [
    nameColumn,
    col('Status', 'string', 'Whether the node is ready, and schedulable.'),
    col('Roles', 'string', 'Roles of the node, from its node-role.kubernetes.io labels.'),
    ageColumn,
    col('Version', 'string', 'Kubelet version.'),
    col('Internal-IP', 'string', 'Internal IP of the node.', 1),
    col('External-IP', 'string', 'External IP of the node.', 1),
    col('OS-Image', 'string', 'Operating system of the node.', 1),
    col('Kernel-Version', 'string', 'Kernel version of the node.', 1),
    col('Container-Runtime', 'string', 'Container runtime and its version.', 1),
  ],
  row(node, now) {
    const spec: O = isObj(node.spec) ? node.spec : {};
    const status: O = isObj(node.status) ? node.status : {};
    const ready = arr(status.conditions).find((c) => isObj(c) && c.type === 'Ready');
    const states: string[] = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown'];
    if (spec.unschedulable === true) states.push('SchedulingDisabled');
    const info: O = isObj(status.nodeInfo) ? status.nodeInfo : {};
    return [
      node.metadata.name, states.join(','), nodeRoles(node.metadata.labels).join(',') || '<none>', age(node.metadata.creationTimestamp, now),
      strOf(info.kubeletVersion), addressOf(status, 'InternalIP'), addressOf(status, 'ExternalIP'),
      info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>',
    ];
  },
  selectableFields: (node) => ({ 'spec.unschedulable': String((node.spec as O | undefined)?.unschedulable === true) }),
};
