// Addresses of the built-in resources: enough for the client to build URLs
// (/api/v1/namespaces/x/pods, /apis/apps/v1/deployments) and to name the kind of list items,
// which the API server sends without apiVersion and kind.

export interface ResourceRef {
  /** '' for the core (legacy) group. */
  group: string;
  version: string;
  /** Lower-case plural, the URL segment. */
  plural: string;
  namespaced: boolean;
  kind: string;
}

const r = (group: string, version: string, plural: string, kind: string, namespaced: boolean): ResourceRef =>
  Object.freeze({ group, version, plural, kind, namespaced });

export const resources = {
  // core/v1
  pods: r('', 'v1', 'pods', 'Pod', true),
  nodes: r('', 'v1', 'nodes', 'Node', false),
  services: r('', 'v1', 'services', 'Service', true),
  endpoints: r('', 'v1', 'endpoints', 'Endpoints', true),
  events: r('', 'v1', 'events', 'Event', true),
  namespaces: r('', 'v1', 'namespaces', 'Namespace', false),
  serviceaccounts: r('', 'v1', 'serviceaccounts', 'ServiceAccount', true),
  configmaps: r('', 'v1', 'configmaps', 'ConfigMap', true),
  secrets: r('', 'v1', 'secrets', 'Secret', true),
  persistentvolumes: r('', 'v1', 'persistentvolumes', 'PersistentVolume', false),
  persistentvolumeclaims: r('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true),
  resourcequotas: r('', 'v1', 'resourcequotas', 'ResourceQuota', true),
  limitranges: r('', 'v1', 'limitranges', 'LimitRange', true),
  replicationcontrollers: r('', 'v1', 'replicationcontrollers', 'ReplicationController', true),
  podtemplates: r('', 'v1', 'podtemplates', 'PodTemplate', true),
  // apps/v1
  deployments: r('apps', 'v1', 'deployments', 'Deployment', true),
  replicasets: r('apps', 'v1', 'replicasets', 'ReplicaSet', true),
  statefulsets: r('apps', 'v1', 'statefulsets', 'StatefulSet', true),
  daemonsets: r('apps', 'v1', 'daemonsets', 'DaemonSet', true),
  controllerrevisions: r('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true),
  // batch/v1
  jobs: r('batch', 'v1', 'jobs', 'Job', true),
  cronjobs: r('batch', 'v1', 'cronjobs', 'CronJob', true),
  // others
  endpointslices: r('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  leases: r('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  storageclasses: r('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false),
  poddisruptionbudgets: r('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true),
  priorityclasses: r('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false),
  horizontalpodautoscalers: r('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true),
  ingresses: r('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true),
  ingressclasses: r('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  networkpolicies: r('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true),
  customresourcedefinitions: r('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false),
  roles: r('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  rolebindings: r('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  clusterroles: r('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  clusterrolebindings: r('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  certificatesigningrequests: r('certificates.k8s.io', 'v1', 'certificatesigningrequests', 'CertificateSigningRequest', false),
} as const satisfies Record<string, ResourceRef>;

/** A descriptor for a resource not listed above, e.g. a custom resource. */
export function resourceRef(group: string, version: string, plural: string, kind: string, namespaced: boolean): ResourceRef {
  return r(group, version, plural, kind, namespaced);
}

export function apiVersionOfRef(res: ResourceRef): string {
  return res.group ? `${res.group}/${res.version}` : res.version;
}

/** `pods`, `deployments.apps`: how Kubernetes names a resource in messages and informer keys. */
export function groupResource(res: ResourceRef): string {
  return res.group ? `${res.plural}.${res.group}` : res.plural;
}
