// Protobuf wire schema of k8s.io/api/core/v1: the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
import type { ProtoPackage } from '../schema.js';

export const coreV1: ProtoPackage[] = [
  {
    // k8s.io/api/core/v1
    name: 'k8s.io.api.core.v1',
    deps: ['k8s.io.apimachinery.pkg.api.resource', 'k8s.io.apimachinery.pkg.apis.meta.v1', 'k8s.io.apimachinery.pkg.util.intstr'],
    text: `syntax = "proto2";
package k8s.io.api.core.v1;

message AWSElasticBlockStoreVolumeSource {
  optional string volumeID = 1 [(go) = "val"];
  optional string fsType = 2;
  optional int32 partition = 3;
  optional bool readOnly = 4;
}

message Affinity {
  optional NodeAffinity nodeAffinity = 1 [(go) = "ptr"];
  optional PodAffinity podAffinity = 2 [(go) = "ptr"];
  optional PodAntiAffinity podAntiAffinity = 3 [(go) = "ptr"];
}

message AppArmorProfile {
  optional string type = 1 [(go) = "val"];
  optional string localhostProfile = 2 [(go) = "ptr"];
}

message AttachedVolume {
  optional string name = 1 [(go) = "val"];
  optional string devicePath = 2 [(go) = "val"];
}

message AvoidPods {
  repeated PreferAvoidPodsEntry preferAvoidPods = 1;
}

message AzureDiskVolumeSource {
  optional string diskName = 1 [(go) = "val"];
  optional string diskURI = 2 [(go) = "val"];
  optional string cachingMode = 3 [(go) = "ptr"];
  optional string fsType = 4 [(go) = "ptr"];
  optional bool readOnly = 5 [(go) = "ptr"];
  optional string kind = 6 [(go) = "ptr"];
}

message AzureFilePersistentVolumeSource {
  optional string secretName = 1 [(go) = "val"];
  optional string shareName = 2 [(go) = "val"];
  optional bool readOnly = 3;
  optional string secretNamespace = 4 [(go) = "ptr"];
}

message AzureFileVolumeSource {
  optional string secretName = 1 [(go) = "val"];
  optional string shareName = 2 [(go) = "val"];
  optional bool readOnly = 3;
}

message Binding {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ObjectReference target = 2;
}

message CSIPersistentVolumeSource {
  optional string driver = 1 [(go) = "val"];
  optional string volumeHandle = 2 [(go) = "val"];
  optional bool readOnly = 3;
  optional string fsType = 4;
  map<string, string> volumeAttributes = 5;
  optional SecretReference controllerPublishSecretRef = 6 [(go) = "ptr"];
  optional SecretReference nodeStageSecretRef = 7 [(go) = "ptr"];
  optional SecretReference nodePublishSecretRef = 8 [(go) = "ptr"];
  optional SecretReference controllerExpandSecretRef = 9 [(go) = "ptr"];
  optional SecretReference nodeExpandSecretRef = 10 [(go) = "ptr"];
}

message CSIVolumeSource {
  optional string driver = 1 [(go) = "val"];
  optional bool readOnly = 2 [(go) = "ptr"];
  optional string fsType = 3 [(go) = "ptr"];
  map<string, string> volumeAttributes = 4;
  optional LocalObjectReference nodePublishSecretRef = 5 [(go) = "ptr"];
}

message Capabilities {
  repeated string add = 1;
  repeated string drop = 2;
}

message CephFSPersistentVolumeSource {
  repeated string monitors = 1;
  optional string path = 2;
  optional string user = 3;
  optional string secretFile = 4;
  optional SecretReference secretRef = 5 [(go) = "ptr"];
  optional bool readOnly = 6;
}

message CephFSVolumeSource {
  repeated string monitors = 1;
  optional string path = 2;
  optional string user = 3;
  optional string secretFile = 4;
  optional LocalObjectReference secretRef = 5 [(go) = "ptr"];
  optional bool readOnly = 6;
}

message CinderPersistentVolumeSource {
  optional string volumeID = 1 [(go) = "val"];
  optional string fsType = 2;
  optional bool readOnly = 3;
  optional SecretReference secretRef = 4 [(go) = "ptr"];
}

message CinderVolumeSource {
  optional string volumeID = 1 [(go) = "val"];
  optional string fsType = 2;
  optional bool readOnly = 3;
  optional LocalObjectReference secretRef = 4 [(go) = "ptr"];
}

message ClientIPConfig {
  optional int32 timeoutSeconds = 1 [(go) = "ptr"];
}

message ClusterTrustBundleProjection {
  optional string name = 1 [(go) = "ptr"];
  optional string signerName = 2 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector labelSelector = 3 [(go) = "ptr"];
  optional bool optional = 5 [(go) = "ptr"];
  optional string path = 4 [(go) = "val"];
}

message ComponentCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional string message = 3;
  optional string error = 4;
}

message ComponentStatus {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated ComponentCondition conditions = 2;
}

message ConfigMap {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional bool immutable = 4 [(go) = "ptr"];
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
}

message ConfigMapEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  optional bool optional = 2 [(go) = "ptr"];
}

message ConfigMapKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  optional string key = 2 [(go) = "val"];
  optional bool optional = 3 [(go) = "ptr"];
}

message ConfigMapNodeConfigSource {
  optional string namespace = 1 [(go) = "val"];
  optional string name = 2 [(go) = "val"];
  optional string uid = 3;
  optional string resourceVersion = 4;
  optional string kubeletConfigKey = 5 [(go) = "val"];
}

message ConfigMapProjection {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(go) = "ptr"];
}

message ConfigMapVolumeSource {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(go) = "ptr"];
  optional bool optional = 4 [(go) = "ptr"];
}

message Container {
  optional string name = 1 [(go) = "val"];
  optional string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvFromSource envFrom = 19;
  repeated EnvVar env = 7;
  optional ResourceRequirements resources = 8;
  repeated ContainerResizePolicy resizePolicy = 23;
  optional string restartPolicy = 24 [(go) = "ptr"];
  repeated VolumeMount volumeMounts = 9;
  repeated VolumeDevice volumeDevices = 21;
  optional Probe livenessProbe = 10 [(go) = "ptr"];
  optional Probe readinessProbe = 11 [(go) = "ptr"];
  optional Probe startupProbe = 22 [(go) = "ptr"];
  optional Lifecycle lifecycle = 12 [(go) = "ptr"];
  optional string terminationMessagePath = 13;
  optional string terminationMessagePolicy = 20;
  optional string imagePullPolicy = 14;
  optional SecurityContext securityContext = 15 [(go) = "ptr"];
  optional bool stdin = 16;
  optional bool stdinOnce = 17;
  optional bool tty = 18;
}

message ContainerImage {
  repeated string names = 1;
  optional int64 sizeBytes = 2;
}

message ContainerPort {
  optional string name = 1;
  optional int32 hostPort = 2;
  optional int32 containerPort = 3 [(go) = "val"];
  optional string protocol = 4;
  optional string hostIP = 5;
}

message ContainerResizePolicy {
  optional string resourceName = 1 [(go) = "val"];
  optional string restartPolicy = 2 [(go) = "val"];
}

message ContainerState {
  optional ContainerStateWaiting waiting = 1 [(go) = "ptr"];
  optional ContainerStateRunning running = 2 [(go) = "ptr"];
  optional ContainerStateTerminated terminated = 3 [(go) = "ptr"];
}

message ContainerStateRunning {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startedAt = 1;
}

message ContainerStateTerminated {
  optional int32 exitCode = 1 [(go) = "val"];
  optional int32 signal = 2;
  optional string reason = 3;
  optional string message = 4;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startedAt = 5;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time finishedAt = 6;
  optional string containerID = 7;
}

message ContainerStateWaiting {
  optional string reason = 1;
  optional string message = 2;
}

message ContainerStatus {
  optional string name = 1 [(go) = "val"];
  optional ContainerState state = 2;
  optional ContainerState lastState = 3;
  optional bool ready = 4 [(go) = "val"];
  optional int32 restartCount = 5 [(go) = "val"];
  optional string image = 6 [(go) = "val"];
  optional string imageID = 7 [(go) = "val"];
  optional string containerID = 8;
  optional bool started = 9 [(go) = "ptr"];
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> allocatedResources = 10;
  optional ResourceRequirements resources = 11 [(go) = "ptr"];
  repeated VolumeMountStatus volumeMounts = 12;
  optional ContainerUser user = 13 [(go) = "ptr"];
  repeated ResourceStatus allocatedResourcesStatus = 14;
}

message ContainerUser {
  optional LinuxContainerUser linux = 1 [(go) = "ptr"];
}

message DaemonEndpoint {
  optional int32 Port = 1 [(go) = "val"];
}

message DownwardAPIProjection {
  repeated DownwardAPIVolumeFile items = 1;
}

message DownwardAPIVolumeFile {
  optional string path = 1 [(go) = "val"];
  optional ObjectFieldSelector fieldRef = 2 [(go) = "ptr"];
  optional ResourceFieldSelector resourceFieldRef = 3 [(go) = "ptr"];
  optional int32 mode = 4 [(go) = "ptr"];
}

message DownwardAPIVolumeSource {
  repeated DownwardAPIVolumeFile items = 1;
  optional int32 defaultMode = 2 [(go) = "ptr"];
}

message EmptyDirVolumeSource {
  optional string medium = 1;
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity sizeLimit = 2 [(go) = "ptr"];
}

message EndpointAddress {
  optional string ip = 1 [(go) = "val"];
  optional string hostname = 3;
  optional string nodeName = 4 [(go) = "ptr"];
  optional ObjectReference targetRef = 2 [(go) = "ptr"];
}

message EndpointPort {
  optional string name = 1;
  optional int32 port = 2 [(go) = "val"];
  optional string protocol = 3;
  optional string appProtocol = 4 [(go) = "ptr"];
}

message EndpointSubset {
  repeated EndpointAddress addresses = 1;
  repeated EndpointAddress notReadyAddresses = 2;
  repeated EndpointPort ports = 3;
}

message Endpoints {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated EndpointSubset subsets = 2;
}

message EnvFromSource {
  optional string prefix = 1;
  optional ConfigMapEnvSource configMapRef = 2 [(go) = "ptr"];
  optional SecretEnvSource secretRef = 3 [(go) = "ptr"];
}

message EnvVar {
  optional string name = 1 [(go) = "val"];
  optional string value = 2;
  optional EnvVarSource valueFrom = 3 [(go) = "ptr"];
}

message EnvVarSource {
  optional ObjectFieldSelector fieldRef = 1 [(go) = "ptr"];
  optional ResourceFieldSelector resourceFieldRef = 2 [(go) = "ptr"];
  optional ConfigMapKeySelector configMapKeyRef = 3 [(go) = "ptr"];
  optional SecretKeySelector secretKeyRef = 4 [(go) = "ptr"];
}

message EphemeralContainer {
  optional EphemeralContainerCommon ephemeralContainerCommon = 1 [(inline) = true];
  optional string targetContainerName = 2;
}

message EphemeralContainerCommon {
  optional string name = 1 [(go) = "val"];
  optional string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvFromSource envFrom = 19;
  repeated EnvVar env = 7;
  optional ResourceRequirements resources = 8;
  repeated ContainerResizePolicy resizePolicy = 23;
  optional string restartPolicy = 24 [(go) = "ptr"];
  repeated VolumeMount volumeMounts = 9;
  repeated VolumeDevice volumeDevices = 21;
  optional Probe livenessProbe = 10 [(go) = "ptr"];
  optional Probe readinessProbe = 11 [(go) = "ptr"];
  optional Probe startupProbe = 22 [(go) = "ptr"];
  optional Lifecycle lifecycle = 12 [(go) = "ptr"];
  optional string terminationMessagePath = 13;
  optional string terminationMessagePolicy = 20;
  optional string imagePullPolicy = 14;
  optional SecurityContext securityContext = 15 [(go) = "ptr"];
  optional bool stdin = 16;
  optional bool stdinOnce = 17;
  optional bool tty = 18;
}

message EphemeralVolumeSource {
  optional PersistentVolumeClaimTemplate volumeClaimTemplate = 1 [(go) = "ptr"];
}

message Event {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ObjectReference involvedObject = 2;
  optional string reason = 3;
  optional string message = 4;
  optional EventSource source = 5;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time firstTimestamp = 6;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTimestamp = 7;
  optional int32 count = 8;
  optional string type = 9;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime eventTime = 10;
  optional EventSeries series = 11 [(go) = "ptr"];
  optional string action = 12;
  optional ObjectReference related = 13 [(go) = "ptr"];
  optional string reportingComponent = 14 [(go) = "val"];
  optional string reportingInstance = 15 [(go) = "val"];
}

message EventSeries {
  optional int32 count = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime lastObservedTime = 2;
}

message EventSource {
  optional string component = 1;
  optional string host = 2;
}

message ExecAction {
  repeated string command = 1;
}

message FCVolumeSource {
  repeated string targetWWNs = 1;
  optional int32 lun = 2 [(go) = "ptr"];
  optional string fsType = 3;
  optional bool readOnly = 4;
  repeated string wwids = 5;
}

message FlexPersistentVolumeSource {
  optional string driver = 1 [(go) = "val"];
  optional string fsType = 2;
  optional SecretReference secretRef = 3 [(go) = "ptr"];
  optional bool readOnly = 4;
  map<string, string> options = 5;
}

message FlexVolumeSource {
  optional string driver = 1 [(go) = "val"];
  optional string fsType = 2;
  optional LocalObjectReference secretRef = 3 [(go) = "ptr"];
  optional bool readOnly = 4;
  map<string, string> options = 5;
}

message FlockerVolumeSource {
  optional string datasetName = 1;
  optional string datasetUUID = 2;
}

message GCEPersistentDiskVolumeSource {
  optional string pdName = 1 [(go) = "val"];
  optional string fsType = 2;
  optional int32 partition = 3;
  optional bool readOnly = 4;
}

message GRPCAction {
  optional int32 port = 1 [(go) = "val"];
  optional string service = 2 [(go) = "ptr"];
}

message GitRepoVolumeSource {
  optional string repository = 1 [(go) = "val"];
  optional string revision = 2;
  optional string directory = 3;
}

message GlusterfsPersistentVolumeSource {
  optional string endpoints = 1 [(go) = "val"];
  optional string path = 2 [(go) = "val"];
  optional bool readOnly = 3;
  optional string endpointsNamespace = 4 [(go) = "ptr"];
}

message GlusterfsVolumeSource {
  optional string endpoints = 1 [(go) = "val"];
  optional string path = 2 [(go) = "val"];
  optional bool readOnly = 3;
}

message HTTPGetAction {
  optional string path = 1;
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString port = 2;
  optional string host = 3;
  optional string scheme = 4;
  repeated HTTPHeader httpHeaders = 5;
}

message HTTPHeader {
  optional string name = 1 [(go) = "val"];
  optional string value = 2 [(go) = "val"];
}

message HostAlias {
  optional string ip = 1 [(go) = "val"];
  repeated string hostnames = 2;
}

message HostIP {
  optional string ip = 1 [(go) = "val"];
}

message HostPathVolumeSource {
  optional string path = 1 [(go) = "val"];
  optional string type = 2 [(go) = "ptr"];
}

message ISCSIPersistentVolumeSource {
  optional string targetPortal = 1 [(go) = "val"];
  optional string iqn = 2 [(go) = "val"];
  optional int32 lun = 3 [(go) = "val"];
  optional string iscsiInterface = 4;
  optional string fsType = 5;
  optional bool readOnly = 6;
  repeated string portals = 7;
  optional bool chapAuthDiscovery = 8;
  optional bool chapAuthSession = 11;
  optional SecretReference secretRef = 10 [(go) = "ptr"];
  optional string initiatorName = 12 [(go) = "ptr"];
}

message ISCSIVolumeSource {
  optional string targetPortal = 1 [(go) = "val"];
  optional string iqn = 2 [(go) = "val"];
  optional int32 lun = 3 [(go) = "val"];
  optional string iscsiInterface = 4;
  optional string fsType = 5;
  optional bool readOnly = 6;
  repeated string portals = 7;
  optional bool chapAuthDiscovery = 8;
  optional bool chapAuthSession = 11;
  optional LocalObjectReference secretRef = 10 [(go) = "ptr"];
  optional string initiatorName = 12 [(go) = "ptr"];
}

message ImageVolumeSource {
  optional string reference = 1;
  optional string pullPolicy = 2;
}

message KeyToPath {
  optional string key = 1 [(go) = "val"];
  optional string path = 2 [(go) = "val"];
  optional int32 mode = 3 [(go) = "ptr"];
}

message Lifecycle {
  optional LifecycleHandler postStart = 1 [(go) = "ptr"];
  optional LifecycleHandler preStop = 2 [(go) = "ptr"];
}

message LifecycleHandler {
  optional ExecAction exec = 1 [(go) = "ptr"];
  optional HTTPGetAction httpGet = 2 [(go) = "ptr"];
  optional TCPSocketAction tcpSocket = 3 [(go) = "ptr"];
  optional SleepAction sleep = 4 [(go) = "ptr"];
}

message LimitRange {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional LimitRangeSpec spec = 2;
}

message LimitRangeItem {
  optional string type = 1 [(go) = "val"];
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> max = 2;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> min = 3;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> default = 4;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> defaultRequest = 5;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> maxLimitRequestRatio = 6;
}

message LimitRangeSpec {
  repeated LimitRangeItem limits = 1;
}

message LinuxContainerUser {
  optional int64 uid = 1 [(go) = "val"];
  optional int64 gid = 2 [(go) = "val"];
  repeated int64 supplementalGroups = 3;
}

message LoadBalancerIngress {
  optional string ip = 1;
  optional string hostname = 2;
  optional string ipMode = 3 [(go) = "ptr"];
  repeated PortStatus ports = 4;
}

message LoadBalancerStatus {
  repeated LoadBalancerIngress ingress = 1;
}

message LocalObjectReference {
  optional string name = 1;
}

message LocalVolumeSource {
  optional string path = 1 [(go) = "val"];
  optional string fsType = 2 [(go) = "ptr"];
}

message ModifyVolumeStatus {
  optional string targetVolumeAttributesClassName = 1;
  optional string status = 2 [(go) = "val"];
}

message NFSVolumeSource {
  optional string server = 1 [(go) = "val"];
  optional string path = 2 [(go) = "val"];
  optional bool readOnly = 3;
}

message Namespace {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional NamespaceSpec spec = 2;
  optional NamespaceStatus status = 3;
}

message NamespaceCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message NamespaceSpec {
  repeated string finalizers = 1;
}

message NamespaceStatus {
  optional string phase = 1;
  repeated NamespaceCondition conditions = 2;
}

message Node {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional NodeSpec spec = 2;
  optional NodeStatus status = 3;
}

message NodeAddress {
  optional string type = 1 [(go) = "val"];
  optional string address = 2 [(go) = "val"];
}

message NodeAffinity {
  optional NodeSelector requiredDuringSchedulingIgnoredDuringExecution = 1 [(go) = "ptr"];
  repeated PreferredSchedulingTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message NodeCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastHeartbeatTime = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message NodeConfigSource {
  optional ConfigMapNodeConfigSource configMap = 2 [(go) = "ptr"];
}

message NodeConfigStatus {
  optional NodeConfigSource assigned = 1 [(go) = "ptr"];
  optional NodeConfigSource active = 2 [(go) = "ptr"];
  optional NodeConfigSource lastKnownGood = 3 [(go) = "ptr"];
  optional string error = 4;
}

message NodeDaemonEndpoints {
  optional DaemonEndpoint kubeletEndpoint = 1;
}

message NodeFeatures {
  optional bool supplementalGroupsPolicy = 1 [(go) = "ptr"];
}

message NodeProxyOptions {
  optional string path = 1;
}

message NodeRuntimeHandler {
  optional string name = 1 [(go) = "val"];
  optional NodeRuntimeHandlerFeatures features = 2 [(go) = "ptr"];
}

message NodeRuntimeHandlerFeatures {
  optional bool recursiveReadOnlyMounts = 1 [(go) = "ptr"];
  optional bool userNamespaces = 2 [(go) = "ptr"];
}

message NodeSelector {
  repeated NodeSelectorTerm nodeSelectorTerms = 1;
}

message NodeSelectorRequirement {
  optional string key = 1 [(go) = "val"];
  optional string operator = 2 [(go) = "val"];
  repeated string values = 3;
}

message NodeSelectorTerm {
  repeated NodeSelectorRequirement matchExpressions = 1;
  repeated NodeSelectorRequirement matchFields = 2;
}

message NodeSpec {
  optional string podCIDR = 1;
  repeated string podCIDRs = 7;
  optional string providerID = 3;
  optional bool unschedulable = 4;
  repeated Taint taints = 5;
  optional NodeConfigSource configSource = 6 [(go) = "ptr"];
  optional string externalID = 2;
}

message NodeStatus {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> capacity = 1;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> allocatable = 2;
  optional string phase = 3;
  repeated NodeCondition conditions = 4;
  repeated NodeAddress addresses = 5;
  optional NodeDaemonEndpoints daemonEndpoints = 6;
  optional NodeSystemInfo nodeInfo = 7;
  repeated ContainerImage images = 8;
  repeated string volumesInUse = 9;
  repeated AttachedVolume volumesAttached = 10;
  optional NodeConfigStatus config = 11 [(go) = "ptr"];
  repeated NodeRuntimeHandler runtimeHandlers = 12;
  optional NodeFeatures features = 13 [(go) = "ptr"];
}

message NodeSystemInfo {
  optional string machineID = 1 [(go) = "val"];
  optional string systemUUID = 2 [(go) = "val"];
  optional string bootID = 3 [(go) = "val"];
  optional string kernelVersion = 4 [(go) = "val"];
  optional string osImage = 5 [(go) = "val"];
  optional string containerRuntimeVersion = 6 [(go) = "val"];
  optional string kubeletVersion = 7 [(go) = "val"];
  optional string kubeProxyVersion = 8 [(go) = "val"];
  optional string operatingSystem = 9 [(go) = "val"];
  optional string architecture = 10 [(go) = "val"];
}

message ObjectFieldSelector {
  optional string apiVersion = 1;
  optional string fieldPath = 2 [(go) = "val"];
}

message ObjectReference {
  optional string kind = 1;
  optional string namespace = 2;
  optional string name = 3;
  optional string uid = 4;
  optional string apiVersion = 5;
  optional string resourceVersion = 6;
  optional string fieldPath = 7;
}

message PersistentVolume {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PersistentVolumeSpec spec = 2;
  optional PersistentVolumeStatus status = 3;
}

message PersistentVolumeClaim {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PersistentVolumeClaimSpec spec = 2;
  optional PersistentVolumeClaimStatus status = 3;
}

message PersistentVolumeClaimCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastProbeTime = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message PersistentVolumeClaimSpec {
  repeated string accessModes = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 4 [(go) = "ptr"];
  optional VolumeResourceRequirements resources = 2;
  optional string volumeName = 3;
  optional string storageClassName = 5 [(go) = "ptr"];
  optional string volumeMode = 6 [(go) = "ptr"];
  optional TypedLocalObjectReference dataSource = 7 [(go) = "ptr"];
  optional TypedObjectReference dataSourceRef = 8 [(go) = "ptr"];
  optional string volumeAttributesClassName = 9 [(go) = "ptr"];
}

message PersistentVolumeClaimStatus {
  optional string phase = 1;
  repeated string accessModes = 2;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> capacity = 3;
  repeated PersistentVolumeClaimCondition conditions = 4;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> allocatedResources = 5;
  map<string, string> allocatedResourceStatuses = 7;
  optional string currentVolumeAttributesClassName = 8 [(go) = "ptr"];
  optional ModifyVolumeStatus modifyVolumeStatus = 9 [(go) = "ptr"];
}

message PersistentVolumeClaimTemplate {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PersistentVolumeClaimSpec spec = 2;
}

message PersistentVolumeClaimVolumeSource {
  optional string claimName = 1 [(go) = "val"];
  optional bool readOnly = 2;
}

message PersistentVolumeSource {
  optional GCEPersistentDiskVolumeSource gcePersistentDisk = 1 [(go) = "ptr"];
  optional AWSElasticBlockStoreVolumeSource awsElasticBlockStore = 2 [(go) = "ptr"];
  optional HostPathVolumeSource hostPath = 3 [(go) = "ptr"];
  optional GlusterfsPersistentVolumeSource glusterfs = 4 [(go) = "ptr"];
  optional NFSVolumeSource nfs = 5 [(go) = "ptr"];
  optional RBDPersistentVolumeSource rbd = 6 [(go) = "ptr"];
  optional ISCSIPersistentVolumeSource iscsi = 7 [(go) = "ptr"];
  optional CinderPersistentVolumeSource cinder = 8 [(go) = "ptr"];
  optional CephFSPersistentVolumeSource cephfs = 9 [(go) = "ptr"];
  optional FCVolumeSource fc = 10 [(go) = "ptr"];
  optional FlockerVolumeSource flocker = 11 [(go) = "ptr"];
  optional FlexPersistentVolumeSource flexVolume = 12 [(go) = "ptr"];
  optional AzureFilePersistentVolumeSource azureFile = 13 [(go) = "ptr"];
  optional VsphereVirtualDiskVolumeSource vsphereVolume = 14 [(go) = "ptr"];
  optional QuobyteVolumeSource quobyte = 15 [(go) = "ptr"];
  optional AzureDiskVolumeSource azureDisk = 16 [(go) = "ptr"];
  optional PhotonPersistentDiskVolumeSource photonPersistentDisk = 17 [(go) = "ptr"];
  optional PortworxVolumeSource portworxVolume = 18 [(go) = "ptr"];
  optional ScaleIOPersistentVolumeSource scaleIO = 19 [(go) = "ptr"];
  optional LocalVolumeSource local = 20 [(go) = "ptr"];
  optional StorageOSPersistentVolumeSource storageos = 21 [(go) = "ptr"];
  optional CSIPersistentVolumeSource csi = 22 [(go) = "ptr"];
}

message PersistentVolumeSpec {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> capacity = 1;
  optional PersistentVolumeSource persistentVolumeSource = 2 [(inline) = true];
  repeated string accessModes = 3;
  optional ObjectReference claimRef = 4 [(go) = "ptr"];
  optional string persistentVolumeReclaimPolicy = 5;
  optional string storageClassName = 6;
  repeated string mountOptions = 7;
  optional string volumeMode = 8 [(go) = "ptr"];
  optional VolumeNodeAffinity nodeAffinity = 9 [(go) = "ptr"];
  optional string volumeAttributesClassName = 10 [(go) = "ptr"];
}

message PersistentVolumeStatus {
  optional string phase = 1;
  optional string message = 2;
  optional string reason = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastPhaseTransitionTime = 4 [(go) = "ptr"];
}

message PhotonPersistentDiskVolumeSource {
  optional string pdID = 1 [(go) = "val"];
  optional string fsType = 2;
}

message Pod {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
  optional PodStatus status = 3;
}

message PodAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAffinityTerm {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector labelSelector = 1 [(go) = "ptr"];
  repeated string namespaces = 2;
  optional string topologyKey = 3 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector namespaceSelector = 4 [(go) = "ptr"];
  repeated string matchLabelKeys = 5;
  repeated string mismatchLabelKeys = 6;
}

message PodAntiAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAttachOptions {
  optional bool stdin = 1;
  optional bool stdout = 2;
  optional bool stderr = 3;
  optional bool tty = 4;
  optional string container = 5;
}

message PodCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastProbeTime = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message PodDNSConfig {
  repeated string nameservers = 1;
  repeated string searches = 2;
  repeated PodDNSConfigOption options = 3;
}

message PodDNSConfigOption {
  optional string name = 1;
  optional string value = 2 [(go) = "ptr"];
}

message PodExecOptions {
  optional bool stdin = 1;
  optional bool stdout = 2;
  optional bool stderr = 3;
  optional bool tty = 4;
  optional string container = 5;
  repeated string command = 6;
}

message PodIP {
  optional string ip = 1 [(go) = "val"];
}

message PodLogOptions {
  optional string container = 1;
  optional bool follow = 2;
  optional bool previous = 3;
  optional int64 sinceSeconds = 4 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time sinceTime = 5 [(go) = "ptr"];
  optional bool timestamps = 6;
  optional int64 tailLines = 7 [(go) = "ptr"];
  optional int64 limitBytes = 8 [(go) = "ptr"];
  optional bool insecureSkipTLSVerifyBackend = 9;
  optional string stream = 10 [(go) = "ptr"];
}

message PodOS {
  optional string name = 1 [(go) = "val"];
}

message PodPortForwardOptions {
  repeated int32 ports = 1;
}

message PodProxyOptions {
  optional string path = 1;
}

message PodReadinessGate {
  optional string conditionType = 1 [(go) = "val"];
}

message PodResourceClaim {
  optional string name = 1 [(go) = "val"];
  optional string resourceClaimName = 3 [(go) = "ptr"];
  optional string resourceClaimTemplateName = 4 [(go) = "ptr"];
}

message PodResourceClaimStatus {
  optional string name = 1 [(go) = "val"];
  optional string resourceClaimName = 2 [(go) = "ptr"];
}

message PodSchedulingGate {
  optional string name = 1 [(go) = "val"];
}

message PodSecurityContext {
  optional SELinuxOptions seLinuxOptions = 1 [(go) = "ptr"];
  optional WindowsSecurityContextOptions windowsOptions = 8 [(go) = "ptr"];
  optional int64 runAsUser = 2 [(go) = "ptr"];
  optional int64 runAsGroup = 6 [(go) = "ptr"];
  optional bool runAsNonRoot = 3 [(go) = "ptr"];
  repeated int64 supplementalGroups = 4;
  optional string supplementalGroupsPolicy = 12 [(go) = "ptr"];
  optional int64 fsGroup = 5 [(go) = "ptr"];
  repeated Sysctl sysctls = 7;
  optional string fsGroupChangePolicy = 9 [(go) = "ptr"];
  optional SeccompProfile seccompProfile = 10 [(go) = "ptr"];
  optional AppArmorProfile appArmorProfile = 11 [(go) = "ptr"];
  optional string seLinuxChangePolicy = 13 [(go) = "ptr"];
}

message PodSignature {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference podController = 1 [(go) = "ptr"];
}

message PodSpec {
  repeated Volume volumes = 1;
  repeated Container initContainers = 20;
  repeated Container containers = 2;
  repeated EphemeralContainer ephemeralContainers = 34;
  optional string restartPolicy = 3;
  optional int64 terminationGracePeriodSeconds = 4 [(go) = "ptr"];
  optional int64 activeDeadlineSeconds = 5 [(go) = "ptr"];
  optional string dnsPolicy = 6;
  map<string, string> nodeSelector = 7;
  optional string serviceAccountName = 8;
  optional string serviceAccount = 9;
  optional bool automountServiceAccountToken = 21 [(go) = "ptr"];
  optional string nodeName = 10;
  optional bool hostNetwork = 11;
  optional bool hostPID = 12;
  optional bool hostIPC = 13;
  optional bool shareProcessNamespace = 27 [(go) = "ptr"];
  optional PodSecurityContext securityContext = 14 [(go) = "ptr"];
  repeated LocalObjectReference imagePullSecrets = 15;
  optional string hostname = 16;
  optional string subdomain = 17;
  optional Affinity affinity = 18 [(go) = "ptr"];
  optional string schedulerName = 19;
  repeated Toleration tolerations = 22;
  repeated HostAlias hostAliases = 23;
  optional string priorityClassName = 24;
  optional int32 priority = 25 [(go) = "ptr"];
  optional PodDNSConfig dnsConfig = 26 [(go) = "ptr"];
  repeated PodReadinessGate readinessGates = 28;
  optional string runtimeClassName = 29 [(go) = "ptr"];
  optional bool enableServiceLinks = 30 [(go) = "ptr"];
  optional string preemptionPolicy = 31 [(go) = "ptr"];
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> overhead = 32;
  repeated TopologySpreadConstraint topologySpreadConstraints = 33;
  optional bool setHostnameAsFQDN = 35 [(go) = "ptr"];
  optional PodOS os = 36 [(go) = "ptr"];
  optional bool hostUsers = 37 [(go) = "ptr"];
  repeated PodSchedulingGate schedulingGates = 38;
  repeated PodResourceClaim resourceClaims = 39;
  optional ResourceRequirements resources = 40 [(go) = "ptr"];
}

message PodStatus {
  optional string phase = 1;
  repeated PodCondition conditions = 2;
  optional string message = 3;
  optional string reason = 4;
  optional string nominatedNodeName = 11;
  optional string hostIP = 5;
  repeated HostIP hostIPs = 16;
  optional string podIP = 6;
  repeated PodIP podIPs = 12;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startTime = 7 [(go) = "ptr"];
  repeated ContainerStatus initContainerStatuses = 10;
  repeated ContainerStatus containerStatuses = 8;
  optional string qosClass = 9;
  repeated ContainerStatus ephemeralContainerStatuses = 13;
  optional string resize = 14;
  repeated PodResourceClaimStatus resourceClaimStatuses = 15;
}

message PodStatusResult {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PodStatus status = 2;
}

message PodTemplate {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PodTemplateSpec template = 2;
}

message PodTemplateSpec {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
}

message PortStatus {
  optional int32 port = 1 [(go) = "val"];
  optional string protocol = 2 [(go) = "val"];
  optional string error = 3 [(go) = "ptr"];
}

message PortworxVolumeSource {
  optional string volumeID = 1 [(go) = "val"];
  optional string fsType = 2;
  optional bool readOnly = 3;
}

message Preconditions {
  optional string uid = 1 [(go) = "ptr"];
}

message PreferAvoidPodsEntry {
  optional PodSignature podSignature = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time evictionTime = 2;
  optional string reason = 3;
  optional string message = 4;
}

message PreferredSchedulingTerm {
  optional int32 weight = 1 [(go) = "val"];
  optional NodeSelectorTerm preference = 2;
}

message Probe {
  optional ProbeHandler handler = 1 [(inline) = true];
  optional int32 initialDelaySeconds = 2;
  optional int32 timeoutSeconds = 3;
  optional int32 periodSeconds = 4;
  optional int32 successThreshold = 5;
  optional int32 failureThreshold = 6;
  optional int64 terminationGracePeriodSeconds = 7 [(go) = "ptr"];
}

message ProbeHandler {
  optional ExecAction exec = 1 [(go) = "ptr"];
  optional HTTPGetAction httpGet = 2 [(go) = "ptr"];
  optional TCPSocketAction tcpSocket = 3 [(go) = "ptr"];
  optional GRPCAction grpc = 4 [(go) = "ptr"];
}

message ProjectedVolumeSource {
  repeated VolumeProjection sources = 1;
  optional int32 defaultMode = 2 [(go) = "ptr"];
}

message QuobyteVolumeSource {
  optional string registry = 1 [(go) = "val"];
  optional string volume = 2 [(go) = "val"];
  optional bool readOnly = 3;
  optional string user = 4;
  optional string group = 5;
  optional string tenant = 6;
}

message RBDPersistentVolumeSource {
  repeated string monitors = 1;
  optional string image = 2 [(go) = "val"];
  optional string fsType = 3;
  optional string pool = 4;
  optional string user = 5;
  optional string keyring = 6;
  optional SecretReference secretRef = 7 [(go) = "ptr"];
  optional bool readOnly = 8;
}

message RBDVolumeSource {
  repeated string monitors = 1;
  optional string image = 2 [(go) = "val"];
  optional string fsType = 3;
  optional string pool = 4;
  optional string user = 5;
  optional string keyring = 6;
  optional LocalObjectReference secretRef = 7 [(go) = "ptr"];
  optional bool readOnly = 8;
}

message RangeAllocation {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional string range = 2 [(go) = "val"];
  optional bytes data = 3 [(go) = "val"];
}

message ReplicationController {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ReplicationControllerSpec spec = 2;
  optional ReplicationControllerStatus status = 3;
}

message ReplicationControllerCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}

message ReplicationControllerSpec {
  optional int32 replicas = 1 [(go) = "ptr"];
  optional int32 minReadySeconds = 4;
  map<string, string> selector = 2;
  optional PodTemplateSpec template = 3 [(go) = "ptr"];
}

message ReplicationControllerStatus {
  optional int32 replicas = 1 [(go) = "val"];
  optional int32 fullyLabeledReplicas = 2;
  optional int32 readyReplicas = 4;
  optional int32 availableReplicas = 5;
  optional int64 observedGeneration = 3;
  repeated ReplicationControllerCondition conditions = 6;
}

message ResourceClaim {
  optional string name = 1 [(go) = "val"];
  optional string request = 2;
}

message ResourceFieldSelector {
  optional string containerName = 1;
  optional string resource = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity divisor = 3;
}

message ResourceHealth {
  optional string resourceID = 1 [(go) = "val"];
  optional string health = 2;
}

message ResourceQuota {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ResourceQuotaSpec spec = 2;
  optional ResourceQuotaStatus status = 3;
}

message ResourceQuotaSpec {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> hard = 1;
  repeated string scopes = 2;
  optional ScopeSelector scopeSelector = 3 [(go) = "ptr"];
}

message ResourceQuotaStatus {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> hard = 1;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> used = 2;
}

message ResourceRequirements {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> limits = 1;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> requests = 2;
  repeated ResourceClaim claims = 3;
}

message ResourceStatus {
  optional string name = 1 [(go) = "val"];
  repeated ResourceHealth resources = 2;
}

message SELinuxOptions {
  optional string user = 1;
  optional string role = 2;
  optional string type = 3;
  optional string level = 4;
}

message ScaleIOPersistentVolumeSource {
  optional string gateway = 1 [(go) = "val"];
  optional string system = 2 [(go) = "val"];
  optional SecretReference secretRef = 3 [(go) = "ptr"];
  optional bool sslEnabled = 4;
  optional string protectionDomain = 5;
  optional string storagePool = 6;
  optional string storageMode = 7;
  optional string volumeName = 8;
  optional string fsType = 9;
  optional bool readOnly = 10;
}

message ScaleIOVolumeSource {
  optional string gateway = 1 [(go) = "val"];
  optional string system = 2 [(go) = "val"];
  optional LocalObjectReference secretRef = 3 [(go) = "ptr"];
  optional bool sslEnabled = 4;
  optional string protectionDomain = 5;
  optional string storagePool = 6;
  optional string storageMode = 7;
  optional string volumeName = 8;
  optional string fsType = 9;
  optional bool readOnly = 10;
}

message ScopeSelector {
  repeated ScopedResourceSelectorRequirement matchExpressions = 1;
}

message ScopedResourceSelectorRequirement {
  optional string scopeName = 1 [(go) = "val"];
  optional string operator = 2 [(go) = "val"];
  repeated string values = 3;
}

message SeccompProfile {
  optional string type = 1 [(go) = "val"];
  optional string localhostProfile = 2 [(go) = "ptr"];
}

message Secret {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional bool immutable = 5 [(go) = "ptr"];
  map<string, bytes> data = 2;
  map<string, string> stringData = 4;
  optional string type = 3;
}

message SecretEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  optional bool optional = 2 [(go) = "ptr"];
}

message SecretKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  optional string key = 2 [(go) = "val"];
  optional bool optional = 3 [(go) = "ptr"];
}

message SecretProjection {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(go) = "ptr"];
}

message SecretReference {
  optional string name = 1;
  optional string namespace = 2;
}

message SecretVolumeSource {
  optional string secretName = 1;
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(go) = "ptr"];
  optional bool optional = 4 [(go) = "ptr"];
}

message SecurityContext {
  optional Capabilities capabilities = 1 [(go) = "ptr"];
  optional bool privileged = 2 [(go) = "ptr"];
  optional SELinuxOptions seLinuxOptions = 3 [(go) = "ptr"];
  optional WindowsSecurityContextOptions windowsOptions = 10 [(go) = "ptr"];
  optional int64 runAsUser = 4 [(go) = "ptr"];
  optional int64 runAsGroup = 8 [(go) = "ptr"];
  optional bool runAsNonRoot = 5 [(go) = "ptr"];
  optional bool readOnlyRootFilesystem = 6 [(go) = "ptr"];
  optional bool allowPrivilegeEscalation = 7 [(go) = "ptr"];
  optional string procMount = 9 [(go) = "ptr"];
  optional SeccompProfile seccompProfile = 11 [(go) = "ptr"];
  optional AppArmorProfile appArmorProfile = 12 [(go) = "ptr"];
}

message SerializedReference {
  optional ObjectReference reference = 1;
}

message Service {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ServiceSpec spec = 2;
  optional ServiceStatus status = 3;
}

message ServiceAccount {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated ObjectReference secrets = 2;
  repeated LocalObjectReference imagePullSecrets = 3;
  optional bool automountServiceAccountToken = 4 [(go) = "ptr"];
}

message ServiceAccountTokenProjection {
  optional string audience = 1;
  optional int64 expirationSeconds = 2 [(go) = "ptr"];
  optional string path = 3 [(go) = "val"];
}

message ServicePort {
  optional string name = 1;
  optional string protocol = 2;
  optional string appProtocol = 6 [(go) = "ptr"];
  optional int32 port = 3 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString targetPort = 4;
  optional int32 nodePort = 5;
}

message ServiceProxyOptions {
  optional string path = 1;
}

message ServiceSpec {
  repeated ServicePort ports = 1;
  map<string, string> selector = 2;
  optional string clusterIP = 3;
  repeated string clusterIPs = 18;
  optional string type = 4;
  repeated string externalIPs = 5;
  optional string sessionAffinity = 7;
  optional string loadBalancerIP = 8;
  repeated string loadBalancerSourceRanges = 9;
  optional string externalName = 10;
  optional string externalTrafficPolicy = 11;
  optional int32 healthCheckNodePort = 12;
  optional bool publishNotReadyAddresses = 13;
  optional SessionAffinityConfig sessionAffinityConfig = 14 [(go) = "ptr"];
  repeated string ipFamilies = 19;
  optional string ipFamilyPolicy = 17 [(go) = "ptr"];
  optional bool allocateLoadBalancerNodePorts = 20 [(go) = "ptr"];
  optional string loadBalancerClass = 21 [(go) = "ptr"];
  optional string internalTrafficPolicy = 22 [(go) = "ptr"];
  optional string trafficDistribution = 23 [(go) = "ptr"];
}

message ServiceStatus {
  optional LoadBalancerStatus loadBalancer = 1;
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.Condition conditions = 2;
}

message SessionAffinityConfig {
  optional ClientIPConfig clientIP = 1 [(go) = "ptr"];
}

message SleepAction {
  optional int64 seconds = 1 [(go) = "val"];
}

message StorageOSPersistentVolumeSource {
  optional string volumeName = 1;
  optional string volumeNamespace = 2;
  optional string fsType = 3;
  optional bool readOnly = 4;
  optional ObjectReference secretRef = 5 [(go) = "ptr"];
}

message StorageOSVolumeSource {
  optional string volumeName = 1;
  optional string volumeNamespace = 2;
  optional string fsType = 3;
  optional bool readOnly = 4;
  optional LocalObjectReference secretRef = 5 [(go) = "ptr"];
}

message Sysctl {
  optional string name = 1 [(go) = "val"];
  optional string value = 2 [(go) = "val"];
}

message TCPSocketAction {
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString port = 1;
  optional string host = 2;
}

message Taint {
  optional string key = 1 [(go) = "val"];
  optional string value = 2;
  optional string effect = 3 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time timeAdded = 4 [(go) = "ptr"];
}

message Toleration {
  optional string key = 1;
  optional string operator = 2;
  optional string value = 3;
  optional string effect = 4;
  optional int64 tolerationSeconds = 5 [(go) = "ptr"];
}

message TopologySelectorLabelRequirement {
  optional string key = 1 [(go) = "val"];
  repeated string values = 2;
}

message TopologySelectorTerm {
  repeated TopologySelectorLabelRequirement matchLabelExpressions = 1;
}

message TopologySpreadConstraint {
  optional int32 maxSkew = 1 [(go) = "val"];
  optional string topologyKey = 2 [(go) = "val"];
  optional string whenUnsatisfiable = 3 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector labelSelector = 4 [(go) = "ptr"];
  optional int32 minDomains = 5 [(go) = "ptr"];
  optional string nodeAffinityPolicy = 6 [(go) = "ptr"];
  optional string nodeTaintsPolicy = 7 [(go) = "ptr"];
  repeated string matchLabelKeys = 8;
}

message TypedLocalObjectReference {
  optional string apiGroup = 1 [(go) = "ptr"];
  optional string kind = 2 [(go) = "val"];
  optional string name = 3 [(go) = "val"];
}

message TypedObjectReference {
  optional string apiGroup = 1 [(go) = "ptr"];
  optional string kind = 2 [(go) = "val"];
  optional string name = 3 [(go) = "val"];
  optional string namespace = 4 [(go) = "ptr"];
}

message Volume {
  optional string name = 1 [(go) = "val"];
  optional VolumeSource volumeSource = 2 [(inline) = true];
}

message VolumeDevice {
  optional string name = 1 [(go) = "val"];
  optional string devicePath = 2 [(go) = "val"];
}

message VolumeMount {
  optional string name = 1 [(go) = "val"];
  optional bool readOnly = 2;
  optional string recursiveReadOnly = 7 [(go) = "ptr"];
  optional string mountPath = 3 [(go) = "val"];
  optional string subPath = 4;
  optional string mountPropagation = 5 [(go) = "ptr"];
  optional string subPathExpr = 6;
}

message VolumeMountStatus {
  optional string name = 1 [(go) = "val"];
  optional string mountPath = 2 [(go) = "val"];
  optional bool readOnly = 3;
  optional string recursiveReadOnly = 4 [(go) = "ptr"];
}

message VolumeNodeAffinity {
  optional NodeSelector required = 1 [(go) = "ptr"];
}

message VolumeProjection {
  optional SecretProjection secret = 1 [(go) = "ptr"];
  optional DownwardAPIProjection downwardAPI = 2 [(go) = "ptr"];
  optional ConfigMapProjection configMap = 3 [(go) = "ptr"];
  optional ServiceAccountTokenProjection serviceAccountToken = 4 [(go) = "ptr"];
  optional ClusterTrustBundleProjection clusterTrustBundle = 5 [(go) = "ptr"];
}

message VolumeResourceRequirements {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> limits = 1;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> requests = 2;
}

message VolumeSource {
  optional HostPathVolumeSource hostPath = 1 [(go) = "ptr"];
  optional EmptyDirVolumeSource emptyDir = 2 [(go) = "ptr"];
  optional GCEPersistentDiskVolumeSource gcePersistentDisk = 3 [(go) = "ptr"];
  optional AWSElasticBlockStoreVolumeSource awsElasticBlockStore = 4 [(go) = "ptr"];
  optional GitRepoVolumeSource gitRepo = 5 [(go) = "ptr"];
  optional SecretVolumeSource secret = 6 [(go) = "ptr"];
  optional NFSVolumeSource nfs = 7 [(go) = "ptr"];
  optional ISCSIVolumeSource iscsi = 8 [(go) = "ptr"];
  optional GlusterfsVolumeSource glusterfs = 9 [(go) = "ptr"];
  optional PersistentVolumeClaimVolumeSource persistentVolumeClaim = 10 [(go) = "ptr"];
  optional RBDVolumeSource rbd = 11 [(go) = "ptr"];
  optional FlexVolumeSource flexVolume = 12 [(go) = "ptr"];
  optional CinderVolumeSource cinder = 13 [(go) = "ptr"];
  optional CephFSVolumeSource cephfs = 14 [(go) = "ptr"];
  optional FlockerVolumeSource flocker = 15 [(go) = "ptr"];
  optional DownwardAPIVolumeSource downwardAPI = 16 [(go) = "ptr"];
  optional FCVolumeSource fc = 17 [(go) = "ptr"];
  optional AzureFileVolumeSource azureFile = 18 [(go) = "ptr"];
  optional ConfigMapVolumeSource configMap = 19 [(go) = "ptr"];
  optional VsphereVirtualDiskVolumeSource vsphereVolume = 20 [(go) = "ptr"];
  optional QuobyteVolumeSource quobyte = 21 [(go) = "ptr"];
  optional AzureDiskVolumeSource azureDisk = 22 [(go) = "ptr"];
  optional PhotonPersistentDiskVolumeSource photonPersistentDisk = 23 [(go) = "ptr"];
  optional ProjectedVolumeSource projected = 26 [(go) = "ptr"];
  optional PortworxVolumeSource portworxVolume = 24 [(go) = "ptr"];
  optional ScaleIOVolumeSource scaleIO = 25 [(go) = "ptr"];
  optional StorageOSVolumeSource storageos = 27 [(go) = "ptr"];
  optional CSIVolumeSource csi = 28 [(go) = "ptr"];
  optional EphemeralVolumeSource ephemeral = 29 [(go) = "ptr"];
  optional ImageVolumeSource image = 30 [(go) = "ptr"];
}

message VsphereVirtualDiskVolumeSource {
  optional string volumePath = 1 [(go) = "val"];
  optional string fsType = 2;
  optional string storagePolicyName = 3;
  optional string storagePolicyID = 4;
}

message WeightedPodAffinityTerm {
  optional int32 weight = 1 [(go) = "val"];
  optional PodAffinityTerm podAffinityTerm = 2;
}

message WindowsSecurityContextOptions {
  optional string gmsaCredentialSpecName = 1 [(go) = "ptr"];
  optional string gmsaCredentialSpec = 2 [(go) = "ptr"];
  optional string runAsUserName = 3 [(go) = "ptr"];
  optional bool hostProcess = 4 [(go) = "ptr"];
}
`,
  },
];
