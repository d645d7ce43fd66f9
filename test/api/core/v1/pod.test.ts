// Pods: Kubernetes' defaults, validation errors with their field paths, update rules, server-side
// preparation and graceful deletion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources, defaultPodTemplateSpec, validatePodTemplateSpec, podQOSClass } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';
import { validateDNS1123Label } from '../../../../src/machinery/names.js';

const pods = resources.find((r) => r.plural === 'pods')!;

function pod(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', ...meta }, spec } as KObject;
}

/** Defaults then validates, as the registry does on create; returns "field: message" lines. */
function createErrors(p: KObject): string[] {
  pods.defaults!(p);
  pods.prepareForCreate!(p);
  return pods.validate!(p, {}).map((e) => `${e.field}: ${e.message}`);
}

test('a minimal pod gets the defaults a real cluster gives it', () => {
  const p = pod({ containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }] });
  pods.defaults!(p);
  pods.prepareForCreate!(p);
  const spec = p.spec as any;
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.enableServiceLinks, true);
  assert.equal(spec.serviceAccountName, 'default');
  assert.equal(spec.serviceAccount, 'default');
  // Priority comes from the Priority admission plugin (test/apiserver/admission.test.ts), not defaults.
  assert.equal(spec.priority, undefined);
  const c = spec.containers[0];
  assert.equal(c.imagePullPolicy, 'Always');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.equal(c.ports[0].protocol, 'TCP');
  assert.deepEqual(c.resources, {});
  assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
  assert.deepEqual(pods.validate!(p, {}), []);
});

test('image pull policy follows the tag', () => {
  const p = pod({
    containers: [
      { name: 'a', image: 'nginx:1.27' }, { name: 'b', image: 'nginx:latest' }, { name: 'c', image: 'localhost:5000/app' },
      { name: 'd', image: 'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
      { name: 'e', image: 'nginx', imagePullPolicy: 'Never' },
    ],
  });
  pods.defaults!(p);
  assert.deepEqual((p.spec as any).containers.map((c: any) => c.imagePullPolicy), ['IfNotPresent', 'Always', 'Always', 'IfNotPresent', 'Never']);
});

test('probes, volumes, requests from limits and host ports are defaulted', () => {
  const p = pod({
    hostNetwork: true,
    containers: [{
      name: 'app', image: 'app:1', ports: [{ containerPort: 8080 }],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
      readinessProbe: { httpGet: { port: 8080 } },
      livenessProbe: { grpc: { port: 9000 } },
      env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    }],
    volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'cfg' } }, { name: 'host', hostPath: { path: '/var/log' } }],
  });
  pods.defaults!(p);
  const spec = p.spec as any;
  const c = spec.containers[0];
  assert.deepEqual(c.readinessProbe, { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(c.livenessProbe.grpc, { port: 9000, service: '' });
  assert.deepEqual(c.resources.requests, { cpu: '100m', memory: '128Mi' });
  assert.equal(c.ports[0].hostPort, 8080);
  assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, 'v1');
  assert.deepEqual(spec.volumes[0], { name: 'scratch', emptyDir: {} });
  assert.equal(spec.volumes[1].configMap.defaultMode, 420);
  assert.equal(spec.volumes[2].hostPath.type, '');
  assert.equal(podQOSClass(p), 'Burstable');
});

test('defaults are idempotent', () => {
  const p = pod({ containers: [{ name: 'app', image: 'nginx', livenessProbe: { tcpSocket: { port: 80 } } }], volumes: [{ name: 'v' }] });
  pods.defaults!(p);
  const once = structuredClone(p);
  pods.defaults!(p);
  assert.deepEqual(p, once);
});

test('templates get spec defaults but not the pod-only ones', () => {
  const tpl: any = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1', resources: { limits: { cpu: '1' } } }] } };
  defaultPodTemplateSpec(tpl);
  assert.equal(tpl.spec.restartPolicy, 'Always');
  assert.equal(tpl.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(tpl.spec.enableServiceLinks, undefined);
  assert.equal(tpl.spec.serviceAccountName, undefined);
  assert.equal(tpl.spec.priority, undefined);
  assert.equal(tpl.spec.containers[0].resources.requests, undefined);
  assert.deepEqual(validatePodTemplateSpec(tpl, 'spec.template'), []);
});

test('template errors carry the caller\'s path', () => {
  const tpl: any = { metadata: { labels: { 'bad key!': 'x' } }, spec: { containers: [{ name: 'app' }] } };
  defaultPodTemplateSpec(tpl);
  const errs = validatePodTemplateSpec(tpl, 'spec.template').map((e) => e.field);
  assert.ok(errs.includes('spec.template.labels'));
  assert.ok(errs.includes('spec.template.spec.containers[0].image'));
  const empty = validatePodTemplateSpec({}, 'spec.template').map((e) => `${e.field}: ${e.message}`);
  assert.ok(empty.includes('spec.template.spec.containers: Required value'), empty.join('\n'));
});

test('container mistakes are reported at their field paths', () => {
  const errs = createErrors(pod({
    containers: [
      { name: 'Web_1', image: 'nginx', ports: [{ containerPort: 0 }, { containerPort: 70000, protocol: 'tcp', name: 'HTTP' }] },
      { name: 'sidecar' },
      { name: 'sidecar', image: 'busybox', restartPolicy: 'Always' },
    ],
  }));
  assert.deepEqual(errs, [
    `spec.containers[0].name: Invalid value: "Web_1": ${validateDNS1123Label('Web_1')[0]}`,
    'spec.containers[0].ports[0].containerPort: Required value',
    'spec.containers[0].ports[1].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'spec.containers[0].ports[1].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
    'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.containers[0].ports[1].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
    'spec.containers[1].image: Required value',
    'spec.containers[2].name: Duplicate value: "sidecar"',
    'spec.containers[2].restartPolicy: Forbidden: may not be set for non-init containers',
  ]);
});

test('no containers at all', () => {
  assert.deepEqual(createErrors(pod({})), ['spec.containers: Required value']);
});

test('resources: requests above limits, unknown resource names, negative quantities', () => {
  const errs = createErrors(pod({
    containers: [{
      name: 'app', image: 'app',
      resources: { limits: { cpu: '1', memory: '-1Gi' }, requests: { cpu: '1500m', gpu: '1' } },
    }],
  }));
  assert.deepEqual(errs, [
    'spec.containers[0].resources.limits[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
    'spec.containers[0].resources.requests: Invalid value: "1500m": must be less than or equal to cpu limit of 1',
    'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    // requests default to the limits, so the negative memory limit is a negative request too
    'spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
  ]);
});

test('env, envFrom and mounts', () => {
  const errs = createErrors(pod({
    containers: [{
      name: 'app', image: 'app',
      env: [
        { name: '' },
        { name: 'A=B' },
        { name: 'X', value: 'v', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'Y', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } },
        { name: 'Z', valueFrom: { configMapKeyRef: { name: 'cfg' } } },
      ],
      envFrom: [{}],
      volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'cache', mountPath: '/data' }, { name: 'cache', mountPath: '/c', subPath: '../x' }],
    }],
    volumes: [{ name: 'cache', emptyDir: {} }],
  }));
  assert.deepEqual(errs, [
    'spec.containers[0].env[0].name: Required value',
    'spec.containers[0].env[1].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
    'spec.containers[0].env[2].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
    'spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    'spec.containers[0].env[4].valueFrom.configMapKeyRef.key: Required value',
    'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    'spec.containers[0].volumeMounts[0].name: Not found: "data"',
    'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
    'spec.containers[0].volumeMounts.subPath: Invalid value: "../x": must not contain \'..\'',
  ]);
});

test('probes need exactly one handler; liveness success threshold is 1', () => {
  const errs = createErrors(pod({
    containers: [{
      name: 'app', image: 'app',
      livenessProbe: { successThreshold: 2, exec: { command: ['true'] } },
      readinessProbe: { initialDelaySeconds: -1 },
      startupProbe: { httpGet: { port: 'http' }, tcpSocket: { port: 80 } },
    }],
  }));
  assert.deepEqual(errs, [
    'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    'spec.containers[0].readinessProbe: Required value: must specify a handler type',
    'spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0',
    'spec.containers[0].startupProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
  ]);
});

test('init containers: probes only for sidecars, names unique across all containers', () => {
  const errs = createErrors(pod({
    initContainers: [
      { name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } },
      { name: 'app', image: 'busybox' },
      { name: 'proxy', image: 'envoy', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 9901 } } },
      { name: 'bad', image: 'busybox', restartPolicy: 'Never' },
    ],
    containers: [{ name: 'app', image: 'app' }],
  }));
  assert.deepEqual(errs, [
    'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    'spec.initContainers[1].name: Duplicate value: "app"',
    'spec.initContainers[3].restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ]);
});

test('volumes: names unique, one source each, required fields', () => {
  const errs = createErrors(pod({
    containers: [{ name: 'app', image: 'app', volumeMounts: [{ name: 'dup', mountPath: '/a' }] }],
    volumes: [
      { name: 'dup', emptyDir: {} }, { name: 'dup', emptyDir: {} },
      { name: 'two', emptyDir: {}, hostPath: { path: '/x' } },
      { name: 's', secret: {} }, { name: 'p', persistentVolumeClaim: {} }, { name: 'm', configMap: { name: 'c', defaultMode: 0o1777 } },
    ],
  }));
  assert.deepEqual(errs, [
    'spec.volumes[1].name: Duplicate value: "dup"',
    'spec.volumes[2].hostPath: Forbidden: may not specify more than 1 volume type',
    'spec.volumes[3].secret.secretName: Required value',
    'spec.volumes[4].persistentVolumeClaim.claimName: Required value',
    'spec.volumes[5].configMap.defaultMode: Invalid value: 1023: must be a number between 0 and 0777 (octal), both inclusive',
  ]);
});

test('pod-level fields: policies, tolerations, affinity, spread constraints, DNS', () => {
  const errs = createErrors(pod({
    containers: [{ name: 'app', image: 'app' }],
    restartPolicy: 'Sometimes',
    dnsPolicy: 'None',
    tolerations: [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', value: 'v' }, { key: 'k', tolerationSeconds: 5, effect: 'NoSchedule' }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } } },
    topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }],
    activeDeadlineSeconds: 0,
  }));
  assert.deepEqual(errs, [
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is \'In\' or \'NotIn\'',
    'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
    'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
    'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    'spec.tolerations[1].operator: Invalid value: {"key":"k","operator":"Exists","value":"v"}: value must be empty when `operator` is \'Exists\'',
    'spec.tolerations[2].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
  ]);
});

test('ephemeral containers cannot be set on create; a gated pod cannot name its node', () => {
  const errs = createErrors(pod({
    containers: [{ name: 'app', image: 'app' }],
    ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
    nodeName: 'node1',
    schedulingGates: [{ name: 'example.com/wait' }],
  }));
  assert.deepEqual(errs, [
    'spec.ephemeralContainers: Forbidden: cannot be set on create',
    'spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared',
  ]);
});

test('a gated pod is created with PodScheduled=False SchedulingGated', () => {
  const p = pod({ containers: [{ name: 'app', image: 'app' }], schedulingGates: [{ name: 'example.com/wait' }] });
  pods.defaults!(p);
  pods.prepareForCreate!(p);
  assert.deepEqual((p.status as any).conditions, [{
    type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null,
    reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates',
  }]);
});

test('matchLabelKeys become label selector requirements on create', () => {
  const p = pod({
    containers: [{ name: 'app', image: 'app' }],
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{
      topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } }, matchLabelKeys: ['pod-template-hash'],
    }] } },
  }, { labels: { app: 'web', 'pod-template-hash': 'abc' } });
  pods.defaults!(p);
  pods.prepareForCreate!(p);
  const term = (p.spec as any).affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
  assert.deepEqual(term.labelSelector.matchExpressions, [{ key: 'pod-template-hash', operator: 'In', values: ['abc'] }]);
});

function created(spec: Record<string, unknown>): KObject {
  const p = pod(spec);
  pods.defaults!(p);
  pods.prepareForCreate!(p);
  assert.deepEqual(pods.validate!(p, {}), []);
  return p;
}

const update = (old: KObject, change: (spec: any) => void): string[] => {
  const next = structuredClone(old);
  change(next.spec);
  pods.defaults!(next);
  return pods.validate!(next, { old }).map((e) => `${e.field}: ${e.message.split('\n')[0]}`);
};

test('pod updates: images, activeDeadlineSeconds, added tolerations and removed gates only', () => {
  const old = created({
    containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 80 }] }],
    tolerations: [{ key: 'a', operator: 'Exists' }],
    schedulingGates: [{ name: 'example.com/a' }],
  });
  assert.deepEqual(update(old, (s) => { s.containers[0].image = 'app:2'; }), []);
  assert.deepEqual(update(old, (s) => { s.activeDeadlineSeconds = 60; }), []);
  assert.deepEqual(update(old, (s) => { s.tolerations.push({ key: 'b', operator: 'Exists' }); }), []);
  assert.deepEqual(update(old, (s) => { s.schedulingGates = []; }), []);
  assert.deepEqual(update(old, (s) => { s.containers[0].ports[0].containerPort = 81; }), [
    'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  ]);
  assert.deepEqual(update(old, (s) => { s.containers.push({ name: 'b', image: 'b' }); }), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
  assert.deepEqual(update(old, (s) => { s.tolerations = []; }), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  assert.deepEqual(update(old, (s) => { s.schedulingGates.push({ name: 'example.com/b' }); }), [
    "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/b'",
  ]);
  const withDeadline = update(old, (s) => { s.activeDeadlineSeconds = 30; });
  assert.deepEqual(withDeadline, []);
  const old2 = structuredClone(old);
  (old2.spec as any).activeDeadlineSeconds = 30;
  assert.deepEqual(update(old2, (s) => { s.activeDeadlineSeconds = 60; }), ['spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value']);
  assert.deepEqual(update(old2, (s) => { delete s.activeDeadlineSeconds; }), ['spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value']);
});

test('a status write with an unchanged spec passes update validation', () => {
  const old = created({ containers: [{ name: 'app', image: 'app:1' }] });
  const next = structuredClone(old);
  next.status = { phase: 'Running', podIPs: [{ ip: '10.42.0.5' }] };
  pods.defaults!(next);
  assert.deepEqual(pods.validate!(next, { old }), []);
});

test('graceful deletion: bound pods wait their grace period, others go at once', () => {
  const p = created({ containers: [{ name: 'app', image: 'app' }] });
  assert.equal(pods.deletionGracePeriod!(p, undefined), 0);
  (p.spec as any).nodeName = 'node1';
  assert.equal(pods.deletionGracePeriod!(p, undefined), 30);
  assert.equal(pods.deletionGracePeriod!(p, 5), 5);
  assert.equal(pods.deletionGracePeriod!(p, 0), 0);
  (p.status as any).phase = 'Succeeded';
  assert.equal(pods.deletionGracePeriod!(p, undefined), 0);
});

test('selectable fields', () => {
  const p = created({ containers: [{ name: 'app', image: 'app' }], nodeName: 'node1' });
  (p.status as any).podIPs = [{ ip: '10.42.0.7' }];
  assert.deepEqual(pods.selectableFields!(p), {
    'spec.nodeName': 'node1', 'spec.restartPolicy': 'Always', 'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': 'default', 'spec.hostNetwork': 'false', 'status.phase': 'Pending',
    'status.podIP': '10.42.0.7', 'status.nominatedNodeName': '',
  });
});

test('QoS classes', () => {
  const q = (resources: unknown) => podQOSClass({ spec: { containers: [{ name: 'a', resources }] } });
  assert.equal(q(undefined), 'BestEffort');
  assert.equal(q({ requests: { cpu: '100m' } }), 'Burstable');
  assert.equal(q({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } }), 'Guaranteed');
  assert.equal(q({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } }), 'Burstable');
  assert.equal(q({ requests: { 'example.com/gpu': '1' } }), 'BestEffort');
});

test('resource quantities are stored in canonical form, rounded up to a thousandth', () => {
  const p = pod({ containers: [{ name: 'app', image: 'app', resources: { limits: { cpu: 0.5, memory: '1.5Gi' }, requests: { cpu: '0.0001' } } }], overhead: { cpu: 1 } });
  pods.defaults!(p);
  const spec = p.spec as any;
  assert.deepEqual(spec.containers[0].resources, { limits: { cpu: '500m', memory: '1536Mi' }, requests: { cpu: '1m', memory: '1536Mi' } });
  assert.deepEqual(spec.overhead, { cpu: '1' });
});

test('an update that leaves out the resolved priority keeps it', () => {
  const old = created({ containers: [{ name: 'app', image: 'app' }], priorityClassName: 'high' });
  (old.spec as any).priority = 1000;
  (old.spec as any).preemptionPolicy = 'Never';
  const next = structuredClone(old);
  delete (next.spec as any).priority;
  delete (next.spec as any).preemptionPolicy;
  pods.defaults!(next);
  pods.prepareForUpdate!(next, old);
  assert.equal((next.spec as any).priority, 1000);
  assert.equal((next.spec as any).preemptionPolicy, 'Never');
  assert.deepEqual(pods.validate!(next, { old }), []);
});
