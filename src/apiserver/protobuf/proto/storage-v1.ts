// Protobuf wire schema of k8s.io/api/storage/v1, the messages kube-apiserver decodes from request bodies.
// Names, numbers and types are Kubernetes' wire contract (its generated.proto, v1.32); fields are
// listed in Go declaration order and the options describe the Go field (see ../schema.ts).
export const storageV1 = {
  name: 'k8s.io.api.storage.v1',
  deps: ['k8s.io.api.core.v1', 'k8s.io.apimachinery.pkg.api.resource', 'k8s.io.apimachinery.pkg.apis.meta.v1'],
  text: `syntax = "proto2";
package k8s.io.api.storage.v1;

message CSIDriver {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional CSIDriverSpec spec = 2;
}

message CSIDriverSpec {
  optional bool attachRequired = 1 [(go) = "ptr"];
  optional bool podInfoOnMount = 2 [(go) = "ptr"];
  repeated string volumeLifecycleModes = 3;
  optional bool storageCapacity = 4 [(go) = "ptr"];
  optional string fsGroupPolicy = 5 [(go) = "ptr"];
  repeated TokenRequest tokenRequests = 6;
  optional bool requiresRepublish = 7 [(go) = "ptr"];
  optional bool seLinuxMount = 8 [(go) = "ptr"];
}

message CSINode {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional CSINodeSpec spec = 2;
}

message CSINodeDriver {
  optional string name = 1 [(go) = "val"];
  optional string nodeID = 2 [(go) = "val"];
  repeated string topologyKeys = 3;
  optional VolumeNodeResources allocatable = 4 [(go) = "ptr"];
}

message CSINodeSpec {
  repeated CSINodeDriver drivers = 1;
}

message CSIStorageCapacity {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector nodeTopology = 2 [(go) = "ptr"];
  optional string storageClassName = 3 [(go) = "val"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity capacity = 4 [(go) = "ptr"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity maximumVolumeSize = 5 [(go) = "ptr"];
}

message StorageClass {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional string provisioner = 2 [(go) = "val"];
  map<string, string> parameters = 3;
  optional string reclaimPolicy = 4 [(go) = "ptr"];
  repeated string mountOptions = 5;
  optional bool allowVolumeExpansion = 6 [(go) = "ptr"];
  optional string volumeBindingMode = 7 [(go) = "ptr"];
  repeated .k8s.io.api.core.v1.TopologySelectorTerm allowedTopologies = 8;
}

message TokenRequest {
  optional string audience = 1 [(go) = "val"];
  optional int64 expirationSeconds = 2 [(go) = "ptr"];
}

message VolumeAttachment {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional VolumeAttachmentSpec spec = 2;
  optional VolumeAttachmentStatus status = 3;
}

message VolumeAttachmentSource {
  optional string persistentVolumeName = 1 [(go) = "ptr"];
  optional .k8s.io.api.core.v1.PersistentVolumeSpec inlineVolumeSpec = 2 [(go) = "ptr"];
}

message VolumeAttachmentSpec {
  optional string attacher = 1 [(go) = "val"];
  optional VolumeAttachmentSource source = 2;
  optional string nodeName = 3 [(go) = "val"];
}

message VolumeAttachmentStatus {
  optional bool attached = 1 [(go) = "val"];
  map<string, string> attachmentMetadata = 2;
  optional VolumeError attachError = 3 [(go) = "ptr"];
  optional VolumeError detachError = 4 [(go) = "ptr"];
}

message VolumeError {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time time = 1;
  optional string message = 2;
}

message VolumeNodeResources {
  optional int32 count = 1 [(go) = "ptr"];
}
`,
};
