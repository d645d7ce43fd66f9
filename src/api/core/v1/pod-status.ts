// core/v1 PodStatus: what the kubelet and scheduler report about a pod.
import { bool, int32, int64, list, mapList, obj, str, enumOf, ref, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import { core, cref, resourceList } from './common.js';

const statuses = (which: string) => list(cref('ContainerStatus'), `Status of each ${which}.`);

export const definitions: Record<string, Schema> = {
  [core('PodStatus')]: obj({
    phase: enumOf(['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'], 'Where the pod is in its life: Pending, Running, Succeeded, Failed or Unknown.'),
    conditions: mapList(cref('PodCondition'), ['type'], 'Current conditions: PodScheduled, Initialized, ContainersReady, Ready, ...'),
    message: str('Why the pod is in this state, for people.'),
    reason: str('Why the pod is in this state, one CamelCase word, e.g. Evicted.'),
    nominatedNodeName: str('Node where the pod is expected to run after preempting others.'),
    hostIP: str('IP of the node the pod runs on.'),
    hostIPs: mapList(cref('HostIP'), ['ip'], 'IPs of the node, one per family.'),
    podIP: str('IP of the pod.'),
    podIPs: mapList(cref('PodIP'), ['ip'], 'IPs of the pod, one per family; the first equals podIP.'),
    startTime: ref(META.Time, 'When the kubelet accepted the pod.'),
    initContainerStatuses: statuses('init container'),
    containerStatuses: statuses('container'),
    qosClass: enumOf(['BestEffort', 'Burstable', 'Guaranteed'], 'Quality of service class, from the resources: Guaranteed, Burstable or BestEffort.'),
    ephemeralContainerStatuses: statuses('ephemeral container'),
    resize: str('State of an in-place resize: Proposed, InProgress, Deferred or Infeasible.'),
    resourceClaimStatuses: mapList(cref('PodResourceClaimStatus'), ['name'], 'Names of the ResourceClaims made for the pod\'s claim templates.'),
  }, 'The observed state of a pod.'),
  [core('PodCondition')]: obj({
    type: str('Condition type: PodScheduled, Initialized, ContainersReady, Ready, PodReadyToStartContainers, DisruptionTarget, or a readiness gate.'),
    status: str('True, False or Unknown.'),
    lastProbeTime: ref(META.Time, 'When the condition was last checked.'),
    lastTransitionTime: ref(META.Time, 'When the status last changed.'),
    reason: str('Why the condition last changed, one CamelCase word.'),
    message: str('Details of the last change, for people.'),
  }, { description: 'A condition of a pod.', required: ['type', 'status'] }),
  [core('PodIP')]: obj({ ip: str('An IP address of the pod.') }, { description: 'An IP address of a pod.', required: ['ip'] }),
  [core('HostIP')]: obj({ ip: str('An IP address of the node.') }, { description: 'An IP address of the pod\'s node.', required: ['ip'] }),
  [core('PodResourceClaimStatus')]: obj({
    name: str('The entry of spec.resourceClaims.'),
    resourceClaimName: str('The ResourceClaim made for it; unset when none was needed.'),
  }, { description: 'The ResourceClaim made for a pod\'s claim template.', required: ['name'] }),

  [core('ContainerStatus')]: obj({
    name: str('Name of the container.'),
    state: cref('ContainerState', 'Current state.'),
    lastState: cref('ContainerState', 'State of the previous run, when restarted.'),
    ready: bool('Whether the container passes its readiness probe.'),
    restartCount: int32('Times the container has been restarted.'),
    image: str('Image the container runs.'),
    imageID: str('ID of the image, usually a digest.'),
    containerID: str('ID of the container: <runtime>://<id>.'),
    started: bool('Whether the container has started and passed its startup probe.'),
    allocatedResources: resourceList('Resources the node allocated to the container.'),
    resources: cref('ResourceRequirements', 'Requests and limits the runtime applied.'),
    volumeMounts: mapList(cref('VolumeMountStatus'), ['mountPath'], 'Mounts of the container.'),
    user: cref('ContainerUser', 'Identity of the container\'s first process.'),
    allocatedResourcesStatus: mapList(cref('ResourceStatus'), ['name'], 'Health of the devices allocated to the container.'),
  }, { description: 'The state of one container of a pod.', required: ['name', 'ready', 'restartCount', 'image', 'imageID'] }),
  [core('ContainerState')]: obj({
    waiting: cref('ContainerStateWaiting', 'Not yet running.'),
    running: cref('ContainerStateRunning', 'Running.'),
    terminated: cref('ContainerStateTerminated', 'Exited.'),
  }, 'State of a container; at most one field is set, waiting when none is.'),
  [core('ContainerStateWaiting')]: obj({
    reason: str('Why it is waiting, e.g. ContainerCreating, ImagePullBackOff, CrashLoopBackOff.'),
    message: str('Details, for people.'),
  }, 'A container that is not yet running.'),
  [core('ContainerStateRunning')]: obj({
    startedAt: ref(META.Time, 'When it last started.'),
  }, 'A running container.'),
  [core('ContainerStateTerminated')]: obj({
    exitCode: int32('Exit status of the last run.'),
    signal: int32('Signal that ended it.'),
    reason: str('Why it ended, e.g. Completed, Error, OOMKilled.'),
    message: str('Details, e.g. the termination message.'),
    startedAt: ref(META.Time, 'When the run started.'),
    finishedAt: ref(META.Time, 'When the run ended.'),
    containerID: str('ID of the container: <runtime>://<id>.'),
  }, { description: 'A container that has exited.', required: ['exitCode'] }),
  [core('VolumeMountStatus')]: obj({
    name: str('Name of the volume.'),
    mountPath: str('Where it is mounted.'),
    readOnly: bool('Whether it is read-only.'),
    recursiveReadOnly: str('Disabled or Enabled.'),
  }, { description: 'A mount as the runtime made it.', required: ['name', 'mountPath'] }),
  [core('ContainerUser')]: obj({
    linux: cref('LinuxContainerUser', 'The Linux identity.'),
  }, 'Identity of a container\'s first process.'),
  [core('LinuxContainerUser')]: obj({
    uid: int64('User ID.'),
    gid: int64('Primary group ID.'),
    supplementalGroups: list(int64(), 'Other group IDs.'),
  }, { description: 'A Linux user and its groups.', required: ['uid', 'gid'] }),
  [core('ResourceStatus')]: obj({
    name: str('Resource name, e.g. a claim or an extended resource.'),
    resources: mapList(cref('ResourceHealth'), ['resourceID'], 'Health of each device.'),
  }, { description: 'Health of the devices of one resource.', required: ['name'] }),
  [core('ResourceHealth')]: obj({
    resourceID: str('ID of the device.'),
    health: str('Healthy, Unhealthy or Unknown.'),
  }, { description: 'Health of one device.', required: ['resourceID'] }),
};
