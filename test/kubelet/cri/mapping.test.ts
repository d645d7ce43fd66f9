// The driver's configs as CRI messages and CRI's answers as the driver's statuses, checked on the
// wire encoding where the field number is the contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { CRI_PROTO } from '../../../src/kubelet/cri/proto.js';
import { containerConfig, containerStatusFrom, podSandboxConfig, sandboxStatusFrom } from '../../../src/kubelet/cri/mapping.js';
import type { ContainerConfig, SandboxConfig } from '../../../src/kubelet/runtime.js';

const root = protobuf.parse(CRI_PROTO, { keepCase: true }).root;
const type = (name: string) => root.lookupType(`runtime.v1.${name}`);

const sandbox: SandboxConfig = {
  name: 'web', namespace: 'shop', uid: 'u-1', attempt: 2, hostname: 'web', logDirectory: '/var/log/pods/shop_web_u-1',
  labels: { app: 'web' }, annotations: { a: 'b' },
  portMappings: [{ protocol: 'UDP', containerPort: 53, hostPort: 1053, hostIP: '127.0.0.1' }, { protocol: 'TCP', containerPort: 80 }],
  dns: { servers: ['10.43.0.10'], searches: ['shop.svc.cluster.local'], options: ['ndots:5'] },
  hostNetwork: false, cgroupParent: '/k8ts/burstable/podu-1', sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
};

const container: ContainerConfig = {
  name: 'app', attempt: 1, image: 'busybox:1', command: ['sh'], args: ['-c', 'true'], workingDir: '/w',
  env: [{ key: 'A', value: '1' }],
  mounts: [{ containerPath: '/data', hostPath: '/srv/data', readonly: true, propagation: 'host-to-container' }],
  labels: { l: '1' }, annotations: {}, logPath: 'app/1.log', stdin: true, stdinOnce: true, tty: false,
  resources: { cpuPeriod: 100000, cpuQuota: 50000, cpuShares: 512, memoryLimitInBytes: 64 * 1024 * 1024, oomScoreAdj: 999 },
  securityContext: { runAsUser: 0, privileged: false, readOnlyRootfs: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
};

/** Field numbers from kubernetes/cri-api's api.proto: the wire contract with every CRI runtime. */
test('the embedded proto keeps CRI v1 field numbers', () => {
  const expect: Array<[string, string, number]> = [
    ['PodSandboxConfig', 'log_directory', 3], ['PodSandboxConfig', 'port_mappings', 5], ['PodSandboxConfig', 'linux', 8],
    ['LinuxPodSandboxConfig', 'sysctls', 3], ['LinuxSandboxSecurityContext', 'run_as_group', 8],
    ['ContainerConfig', 'log_path', 11], ['ContainerConfig', 'tty', 14], ['ContainerConfig', 'linux', 15],
    ['LinuxContainerResources', 'memory_limit_in_bytes', 4], ['LinuxContainerResources', 'oom_score_adj', 5],
    ['LinuxContainerSecurityContext', 'run_as_user', 5], ['LinuxContainerSecurityContext', 'run_as_group', 12],
    ['ContainerStatus', 'exit_code', 7], ['ContainerStatus', 'reason', 10], ['ContainerStatus', 'log_path', 15],
    ['PodSandboxStatus', 'network', 5], ['PodSandboxStatus', 'labels', 7], ['Container', 'labels', 8],
    ['ExecSyncResponse', 'exit_code', 3], ['AttachRequest', 'tty', 3], ['PullImageRequest', 'auth', 2], ['Image', 'size', 4],
  ];
  for (const [msg, field, id] of expect) assert.equal(type(msg).fields[field]?.id, id, `${msg}.${field}`);
  // The very bytes: field 11, wire type 2 (0x5a), length 9, then the path.
  const bytes = type('ContainerConfig').encode({ log_path: 'app/1.log' }).finish();
  assert.deepEqual([...bytes.slice(0, 2)], [0x5a, 9]);
});

test('a sandbox config maps to PodSandboxConfig and survives the wire', () => {
  const msg = podSandboxConfig(sandbox);
  const T = type('PodSandboxConfig');
  const back = T.toObject(T.decode(T.encode(T.fromObject(msg)).finish()), { enums: String, longs: Number, defaults: true }) as any;
  assert.deepEqual(back.metadata, { name: 'web', uid: 'u-1', namespace: 'shop', attempt: 2 });
  assert.equal(back.log_directory, '/var/log/pods/shop_web_u-1');
  assert.deepEqual(back.port_mappings, [
    { protocol: 'UDP', container_port: 53, host_port: 1053, host_ip: '127.0.0.1' },
    { protocol: 'TCP', container_port: 80, host_port: 0, host_ip: '' },
  ]);
  assert.deepEqual(back.dns_config, { servers: ['10.43.0.10'], searches: ['shop.svc.cluster.local'], options: ['ndots:5'] });
  assert.equal(back.linux.cgroup_parent, '/k8ts/burstable/podu-1');
  assert.deepEqual(back.linux.sysctls, { 'net.ipv4.ip_unprivileged_port_start': '0' });
  assert.equal(back.linux.security_context.namespace_options.network, 'POD');
  const host = podSandboxConfig({ ...sandbox, hostNetwork: true, dns: undefined }) as any;
  assert.equal(host.linux.security_context.namespace_options.network, 'NODE');
  assert.equal(host.dns_config, null);
});

test('a container config maps resources, mounts and security context', () => {
  const msg = containerConfig(container, sandbox);
  const T = type('ContainerConfig');
  const back = T.toObject(T.decode(T.encode(T.fromObject(msg)).finish()), { enums: String, longs: Number, defaults: true }) as any;
  assert.deepEqual(back.linux.resources, {
    cpu_period: 100000, cpu_quota: 50000, cpu_shares: 512, memory_limit_in_bytes: 67108864, oom_score_adj: 999,
    cpuset_cpus: '', cpuset_mems: '', unified: {}, memory_swap_limit_in_bytes: 0,
  });
  assert.deepEqual(back.mounts, [{ container_path: '/data', host_path: '/srv/data', readonly: true, selinux_relabel: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' }]);
  assert.deepEqual(back.envs, [{ key: 'A', value: '1' }]);
  assert.deepEqual([back.command, back.args, back.working_dir, back.log_path], [['sh'], ['-c', 'true'], '/w', 'app/1.log']);
  assert.deepEqual([back.stdin, back.stdin_once, back.tty], [true, true, false]);
  const sc = back.linux.security_context;
  // runAsUser 0 is root, which must reach the runtime as a set wrapper, not as "unset".
  assert.deepEqual(sc.run_as_user, { value: 0 });
  assert.equal(sc.run_as_group, null);
  assert.equal(sc.readonly_rootfs, true);
  assert.deepEqual(sc.capabilities, { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['ALL'] });
  assert.deepEqual(sc.namespace_options, { network: 'POD', pid: 'CONTAINER', ipc: 'POD', target_id: '' });
});

test('container statuses: nanoseconds become milliseconds, exit codes only once exited', () => {
  const running = containerStatusFrom({
    id: 'c1', metadata: { name: 'app', attempt: 3 }, state: 'CONTAINER_RUNNING', created_at: 1_700_000_000_123_456_789,
    started_at: 1_700_000_001_000_000_000, finished_at: 0, exit_code: 0, image: { image: 'busybox:1' }, image_ref: 'sha256:ab',
    reason: '', message: '', labels: { a: 'b' }, log_path: '/l/app/3.log',
  });
  assert.deepEqual(running, {
    id: 'c1', name: 'app', attempt: 3, state: 'running', createdAt: 1_700_000_000_123, startedAt: 1_700_000_001_000,
    image: 'busybox:1', imageRef: 'sha256:ab', logPath: '/l/app/3.log', labels: { a: 'b' },
  });
  const oom = containerStatusFrom({
    id: 'c2', metadata: { name: 'hog', attempt: 0 }, state: 'CONTAINER_EXITED', created_at: 1e18, started_at: 1e18, finished_at: 1.000001e18,
    exit_code: 137, reason: 'OOMKilled', message: '', image: { image: 'x' }, image_ref: '', labels: {}, log_path: '',
  });
  assert.deepEqual([oom.state, oom.exitCode, oom.reason, oom.finishedAt], ['exited', 137, 'OOMKilled', 1_000_001_000_000]);
  assert.equal(containerStatusFrom({ id: 'c3', state: 'SOMETHING_NEW' }).state, 'unknown');
});

test('sandbox statuses carry the pod IP when CRI reports one', () => {
  assert.deepEqual(
    sandboxStatusFrom({ id: 's', state: 'SANDBOX_READY', created_at: 2e15, network: { ip: '10.42.0.7' }, labels: { a: 'b' } }),
    { id: 's', state: 'ready', createdAt: 2e9, labels: { a: 'b' }, ip: '10.42.0.7' },
  );
  assert.deepEqual(sandboxStatusFrom({ id: 's', state: 'SANDBOX_NOTREADY', created_at: 0, network: null }), { id: 's', state: 'notready', createdAt: 0, labels: {} });
});
