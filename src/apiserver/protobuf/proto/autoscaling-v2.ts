// Protobuf wire schema of k8s.io/api/autoscaling/v2, the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
export const autoscalingV2 = {
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
};
