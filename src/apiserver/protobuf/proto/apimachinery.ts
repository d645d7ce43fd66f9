// Protobuf wire schema of k8s.io/apimachinery (meta/v1, runtime, intstr, resource): the types every object uses: the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
import type { ProtoPackage } from '../schema.js';

export const apimachinery: ProtoPackage[] = [
  {
    // k8s.io/apimachinery/pkg/apis/meta/v1
    name: 'k8s.io.apimachinery.pkg.apis.meta.v1',
    deps: [],
    text: `syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;

message Condition {
  optional string type = 1 [(go) = "val"];
  optional string status = 2 [(go) = "val"];
  optional int64 observedGeneration = 3;
  optional Time lastTransitionTime = 4;
  optional string reason = 5 [(go) = "val"];
  optional string message = 6 [(go) = "val"];
}

message DeleteOptions {
  optional int64 gracePeriodSeconds = 1 [(go) = "ptr"];
  optional Preconditions preconditions = 2 [(go) = "ptr"];
  optional bool orphanDependents = 3 [(go) = "ptr"];
  optional string propagationPolicy = 4 [(go) = "ptr"];
  repeated string dryRun = 5;
  optional bool ignoreStoreReadErrorWithClusterBreakingPotential = 6 [(go) = "ptr"];
}

message FieldSelectorRequirement {
  optional string key = 1 [(go) = "val"];
  optional string operator = 2 [(go) = "val"];
  repeated string values = 3;
}

message FieldsV1 {
  optional bytes Raw = 1;
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

message LabelSelectorRequirement {
  optional string key = 1 [(go) = "val"];
  optional string operator = 2 [(go) = "val"];
  repeated string values = 3;
}

message ManagedFieldsEntry {
  optional string manager = 1;
  optional string operation = 2;
  optional string apiVersion = 3;
  optional Time time = 4 [(go) = "ptr"];
  optional string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7 [(go) = "ptr"];
  optional string subresource = 8;
}

message MicroTime {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9 [(go) = "ptr"];
  optional int64 deletionGracePeriodSeconds = 10 [(go) = "ptr"];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}

message OwnerReference {
  optional string apiVersion = 5 [(go) = "val"];
  optional string kind = 1 [(go) = "val"];
  optional string name = 3 [(go) = "val"];
  optional string uid = 4 [(go) = "val"];
  optional bool controller = 6 [(go) = "ptr"];
  optional bool blockOwnerDeletion = 7 [(go) = "ptr"];
}

message Preconditions {
  optional string uid = 1 [(go) = "ptr"];
  optional string resourceVersion = 2 [(go) = "ptr"];
}

message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}
`,
  },
  {
    // k8s.io/apimachinery/pkg/runtime
    name: 'k8s.io.apimachinery.pkg.runtime',
    deps: [],
    text: `syntax = "proto2";
package k8s.io.apimachinery.pkg.runtime;

message RawExtension {
  optional bytes raw = 1;
}

message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}

message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
`,
  },
  {
    // k8s.io/apimachinery/pkg/util/intstr
    name: 'k8s.io.apimachinery.pkg.util.intstr',
    deps: [],
    text: `syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;

message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}
`,
  },
  {
    // k8s.io/apimachinery/pkg/api/resource
    name: 'k8s.io.apimachinery.pkg.api.resource',
    deps: [],
    text: `syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;

message Quantity {
  optional string string = 1;
}
`,
  },
];
