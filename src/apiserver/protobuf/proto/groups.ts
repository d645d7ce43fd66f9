// Protobuf wire schema of the named API groups of k8s.io/api: the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
import type { ProtoPackage } from '../schema.js';

export const groups: ProtoPackage[] = [
  {
    // k8s.io/api/apps/v1
    name: 'k8s.io.api.apps.v1',
    deps: ['k8s.io.api.core.v1', 'k8s.io.apimachinery.pkg.apis.meta.v1', 'k8s.io.apimachinery.pkg.runtime', 'k8s.io.apimachinery.pkg.util.intstr'],
    text: `syntax = "proto2";
package k8s.io.api.apps.v1;

message ControllerRevision {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional .k8s.io.apimachinery.pkg.runtime.RawExtension data = 2;
  optional int64 revision = 3 [(go) = "val"];
}

message DaemonSet {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional DaemonSetSpec spec = 2;
  optional DaemonSetStatus status = 3;
}

message DaemonSetCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}

message DaemonSetSpec {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 1 [(go) = "ptr"];
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 2;
  optional DaemonSetUpdateStrategy updateStrategy = 3;
  optional int32 minReadySeconds = 4;
  optional int32 revisionHistoryLimit = 6 [(go) = "ptr"];
}

message DaemonSetStatus {
  optional int32 currentNumberScheduled = 1 [(go) = "val"];
  optional int32 numberMisscheduled = 2 [(go) = "val"];
  optional int32 desiredNumberScheduled = 3 [(go) = "val"];
  optional int32 numberReady = 4 [(go) = "val"];
  optional int64 observedGeneration = 5;
  optional int32 updatedNumberScheduled = 6;
  optional int32 numberAvailable = 7;
  optional int32 numberUnavailable = 8;
  optional int32 collisionCount = 9 [(go) = "ptr"];
  repeated DaemonSetCondition conditions = 10;
}

message DaemonSetUpdateStrategy {
  optional string type = 1;
  optional RollingUpdateDaemonSet rollingUpdate = 2 [(go) = "ptr"];
}

message Deployment {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional DeploymentSpec spec = 2;
  optional DeploymentStatus status = 3;
}

message DeploymentCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastUpdateTime = 6;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 7;
  optional string reason = 4;
  optional string message = 5;
}

message DeploymentSpec {
  optional int32 replicas = 1 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2 [(go) = "ptr"];
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 3;
  optional DeploymentStrategy strategy = 4;
  optional int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6 [(go) = "ptr"];
  optional bool paused = 7;
  optional int32 progressDeadlineSeconds = 9 [(go) = "ptr"];
}

message DeploymentStatus {
  optional int64 observedGeneration = 1;
  optional int32 replicas = 2;
  optional int32 updatedReplicas = 3;
  optional int32 readyReplicas = 7;
  optional int32 availableReplicas = 4;
  optional int32 unavailableReplicas = 5;
  repeated DeploymentCondition conditions = 6;
  optional int32 collisionCount = 8 [(go) = "ptr"];
}

message DeploymentStrategy {
  optional string type = 1;
  optional RollingUpdateDeployment rollingUpdate = 2 [(go) = "ptr"];
}

message ReplicaSet {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ReplicaSetSpec spec = 2;
  optional ReplicaSetStatus status = 3;
}

message ReplicaSetCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}

message ReplicaSetSpec {
  optional int32 replicas = 1 [(go) = "ptr"];
  optional int32 minReadySeconds = 4;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2 [(go) = "ptr"];
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 3;
}

message ReplicaSetStatus {
  optional int32 replicas = 1 [(go) = "val"];
  optional int32 fullyLabeledReplicas = 2;
  optional int32 readyReplicas = 4;
  optional int32 availableReplicas = 5;
  optional int64 observedGeneration = 3;
  repeated ReplicaSetCondition conditions = 6;
}

message RollingUpdateDaemonSet {
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxUnavailable = 1 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxSurge = 2 [(go) = "ptr"];
}

message RollingUpdateDeployment {
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxUnavailable = 1 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxSurge = 2 [(go) = "ptr"];
}

message RollingUpdateStatefulSetStrategy {
  optional int32 partition = 1 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxUnavailable = 2 [(go) = "ptr"];
}

message StatefulSet {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional StatefulSetSpec spec = 2;
  optional StatefulSetStatus status = 3;
}

message StatefulSetCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}

message StatefulSetOrdinals {
  optional int32 start = 1 [(go) = "val"];
}

message StatefulSetPersistentVolumeClaimRetentionPolicy {
  optional string whenDeleted = 1;
  optional string whenScaled = 2;
}

message StatefulSetSpec {
  optional int32 replicas = 1 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2 [(go) = "ptr"];
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 3;
  repeated .k8s.io.api.core.v1.PersistentVolumeClaim volumeClaimTemplates = 4;
  optional string serviceName = 5 [(go) = "val"];
  optional string podManagementPolicy = 6;
  optional StatefulSetUpdateStrategy updateStrategy = 7;
  optional int32 revisionHistoryLimit = 8 [(go) = "ptr"];
  optional int32 minReadySeconds = 9;
  optional StatefulSetPersistentVolumeClaimRetentionPolicy persistentVolumeClaimRetentionPolicy = 10 [(go) = "ptr"];
  optional StatefulSetOrdinals ordinals = 11 [(go) = "ptr"];
}

message StatefulSetStatus {
  optional int64 observedGeneration = 1;
  optional int32 replicas = 2 [(go) = "val"];
  optional int32 readyReplicas = 3;
  optional int32 currentReplicas = 4;
  optional int32 updatedReplicas = 5;
  optional string currentRevision = 6;
  optional string updateRevision = 7;
  optional int32 collisionCount = 9 [(go) = "ptr"];
  repeated StatefulSetCondition conditions = 10;
  optional int32 availableReplicas = 11 [(go) = "val"];
}

message StatefulSetUpdateStrategy {
  optional string type = 1;
  optional RollingUpdateStatefulSetStrategy rollingUpdate = 2 [(go) = "ptr"];
}
`,
  },
  {
    // k8s.io/api/batch/v1
    name: 'k8s.io.api.batch.v1',
    deps: ['k8s.io.api.core.v1', 'k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.batch.v1;

message CronJob {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional CronJobSpec spec = 2;
  optional CronJobStatus status = 3;
}

message CronJobSpec {
  optional string schedule = 1 [(go) = "val"];
  optional string timeZone = 8 [(go) = "ptr"];
  optional int64 startingDeadlineSeconds = 2 [(go) = "ptr"];
  optional string concurrencyPolicy = 3;
  optional bool suspend = 4 [(go) = "ptr"];
  optional JobTemplateSpec jobTemplate = 5;
  optional int32 successfulJobsHistoryLimit = 6 [(go) = "ptr"];
  optional int32 failedJobsHistoryLimit = 7 [(go) = "ptr"];
}

message CronJobStatus {
  repeated .k8s.io.api.core.v1.ObjectReference active = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastScheduleTime = 4 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastSuccessfulTime = 5 [(go) = "ptr"];
}

message Job {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional JobSpec spec = 2;
  optional JobStatus status = 3;
}

message JobCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastProbeTime = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message JobSpec {
  optional int32 parallelism = 1 [(go) = "ptr"];
  optional int32 completions = 2 [(go) = "ptr"];
  optional int64 activeDeadlineSeconds = 3 [(go) = "ptr"];
  optional PodFailurePolicy podFailurePolicy = 11 [(go) = "ptr"];
  optional SuccessPolicy successPolicy = 16 [(go) = "ptr"];
  optional int32 backoffLimit = 7 [(go) = "ptr"];
  optional int32 backoffLimitPerIndex = 12 [(go) = "ptr"];
  optional int32 maxFailedIndexes = 13 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 4 [(go) = "ptr"];
  optional bool manualSelector = 5 [(go) = "ptr"];
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 6;
  optional int32 ttlSecondsAfterFinished = 8 [(go) = "ptr"];
  optional string completionMode = 9 [(go) = "ptr"];
  optional bool suspend = 10 [(go) = "ptr"];
  optional string podReplacementPolicy = 14 [(go) = "ptr"];
  optional string managedBy = 15 [(go) = "ptr"];
}

message JobStatus {
  repeated JobCondition conditions = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startTime = 2 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time completionTime = 3 [(go) = "ptr"];
  optional int32 active = 4;
  optional int32 succeeded = 5;
  optional int32 failed = 6;
  optional int32 terminating = 11 [(go) = "ptr"];
  optional string completedIndexes = 7;
  optional string failedIndexes = 10 [(go) = "ptr"];
  optional UncountedTerminatedPods uncountedTerminatedPods = 8 [(go) = "ptr"];
  optional int32 ready = 9 [(go) = "ptr"];
}

message JobTemplateSpec {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional JobSpec spec = 2;
}

message PodFailurePolicy {
  repeated PodFailurePolicyRule rules = 1;
}

message PodFailurePolicyOnExitCodesRequirement {
  optional string containerName = 1 [(go) = "ptr"];
  optional string operator = 2 [(go) = "val"];
  repeated int32 values = 3;
}

message PodFailurePolicyOnPodConditionsPattern {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
}

message PodFailurePolicyRule {
  optional string action = 1 [(go) = "val"];
  optional PodFailurePolicyOnExitCodesRequirement onExitCodes = 2 [(go) = "ptr"];
  repeated PodFailurePolicyOnPodConditionsPattern onPodConditions = 3;
}

message SuccessPolicy {
  repeated SuccessPolicyRule rules = 1;
}

message SuccessPolicyRule {
  optional string succeededIndexes = 1 [(go) = "ptr"];
  optional int32 succeededCount = 2 [(go) = "ptr"];
}

message UncountedTerminatedPods {
  repeated string succeeded = 1;
  repeated string failed = 2;
}
`,
  },
  {
    // k8s.io/api/rbac/v1
    name: 'k8s.io.api.rbac.v1',
    deps: ['k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.rbac.v1;

message AggregationRule {
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector clusterRoleSelectors = 1;
}

message ClusterRole {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
  optional AggregationRule aggregationRule = 3 [(go) = "ptr"];
}

message ClusterRoleBinding {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  optional RoleRef roleRef = 3;
}

message PolicyRule {
  repeated string verbs = 1;
  repeated string apiGroups = 2;
  repeated string resources = 3;
  repeated string resourceNames = 4;
  repeated string nonResourceURLs = 5;
}

message Role {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
}

message RoleBinding {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  optional RoleRef roleRef = 3;
}

message RoleRef {
  optional string apiGroup = 1 [(go) = "val"];
  optional string kind = 2 [(go) = "val"];
  optional string name = 3 [(go) = "val"];
}

message Subject {
  optional string kind = 1 [(go) = "val"];
  optional string apiGroup = 2;
  optional string name = 3 [(go) = "val"];
  optional string namespace = 4;
}
`,
  },
  {
    // k8s.io/api/scheduling/v1
    name: 'k8s.io.api.scheduling.v1',
    deps: ['k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.scheduling.v1;

message PriorityClass {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional int32 value = 2 [(go) = "val"];
  optional bool globalDefault = 3;
  optional string description = 4;
  optional string preemptionPolicy = 5 [(go) = "ptr"];
}
`,
  },
  {
    // k8s.io/api/policy/v1
    name: 'k8s.io.api.policy.v1',
    deps: ['k8s.io.apimachinery.pkg.apis.meta.v1', 'k8s.io.apimachinery.pkg.util.intstr'],
    text: `syntax = "proto2";
package k8s.io.api.policy.v1;

message Eviction {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions deleteOptions = 2 [(go) = "ptr"];
}

message PodDisruptionBudget {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PodDisruptionBudgetSpec spec = 2;
  optional PodDisruptionBudgetStatus status = 3;
}

message PodDisruptionBudgetSpec {
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString minAvailable = 1 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxUnavailable = 3 [(go) = "ptr"];
  optional string unhealthyPodEvictionPolicy = 4 [(go) = "ptr"];
}

message PodDisruptionBudgetStatus {
  optional int64 observedGeneration = 1;
  map<string, .k8s.io.apimachinery.pkg.apis.meta.v1.Time> disruptedPods = 2;
  optional int32 disruptionsAllowed = 3 [(go) = "val"];
  optional int32 currentHealthy = 4 [(go) = "val"];
  optional int32 desiredHealthy = 5 [(go) = "val"];
  optional int32 expectedPods = 6 [(go) = "val"];
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.Condition conditions = 7;
}
`,
  },
  {
    // k8s.io/api/networking/v1
    name: 'k8s.io.api.networking.v1',
    deps: ['k8s.io.api.core.v1', 'k8s.io.apimachinery.pkg.apis.meta.v1', 'k8s.io.apimachinery.pkg.util.intstr'],
    text: `syntax = "proto2";
package k8s.io.api.networking.v1;

message HTTPIngressPath {
  optional string path = 1;
  optional string pathType = 3 [(go) = "ptr"];
  optional IngressBackend backend = 2;
}

message HTTPIngressRuleValue {
  repeated HTTPIngressPath paths = 1;
}

message IPBlock {
  optional string cidr = 1 [(go) = "val"];
  repeated string except = 2;
}

message Ingress {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional IngressSpec spec = 2;
  optional IngressStatus status = 3;
}

message IngressBackend {
  optional IngressServiceBackend service = 4 [(go) = "ptr"];
  optional .k8s.io.api.core.v1.TypedLocalObjectReference resource = 3 [(go) = "ptr"];
}

message IngressClass {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional IngressClassSpec spec = 2;
}

message IngressClassParametersReference {
  optional string aPIGroup = 1 [(json) = "apiGroup", (go) = "ptr"];
  optional string kind = 2 [(go) = "val"];
  optional string name = 3 [(go) = "val"];
  optional string scope = 4 [(go) = "ptr"];
  optional string namespace = 5 [(go) = "ptr"];
}

message IngressClassSpec {
  optional string controller = 1;
  optional IngressClassParametersReference parameters = 2 [(go) = "ptr"];
}

message IngressLoadBalancerIngress {
  optional string ip = 1;
  optional string hostname = 2;
  repeated IngressPortStatus ports = 4;
}

message IngressLoadBalancerStatus {
  repeated IngressLoadBalancerIngress ingress = 1;
}

message IngressPortStatus {
  optional int32 port = 1 [(go) = "val"];
  optional string protocol = 2 [(go) = "val"];
  optional string error = 3 [(go) = "ptr"];
}

message IngressRule {
  optional string host = 1;
  optional IngressRuleValue ingressRuleValue = 2 [(inline) = true];
}

message IngressRuleValue {
  optional HTTPIngressRuleValue http = 1 [(go) = "ptr"];
}

message IngressServiceBackend {
  optional string name = 1 [(go) = "val"];
  optional ServiceBackendPort port = 2;
}

message IngressSpec {
  optional string ingressClassName = 4 [(go) = "ptr"];
  optional IngressBackend defaultBackend = 1 [(go) = "ptr"];
  repeated IngressTLS tls = 2;
  repeated IngressRule rules = 3;
}

message IngressStatus {
  optional IngressLoadBalancerStatus loadBalancer = 1;
}

message IngressTLS {
  repeated string hosts = 1;
  optional string secretName = 2;
}

message NetworkPolicy {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional NetworkPolicySpec spec = 2;
}

message NetworkPolicyEgressRule {
  repeated NetworkPolicyPort ports = 1;
  repeated NetworkPolicyPeer to = 2;
}

message NetworkPolicyIngressRule {
  repeated NetworkPolicyPort ports = 1;
  repeated NetworkPolicyPeer from = 2;
}

message NetworkPolicyPeer {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector podSelector = 1 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector namespaceSelector = 2 [(go) = "ptr"];
  optional IPBlock ipBlock = 3 [(go) = "ptr"];
}

message NetworkPolicyPort {
  optional string protocol = 1 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString port = 2 [(go) = "ptr"];
  optional int32 endPort = 3 [(go) = "ptr"];
}

message NetworkPolicySpec {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector podSelector = 1;
  repeated NetworkPolicyIngressRule ingress = 2;
  repeated NetworkPolicyEgressRule egress = 3;
  repeated string policyTypes = 4;
}

message ServiceBackendPort {
  optional string name = 1;
  optional int32 number = 2;
}
`,
  },
  {
    // k8s.io/api/authentication/v1
    name: 'k8s.io.api.authentication.v1',
    deps: ['k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.authentication.v1;

message BoundObjectReference {
  optional string kind = 1;
  optional string apiVersion = 2;
  optional string name = 3;
  optional string uID = 4 [(json) = "uid"];
}

message ExtraValue {
  option (slice) = true;
  repeated string items = 1;
}

message SelfSubjectReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SelfSubjectReviewStatus status = 2;
}

message SelfSubjectReviewStatus {
  optional UserInfo userInfo = 1;
}

message TokenRequest {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional TokenRequestSpec spec = 2;
  optional TokenRequestStatus status = 3;
}

message TokenRequestSpec {
  repeated string audiences = 1;
  optional int64 expirationSeconds = 4 [(go) = "ptr"];
  optional BoundObjectReference boundObjectRef = 3 [(go) = "ptr"];
}

message TokenRequestStatus {
  optional string token = 1 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time expirationTimestamp = 2;
}

message TokenReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional TokenReviewSpec spec = 2;
  optional TokenReviewStatus status = 3;
}

message TokenReviewSpec {
  optional string token = 1;
  repeated string audiences = 2;
}

message TokenReviewStatus {
  optional bool authenticated = 1;
  optional UserInfo user = 2;
  repeated string audiences = 4;
  optional string error = 3;
}

message UserInfo {
  optional string username = 1;
  optional string uid = 2;
  repeated string groups = 3;
  map<string, ExtraValue> extra = 4;
}
`,
  },
  {
    // k8s.io/api/authorization/v1
    name: 'k8s.io.api.authorization.v1',
    deps: ['k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.authorization.v1;

message ExtraValue {
  option (slice) = true;
  repeated string items = 1;
}

message FieldSelectorAttributes {
  optional string rawSelector = 1;
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement requirements = 2;
}

message LabelSelectorAttributes {
  optional string rawSelector = 1;
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement requirements = 2;
}

message LocalSubjectAccessReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}

message NonResourceAttributes {
  optional string path = 1;
  optional string verb = 2;
}

message NonResourceRule {
  repeated string verbs = 1;
  repeated string nonResourceURLs = 2;
}

message ResourceAttributes {
  optional string namespace = 1;
  optional string verb = 2;
  optional string group = 3;
  optional string version = 4;
  optional string resource = 5;
  optional string subresource = 6;
  optional string name = 7;
  optional FieldSelectorAttributes fieldSelector = 8 [(go) = "ptr"];
  optional LabelSelectorAttributes labelSelector = 9 [(go) = "ptr"];
}

message ResourceRule {
  repeated string verbs = 1;
  repeated string apiGroups = 2;
  repeated string resources = 3;
  repeated string resourceNames = 4;
}

message SelfSubjectAccessReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SelfSubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}

message SelfSubjectAccessReviewSpec {
  optional ResourceAttributes resourceAttributes = 1 [(go) = "ptr"];
  optional NonResourceAttributes nonResourceAttributes = 2 [(go) = "ptr"];
}

message SelfSubjectRulesReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SelfSubjectRulesReviewSpec spec = 2;
  optional SubjectRulesReviewStatus status = 3;
}

message SelfSubjectRulesReviewSpec {
  optional string namespace = 1;
}

message SubjectAccessReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}

message SubjectAccessReviewSpec {
  optional ResourceAttributes resourceAttributes = 1 [(go) = "ptr"];
  optional NonResourceAttributes nonResourceAttributes = 2 [(go) = "ptr"];
  optional string user = 3;
  repeated string groups = 4;
  map<string, ExtraValue> extra = 5;
  optional string uid = 6;
}

message SubjectAccessReviewStatus {
  optional bool allowed = 1 [(go) = "val"];
  optional bool denied = 4;
  optional string reason = 2;
  optional string evaluationError = 3;
}

message SubjectRulesReviewStatus {
  repeated ResourceRule resourceRules = 1;
  repeated NonResourceRule nonResourceRules = 2;
  optional bool incomplete = 3 [(go) = "val"];
  optional string evaluationError = 4;
}
`,
  },
  {
    // k8s.io/api/autoscaling/v1
    name: 'k8s.io.api.autoscaling.v1',
    deps: ['k8s.io.apimachinery.pkg.api.resource', 'k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.autoscaling.v1;

message ContainerResourceMetricSource {
  optional string name = 1 [(go) = "val"];
  optional int32 targetAverageUtilization = 2 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity targetAverageValue = 3 [(go) = "ptr"];
  optional string container = 5 [(go) = "val"];
}

message ContainerResourceMetricStatus {
  optional string name = 1 [(go) = "val"];
  optional int32 currentAverageUtilization = 2 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity currentAverageValue = 3;
  optional string container = 4 [(go) = "val"];
}

message CrossVersionObjectReference {
  optional string kind = 1 [(go) = "val"];
  optional string name = 2 [(go) = "val"];
  optional string apiVersion = 3;
}

message ExternalMetricSource {
  optional string metricName = 1 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector metricSelector = 2 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity targetValue = 3 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity targetAverageValue = 4 [(go) = "ptr"];
}

message ExternalMetricStatus {
  optional string metricName = 1 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector metricSelector = 2 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity currentValue = 3;
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity currentAverageValue = 4 [(go) = "ptr"];
}

message HorizontalPodAutoscaler {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional HorizontalPodAutoscalerSpec spec = 2;
  optional HorizontalPodAutoscalerStatus status = 3;
}

message HorizontalPodAutoscalerCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}

message HorizontalPodAutoscalerSpec {
  optional CrossVersionObjectReference scaleTargetRef = 1;
  optional int32 minReplicas = 2 [(go) = "ptr"];
  optional int32 maxReplicas = 3 [(go) = "val"];
  optional int32 targetCPUUtilizationPercentage = 4 [(go) = "ptr"];
}

message HorizontalPodAutoscalerStatus {
  optional int64 observedGeneration = 1 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastScaleTime = 2 [(go) = "ptr"];
  optional int32 currentReplicas = 3 [(go) = "val"];
  optional int32 desiredReplicas = 4 [(go) = "val"];
  optional int32 currentCPUUtilizationPercentage = 5 [(go) = "ptr"];
}

message MetricSpec {
  optional string type = 1 [(go) = "val"];
  optional ObjectMetricSource object = 2 [(go) = "ptr"];
  optional PodsMetricSource pods = 3 [(go) = "ptr"];
  optional ResourceMetricSource resource = 4 [(go) = "ptr"];
  optional ContainerResourceMetricSource containerResource = 7 [(go) = "ptr"];
  optional ExternalMetricSource external = 5 [(go) = "ptr"];
}

message MetricStatus {
  optional string type = 1 [(go) = "val"];
  optional ObjectMetricStatus object = 2 [(go) = "ptr"];
  optional PodsMetricStatus pods = 3 [(go) = "ptr"];
  optional ResourceMetricStatus resource = 4 [(go) = "ptr"];
  optional ContainerResourceMetricStatus containerResource = 7 [(go) = "ptr"];
  optional ExternalMetricStatus external = 5 [(go) = "ptr"];
}

message ObjectMetricSource {
  optional CrossVersionObjectReference target = 1;
  optional string metricName = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity targetValue = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 4 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity averageValue = 5 [(go) = "ptr"];
}

message ObjectMetricStatus {
  optional CrossVersionObjectReference target = 1;
  optional string metricName = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity currentValue = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 4 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity averageValue = 5 [(go) = "ptr"];
}

message PodsMetricSource {
  optional string metricName = 1 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity targetAverageValue = 2;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 3 [(go) = "ptr"];
}

message PodsMetricStatus {
  optional string metricName = 1 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity currentAverageValue = 2;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 3 [(go) = "ptr"];
}

message ResourceMetricSource {
  optional string name = 1 [(go) = "val"];
  optional int32 targetAverageUtilization = 2 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity targetAverageValue = 3 [(go) = "ptr"];
}

message ResourceMetricStatus {
  optional string name = 1 [(go) = "val"];
  optional int32 currentAverageUtilization = 2 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity currentAverageValue = 3;
}

message Scale {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ScaleSpec spec = 2;
  optional ScaleStatus status = 3;
}

message ScaleSpec {
  optional int32 replicas = 1;
}

message ScaleStatus {
  optional int32 replicas = 1 [(go) = "val"];
  optional string selector = 2;
}
`,
  },
  {
    // k8s.io/api/autoscaling/v2
    name: 'k8s.io.api.autoscaling.v2',
    deps: ['k8s.io.apimachinery.pkg.api.resource', 'k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.autoscaling.v2;

message ContainerResourceMetricSource {
  optional string name = 1 [(go) = "val"];
  optional MetricTarget target = 2;
  optional string container = 3 [(go) = "val"];
}

message ContainerResourceMetricStatus {
  optional string name = 1 [(go) = "val"];
  optional MetricValueStatus current = 2;
  optional string container = 3 [(go) = "val"];
}

message CrossVersionObjectReference {
  optional string kind = 1 [(go) = "val"];
  optional string name = 2 [(go) = "val"];
  optional string apiVersion = 3;
}

message ExternalMetricSource {
  optional MetricIdentifier metric = 1;
  optional MetricTarget target = 2;
}

message ExternalMetricStatus {
  optional MetricIdentifier metric = 1;
  optional MetricValueStatus current = 2;
}

message HPAScalingPolicy {
  optional string type = 1 [(go) = "val"];
  optional int32 value = 2 [(go) = "val"];
  optional int32 periodSeconds = 3 [(go) = "val"];
}

message HPAScalingRules {
  optional int32 stabilizationWindowSeconds = 3 [(go) = "ptr"];
  optional string selectPolicy = 1 [(go) = "ptr"];
  repeated HPAScalingPolicy policies = 2;
}

message HorizontalPodAutoscaler {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional HorizontalPodAutoscalerSpec spec = 2;
  optional HorizontalPodAutoscalerStatus status = 3;
}

message HorizontalPodAutoscalerBehavior {
  optional HPAScalingRules scaleUp = 1 [(go) = "ptr"];
  optional HPAScalingRules scaleDown = 2 [(go) = "ptr"];
}

message HorizontalPodAutoscalerCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}

message HorizontalPodAutoscalerSpec {
  optional CrossVersionObjectReference scaleTargetRef = 1;
  optional int32 minReplicas = 2 [(go) = "ptr"];
  optional int32 maxReplicas = 3 [(go) = "val"];
  repeated MetricSpec metrics = 4;
  optional HorizontalPodAutoscalerBehavior behavior = 5 [(go) = "ptr"];
}

message HorizontalPodAutoscalerStatus {
  optional int64 observedGeneration = 1 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastScaleTime = 2 [(go) = "ptr"];
  optional int32 currentReplicas = 3;
  optional int32 desiredReplicas = 4 [(go) = "val"];
  repeated MetricStatus currentMetrics = 5;
  repeated HorizontalPodAutoscalerCondition conditions = 6;
}

message MetricIdentifier {
  optional string name = 1 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2 [(go) = "ptr"];
}

message MetricSpec {
  optional string type = 1 [(go) = "val"];
  optional ObjectMetricSource object = 2 [(go) = "ptr"];
  optional PodsMetricSource pods = 3 [(go) = "ptr"];
  optional ResourceMetricSource resource = 4 [(go) = "ptr"];
  optional ContainerResourceMetricSource containerResource = 7 [(go) = "ptr"];
  optional ExternalMetricSource external = 5 [(go) = "ptr"];
}

message MetricStatus {
  optional string type = 1 [(go) = "val"];
  optional ObjectMetricStatus object = 2 [(go) = "ptr"];
  optional PodsMetricStatus pods = 3 [(go) = "ptr"];
  optional ResourceMetricStatus resource = 4 [(go) = "ptr"];
  optional ContainerResourceMetricStatus containerResource = 7 [(go) = "ptr"];
  optional ExternalMetricStatus external = 5 [(go) = "ptr"];
}

message MetricTarget {
  optional string type = 1 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity value = 2 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity averageValue = 3 [(go) = "ptr"];
  optional int32 averageUtilization = 4 [(go) = "ptr"];
}

message MetricValueStatus {
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity value = 1 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity averageValue = 2 [(go) = "ptr"];
  optional int32 averageUtilization = 3 [(go) = "ptr"];
}

message ObjectMetricSource {
  optional CrossVersionObjectReference describedObject = 1;
  optional MetricTarget target = 2;
  optional MetricIdentifier metric = 3;
}

message ObjectMetricStatus {
  optional MetricIdentifier metric = 1;
  optional MetricValueStatus current = 2;
  optional CrossVersionObjectReference describedObject = 3;
}

message PodsMetricSource {
  optional MetricIdentifier metric = 1;
  optional MetricTarget target = 2;
}

message PodsMetricStatus {
  optional MetricIdentifier metric = 1;
  optional MetricValueStatus current = 2;
}

message ResourceMetricSource {
  optional string name = 1 [(go) = "val"];
  optional MetricTarget target = 2;
}

message ResourceMetricStatus {
  optional string name = 1 [(go) = "val"];
  optional MetricValueStatus current = 2;
}
`,
  },
  {
    // k8s.io/api/coordination/v1
    name: 'k8s.io.api.coordination.v1',
    deps: ['k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.coordination.v1;

message Lease {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional LeaseSpec spec = 2;
}

message LeaseSpec {
  optional string holderIdentity = 1 [(go) = "ptr"];
  optional int32 leaseDurationSeconds = 2 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime acquireTime = 3 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime renewTime = 4 [(go) = "ptr"];
  optional int32 leaseTransitions = 5 [(go) = "ptr"];
  optional string strategy = 6 [(go) = "ptr"];
  optional string preferredHolder = 7 [(go) = "ptr"];
}
`,
  },
  {
    // k8s.io/api/discovery/v1
    name: 'k8s.io.api.discovery.v1',
    deps: ['k8s.io.api.core.v1', 'k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.discovery.v1;

message Endpoint {
  repeated string addresses = 1;
  optional EndpointConditions conditions = 2;
  optional string hostname = 3 [(go) = "ptr"];
  optional .k8s.io.api.core.v1.ObjectReference targetRef = 4 [(go) = "ptr"];
  map<string, string> deprecatedTopology = 5;
  optional string nodeName = 6 [(go) = "ptr"];
  optional string zone = 7 [(go) = "ptr"];
  optional EndpointHints hints = 8 [(go) = "ptr"];
}

message EndpointConditions {
  optional bool ready = 1 [(go) = "ptr"];
  optional bool serving = 2 [(go) = "ptr"];
  optional bool terminating = 3 [(go) = "ptr"];
}

message EndpointHints {
  repeated ForZone forZones = 1;
}

message EndpointPort {
  optional string name = 1 [(go) = "ptr"];
  optional string protocol = 2 [(go) = "ptr"];
  optional int32 port = 3 [(go) = "ptr"];
  optional string appProtocol = 4 [(go) = "ptr"];
}

message EndpointSlice {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional string addressType = 4 [(go) = "val"];
  repeated Endpoint endpoints = 2;
  repeated EndpointPort ports = 3;
}

message ForZone {
  optional string name = 1 [(go) = "val"];
}
`,
  },
  {
    // k8s.io/api/certificates/v1
    name: 'k8s.io.api.certificates.v1',
    deps: ['k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.certificates.v1;

message CertificateSigningRequest {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional CertificateSigningRequestSpec spec = 2;
  optional CertificateSigningRequestStatus status = 3;
}

message CertificateSigningRequestCondition {
  optional string type = 1 [(go) = "val"];
  optional string status = 6 [(go) = "val"];
  optional string reason = 2;
  optional string message = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastUpdateTime = 4;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 5;
}

message CertificateSigningRequestSpec {
  optional bytes request = 1 [(go) = "val"];
  optional string signerName = 7 [(go) = "val"];
  optional int32 expirationSeconds = 8 [(go) = "ptr"];
  repeated string usages = 5;
  optional string username = 2;
  optional string uid = 3;
  repeated string groups = 4;
  map<string, ExtraValue> extra = 6;
}

message CertificateSigningRequestStatus {
  repeated CertificateSigningRequestCondition conditions = 1;
  optional bytes certificate = 2;
}

message ExtraValue {
  option (slice) = true;
  repeated string items = 1;
}
`,
  },
  {
    // k8s.io/api/storage/v1
    name: 'k8s.io.api.storage.v1',
    deps: ['k8s.io.api.core.v1', 'k8s.io.apimachinery.pkg.api.resource', 'k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.storage.v1;

message CSIDriver {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional CSIDriverSpec spec = 2;
}

message CSIDriverSpec {
  optional bool attachRequired = 1 [(go) = "ptr"];
  optional bool podInfoOnMount = 2 [(go) = "ptr"];
  repeated string volumeLifecycleModes = 3;
  optional bool storageCapacity = 4 [(go) = "ptr"];
  optional string fsGroupPolicy = 5 [(go) = "ptr"];
  repeated TokenRequest tokenRequests = 6;
  optional bool requiresRepublish = 7 [(go) = "ptr"];
  optional bool seLinuxMount = 8 [(go) = "ptr"];
}

message CSINode {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional CSINodeSpec spec = 2;
}

message CSINodeDriver {
  optional string name = 1 [(go) = "val"];
  optional string nodeID = 2 [(go) = "val"];
  repeated string topologyKeys = 3;
  optional VolumeNodeResources allocatable = 4 [(go) = "ptr"];
}

message CSINodeSpec {
  repeated CSINodeDriver drivers = 1;
}

message CSIStorageCapacity {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector nodeTopology = 2 [(go) = "ptr"];
  optional string storageClassName = 3 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity capacity = 4 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity maximumVolumeSize = 5 [(go) = "ptr"];
}

message StorageClass {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional string provisioner = 2 [(go) = "val"];
  map<string, string> parameters = 3;
  optional string reclaimPolicy = 4 [(go) = "ptr"];
  repeated string mountOptions = 5;
  optional bool allowVolumeExpansion = 6 [(go) = "ptr"];
  optional string volumeBindingMode = 7 [(go) = "ptr"];
  repeated .k8s.io.api.core.v1.TopologySelectorTerm allowedTopologies = 8;
}

message TokenRequest {
  optional string audience = 1 [(go) = "val"];
  optional int64 expirationSeconds = 2 [(go) = "ptr"];
}

message VolumeAttachment {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional VolumeAttachmentSpec spec = 2;
  optional VolumeAttachmentStatus status = 3;
}

message VolumeAttachmentSource {
  optional string persistentVolumeName = 1 [(go) = "ptr"];
  optional .k8s.io.api.core.v1.PersistentVolumeSpec inlineVolumeSpec = 2 [(go) = "ptr"];
}

message VolumeAttachmentSpec {
  optional string attacher = 1 [(go) = "val"];
  optional VolumeAttachmentSource source = 2;
  optional string nodeName = 3 [(go) = "val"];
}

message VolumeAttachmentStatus {
  optional bool attached = 1 [(go) = "val"];
  map<string, string> attachmentMetadata = 2;
  optional VolumeError attachError = 3 [(go) = "ptr"];
  optional VolumeError detachError = 4 [(go) = "ptr"];
}

message VolumeError {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time time = 1;
  optional string message = 2;
}

message VolumeNodeResources {
  optional int32 count = 1 [(go) = "ptr"];
}
`,
  },
  {
    // k8s.io/api/events/v1
    name: 'k8s.io.api.events.v1',
    deps: ['k8s.io.api.core.v1', 'k8s.io.apimachinery.pkg.apis.meta.v1'],
    text: `syntax = "proto2";
package k8s.io.api.events.v1;

message Event {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime eventTime = 2;
  optional EventSeries series = 3 [(go) = "ptr"];
  optional string reportingController = 4;
  optional string reportingInstance = 5;
  optional string action = 6;
  optional string reason = 7;
  optional .k8s.io.api.core.v1.ObjectReference regarding = 8;
  optional .k8s.io.api.core.v1.ObjectReference related = 9 [(go) = "ptr"];
  optional string note = 10;
  optional string type = 11;
  optional .k8s.io.api.core.v1.EventSource deprecatedSource = 12;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time deprecatedFirstTimestamp = 13;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time deprecatedLastTimestamp = 14;
  optional int32 deprecatedCount = 15;
}

message EventSeries {
  optional int32 count = 1 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime lastObservedTime = 2;
}
`,
  },
];
