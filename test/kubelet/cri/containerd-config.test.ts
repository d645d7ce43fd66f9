// containerd's config.toml as k8ts writes it, and k3s's registries.yaml read into it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerdConfigToml, containerdLayout } from '../../../src/kubelet/cri/containerd-config.js';
import { parseRegistries, readRegistriesFile, RegistriesError } from '../../../src/kubelet/cri/registries.js';
import { splitImageRef } from '../../../src/kubelet/cri/pause-image.js';
import { startContainerd } from '../../../src/kubelet/cri/containerd.js';

/** The value of `key` inside `[table]` of a TOML text (just enough TOML for these checks). */
function tomlValue(text: string, table: string, key: string): string | undefined {
  let current = '';
  for (const line of text.split('\n')) {
    const t = /^\s*\[(.+)\]\s*$/.exec(line);
    if (t) { current = t[1]; continue; }
    const kv = /^\s*([\w.-]+)\s*=\s*(.+)$/.exec(line);
    if (kv && current === table && kv[1] === key) return kv[2];
  }
  return undefined;
}

const CRI = 'plugins."io.containerd.grpc.v1.cri"';

test('every path of the generated config lies under the data dir', () => {
  const layout = containerdLayout('/var/lib/k8ts/containerd');
  const text = containerdConfigToml({ layout, sandboxImage: 'k8ts.local/pause:3.10' });
  assert.equal(tomlValue(text, '', 'version'), '2');
  assert.equal(tomlValue(text, '', 'root'), '"/var/lib/k8ts/containerd/root"');
  assert.equal(tomlValue(text, '', 'state'), '"/var/lib/k8ts/containerd/state"');
  assert.equal(tomlValue(text, 'grpc', 'address'), '"/var/lib/k8ts/containerd/containerd.sock"');
  assert.equal(tomlValue(text, CRI, 'restrict_oom_score_adj'), 'true');
  assert.equal(tomlValue(text, CRI, 'sandbox_image'), '"k8ts.local/pause:3.10"');
  assert.equal(tomlValue(text, `${CRI}.cni`, 'bin_dir'), '"/usr/lib/cni"');
  assert.equal(tomlValue(text, `${CRI}.cni`, 'conf_dir'), '"/var/lib/k8ts/containerd/cni/net.d"');
  assert.equal(tomlValue(text, `${CRI}.containerd`, 'snapshotter'), '"overlayfs"');
  assert.equal(tomlValue(text, 'debug', 'level'), '"info"');
  assert.equal(tomlValue(text, `${CRI}.containerd.runtimes.runc`, 'runtime_type'), '"io.containerd.runc.v2"');
  assert.equal(tomlValue(text, `${CRI}.containerd.runtimes.runc.options`, 'Root'), '"/var/lib/k8ts/containerd/state/runc"');
  assert.ok(!/\/var\/lib\/containerd|\/etc\/cni|\/opt\/containerd/.test(text), 'nothing of a system containerd is shared');
});

test('registries.yaml mirrors become CRI mirrors, plain HTTP endpoints included', () => {
  const reg = parseRegistries([
    'mirrors:',
    '  "127.0.0.1:5000":',
    '    endpoint:',
    '      - "http://127.0.0.1:5000"',
    '  docker.io:',
    '    endpoint: ["https://mirror.example.com"]',
    'configs:',
    '  "mirror.example.com":',
    '    auth: {username: me, password: "p\\"w"}',
    '    tls: {insecure_skip_verify: true, ca_file: /etc/ca.pem}',
    '',
  ].join('\n'));
  assert.deepEqual(reg.mirrors['127.0.0.1:5000'], { endpoint: ['http://127.0.0.1:5000'] });
  const text = containerdConfigToml({ layout: containerdLayout('/d'), sandboxImage: 'p:1', registries: reg, logLevel: 'debug' });
  assert.equal(tomlValue(text, `${CRI}.registry.mirrors."127.0.0.1:5000"`, 'endpoint'), '["http://127.0.0.1:5000"]');
  assert.equal(tomlValue(text, `${CRI}.registry.mirrors."docker.io"`, 'endpoint'), '["https://mirror.example.com"]');
  assert.equal(tomlValue(text, `${CRI}.registry.configs."mirror.example.com".auth`, 'username'), '"me"');
  assert.equal(tomlValue(text, `${CRI}.registry.configs."mirror.example.com".auth`, 'password'), '"p\\"w"');
  assert.equal(tomlValue(text, `${CRI}.registry.configs."mirror.example.com".tls`, 'insecure_skip_verify'), 'true');
  assert.equal(tomlValue(text, `${CRI}.registry.configs."mirror.example.com".tls`, 'ca_file'), '"/etc/ca.pem"');
  assert.equal(tomlValue(text, 'debug', 'level'), '"debug"');
});

test('a malformed registries.yaml is a RegistriesError that says what to fix', async () => {
  assert.deepEqual(parseRegistries(''), { mirrors: {}, configs: {} });
  const bad: Array<[string, RegExp]> = [
    ['mirrors: [a]', /mirrors must be a mapping/],
    ['mirrors: {"h": {endpoint: "http://x"}}', /endpoint must be a list of strings/],
    ['mirrors: {"h": {endpoint: ["ftp://h"]}}', /must be http:\/\/ or https:\/\//],
    ['mirrors: {"h": {endpoint: ["127.0.0.1:5000"]}}', /is not a URL \(write http:\/\/HOST:PORT/],
    ['configs: {"h": {tls: {insecure_skip_verify: "yes"}}}', /insecure_skip_verify must be true or false/],
    ['configs: {"h": {auth: {username: 5}}}', /auth.username must be a string/],
    ['- just a list', /top level must be a mapping/],
    ['mirrors: {', /not valid YAML/],
  ];
  for (const [text, message] of bad) {
    assert.throws(() => parseRegistries(text, 'r.yaml'), (err: unknown) => err instanceof RegistriesError && message.test((err as Error).message) && (err as Error).message.startsWith('r.yaml: '), text);
  }
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-registries-'));
  try {
    const file = join(dir, 'registries.yaml');
    writeFileSync(file, 'mirrors:\n  "127.0.0.1:5000":\n    endpoint: ["http://127.0.0.1:5000"]\n');
    assert.deepEqual((await readRegistriesFile(file)).mirrors, { '127.0.0.1:5000': { endpoint: ['http://127.0.0.1:5000'] } });
    await assert.rejects(readRegistriesFile(join(dir, 'missing.yaml')), /cannot read the private registry file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('image references split at the tag, not at a registry port', () => {
  assert.deepEqual(splitImageRef('k8ts.local/pause:3.10'), { repository: 'k8ts.local/pause', tag: '3.10' });
  assert.deepEqual(splitImageRef('127.0.0.1:5000/busybox'), { repository: '127.0.0.1:5000/busybox', tag: 'latest' });
  assert.deepEqual(splitImageRef('127.0.0.1:5000/a/b:v1@sha256:00'), { repository: '127.0.0.1:5000/a/b', tag: 'v1' });
});

test('startContainerd refuses a data dir whose socket path is too long for a unix socket', async () => {
  await assert.rejects(startContainerd({ root: `/tmp/${'x'.repeat(100)}/containerd` }), /longer than 107 bytes; use a shorter --data-dir/);
});

test('a containerd binary that cannot run is reported with what to install', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-ctrd-'));
  try {
    await assert.rejects(
      startContainerd({ root: join(dir, 'containerd'), binary: 'k8ts-no-such-containerd', restart: false, startTimeoutMs: 5000 }),
      /cannot run k8ts-no-such-containerd: not found \(install containerd: apt-get install containerd runc\)/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
