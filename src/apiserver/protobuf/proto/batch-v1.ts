// Protobuf wire schema of k8s.io/api/batch/v1, the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
export const batchV1 = {
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
};
