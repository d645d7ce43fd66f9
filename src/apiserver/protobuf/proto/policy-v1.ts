// Protobuf wire schema of k8s.io/api/policy/v1, the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
export const policyV1 = {
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
};
