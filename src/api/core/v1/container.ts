// core/v1 Container and what it is made of: ports, environment, resources, mounts, probes,
// lifecycle hooks and security context. EphemeralContainer shares the same fields.
import { bool, int32, int64, intOrString, list, mapList, obj, str, enumOf, type Schema } from '../../../machinery/schema.js';
import { core, cref, resourceList } from './common.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** The fields a Container and an EphemeralContainer share (ephemeral ones may not use all). */
function containerFields(): Record<string, Schema> {
  return {
    name: str('Name of the container, a DNS label unique within the pod.'),
    image: str('Container image to run, e.g. nginx:1.27 or registry.example.com/app@sha256:...'),
    command: list(str(), "Entrypoint; replaces the image's ENTRYPOINT. $(VAR) references are expanded from the environment."),
    args: list(str(), "Arguments to the entrypoint; replace the image's CMD. $(VAR) references are expanded."),
    workingDir: str("Working directory; the image's default when empty."),
    ports: mapList(cref('ContainerPort'), ['containerPort', 'protocol'], 'Ports the container exposes. Informational: any port the container listens on is reachable.'),
    envFrom: list(cref('EnvFromSource'), 'Sources (ConfigMaps, Secrets) whose keys all become environment variables; env entries win on conflicts.'),
    env: mapList(cref('EnvVar'), ['name'], 'Environment variables to set in the container.'),
    resources: cref('ResourceRequirements', 'Compute resources (cpu, memory, ...) the container requests and is limited to.'),
    resizePolicy: list(cref('ContainerResizePolicy'), 'How each resource may be resized in place.'),
    restartPolicy: str('Only for init containers: Always makes it a sidecar that keeps running beside the main containers.'),
    volumeMounts: mapList(cref('VolumeMount'), ['mountPath'], "Pod volumes to mount into the container's filesystem."),
    volumeDevices: mapList(cref('VolumeDevice'), ['devicePath'], 'Block volumes to expose to the container as devices.'),
    livenessProbe: cref('Probe', 'Checks the container is alive; it is restarted when the probe fails.'),
    readinessProbe: cref('Probe', 'Checks the container is ready; the pod leaves Service endpoints while it fails.'),
    startupProbe: cref('Probe', 'Checks the container has started; the other probes wait until it succeeds.'),
    lifecycle: cref('Lifecycle', 'Actions to run after the container starts and before it stops.'),
    terminationMessagePath: str("File whose content becomes the container's termination message. Defaults to /dev/termination-log."),
    terminationMessagePolicy: enumOf(['FallbackToLogsOnError', 'File'], 'File reads the message from terminationMessagePath; FallbackToLogsOnError uses the log tail when that file is empty and the container failed. Defaults to File.'),
    imagePullPolicy: enumOf(['Always', 'IfNotPresent', 'Never'], 'When to pull the image. Defaults to Always for :latest or no tag, IfNotPresent otherwise.'),
    securityContext: cref('SecurityContext', 'Security options for this container; they override the pod-level ones.'),
    stdin: bool('Keep a stdin buffer open for the container.'),
    stdinOnce: bool('Close stdin after the first attach session ends.'),
    tty: bool('Allocate a TTY; needs stdin.'),
  };
}

const probeHandler = {
  exec: cref('ExecAction', 'Run a command in the container.'),
  httpGet: cref('HTTPGetAction', 'Send an HTTP GET request.'),
  tcpSocket: cref('TCPSocketAction', 'Open a TCP connection.'),
};

export const definitions: Record<string, Schema> = {
  [core('Container')]: obj(containerFields(), { description: 'A container to run in a pod.', required: ['name'] }),
  [core('EphemeralContainer')]: obj({
    ...containerFields(),
    targetContainerName: str('Name of a container whose namespaces (e.g. process) this one joins, for debugging.'),
  }, { description: 'A temporary container added to a running pod for debugging, with kubectl debug. It has no ports, probes or resources.', required: ['name'] }),

  [core('ContainerPort')]: obj({
    name: str('An IANA_SVC_NAME, unique within the pod; Services may refer to the port by it.'),
    hostPort: int32('Port to expose on the host (1-65535); rarely needed.'),
    containerPort: int32('Port number in the pod\'s IP address (1-65535).'),
    protocol: enumOf(PROTOCOLS, { description: 'UDP, TCP or SCTP. Defaults to TCP.', default: 'TCP' }),
    hostIP: str('Host IP to bind the host port to.'),
  }, { description: 'A network port of a container.', required: ['containerPort'] }),

  [core('EnvVar')]: obj({
    name: str('Name of the variable; any printable ASCII except =.'),
    value: str('Value; $(VAR) references to earlier variables are expanded, $$(VAR) escapes. Defaults to "".'),
    valueFrom: cref('EnvVarSource', 'Take the value from elsewhere; not with value.'),
  }, { description: 'An environment variable of a container.', required: ['name'] }),
  [core('EnvVarSource')]: obj({
    fieldRef: cref('ObjectFieldSelector', 'A field of the pod: metadata.name, metadata.namespace, metadata.uid, metadata.labels[\'k\'], metadata.annotations[\'k\'], spec.nodeName, spec.serviceAccountName, status.hostIP, status.hostIPs, status.podIP, status.podIPs.'),
    resourceFieldRef: cref('ResourceFieldSelector', 'A resource limit or request of a container: limits.cpu, requests.memory, ...'),
    configMapKeyRef: cref('ConfigMapKeySelector', 'A key of a ConfigMap in the pod\'s namespace.'),
    secretKeyRef: cref('SecretKeySelector', 'A key of a Secret in the pod\'s namespace.'),
  }, 'Where an environment variable\'s value comes from; exactly one source.'),
  [core('EnvFromSource')]: obj({
    prefix: str('Prepended to every key to make the variable name.'),
    configMapRef: cref('ConfigMapEnvSource', 'The ConfigMap to read.'),
    secretRef: cref('SecretEnvSource', 'The Secret to read.'),
  }, 'A set of environment variables taken from a ConfigMap or Secret.'),
  [core('ConfigMapEnvSource')]: obj({
    name: str('Name of the ConfigMap.'),
    optional: bool('Whether the ConfigMap may be missing.'),
  }, 'A ConfigMap whose keys become environment variables.'),
  [core('SecretEnvSource')]: obj({
    name: str('Name of the Secret.'),
    optional: bool('Whether the Secret may be missing.'),
  }, 'A Secret whose keys become environment variables.'),

  [core('ResourceRequirements')]: obj({
    limits: resourceList('Most of each resource the container may use.'),
    requests: resourceList('Resources the scheduler reserves for the container; default to the limits when only those are set.'),
    claims: mapList(cref('ResourceClaim'), ['name'], 'Dynamic resources (from spec.resourceClaims) this container uses.'),
  }, 'Compute resource requests and limits.'),
  [core('ResourceClaim')]: obj({
    name: str('Name of an entry in the pod\'s spec.resourceClaims.'),
    request: str('Only this request of the claim, when set.'),
  }, { description: 'A reference to one of the pod\'s resource claims.', required: ['name'] }),
  [core('ContainerResizePolicy')]: obj({
    resourceName: str('The resource this applies to: cpu or memory.'),
    restartPolicy: str('NotRequired (resize in place) or RestartContainer.'),
  }, { description: 'How a resource of a container is resized.', required: ['resourceName', 'restartPolicy'] }),

  [core('VolumeMount')]: obj({
    name: str('Name of the pod volume to mount.'),
    readOnly: bool('Mount read-only. Defaults to false.'),
    recursiveReadOnly: str('Enabled, IfPossible or Disabled: whether read-only applies to submounts too.'),
    mountPath: str('Path in the container to mount at; must not contain \':\'.'),
    subPath: str('Path within the volume to mount instead of its root.'),
    mountPropagation: enumOf(['Bidirectional', 'HostToContainer', 'None'], 'How mounts propagate between host and container. Defaults to None.'),
    subPathExpr: str('Like subPath, with $(VAR) references to the environment expanded.'),
  }, { description: 'A volume mounted into a container.', required: ['name', 'mountPath'] }),
  [core('VolumeDevice')]: obj({
    name: str('Name of a persistentVolumeClaim volume of the pod.'),
    devicePath: str('Path of the device inside the container.'),
  }, { description: 'A raw block device mapped into a container.', required: ['name', 'devicePath'] }),

  [core('Probe')]: obj({
    ...probeHandler,
    grpc: cref('GRPCAction', 'Call the gRPC health checking service.'),
    initialDelaySeconds: int32('Seconds after the container starts before the first probe.'),
    timeoutSeconds: int32('Seconds before a probe attempt times out. Defaults to 1.'),
    periodSeconds: int32('Seconds between probes. Defaults to 10.'),
    successThreshold: int32('Consecutive successes that count as success after a failure. Defaults to 1; must be 1 for liveness and startup.'),
    failureThreshold: int32('Consecutive failures that count as failure. Defaults to 3.'),
    terminationGracePeriodSeconds: int64('Grace period for a kill caused by this probe failing; overrides the pod\'s.'),
  }, 'A health check run against a container.'),
  [core('ExecAction')]: obj({
    command: list(str(), 'Command to run, not in a shell; exit status 0 is success.'),
  }, 'Runs a command in the container.'),
  [core('HTTPGetAction')]: obj({
    path: str('Path to request.'),
    port: intOrString('Port number or container port name to connect to.'),
    host: str('Host to connect to; defaults to the pod IP. Set a Host header instead, usually.'),
    scheme: enumOf(['HTTP', 'HTTPS'], 'HTTP or HTTPS. Defaults to HTTP.'),
    httpHeaders: list(cref('HTTPHeader'), 'Extra request headers.'),
  }, { description: 'An HTTP GET request; a status from 200 to 399 is success.', required: ['port'] }),
  [core('HTTPHeader')]: obj({
    name: str('Header name.'),
    value: str('Header value.'),
  }, { description: 'A header for an HTTP probe.', required: ['name', 'value'] }),
  [core('TCPSocketAction')]: obj({
    port: intOrString('Port number or container port name to connect to.'),
    host: str('Host to connect to; defaults to the pod IP.'),
  }, { description: 'Opens a TCP connection; connecting is success.', required: ['port'] }),
  [core('GRPCAction')]: obj({
    port: int32('Port of the gRPC service.'),
    service: str({ description: 'Service name sent in the health check request; empty asks about the server as a whole.', default: '' }),
  }, { description: 'A call to the standard gRPC health checking service.', required: ['port'] }),

  [core('Lifecycle')]: obj({
    postStart: cref('LifecycleHandler', 'Runs right after the container is created; the container is restarted if it fails.'),
    preStop: cref('LifecycleHandler', 'Runs before the container is stopped by an API request or management event; counts against the grace period.'),
  }, 'Actions the kubelet runs at points of a container\'s life.'),
  [core('LifecycleHandler')]: obj({
    ...probeHandler,
    sleep: cref('SleepAction', 'Wait a number of seconds.'),
  }, 'One action of a lifecycle hook; exactly one of its fields.'),
  [core('SleepAction')]: obj({
    seconds: int64('Seconds to sleep.'),
  }, { description: 'Waits for a while.', required: ['seconds'] }),

  [core('SecurityContext')]: obj({
    capabilities: cref('Capabilities', 'Linux capabilities to add and drop.'),
    privileged: bool('Run as privileged: like root on the host. Defaults to false.'),
    seLinuxOptions: cref('SELinuxOptions', 'SELinux context of the container.'),
    windowsOptions: cref('WindowsSecurityContextOptions', 'Windows-specific options.'),
    runAsUser: int64('UID to run the entrypoint as.'),
    runAsGroup: int64('GID to run the entrypoint as.'),
    runAsNonRoot: bool('Refuse to start the container if it would run as UID 0.'),
    readOnlyRootFilesystem: bool('Mount the root filesystem read-only. Defaults to false.'),
    allowPrivilegeEscalation: bool('Whether a process may gain more privileges than its parent (no_new_privs).'),
    procMount: enumOf(['Default', 'Unmasked'], 'Which /proc masking to use. Defaults to Default.'),
    seccompProfile: cref('SeccompProfile', 'Seccomp profile of the container.'),
    appArmorProfile: cref('AppArmorProfile', 'AppArmor profile of the container.'),
  }, 'Security settings of a container; they override the pod\'s where both are set.'),
  [core('Capabilities')]: obj({
    add: list(str(), 'Capabilities to add, e.g. NET_ADMIN.'),
    drop: list(str(), 'Capabilities to drop, e.g. ALL.'),
  }, 'Linux capabilities to add to and drop from the default set.'),
  [core('SELinuxOptions')]: obj({
    user: str('SELinux user.'), role: str('SELinux role.'), type: str('SELinux type.'), level: str('SELinux level.'),
  }, 'An SELinux label.'),
  [core('SeccompProfile')]: obj({
    type: enumOf(['Localhost', 'RuntimeDefault', 'Unconfined'], 'Which profile: Localhost (a file on the node), RuntimeDefault or Unconfined.'),
    localhostProfile: str('Path of the profile under the kubelet\'s seccomp directory; only for Localhost.'),
  }, { description: 'A seccomp profile.', required: ['type'] }),
  [core('AppArmorProfile')]: obj({
    type: enumOf(['Localhost', 'RuntimeDefault', 'Unconfined'], 'Which profile: Localhost (loaded on the node), RuntimeDefault or Unconfined.'),
    localhostProfile: str('Name of a profile loaded on the node; only for Localhost.'),
  }, { description: 'An AppArmor profile.', required: ['type'] }),
  [core('WindowsSecurityContextOptions')]: obj({
    gmsaCredentialSpecName: str('Name of the GMSA credential spec to use.'),
    gmsaCredentialSpec: str('Content of the GMSA credential spec.'),
    runAsUserName: str('Windows user to run the entrypoint as.'),
    hostProcess: bool('Run as a Windows HostProcess container.'),
  }, 'Windows-specific security options.'),
};
