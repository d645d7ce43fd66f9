// Protobuf wire schema of k8s.io/apimachinery/pkg/api/resource, the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
export const resource = {
  name: 'k8s.io.apimachinery.pkg.api.resource',
  deps: [],
  text: `syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;

message Quantity {
  optional string string = 1;
}
`,
};
