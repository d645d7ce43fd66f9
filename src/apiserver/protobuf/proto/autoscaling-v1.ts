// Protobuf wire schema of k8s.io/api/autoscaling/v1, the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
export const autoscalingV1 = {
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
};
