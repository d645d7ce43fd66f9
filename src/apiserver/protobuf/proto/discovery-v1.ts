// Protobuf wire schema of k8s.io/api/discovery/v1, the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
export const discoveryV1 = {
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
};
