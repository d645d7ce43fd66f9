// Validation of PodSpec and PodTemplateSpec, with Kubernetes' field paths and messages for what
// people commonly get wrong: container names and images, ports, env, mounts, probes, resources,
// volumes, scheduling constraints. Other groups validate their pod templates with these.
import { field, type FieldError } from '../../../machinery/status.js';
import {
  validateDNS1123Label, validateDNS1123Subdomain, validateQualifiedName, validateLabelValue, validateLabels, validateAnnotations,
} from '../../../machinery/names.js';
import { validateLabelSelector } from '../../../machinery/labels.js';
import {
  arr, isObj, strOf, notFound, inclusiveRange, NON_NEGATIVE, validatePortNumber, portNameErrors, validatePortNumOrName,
  validateIP, configKeyErrors, envVarNameErrors, validateResourceRequirements, validateResourceList, quantityAt,
  type O,
} from './validation.js';
import { VOLUME_SOURCE_FIELDS } from './volume.js';
import { validatePersistentVolumeClaimSpec } from './persistentvolumeclaim.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_INT32 = 2147483647;
const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';

const invalidEach = (msgs: string[], path: string, value: unknown): FieldError[] => msgs.map((m) => field.invalid(path, value, m));
const dnsLabel = (v: string, path: string) => invalidEach(validateDNS1123Label(v), path, v);
const dnsSubdomain = (v: string, path: string) => invalidEach(validateDNS1123Subdomain(v), path, v);
const qualifiedName = (v: string, path: string) => invalidEach(validateQualifiedName(v), path, v);

// ---- downward API ------------------------------------------------------------------------------

/** Field paths the downward API can convert at all; others fail with "field label not supported". */
const DOWNWARD_CONVERTIBLE = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid',
  'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName',
  'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
]);
const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'].sort();
const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const RESOURCE_FIELD_PATHS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const RESOURCE_FIELD_PREFIXES = ['limits.hugepages-', 'requests.hugepages-'];

function validateObjectFieldSelector(fs: O, allowed: string[], path: string): FieldError[] {
  if (!fs.apiVersion) return [field.required(`${path}.apiVersion`)];
  const fp = strOf(fs.fieldPath);
  if (!fp) return [field.required(`${path}.fieldPath`)];
  const m = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fp);
  const base = m ? m[1] : fp;
  if (!DOWNWARD_CONVERTIBLE.has(base)) return [field.invalid(`${path}.fieldPath`, fp, `error converting fieldPath: field label not supported: ${fp}`)];
  if (m) return qualifiedName(base === 'metadata.annotations' ? m[2].toLowerCase() : m[2], path);
  if (!allowed.includes(fp)) return [field.notSupported(`${path}.fieldPath`, fp, allowed)];
  return [];
}

function validateResourceFieldSelector(fs: O, path: string, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const res = strOf(fs.resource);
  if (volume && !fs.containerName) errs.push(field.required(`${path}.containerName`));
  else if (!res) errs.push(field.required(`${path}.resource`));
  else if (!RESOURCE_FIELD_PATHS.includes(res) && !RESOURCE_FIELD_PREFIXES.some((p) => res.startsWith(p))) {
    errs.push(field.notSupported(`${path}.resource`, res, RESOURCE_FIELD_PATHS));
  }
  if (fs.divisor !== undefined) {
    const q = quantityAt(fs.divisor, `${path}.divisor`, errs);
    if (q && q.sign() <= 0) errs.push(field.invalid(`${path}.divisor`, q.toString(), 'must be greater than zero'));
  }
  return errs;
}

// ---- containers --------------------------------------------------------------------------------

function validateKeySelector(s: O, path: string): FieldError[] {
  const errs = dnsSubdomain(strOf(s.name), `${path}.name`);
  const key = strOf(s.key);
  if (!key) errs.push(field.required(`${path}.key`));
  else errs.push(...invalidEach(configKeyErrors(key), `${path}.key`, key));
  return errs;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(env).forEach((ev: O, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(ev)) return;
    const name = strOf(ev.name);
    if (!name) errs.push(field.required(`${p}.name`));
    else errs.push(...invalidEach(envVarNameErrors(name), `${p}.name`, name));
    const vf = ev.valueFrom;
    if (!isObj(vf)) return;
    const vp = `${p}.valueFrom`;
    let n = 0;
    if (isObj(vf.fieldRef)) { n++; errs.push(...validateObjectFieldSelector(vf.fieldRef, ENV_FIELD_PATHS, `${vp}.fieldRef`)); }
    if (isObj(vf.resourceFieldRef)) { n++; errs.push(...validateResourceFieldSelector(vf.resourceFieldRef, `${vp}.resourceFieldRef`, false)); }
    if (isObj(vf.configMapKeyRef)) { n++; errs.push(...validateKeySelector(vf.configMapKeyRef, `${vp}.configMapKeyRef`)); }
    if (isObj(vf.secretKeyRef)) { n++; errs.push(...validateKeySelector(vf.secretKeyRef, `${vp}.secretKeyRef`)); }
    if (n === 0) errs.push(field.invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) errs.push(field.invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) errs.push(field.invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(envFrom).forEach((ev: O, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(ev)) return;
    if (ev.prefix) errs.push(...invalidEach(envVarNameErrors(strOf(ev.prefix)), `${p}.prefix`, ev.prefix));
    let n = 0;
    for (const k of ['configMapRef', 'secretRef']) {
      if (!isObj(ev[k])) continue;
      n++;
      const name = strOf(ev[k].name);
      if (!name) errs.push(field.required(`${p}.${k}.name`));
      else errs.push(...dnsSubdomain(name, `${p}.${k}.name`));
    }
    if (n === 0) errs.push(field.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((p: O, i) => {
    const ip = `${path}[${i}]`;
    if (!isObj(p)) return;
    if (p.name) {
      const msgs = portNameErrors(strOf(p.name));
      if (msgs.length) errs.push(...invalidEach(msgs, `${ip}.name`, p.name));
      else if (names.has(p.name)) errs.push(field.duplicate(`${ip}.name`, p.name));
      else names.add(p.name);
    }
    if (!p.containerPort) errs.push(field.required(`${ip}.containerPort`));
    else errs.push(...validatePortNumber(p.containerPort, `${ip}.containerPort`));
    if (p.hostPort) errs.push(...validatePortNumber(p.hostPort, `${ip}.hostPort`));
    if (!p.protocol) errs.push(field.required(`${ip}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${ip}.protocol`, p.protocol, PROTOCOLS));
  });
  return errs;
}

/** Host ports (with protocol) may be claimed once across a list of containers. */
function checkHostPortConflicts(containers: O[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    arr(c.ports).forEach((p: O, pi) => {
      if (!isObj(p) || !p.hostPort) return;
      const key = `${p.hostPort}/${p.protocol ?? 'TCP'}`;
      if (seen.has(`${p.hostIP ?? ''}|${key}`)) errs.push(field.duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      seen.add(`${p.hostIP ?? ''}|${key}`);
    });
  });
  return errs;
}

function validateDescendingPath(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(field.invalid(path, p, 'must be a relative path'));
  if (p.split(/[\\/]/).includes('..')) errs.push(field.invalid(path, p, "must not contain '..'"));
  return errs;
}

function validateNonReservedPath(p: string, path: string): FieldError[] {
  const errs = validateDescendingPath(p, path);
  if (p.startsWith('..') && !p.startsWith('../')) errs.push(field.invalid(path, p, "must not start with '..'"));
  return errs;
}

function validateVolumeMounts(c: O, volumes: Map<string, O>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPaths = new Set<string>();
  const devices = arr(c.volumeDevices).filter(isObj);
  const privileged = isObj(c.securityContext) && c.securityContext.privileged === true;
  arr(c.volumeMounts).forEach((m: O, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(m)) return;
    const name = strOf(m.name);
    const mountPath = strOf(m.mountPath);
    if (!name) errs.push(field.required(`${p}.name`));
    if (!volumes.has(name)) errs.push(notFound(`${p}.name`, name));
    if (!mountPath) errs.push(field.required(`${p}.mountPath`));
    if (mountPaths.has(mountPath)) errs.push(field.invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    mountPaths.add(mountPath);
    if (devices.some((d) => d.name === name)) errs.push(field.invalid(`${p}.name`, name, 'must not already exist in volumeDevices'));
    if (devices.some((d) => d.devicePath === mountPath)) errs.push(field.invalid(`${p}.mountPath`, mountPath, 'must not already exist as a path in volumeDevices'));
    if (m.subPath) errs.push(...validateDescendingPath(strOf(m.subPath), `${path}.subPath`));
    if (m.subPath && m.subPathExpr) errs.push(field.invalid(`${p}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
    if (m.subPathExpr) errs.push(...validateDescendingPath(strOf(m.subPathExpr), `${p}.subPathExpr`));
    if (m.mountPropagation !== undefined && m.mountPropagation !== null) {
      const mp = m.mountPropagation;
      if (!['Bidirectional', 'HostToContainer', 'None'].includes(mp)) errs.push(field.notSupported(`${p}.mountPropagation`, mp, ['Bidirectional', 'HostToContainer', 'None']));
      else if (mp === 'Bidirectional' && !privileged) errs.push(field.forbidden(`${p}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
    }
    if (m.recursiveReadOnly !== undefined && m.recursiveReadOnly !== null) {
      const rro = m.recursiveReadOnly;
      if (!['Disabled', 'Enabled', 'IfPossible'].includes(rro)) errs.push(field.notSupported(`${p}.recursiveReadOnly`, rro, ['Disabled', 'Enabled', 'IfPossible']));
      else if (rro !== 'Disabled' && m.readOnly !== true) errs.push(field.forbidden(`${p}.recursiveReadOnly`, 'may only be specified when readOnly is true'));
    }
  });
  return errs;
}

function validateVolumeDevices(c: O, volumes: Map<string, O>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const devicePaths = new Set<string>();
  const mounts = arr(c.volumeMounts).filter(isObj);
  arr(c.volumeDevices).forEach((d: O, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(d)) return;
    const name = strOf(d.name);
    const devicePath = strOf(d.devicePath);
    if (!name) errs.push(field.required(`${p}.name`));
    const vol = volumes.get(name);
    if (!vol) errs.push(notFound(`${p}.name`, name));
    else if (!vol.persistentVolumeClaim && !vol.ephemeral) errs.push(field.invalid(`${p}.name`, name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    if (!devicePath) errs.push(field.required(`${p}.devicePath`));
    if (devicePaths.has(devicePath)) errs.push(field.invalid(`${p}.devicePath`, devicePath, 'must be unique'));
    devicePaths.add(devicePath);
    if (devicePath && devicePath.split('/').includes('..')) errs.push(field.invalid(`${p}.devicePath`, devicePath, "can not contain '..'"));
    if (mounts.some((m) => m.name === name)) errs.push(field.invalid(`${p}.name`, name, 'must not already exist in volumeMounts'));
  });
  return errs;
}

type Handler = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc' | 'sleep';

/** Probes and lifecycle hooks: exactly one handler, each valid. */
function validateHandler(h: O, kinds: Handler[], gracePeriod: number, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const k of kinds) {
    const v = h[k];
    if (!isObj(v)) continue;
    if (n > 0) {
      errs.push(field.forbidden(`${path}.${k}`, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const p = `${path}.${k}`;
    if (k === 'exec' && arr(v.command).length === 0) errs.push(field.required(`${p}.command`));
    if (k === 'httpGet') {
      if (!v.path) errs.push(field.required(`${p}.path`));
      errs.push(...portOrName(v.port, `${p}.port`));
      if (!['HTTP', 'HTTPS'].includes(v.scheme)) errs.push(field.notSupported(`${p}.scheme`, v.scheme ?? '', ['HTTP', 'HTTPS']));
      for (const hd of arr(v.httpHeaders)) {
        const name = strOf(isObj(hd) ? hd.name : '');
        if (!/^[-A-Za-z0-9]+$/.test(name)) {
          errs.push(field.invalid(`${p}.httpHeaders`, name, "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
        }
      }
    }
    if (k === 'tcpSocket') errs.push(...portOrName(v.port, `${p}.port`));
    if (k === 'grpc') errs.push(...validatePortNumber(v.port, `${p}.port`));
    if (k === 'sleep') {
      const s = v.seconds;
      if (typeof s !== 'number' || s <= 0 || s > gracePeriod) {
        errs.push(field.invalid(`${p}.seconds`, s, `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod})`));
      }
    }
  }
  if (n === 0) errs.push(field.required(path, 'must specify a handler type'));
  return errs;
}

/** A port of a probe or hook: absent counts as 0, as in Kubernetes' intstr. */
const portOrName = (port: unknown, path: string): FieldError[] =>
  port === undefined || port === null ? [field.invalid(path, 0, inclusiveRange(1, 65535))]
    : typeof port === 'string' ? invalidEach(portNameErrors(port), path, port)
      : validatePortNumOrName(port, path);

function validateProbe(probe: unknown, kind: 'liveness' | 'readiness' | 'startup', gracePeriod: number, path: string): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, ['exec', 'httpGet', 'tcpSocket', 'grpc'], gracePeriod, path);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    if (typeof probe[k] === 'number' && probe[k] < 0) errs.push(field.invalid(`${path}.${k}`, probe[k], NON_NEGATIVE));
  }
  const tgp = probe.terminationGracePeriodSeconds;
  if (typeof tgp === 'number' && tgp <= 0) errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, tgp, 'must be greater than 0'));
  if (kind === 'readiness' && tgp !== undefined && tgp !== null) {
    errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, tgp, 'must not be set for readinessProbes'));
  }
  if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errs.push(field.invalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  }
  return errs;
}

function validateLifecycle(lc: unknown, gracePeriod: number, path: string): FieldError[] {
  if (!isObj(lc)) return [];
  const errs: FieldError[] = [];
  for (const k of ['postStart', 'preStop']) {
    if (isObj(lc[k])) errs.push(...validateHandler(lc[k], ['exec', 'httpGet', 'tcpSocket', 'sleep'], gracePeriod, `${path}.${k}`));
  }
  return errs;
}

function validateIDs(sc: O, path: string, keys: string[]): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of keys) {
    const v = sc[k];
    if (typeof v === 'number' && (v < 0 || v > MAX_INT32)) errs.push(field.invalid(`${path}.${k}`, v, inclusiveRange(0, MAX_INT32)));
  }
  return errs;
}

/** Seccomp and AppArmor profiles share their shape and rules. */
function validateProfile(p: unknown, what: 'seccomp' | 'apparmor', path: string): FieldError[] {
  if (!isObj(p)) return [];
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  if (!p.type) return [field.required(`${path}.type`)];
  if (!types.includes(p.type)) return [field.notSupported(`${path}.type`, p.type, types)];
  if (p.type === 'Localhost' && !p.localhostProfile) return [field.required(`${path}.localhostProfile`, `must be set when ${what} type is Localhost`)];
  if (p.type !== 'Localhost' && p.localhostProfile) return [field.invalid(`${path}.localhostProfile`, p.localhostProfile, `can only be set when ${what} type is Localhost`)];
  return [];
}

function validateSecurityContext(sc: unknown, path: string, hostUsers: boolean): FieldError[] {
  if (!isObj(sc)) return [];
  const errs = validateIDs(sc, path, ['runAsUser', 'runAsGroup']);
  if (sc.procMount !== undefined && sc.procMount !== null) {
    if (!['Default', 'Unmasked'].includes(sc.procMount)) errs.push(field.notSupported(`${path}.procMount`, sc.procMount, ['Default', 'Unmasked']));
    else if (sc.procMount === 'Unmasked' && hostUsers) errs.push(field.invalid(`${path}.procMount`, sc.procMount, '`hostUsers` must be false to use `Unmasked`'));
  }
  errs.push(...validateProfile(sc.seccompProfile, 'seccomp', `${path}.seccompProfile`));
  errs.push(...validateProfile(sc.appArmorProfile, 'apparmor', `${path}.appArmorProfile`));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if (isObj(sc.capabilities) && arr(sc.capabilities.add).includes('CAP_SYS_ADMIN')) {
      errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return errs;
}

interface ContainerContext {
  volumes: Map<string, O>;
  claimNames: Set<string>;
  gracePeriod: number;
  hostUsers: boolean;
}

/** What every kind of container (regular, init, ephemeral) must satisfy. */
function validateContainerCommon(c: O, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = strOf(c.name);
  if (!name) errs.push(field.required(`${path}.name`));
  else errs.push(...dnsLabel(name, `${path}.name`));
  const image = strOf(c.image);
  if (!image) errs.push(field.required(`${path}.image`));
  else if (image.trim() !== image) errs.push(field.invalid(`${path}.image`, image, 'must not have leading or trailing whitespace'));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(field.required(`${path}.terminationMessagePolicy`, "must be 'File' or 'FallbackToLogsOnError'"));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(field.invalid(`${path}.terminationMessagePolicy`, tmp, "must be 'File' or 'FallbackToLogsOnError'"));
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(c, ctx.volumes, `${path}.volumeMounts`));
  errs.push(...validateVolumeDevices(c, ctx.volumes, `${path}.volumeDevices`));
  const pp = c.imagePullPolicy;
  if (!pp) errs.push(field.required(`${path}.imagePullPolicy`));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pp)) errs.push(field.notSupported(`${path}.imagePullPolicy`, pp, ['Always', 'IfNotPresent', 'Never']));
  errs.push(...validateResourceRequirements(c.resources, `${path}.resources`));
  if (isObj(c.resources)) {
    const seen = new Set<string>();
    arr(c.resources.claims).forEach((cl: O, i) => {
      const p = `${path}.resources.claims[${i}]`;
      const cn = strOf(isObj(cl) ? cl.name : '');
      if (!cn) errs.push(field.required(`${p}.name`));
      else if (seen.has(cn)) errs.push(field.duplicate(`${p}.name`, cn));
      else if (!ctx.claimNames.has(cn)) {
        errs.push(ctx.claimNames.size === 0
          ? field.invalid(p, cn, 'must be one of the names in pod.spec.resourceClaims which is empty')
          : field.notSupported(p, cn, [...ctx.claimNames].sort()));
      }
      seen.add(cn);
    });
  }
  errs.push(...validateSecurityContext(c.securityContext, `${path}.securityContext`, ctx.hostUsers));
  arr(c.resizePolicy).forEach((rp: O, i) => {
    const p = `${path}.resizePolicy[${i}]`;
    if (!isObj(rp)) return;
    if (!['cpu', 'memory'].includes(rp.resourceName)) errs.push(field.notSupported(`${p}.resourceName`, rp.resourceName ?? '', ['cpu', 'memory']));
    if (!['NotRequired', 'RestartContainer'].includes(rp.restartPolicy)) errs.push(field.notSupported(`${p}.restartPolicy`, rp.restartPolicy ?? '', ['NotRequired', 'RestartContainer']));
  });
  return errs;
}

function validateContainers(containers: O[], ctx: ContainerContext, path: string): FieldError[] {
  if (containers.length === 0) return [field.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, ctx, p));
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else names.add(c.name);
    errs.push(...validateLifecycle(c.lifecycle, ctx.gracePeriod, `${p}.lifecycle`));
    errs.push(...validateProbe(c.livenessProbe, 'liveness', ctx.gracePeriod, `${p}.livenessProbe`));
    errs.push(...validateProbe(c.readinessProbe, 'readiness', ctx.gracePeriod, `${p}.readinessProbe`));
    errs.push(...validateProbe(c.startupProbe, 'startup', ctx.gracePeriod, `${p}.startupProbe`));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) errs.push(field.forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(containers, path));
  return errs;
}

function validateInitContainers(inits: O[], containers: O[], ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>(containers.map((c) => strOf(c.name)));
  inits.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, ctx, p));
    let sidecar = false;
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      if (c.restartPolicy !== 'Always') errs.push(field.notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
      sidecar = c.restartPolicy === 'Always';
    }
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else if (c.name) names.add(c.name);
    if (sidecar) {
      errs.push(...validateLifecycle(c.lifecycle, ctx.gracePeriod, `${p}.lifecycle`));
      errs.push(...validateProbe(c.livenessProbe, 'liveness', ctx.gracePeriod, `${p}.livenessProbe`));
      errs.push(...validateProbe(c.readinessProbe, 'readiness', ctx.gracePeriod, `${p}.readinessProbe`));
      errs.push(...validateProbe(c.startupProbe, 'startup', ctx.gracePeriod, `${p}.startupProbe`));
    } else {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[k] !== undefined && c[k] !== null) errs.push(field.forbidden(`${p}.${k}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  errs.push(...checkHostPortConflicts(inits, path));
  return errs;
}

/** Fields an ephemeral container may set; the rest would make it part of the pod's service. */
const EPHEMERAL_ALLOWED = new Set([
  'name', 'image', 'command', 'args', 'workingDir', 'env', 'envFrom', 'volumeMounts', 'volumeDevices', 'terminationMessagePath',
  'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty', 'targetContainerName',
]);

function validateEphemeralContainers(ephemeral: O[], others: O[], ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>(others.map((c) => strOf(c.name)));
  const targets = new Set<string>(others.map((c) => strOf(c.name)));
  ephemeral.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, ctx, p));
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else names.add(c.name);
    if (c.targetContainerName && !targets.has(c.targetContainerName)) errs.push(notFound(`${p}.targetContainerName`, c.targetContainerName));
    for (const [k, v] of Object.entries(c)) {
      if (v === undefined || v === null || EPHEMERAL_ALLOWED.has(k)) continue;
      if (k === 'resources' && isObj(v) && Object.keys(v).length === 0) continue;
      errs.push(field.forbidden(`${p}.${k}`, 'cannot be set for an Ephemeral Container'));
    }
    arr(c.volumeMounts).forEach((m: O, j) => {
      if (isObj(m) && m.subPath) errs.push(field.forbidden(`${p}.volumeMounts[${j}].subPath`, 'cannot be set for an Ephemeral Container'));
      if (isObj(m) && m.subPathExpr) errs.push(field.forbidden(`${p}.volumeMounts[${j}].subPathExpr`, 'cannot be set for an Ephemeral Container'));
    });
  });
  return errs;
}

// ---- volumes -----------------------------------------------------------------------------------

function validateFileMode(mode: unknown, path: string): FieldError[] {
  return typeof mode === 'number' && (mode < 0 || mode > 0o777) ? [field.invalid(path, mode, FILE_MODE_MSG)] : [];
}

function validateKeyToPaths(items: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(items).forEach((it: O, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(it)) return;
    if (!it.key) errs.push(field.required(`${p}.key`));
    if (!it.path) errs.push(field.required(`${p}.path`));
    else errs.push(...validateNonReservedPath(strOf(it.path), `${p}.path`));
    errs.push(...validateFileMode(it.mode, `${p}.mode`));
  });
  return errs;
}

function validateDownwardAPIItems(items: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(items).forEach((it: O, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(it)) return;
    if (!it.path) errs.push(field.required(`${p}.path`));
    else errs.push(...validateNonReservedPath(strOf(it.path), `${p}.path`));
    errs.push(...validateFileMode(it.mode, `${p}.mode`));
    if (isObj(it.fieldRef)) {
      errs.push(...validateObjectFieldSelector(it.fieldRef, VOLUME_FIELD_PATHS, `${p}.fieldRef`));
      if (isObj(it.resourceFieldRef)) errs.push(field.invalid(p, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    } else if (isObj(it.resourceFieldRef)) {
      errs.push(...validateResourceFieldSelector(it.resourceFieldRef, `${p}.resourceFieldRef`, true));
    } else {
      errs.push(field.required(p, 'one of fieldRef and resourceFieldRef is required'));
    }
  });
  return errs;
}

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

function validateProjected(src: O, path: string): FieldError[] {
  const errs = validateFileMode(src.defaultMode, `${path}.defaultMode`);
  const paths = new Set<string>();
  arr(src.sources).forEach((s: O, i) => {
    const sp = `${path}.sources[${i}]`;
    if (!isObj(s)) return;
    let n = 0;
    const addPath = (p: unknown, at: string) => {
      if (typeof p !== 'string' || !p) return;
      if (paths.has(p)) errs.push(field.invalid(at, p, 'conflicting duplicate paths'));
      paths.add(p);
    };
    for (const k of ['secret', 'configMap', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle']) {
      const v = s[k];
      if (!isObj(v)) continue;
      n++;
      if (n > 1) {
        errs.push(field.forbidden(`${sp}.${k}`, 'may not specify more than 1 volume type per source'));
        continue;
      }
      const p = `${sp}.${k}`;
      if (k === 'secret' || k === 'configMap') {
        if (!v.name) errs.push(field.required(`${p}.name`));
        errs.push(...validateKeyToPaths(v.items, `${p}.items`));
        arr(v.items).forEach((it: O, j) => isObj(it) && addPath(it.path, `${p}.items[${j}].path`));
      } else if (k === 'downwardAPI') {
        errs.push(...validateDownwardAPIItems(v.items, `${p}.items`));
        arr(v.items).forEach((it: O, j) => isObj(it) && addPath(it.path, `${p}.items[${j}].path`));
      } else if (k === 'serviceAccountToken') {
        const exp = v.expirationSeconds;
        if (typeof exp === 'number' && exp < 600) errs.push(field.invalid(`${p}.expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
        else if (typeof exp === 'number' && exp > 2 ** 32) errs.push(field.invalid(`${p}.expirationSeconds`, exp, 'may not specify a duration larger than 2^32 seconds'));
        if (!v.path) errs.push(field.required(`${p}.path`));
        else errs.push(...validateNonReservedPath(strOf(v.path), `${p}.path`));
        addPath(v.path, `${p}.path`);
      } else {
        if (!v.path) errs.push(field.required(`${p}.path`));
        if (!v.name && !v.signerName) errs.push(field.required(p, 'either name or signerName must be set'));
        addPath(v.path, `${p}.path`);
      }
    }
    if (n === 0) errs.push(field.required(sp, 'must specify exactly 1 volume type'));
  });
  return errs;
}

/** The checks of the source a volume uses; `src` is the source object, `k` its field name. */
function validateVolumeSource(k: string, src: O, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (k) {
    case 'emptyDir':
      if (src.sizeLimit !== undefined && src.sizeLimit !== null) {
        const q = quantityAt(src.sizeLimit, `${path}.sizeLimit`, errs);
        if (q && q.sign() < 0) errs.push(field.forbidden(`${path}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
      }
      break;
    case 'hostPath':
      if (!src.path) errs.push(field.required(`${path}.path`));
      else if (strOf(src.path).split('/').includes('..')) errs.push(field.invalid(`${path}.path`, src.path, "must not contain '..'"));
      if (src.type !== undefined && src.type !== null && !HOST_PATH_TYPES.includes(src.type)) errs.push(field.notSupported(`${path}.type`, src.type, HOST_PATH_TYPES));
      break;
    case 'secret':
      if (!src.secretName) errs.push(field.required(`${path}.secretName`));
      errs.push(...validateFileMode(src.defaultMode, `${path}.defaultMode`));
      errs.push(...validateKeyToPaths(src.items, `${path}.items`));
      break;
    case 'configMap':
      if (!src.name) errs.push(field.required(`${path}.name`));
      errs.push(...validateFileMode(src.defaultMode, `${path}.defaultMode`));
      errs.push(...validateKeyToPaths(src.items, `${path}.items`));
      break;
    case 'downwardAPI':
      errs.push(...validateFileMode(src.defaultMode, `${path}.defaultMode`));
      errs.push(...validateDownwardAPIItems(src.items, `${path}.items`));
      break;
    case 'projected':
      errs.push(...validateProjected(src, path));
      break;
    case 'persistentVolumeClaim':
      if (!src.claimName) errs.push(field.required(`${path}.claimName`));
      break;
    case 'nfs':
      if (!src.server) errs.push(field.required(`${path}.server`));
      if (!src.path) errs.push(field.required(`${path}.path`));
      else if (!strOf(src.path).startsWith('/')) errs.push(field.invalid(`${path}.path`, src.path, 'must be an absolute path'));
      break;
    case 'csi':
      if (!src.driver) errs.push(field.required(`${path}.driver`));
      else errs.push(...dnsSubdomain(strOf(src.driver).toLowerCase(), `${path}.driver`));
      break;
    case 'ephemeral':
      if (!isObj(src.volumeClaimTemplate)) errs.push(field.required(`${path}.volumeClaimTemplate`));
      else errs.push(...validatePersistentVolumeClaimSpec(src.volumeClaimTemplate.spec, `${path}.volumeClaimTemplate.spec`));
      break;
    case 'image':
      if (!src.reference) errs.push(field.required(`${path}.reference`));
      if (src.pullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(src.pullPolicy)) errs.push(field.notSupported(`${path}.pullPolicy`, src.pullPolicy, ['Always', 'IfNotPresent', 'Never']));
      break;
    case 'gitRepo':
      if (!src.repository) errs.push(field.required(`${path}.repository`));
      break;
    case 'iscsi':
      if (!src.targetPortal) errs.push(field.required(`${path}.targetPortal`));
      if (!src.iqn) errs.push(field.required(`${path}.iqn`));
      break;
    default:
      break;
  }
  return errs;
}

/** Kubernetes checks volume sources in this order; the first wins and later ones are "more than 1". */
const VOLUME_SOURCE_ORDER = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume', 'configMap',
  'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos', 'projected', 'scaleIO',
  'csi', 'ephemeral', 'image',
].filter((k) => VOLUME_SOURCE_FIELDS.includes(k));

/** Validates spec.volumes; returns the valid ones by name, which mounts may refer to. */
function validateVolumes(volumes: unknown, path: string, errs: FieldError[]): Map<string, O> {
  const valid = new Map<string, O>();
  const names = new Set<string>();
  arr(volumes).forEach((v: O, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(v)) return;
    const el: FieldError[] = [];
    let n = 0;
    for (const k of VOLUME_SOURCE_ORDER) {
      if (!isObj(v[k])) continue;
      if (n > 0) {
        el.push(field.forbidden(`${p}.${k}`, 'may not specify more than 1 volume type'));
        continue;
      }
      n++;
      el.push(...validateVolumeSource(k, v[k], `${p}.${k}`));
    }
    if (n === 0) el.push(field.required(p, 'must specify a volume type'));
    const name = strOf(v.name);
    if (!name) el.push(field.required(`${p}.name`));
    else el.push(...dnsLabel(name, `${p}.name`));
    if (names.has(name)) el.push(field.duplicate(`${p}.name`, name));
    if (el.length === 0) {
      names.add(name);
      valid.set(name, v);
    } else {
      errs.push(...el);
    }
  });
  return valid;
}

// ---- scheduling --------------------------------------------------------------------------------

const labelName = (key: unknown, path: string) => qualifiedName(strOf(key), path);

function validateTaintEffect(effect: unknown, allowEmpty: boolean, path: string): FieldError[] {
  if (!effect) return allowEmpty ? [] : [field.required(path)];
  const valid = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
  return valid.includes(effect as string) ? [] : [field.notSupported(path, effect, valid)];
}

/** Tolerations, also used for an update's "only additions" re-check. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tolerations).forEach((t: O, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(t)) return;
    if (t.key) errs.push(...labelName(t.key, `${p}.key`));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(field.invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(field.invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    const op = t.operator ?? '';
    if (op === 'Equal' || op === '') {
      const msgs = validateLabelValue(strOf(t.value));
      if (msgs.length) errs.push(field.invalid(`${p}.operator`, t.value, msgs.join(';')));
    } else if (op === 'Exists') {
      if (t.value) errs.push(field.invalid(`${p}.operator`, t, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(field.notSupported(`${p}.operator`, op, ['Equal', 'Exists']));
    }
    if (t.effect) errs.push(...validateTaintEffect(t.effect, true, `${p}.effect`));
  });
  return errs;
}

function validateNodeSelectorRequirement(r: O, path: string, fieldsOnly: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const values = arr(r.values);
  if (fieldsOnly) {
    if (r.key !== 'metadata.name') errs.push(field.invalid(`${path}.key`, r.key ?? '', 'not a valid field selector key'));
    if (r.operator !== 'In' && r.operator !== 'NotIn') errs.push(field.invalid(`${path}.operator`, r.operator ?? '', 'not a valid selector operator'));
    else if (values.length !== 1) errs.push(field.required(`${path}.values`, 'must be only one value when `operator` is \'In\' or \'NotIn\' for node field selector'));
    return errs;
  }
  switch (r.operator) {
    case 'In': case 'NotIn':
      if (values.length === 0) errs.push(field.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists': case 'DoesNotExist':
      if (values.length > 0) errs.push(field.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt': case 'Lt':
      if (values.length !== 1) errs.push(field.required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(field.notSupported(`${path}.operator`, r.operator ?? '', ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn']));
  }
  errs.push(...labelName(r.key, `${path}.key`));
  return errs;
}

function validateNodeSelectorTerm(t: unknown, path: string): FieldError[] {
  if (!isObj(t)) return [];
  const errs: FieldError[] = [];
  arr(t.matchExpressions).forEach((r: O, j) => isObj(r) && errs.push(...validateNodeSelectorRequirement(r, `${path}.matchExpressions[${j}]`, false)));
  arr(t.matchFields).forEach((r: O, j) => isObj(r) && errs.push(...validateNodeSelectorRequirement(r, `${path}.matchFields[${j}]`, true)));
  return errs;
}

/** A NodeSelector (node affinity's required terms, a PersistentVolume's node affinity). */
export function validateNodeSelector(ns: unknown, path: string): FieldError[] {
  if (!isObj(ns)) return [];
  const terms = arr(ns.nodeSelectorTerms);
  if (terms.length === 0) return [field.required(`${path}.nodeSelectorTerms`, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, `${path}.nodeSelectorTerms[${i}]`));
}

const weightErr = (w: unknown, path: string): FieldError[] =>
  typeof w === 'number' && w >= 1 && w <= 100 ? [] : [field.invalid(path, w ?? 0, 'must be in the range 1-100')];

function validatePodAffinityTerm(t: O, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(t.labelSelector, `${path}.labelSelector`));
  errs.push(...validateLabelSelector(t.namespaceSelector, `${path}.namespaceSelector`));
  for (const ns of arr(t.namespaces)) errs.push(...dnsLabel(strOf(ns), `${path}.namespace`));
  const topologyKey = strOf(t.topologyKey);
  if (!topologyKey) errs.push(field.required(`${path}.topologyKey`, 'can not be empty'));
  errs.push(...labelName(topologyKey, `${path}.topologyKey`));
  return errs;
}

function validateAffinity(a: unknown, path: string): FieldError[] {
  if (!isObj(a)) return [];
  const errs: FieldError[] = [];
  if (isObj(a.nodeAffinity)) {
    const p = `${path}.nodeAffinity`;
    errs.push(...validateNodeSelector(a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, `${p}.requiredDuringSchedulingIgnoredDuringExecution`));
    arr(a.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).forEach((t: O, i) => {
      const tp = `${p}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      if (!isObj(t)) return;
      errs.push(...weightErr(t.weight, `${tp}.weight`));
      errs.push(...validateNodeSelectorTerm(t.preference, `${tp}.preference`));
    });
  }
  for (const k of ['podAffinity', 'podAntiAffinity']) {
    const pa = a[k];
    if (!isObj(pa)) continue;
    const p = `${path}.${k}`;
    arr(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t: O, i) => {
      if (isObj(t)) errs.push(...validatePodAffinityTerm(t, `${p}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`));
    });
    arr(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((t: O, i) => {
      const tp = `${p}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      if (!isObj(t)) return;
      errs.push(...weightErr(t.weight, `${tp}.weight`));
      if (isObj(t.podAffinityTerm)) errs.push(...validatePodAffinityTerm(t.podAffinityTerm, `${tp}.podAffinityTerm`));
      else errs.push(field.required(`${tp}.podAffinityTerm`));
    });
  }
  return errs;
}

function validateTopologySpreadConstraints(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const items = arr(list);
  items.forEach((c: O, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(c)) return;
    if (!(typeof c.maxSkew === 'number' && c.maxSkew > 0)) errs.push(field.invalid(`${p}.maxSkew`, c.maxSkew ?? 0, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(field.required(`${p}.topologyKey`, 'can not be empty'));
    else errs.push(...labelName(c.topologyKey, `${p}.topologyKey`));
    const wu = ['DoNotSchedule', 'ScheduleAnyway'];
    if (!wu.includes(c.whenUnsatisfiable)) errs.push(field.notSupported(`${p}.whenUnsatisfiable`, c.whenUnsatisfiable ?? '', wu));
    if (items.slice(i + 1).some((o: O) => isObj(o) && o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
      errs.push(field.duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${c.topologyKey ?? ''}, ${c.whenUnsatisfiable ?? ''}}`));
    }
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (!(typeof c.minDomains === 'number' && c.minDomains > 0)) errs.push(field.invalid(`${p}.minDomains`, c.minDomains, 'must be greater than 0'));
      else if (c.whenUnsatisfiable !== 'DoNotSchedule') errs.push(field.invalid(`${p}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable}`));
    }
    for (const k of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (c[k] !== undefined && c[k] !== null && !['Honor', 'Ignore'].includes(c[k])) errs.push(field.notSupported(`${p}.${k}`, c[k], ['Honor', 'Ignore']));
    }
    errs.push(...validateLabelSelector(c.labelSelector, `${p}.labelSelector`));
    for (const [j, k] of arr(c.matchLabelKeys).entries()) errs.push(...labelName(k, `${p}.matchLabelKeys[${j}]`));
  });
  return errs;
}

function validateDNSConfig(dc: unknown, dnsPolicy: unknown, path: string): FieldError[] {
  if (dnsPolicy === 'None') {
    if (!isObj(dc)) return [field.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (arr(dc.nameservers).length === 0) return [field.required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!isObj(dc)) return [];
  const errs: FieldError[] = [];
  const ns = arr(dc.nameservers);
  if (ns.length > 3) errs.push(field.invalid(`${path}.nameservers`, ns, 'must not have more than 3 nameservers'));
  ns.forEach((ip, i) => errs.push(...validateIP(ip, `${path}.nameservers[${i}]`)));
  const searches = arr(dc.searches);
  if (searches.length > 32) errs.push(field.invalid(`${path}.searches`, searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(field.invalid(`${path}.searches`, searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((s, i) => errs.push(...dnsSubdomain(strOf(s).replace(/\.$/, ''), `${path}.searches[${i}]`)));
  arr(dc.options).forEach((o: O, i) => {
    if (!isObj(o) || !o.name) errs.push(field.required(`${path}.options[${i}]`, 'Option.Name must not be empty'));
  });
  return errs;
}

const SYSCTL = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

function validatePodSecurityContext(spec: O, path: string): FieldError[] {
  const sc = spec.securityContext;
  const errs: FieldError[] = [];
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(field.invalid(`${path}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  if (!isObj(sc)) return errs;
  errs.push(...validateIDs(sc, path, ['fsGroup', 'runAsUser', 'runAsGroup']));
  arr(sc.supplementalGroups).forEach((g, i) => {
    if (typeof g === 'number' && (g < 0 || g > MAX_INT32)) errs.push(field.invalid(`${path}.supplementalGroups[${i}]`, g, inclusiveRange(0, MAX_INT32)));
  });
  const names = new Set<string>();
  arr(sc.sysctls).forEach((s: O, i) => {
    const p = `${path}.sysctls[${i}]`;
    const name = strOf(isObj(s) ? s.name : '');
    if (!name) errs.push(field.required(`${p}.name`));
    else if (name.length > 253 || !SYSCTL.test(name)) {
      errs.push(field.invalid(`${p}.name`, name, `must have at most 253 characters and match regex ${SYSCTL.source}`));
    } else if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    names.add(name);
  });
  if (sc.fsGroupChangePolicy !== undefined && sc.fsGroupChangePolicy !== null && !['Always', 'OnRootMismatch'].includes(sc.fsGroupChangePolicy)) {
    errs.push(field.notSupported(`${path}.fsGroupChangePolicy`, sc.fsGroupChangePolicy, ['OnRootMismatch', 'Always']));
  }
  if (sc.supplementalGroupsPolicy !== undefined && sc.supplementalGroupsPolicy !== null && !['Merge', 'Strict'].includes(sc.supplementalGroupsPolicy)) {
    errs.push(field.notSupported(`${path}.supplementalGroupsPolicy`, sc.supplementalGroupsPolicy, ['Merge', 'Strict']));
  }
  if (sc.seLinuxChangePolicy !== undefined && sc.seLinuxChangePolicy !== null && !['MountOption', 'Recursive'].includes(sc.seLinuxChangePolicy)) {
    errs.push(field.notSupported(`${path}.seLinuxChangePolicy`, sc.seLinuxChangePolicy, ['MountOption', 'Recursive']));
  }
  errs.push(...validateProfile(sc.seccompProfile, 'seccomp', `${path}.seccompProfile`));
  errs.push(...validateProfile(sc.appArmorProfile, 'apparmor', `${path}.appArmorProfile`));
  return errs;
}

function validatePodResourceClaims(claims: unknown, path: string, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  arr(claims).forEach((c: O, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(c)) return;
    const name = strOf(c.name);
    if (!name) errs.push(field.required(`${p}.name`));
    else if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    else {
      const e = dnsLabel(name, `${p}.name`);
      if (e.length) errs.push(...e);
      else names.add(name);
    }
    const byName = !!c.resourceClaimName;
    const byTemplate = !!c.resourceClaimTemplateName;
    if (byName && byTemplate) errs.push(field.invalid(p, c, 'at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified'));
    if (!byName && !byTemplate) errs.push(field.invalid(p, c, 'must specify one of: `resourceClaimName`, `resourceClaimTemplateName`'));
    if (byName) errs.push(...dnsSubdomain(strOf(c.resourceClaimName), `${p}.resourceClaimName`));
    if (byTemplate) errs.push(...dnsSubdomain(strOf(c.resourceClaimTemplateName), `${p}.resourceClaimTemplateName`));
  });
  return errs;
}

// ---- the spec ----------------------------------------------------------------------------------

/**
 * Kubernetes' ValidatePodSpec: every error carries its field path under `path` (e.g. `spec`, or
 * `spec.template.spec` for a workload's template).
 */
export function validatePodSpec(spec: any, path: string): FieldError[] {
  if (!isObj(spec)) return [field.required(`${path}.containers`)];
  const errs: FieldError[] = [];
  const volumes = validateVolumes(spec.volumes, `${path}.volumes`, errs);
  const claimNames = new Set<string>();
  errs.push(...validatePodResourceClaims(spec.resourceClaims, `${path}.resourceClaims`, claimNames));
  const gracePeriod = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
  const ctx: ContainerContext = { volumes, claimNames, gracePeriod, hostUsers: spec.hostUsers !== false };
  const containers = arr(spec.containers).filter(isObj);
  const inits = arr(spec.initContainers).filter(isObj);
  const ephemeral = arr(spec.ephemeralContainers).filter(isObj);
  errs.push(...validateContainers(containers, ctx, `${path}.containers`));
  errs.push(...validateInitContainers(inits, containers, ctx, `${path}.initContainers`));
  errs.push(...validateEphemeralContainers(ephemeral, [...containers, ...inits], ctx, `${path}.ephemeralContainers`));
  if (spec.resources !== undefined && spec.resources !== null) errs.push(...validateResourceRequirements(spec.resources, `${path}.resources`));

  const rp = spec.restartPolicy;
  if (!rp) errs.push(field.required(`${path}.restartPolicy`));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(field.notSupported(`${path}.restartPolicy`, rp, ['Always', 'OnFailure', 'Never']));
  const dp = spec.dnsPolicy;
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (!dp) errs.push(field.required(`${path}.dnsPolicy`));
  else if (!dnsPolicies.includes(dp)) errs.push(field.notSupported(`${path}.dnsPolicy`, dp, dnsPolicies));
  if (spec.nodeSelector !== undefined && spec.nodeSelector !== null) errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validatePodSecurityContext(spec, `${path}.securityContext`));
  arr(spec.imagePullSecrets).forEach((s: O, i) => {
    if (isObj(s) && Object.keys(s).some((k) => k !== 'name')) errs.push(field.invalid(`${path}.imagePullSecrets[${i}]`, s, 'only name may be set'));
  });
  errs.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  errs.push(...validateDNSConfig(spec.dnsConfig, dp, `${path}.dnsConfig`));
  arr(spec.readinessGates).forEach((g: O, i) => errs.push(...qualifiedName(strOf(isObj(g) ? g.conditionType : ''), `${path}.readinessGates[${i}].conditionType`)));
  const gates = new Set<string>();
  arr(spec.schedulingGates).forEach((g: O, i) => {
    const name = strOf(isObj(g) ? g.name : '');
    errs.push(...qualifiedName(name, `${path}.schedulingGates[${i}]`));
    if (gates.has(name)) errs.push(field.duplicate(`${path}.schedulingGates[${i}]`, name));
    gates.add(name);
  });
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  if (spec.hostNetwork === true) {
    containers.forEach((c, i) => arr(c.ports).forEach((p: O, j) => {
      if (isObj(p) && p.hostPort && p.hostPort !== p.containerPort) {
        errs.push(field.invalid(`${path}.containers[${i}].ports[${j}].containerPort`, p.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
      }
    }));
  }
  if (spec.serviceAccountName) errs.push(...dnsSubdomain(strOf(spec.serviceAccountName), `${path}.serviceAccountName`));
  if (spec.nodeName) errs.push(...dnsSubdomain(strOf(spec.nodeName), `${path}.nodeName`));
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null && !(typeof ads === 'number' && ads >= 1 && ads <= MAX_INT32)) {
    errs.push(field.invalid(`${path}.activeDeadlineSeconds`, ads, inclusiveRange(1, MAX_INT32)));
  }
  if (spec.hostname) errs.push(...dnsLabel(strOf(spec.hostname), `${path}.hostname`));
  if (spec.subdomain) errs.push(...dnsLabel(strOf(spec.subdomain), `${path}.subdomain`));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  arr(spec.hostAliases).forEach((h: O, i) => {
    if (!isObj(h)) return;
    errs.push(...validateIP(h.ip, `${path}.hostAliases[${i}].ip`));
    for (const hn of arr(h.hostnames)) errs.push(...dnsSubdomain(strOf(hn), `${path}.hostAliases[${i}].hostnames`));
  });
  if (spec.priorityClassName) errs.push(...dnsSubdomain(strOf(spec.priorityClassName), `${path}.priorityClassName`));
  if (spec.runtimeClassName !== undefined && spec.runtimeClassName !== null) errs.push(...dnsSubdomain(strOf(spec.runtimeClassName), `${path}.runtimeClassName`));
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && !['Never', 'PreemptLowerPriority'].includes(spec.preemptionPolicy)) {
    errs.push(field.notSupported(`${path}.preemptionPolicy`, spec.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  }
  if (spec.overhead !== undefined && spec.overhead !== null) errs.push(...validateResourceList(spec.overhead, `${path}.overhead`, true));
  if (isObj(spec.os) && !['linux', 'windows'].includes(spec.os.name)) errs.push(field.notSupported(`${path}.os.name`, spec.os.name ?? '', ['linux', 'windows']));
  return errs;
}

/**
 * Kubernetes' ValidatePodTemplateSpec: the template's labels and annotations (reported at
 * `<path>.labels`, as Kubernetes does) and its pod spec. Ephemeral containers are not allowed.
 */
export function validatePodTemplateSpec(tpl: any, path: string): FieldError[] {
  const t: O = isObj(tpl) ? tpl : {};
  const meta: O = isObj(t.metadata) ? t.metadata : {};
  const errs: FieldError[] = [];
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validatePodSpec(t.spec, `${path}.spec`));
  if (isObj(t.spec) && arr(t.spec.ephemeralContainers).length > 0) {
    errs.push(field.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}
