// Protobuf wire schema of k8s.io/api/networking/v1, the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
export const networkingV1 = {
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
};
