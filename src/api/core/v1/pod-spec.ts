// core/v1 PodSpec and PodTemplateSpec: what a pod runs, where and how. Workload types of other
// groups (apps, batch) refer to `io.k8s.api.core.v1.PodTemplateSpec` by name.
import { bool, int32, int64, list, mapList, obj, str, strMap, enumOf, ref, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import { core, cref, resourceList } from './common.js';

export const POD_SPEC = core('PodSpec');
export const POD_TEMPLATE_SPEC = core('PodTemplateSpec');

export const definitions: Record<string, Schema> = {
  [POD_SPEC]: obj({
    volumes: mapList(cref('Volume'), ['name'], { description: 'Volumes the containers may mount.', 'x-kubernetes-patch-strategy': 'merge,retainKeys' }),
    initContainers: mapList(cref('Container'), ['name'], 'Containers run one after another, each to success, before the main containers start. With restartPolicy Always one is a sidecar that keeps running.'),
    containers: mapList(cref('Container'), ['name'], 'The containers of the pod; at least one.'),
    ephemeralContainers: mapList(cref('EphemeralContainer'), ['name'], 'Debugging containers added to the running pod through the ephemeralcontainers subresource.'),
    restartPolicy: enumOf(['Always', 'Never', 'OnFailure'], 'When containers are restarted after they exit: Always, OnFailure or Never. Defaults to Always.'),
    terminationGracePeriodSeconds: int64('Seconds between the stop signal and the kill on deletion. Defaults to 30.'),
    activeDeadlineSeconds: int64('Seconds the pod may be active before the kubelet fails it.'),
    dnsPolicy: enumOf(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'], 'How DNS is configured: ClusterFirst, ClusterFirstWithHostNet, Default (from the node) or None (only dnsConfig). Defaults to ClusterFirst.'),
    nodeSelector: { ...strMap('Labels a node must have for the pod to run there.'), 'x-kubernetes-map-type': 'atomic' },
    serviceAccountName: str('Service account the pod runs as. Defaults to default.'),
    serviceAccount: str('Deprecated alias of serviceAccountName.'),
    automountServiceAccountToken: bool('Whether a service account token is mounted into the containers.'),
    nodeName: str('The node the pod is bound to; set by the scheduler, or by hand to skip scheduling.'),
    hostNetwork: bool('Use the node\'s network namespace. Defaults to false.'),
    hostPID: bool('Use the node\'s process namespace. Defaults to false.'),
    hostIPC: bool('Use the node\'s IPC namespace. Defaults to false.'),
    shareProcessNamespace: bool('All containers share one process namespace. Defaults to false.'),
    securityContext: cref('PodSecurityContext', 'Security settings for all containers of the pod.'),
    imagePullSecrets: mapList(cref('LocalObjectReference'), ['name'], 'Secrets with registry credentials for pulling the images.'),
    hostname: str('Hostname of the pod; defaults to the pod name.'),
    subdomain: str('With a headless Service of this name: the pod\'s FQDN is <hostname>.<subdomain>.<namespace>.svc.<cluster-domain>.'),
    affinity: cref('Affinity', 'Node and pod affinity and anti-affinity.'),
    schedulerName: str('Scheduler that schedules the pod. Defaults to default-scheduler.'),
    tolerations: list(cref('Toleration'), 'Taints the pod tolerates.'),
    hostAliases: mapList(cref('HostAlias'), ['ip'], 'Extra entries for the pod\'s /etc/hosts.'),
    priorityClassName: str('PriorityClass giving the pod\'s priority, e.g. system-node-critical.'),
    priority: int32('Priority, filled from priorityClassName by admission; higher schedules first.'),
    dnsConfig: cref('PodDNSConfig', 'DNS settings merged into those from dnsPolicy.'),
    readinessGates: list(cref('PodReadinessGate'), 'Extra conditions that must be True for the pod to be ready.'),
    runtimeClassName: str('RuntimeClass to run the pod with.'),
    enableServiceLinks: bool('Put information about Services into environment variables, as Docker links did. Defaults to true.'),
    preemptionPolicy: enumOf(['Never', 'PreemptLowerPriority'], 'Whether the pod may preempt lower-priority pods. Defaults to PreemptLowerPriority.'),
    overhead: resourceList('Resources the pod\'s sandbox uses beyond its containers; set from the RuntimeClass.'),
    topologySpreadConstraints: mapList(cref('TopologySpreadConstraint'), ['topologyKey', 'whenUnsatisfiable'], 'How the pod\'s replicas spread across zones, nodes and other domains.'),
    setHostnameAsFQDN: bool('Make the hostname the pod\'s FQDN rather than its short name. Defaults to false.'),
    os: cref('PodOS', 'Operating system the pod needs.'),
    hostUsers: bool('Use the host\'s user namespace; false gives the pod its own. Defaults to true.'),
    schedulingGates: mapList(cref('PodSchedulingGate'), ['name'], 'While any is present the pod is not scheduled; they can only be removed.'),
    resourceClaims: mapList(cref('PodResourceClaim'), ['name'], { description: 'Dynamic resources (ResourceClaims) the pod needs.', 'x-kubernetes-patch-strategy': 'merge,retainKeys' }),
    resources: cref('ResourceRequirements', 'Pod-level requests and limits (cpu, memory) shared by all containers.'),
  }, { description: 'The desired state of a pod.', required: ['containers'] }),

  [POD_TEMPLATE_SPEC]: obj({
    metadata: ref(META.ObjectMeta, 'Metadata of the pods created from the template.'),
    spec: cref('PodSpec', 'Spec of the pods created from the template.'),
  }, 'A template for pods made by a controller.'),

  [core('PodSecurityContext')]: obj({
    seLinuxOptions: cref('SELinuxOptions', 'SELinux context for all containers.'),
    windowsOptions: cref('WindowsSecurityContextOptions', 'Windows-specific options for all containers.'),
    runAsUser: int64('UID the containers\' entrypoints run as.'),
    runAsGroup: int64('GID the containers\' entrypoints run as.'),
    runAsNonRoot: bool('Refuse to start containers that would run as UID 0.'),
    supplementalGroups: list(int64(), 'Groups added to each container\'s first process.'),
    supplementalGroupsPolicy: enumOf(['Merge', 'Strict'], 'Merge adds the image\'s groups for the user; Strict uses only the listed ones. Defaults to Merge.'),
    fsGroup: int64('Group that owns the volumes and is added to every container\'s processes.'),
    sysctls: list(cref('Sysctl'), 'Namespaced sysctls to set for the pod.'),
    fsGroupChangePolicy: enumOf(['Always', 'OnRootMismatch'], 'When volume ownership is changed to fsGroup: OnRootMismatch or Always.'),
    seccompProfile: cref('SeccompProfile', 'Seccomp profile for all containers.'),
    appArmorProfile: cref('AppArmorProfile', 'AppArmor profile for all containers.'),
    seLinuxChangePolicy: str('How SELinux labels are applied to volumes: MountOption or Recursive.'),
  }, 'Security settings for all containers of a pod.'),
  [core('Sysctl')]: obj({
    name: str('Sysctl name.'),
    value: str('Value to set.'),
  }, { description: 'A kernel parameter to set.', required: ['name', 'value'] }),
  [core('PodDNSConfig')]: obj({
    nameservers: list(str(), 'DNS server IPs, at most 3 in all.'),
    searches: list(str(), 'DNS search domains, at most 32 in all.'),
    options: list(cref('PodDNSConfigOption'), 'Resolver options, e.g. ndots.'),
  }, 'DNS parameters of a pod, added to those from dnsPolicy.'),
  [core('PodDNSConfigOption')]: obj({
    name: str('Option name, e.g. ndots.'),
    value: str('Option value.'),
  }, 'A resolver option.'),
  [core('HostAlias')]: obj({
    ip: str('IP address of the entry.'),
    hostnames: list(str(), 'Host names for the IP.'),
  }, { description: 'An /etc/hosts entry.', required: ['ip'] }),
  [core('PodReadinessGate')]: obj({
    conditionType: str('A pod condition type that must be True.'),
  }, { description: 'An extra condition for pod readiness.', required: ['conditionType'] }),
  [core('PodSchedulingGate')]: obj({
    name: str('Name of the gate; unique within the pod.'),
  }, { description: 'Holds a pod back from scheduling while present.', required: ['name'] }),
  [core('PodResourceClaim')]: obj({
    name: str('Name of the claim within the pod; containers refer to it.'),
    resourceClaimName: str('An existing ResourceClaim in the pod\'s namespace.'),
    resourceClaimTemplateName: str('A ResourceClaimTemplate from which a claim is made for this pod.'),
  }, { description: 'A resource claim of a pod; exactly one of resourceClaimName and resourceClaimTemplateName.', required: ['name'] }),
  [core('PodOS')]: obj({
    name: str('linux or windows.'),
  }, { description: 'The operating system a pod needs.', required: ['name'] }),
};
