// Protobuf wire schema of k8s.io/apimachinery/pkg/util/intstr, the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
export const intstr = {
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
};
