// Defaulting for pods and pod templates, as Kubernetes' core/v1 defaulters fill them, so that what a
// client reads back (`kubectl get -o yaml`) carries the same defaults as on a real cluster.
// Every function is idempotent: the registry runs defaults on each write.

import { canonicalResourceQuantity, defaultResourceList, defaultResourceRequirements } from './resource-list.js';

type O = Record<string, any>;
const isObj = (v: unknown): v is O => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): O[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** File mode 0644, the default for files projected from secrets, configMaps and the downward API. */
const DEFAULT_MODE = 0o644;

/**
 * The image's tag as Kubernetes' image-name parser finds it: after the last ':' of the last path
 * segment, "latest" when there is neither tag nor digest, "" with a digest and no tag.
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) return name.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

/** Always for :latest (or no tag), IfNotPresent otherwise. */
export function defaultPullPolicy(image: unknown): string {
  return typeof image === 'string' && imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHTTPGet(h: unknown): void {
  if (!isObj(h)) return;
  h.path ??= '/';
  h.scheme ??= 'HTTP';
  if (h.path === '') h.path = '/';
  if (h.scheme === '') h.scheme = 'HTTP';
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  p.timeoutSeconds ||= 1;
  p.periodSeconds ||= 10;
  p.successThreshold ||= 1;
  p.failureThreshold ||= 3;
  defaultHTTPGet(p.httpGet);
  // Kubernetes marks grpc.service default ""; clients (kubectl describe) rely on it being present.
  if (isObj(p.grpc) && (p.grpc.service === undefined || p.grpc.service === null)) p.grpc.service = '';
}

function defaultFieldRef(f: unknown): void {
  if (isObj(f) && !f.apiVersion) f.apiVersion = 'v1';
}

function defaultContainer(c: O): void {
  // resources is a plain struct in Kubernetes, so it always appears, if only as {}.
  if (!isObj(c.resources)) c.resources = {};
  defaultResourceRequirements(c.resources);
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(c.image);
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const p of arr(c.ports)) if (!p.protocol) p.protocol = 'TCP';
  for (const e of arr(c.env)) if (isObj(e.valueFrom)) defaultFieldRef(e.valueFrom.fieldRef);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    if (isObj(c.lifecycle.postStart)) defaultHTTPGet(c.lifecycle.postStart.httpGet);
    if (isObj(c.lifecycle.preStop)) defaultHTTPGet(c.lifecycle.preStop.httpGet);
  }
}

function defaultDownwardItems(items: unknown): void {
  for (const it of arr(items)) defaultFieldRef(it.fieldRef);
}

/** A pod volume with no source is an emptyDir. */
function defaultVolume(v: O): void {
  const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
  if (sources.length === 0) v.emptyDir = {};
  defaultVolumeSource(v);
}

/**
 * Defaults of the volume sources, keyed by source field; pod volumes and PersistentVolume specs
 * share the field names (hostPath, rbd, iscsi, azureDisk ...).
 */
export function defaultVolumeSource(v: any): void {
  if (!isObj(v)) return;
  if (isObj(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = '';
  if (isObj(v.emptyDir) && v.emptyDir.sizeLimit !== undefined && v.emptyDir.sizeLimit !== null) v.emptyDir.sizeLimit = canonicalResourceQuantity(v.emptyDir.sizeLimit);
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isObj(v[k]) && v[k].defaultMode === undefined) v[k].defaultMode = DEFAULT_MODE;
  }
  if (isObj(v.downwardAPI)) defaultDownwardItems(v.downwardAPI.items);
  if (isObj(v.projected)) {
    for (const s of arr(v.projected.sources)) {
      if (isObj(s.downwardAPI)) defaultDownwardItems(s.downwardAPI.items);
      if (isObj(s.serviceAccountToken) && s.serviceAccountToken.expirationSeconds === undefined) s.serviceAccountToken.expirationSeconds = 3600;
    }
  }
  if (isObj(v.iscsi) && !v.iscsi.iscsiInterface) v.iscsi.iscsiInterface = 'default';
  if (isObj(v.rbd)) {
    v.rbd.pool ||= 'rbd';
    v.rbd.user ||= 'admin';
    v.rbd.keyring ||= '/etc/ceph/keyring';
  }
  if (isObj(v.azureDisk)) {
    v.azureDisk.cachingMode ??= 'ReadWrite';
    v.azureDisk.kind ??= 'Shared';
    v.azureDisk.fsType ??= 'ext4';
    v.azureDisk.readOnly ??= false;
  }
  if (isObj(v.scaleIO)) {
    v.scaleIO.storageMode ||= 'ThinProvisioned';
    v.scaleIO.fsType ||= 'xfs';
  }
  if (isObj(v.ephemeral) && isObj(v.ephemeral.volumeClaimTemplate)) defaultPersistentVolumeClaimSpec(v.ephemeral.volumeClaimTemplate.spec);
  if (isObj(v.image) && !v.image.pullPolicy) v.image.pullPolicy = defaultPullPolicy(v.image.reference);
}

/** PersistentVolumeClaimSpec defaults, shared with ephemeral volumes' claim templates. */
export function defaultPersistentVolumeClaimSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
  if (!isObj(spec.resources)) spec.resources = {};
  defaultResourceRequirements(spec.resources);
}

/**
 * Defaults of a PodSpec, whether in a Pod or in a template (Kubernetes' SetDefaults_PodSpec and the
 * defaulters of its parts): restartPolicy Always, dnsPolicy ClusterFirst, schedulerName
 * default-scheduler, terminationGracePeriodSeconds 30, securityContext {}, and per container the
 * pull policy, termination message, port protocol and probe defaults.
 */
export function defaultPodSpec(spec: any): void {
  if (!isObj(spec)) return;
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  // serviceAccount is the deprecated spelling; v1 keeps both in step.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const c of arr(spec.initContainers)) defaultContainer(c);
  for (const c of arr(spec.containers)) defaultContainer(c);
  for (const c of arr(spec.ephemeralContainers)) defaultContainer(c);
  for (const v of arr(spec.volumes)) defaultVolume(v);
  defaultResourceList(spec.overhead);
  defaultResourceRequirements(spec.resources);
}

/** Defaults of a pod template (the pod spec inside). Workload resources call this. */
export function defaultPodTemplateSpec(tpl: any): void {
  if (!isObj(tpl)) return;
  defaultPodSpec(tpl.spec);
}

/** Requests default to the limits for each resource only limited (Kubernetes does this for Pods, not templates). */
function requestsFromLimits(c: O): void {
  const r = c.resources;
  if (!isObj(r) || !isObj(r.limits)) return;
  const requests: O = isObj(r.requests) ? r.requests : {};
  for (const [k, v] of Object.entries(r.limits)) if (!(k in requests)) requests[k] = v;
  if (Object.keys(requests).length) r.requests = requests;
}

/** The priorities of the built-in PriorityClasses. */
/**
 * Defaults of a Pod: its spec's, plus what Kubernetes adds to pods only — requests from limits,
 * enableServiceLinks, host ports mirroring container ports on the host network, the default
 * service account. spec.priority is the Priority admission's to set, from the PriorityClass.
 */
export function defaultPod(pod: any): void {
  if (!isObj(pod)) return;
  if (!isObj(pod.spec)) pod.spec = {};
  const spec = pod.spec;
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers)]) {
    requestsFromLimits(c);
    if (spec.hostNetwork === true) {
      for (const p of arr(c.ports)) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
  if (!spec.serviceAccountName && !spec.serviceAccount) spec.serviceAccountName = 'default';
  defaultPodSpec(spec);
}
