import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerConfig, hostsFileContent, sandboxConfig } from '../../../src/kubelet/pod/container-config.js';
import { ContainerConfigError } from '../../../src/kubelet/pod/env.js';
import type { Pod } from '../../../src/kubelet/types.js';

const pod: Pod = {
  metadata: { name: 'web-0', namespace: 'shop', uid: 'u-9', labels: { app: 'web' }, annotations: { a: 'b' } },
  spec: {
    hostname: 'web-0', subdomain: 'web', dnsPolicy: 'ClusterFirst',
    hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }],
    containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }], volumeMounts: [] }],
    dnsConfig: { options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
  },
};

test('sandbox config: identity, labels, ports, cluster DNS with dnsConfig merged', () => {
  const sb = sandboxConfig(pod, 1, '/var/log', { clusterDNS: ['10.43.0.10'], clusterDomain: 'cluster.local' });
  assert.equal(sb.hostname, 'web-0');
  assert.equal(sb.logDirectory, '/var/log/pods/shop_web-0_u-9');
  assert.equal(sb.labels['io.kubernetes.pod.uid'], 'u-9');
  assert.equal(sb.labels.app, 'web');
  assert.deepEqual(sb.portMappings, [{ protocol: 'TCP', containerPort: 80, hostPort: 8080, hostIP: undefined }]);
  assert.deepEqual(sb.dns, { servers: ['10.43.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:2', 'edns0'] });
  assert.equal(sb.cgroupParent, '/k8ts/besteffort/podu-9');
  assert.equal(sandboxConfig(pod, 0, '/l', { clusterDomain: 'cluster.local' }).dns?.servers.length, 0, 'no cluster DNS: only dnsConfig');
});

test('/etc/hosts as the kubelet writes it', () => {
  assert.equal(hostsFileContent(pod, '10.42.0.8', 'cluster.local'), [
    '# Kubernetes-managed hosts file.', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix', 'fe00::1\tip6-allnodes', 'fe00::2\tip6-allrouters', '10.42.0.8\tweb-0.web.shop.svc.cluster.local\tweb-0',
    '', '# Entries added by HostAliases.', '10.1.2.3\tfoo.local\tbar.local', '',
  ].join('\n'));
});

test('mounts: subPath, subPathExpr, read-only projections; hosts and termination-log files when isolated', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-cc-'));
  try {
    const data = join(dir, 'data');
    const cfg = join(dir, 'cfg');
    await mkdir(join(cfg, '..2025'), { recursive: true });
    await writeFile(join(cfg, '..2025', 'app.conf'), 'x');
    await symlink('..2025', join(cfg, '..data'));
    await symlink('..data/app.conf', join(cfg, 'app.conf'));
    await mkdir(data);
    const volumes = new Map([
      ['data', { name: 'data', hostPath: data, readOnly: false }],
      ['cfg', { name: 'cfg', hostPath: cfg, readOnly: true }],
    ]);
    const c = {
      name: 'c', image: 'nginx', terminationMessagePath: '/dev/termination-log',
      volumeMounts: [
        { name: 'data', mountPath: '/data' },
        { name: 'data', mountPath: '/per-pod', subPathExpr: '$(POD_NAME)' },
        { name: 'cfg', mountPath: '/etc/app.conf', subPath: 'app.conf' },
      ],
    };
    const cfgOut = await containerConfig({
      pod, container: c, attempt: 2, env: [{ key: 'POD_NAME', value: 'web-0' }], command: ['nginx'], args: [], volumes,
      podDir: join(dir, 'pod'), podIP: '10.42.0.8', clusterDomain: 'cluster.local', isolated: true, memoryCapacityBytes: 1 << 30,
    });
    assert.equal(cfgOut.logPath, 'c/2.log');
    assert.equal(cfgOut.annotations['io.kubernetes.container.restartCount'], '2');
    const m = Object.fromEntries(cfgOut.mounts.map((x) => [x.containerPath, [x.hostPath, x.readonly]]));
    assert.deepEqual(m['/data'], [data, false]);
    assert.deepEqual(m['/per-pod'], [join(data, 'web-0'), false], 'the subPath directory is created');
    assert.deepEqual(m['/etc/app.conf'], [join(cfg, '..2025', 'app.conf'), true]);
    assert.equal(m['/etc/hosts'][0], join(dir, 'pod', 'etc-hosts'));
    assert.match(await readFile(join(dir, 'pod', 'etc-hosts'), 'utf8'), /10\.42\.0\.8\tweb-0\.web\.shop/);
    assert.equal(m['/dev/termination-log'][0], cfgOut.labels['k8ts.io/termination-message-file']);

    await assert.rejects(containerConfig({
      pod, container: { name: 'c', volumeMounts: [{ name: 'data', mountPath: '/x', subPath: '../../etc' }] }, attempt: 0, env: [], command: [], args: [], volumes,
      podDir: dir, clusterDomain: 'cluster.local', isolated: false, memoryCapacityBytes: 0,
    }), ContainerConfigError);
    await assert.rejects(containerConfig({
      pod, container: { name: 'c', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }, attempt: 0, env: [], command: [], args: [], volumes,
      podDir: dir, clusterDomain: 'cluster.local', isolated: false, memoryCapacityBytes: 0,
    }), { message: 'cannot find volume "nope" to mount into container "c"' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
