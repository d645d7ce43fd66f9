// Protobuf wire schema of k8s.io/api/coordination/v1, the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
export const coordinationV1 = {
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
};
