import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, stat, readFile, writeFile, unlink } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:https';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensurePki, issueClientCert, issueServingCert } from '../../src/apiserver/pki.js';
import { writeKubeconfig } from '../../src/apiserver/kubeconfig.js';
import { parse } from 'yaml';

const execFileP = promisify(execFile);

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-pki-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const sansOf = (pem: string) => (new X509Certificate(pem).subjectAltName ?? '').split(', ');

test('first start makes a CA, a serving and an admin certificate in well under a second', () =>
  withDir(async (dir) => {
    const t0 = performance.now();
    const pki = await ensurePki(dir, { sans: ['k8ts.example.com', '192.168.1.10'] });
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `first start took ${ms.toFixed(0)} ms`);

    const ca = new X509Certificate(pki.caCert);
    assert.equal(ca.ca, true);
    const server = new X509Certificate(pki.serverCert);
    assert.ok(server.checkIssued(ca) && server.verify(ca.publicKey));
    const sans = sansOf(pki.serverCert);
    for (const s of ['DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc',
      'DNS:kubernetes.default.svc.cluster.local', 'DNS:k8ts.example.com', 'IP Address:127.0.0.1',
      'IP Address:0:0:0:0:0:0:0:1', 'IP Address:10.43.0.1', 'IP Address:192.168.1.10']) {
      assert.ok(sans.includes(s), `serving certificate lacks ${s}: ${sans.join(', ')}`);
    }
    const admin = new X509Certificate(pki.adminCert);
    assert.ok(admin.verify(ca.publicKey));
    assert.match(admin.subject, /CN=system:admin/);
    assert.match(admin.subject, /O=system:masters/);

    for (const key of ['server-ca.key', 'serving-kube-apiserver.key', 'client-admin.key']) {
      const st = await stat(join(dir, 'tls', key));
      assert.equal(st.mode & 0o777, 0o600, `${key} has mode ${(st.mode & 0o777).toString(8)}`);
    }
  }));

test('restart reuses the stored certificates; a new SAN reissues only the serving certificate', () =>
  withDir(async (dir) => {
    const first = await ensurePki(dir);
    const again = await ensurePki(dir);
    assert.deepEqual(again, first);

    const withSan = await ensurePki(dir, { sans: ['10.0.0.7'] });
    assert.equal(withSan.caCert, first.caCert);
    assert.equal(withSan.adminCert, first.adminCert);
    assert.notEqual(withSan.serverCert, first.serverCert);
    assert.ok(sansOf(withSan.serverCert).includes('IP Address:10.0.0.7'));
    assert.ok(sansOf(withSan.serverCert).includes('IP Address:10.43.0.1'));

    const otherServiceIP = await ensurePki(dir, { serviceIP: '10.96.0.1', sans: ['10.0.0.7'] });
    assert.ok(sansOf(otherServiceIP.serverCert).includes('IP Address:10.96.0.1'));
  }));

test('half a CA on disk is refused with advice instead of silently replaced', () =>
  withDir(async (dir) => {
    await ensurePki(dir);
    await unlink(join(dir, 'tls', 'server-ca.key'));
    await assert.rejects(ensurePki(dir), /half of the cluster CA/);
  }));

test('a damaged leaf certificate is reissued from the same CA', () =>
  withDir(async (dir) => {
    const first = await ensurePki(dir);
    await writeFile(join(dir, 'tls', 'client-admin.crt'), 'not a certificate');
    const again = await ensurePki(dir);
    assert.equal(again.caCert, first.caCert);
    assert.ok(new X509Certificate(again.adminCert).verify(new X509Certificate(first.caCert).publicKey));
    assert.equal(await readFile(join(dir, 'tls', 'client-admin.crt'), 'utf8'), again.adminCert);
  }));

test('a CA brought by the operator (RSA, multi-part subject) is used as is', () =>
  withDir(async (dir) => {
    const tls = join(dir, 'tls');
    await mkdir(tls, { recursive: true });
    await execFileP('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(tls, 'server-ca.key'), '-out', join(tls, 'server-ca.crt'),
      '-subj', '/C=DE/O=Example Corp/CN=Example Root', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    const pki = await ensurePki(dir);
    const ca = new X509Certificate(pki.caCert);
    assert.match(ca.subject, /CN=Example Root/);
    for (const pem of [pki.serverCert, pki.adminCert]) {
      const c = new X509Certificate(pem);
      assert.ok(c.checkIssued(ca), 'issuer must be the CA subject, byte for byte');
      assert.ok(c.verify(ca.publicKey));
    }
  }));

test('issued node client and kubelet serving certificates chain to the cluster CA', () =>
  withDir(async (dir) => {
    const pki = await ensurePki(dir);
    const ca = new X509Certificate(pki.caCert);
    const node = await issueClientCert(pki, { commonName: 'system:node:worker-1', organizations: ['system:nodes'], days: 30 });
    const nc = new X509Certificate(node.cert);
    assert.ok(nc.verify(ca.publicKey));
    assert.match(nc.subject, /CN=system:node:worker-1/);
    assert.match(nc.subject, /O=system:nodes/);
    assert.ok(nc.checkPrivateKey((await import('node:crypto')).createPrivateKey(node.key)));
    const days = (Date.parse(nc.validTo) - Date.now()) / 86_400_000;
    assert.ok(days > 29 && days < 31, `validity ${days} days`);

    const kubelet = await issueServingCert(pki, { commonName: 'worker-1', sans: ['worker-1', '10.1.2.3'] });
    assert.deepEqual(sansOf(kubelet.cert), ['DNS:worker-1', 'IP Address:10.1.2.3']);
  }));

test('TLS clients verify the serving certificate by name against the CA', () =>
  withDir(async (dir) => {
    const pki = await ensurePki(dir);
    const server = createServer({ cert: pki.serverCert, key: pki.serverKey }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const get = (servername: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, servername, ca: pki.caCert, path: '/', agent: false }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c)).on('end', () => resolve(body));
        });
        req.on('error', reject).end();
      });
    try {
      assert.equal(await get('kubernetes.default.svc'), 'ok');
      assert.equal(await get('localhost'), 'ok');
      await assert.rejects(get('evil.example.com'), /altnames|does not match/i);
    } finally {
      server.close();
    }
  }));

test('writeKubeconfig writes a k3s-style kubeconfig with embedded credentials, mode 0600', () =>
  withDir(async (dir) => {
    const pki = await ensurePki(dir);
    const file = join(dir, 'nested', 'deeper', 'k8ts.yaml');
    await writeKubeconfig(file, { server: 'https://127.0.0.1:6443', caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const kc = parse(await readFile(file, 'utf8'));
    assert.equal(kc.apiVersion, 'v1');
    assert.equal(kc.kind, 'Config');
    assert.equal(kc['current-context'], 'default');
    assert.deepEqual(kc.contexts, [{ name: 'default', context: { cluster: 'default', user: 'default' } }]);
    assert.equal(kc.clusters[0].name, 'default');
    assert.equal(kc.clusters[0].cluster.server, 'https://127.0.0.1:6443');
    assert.equal(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), pki.caCert);
    assert.equal(Buffer.from(kc.users[0].user['client-certificate-data'], 'base64').toString(), pki.adminCert);
    assert.equal(Buffer.from(kc.users[0].user['client-key-data'], 'base64').toString(), pki.adminKey);

    // Rewriting (a second start) replaces the file and keeps it private.
    await writeKubeconfig(file, { server: 'https://127.0.0.1:7443', caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey, cluster: 'k8ts', user: 'admin', context: 'k8ts' });
    const kc2 = parse(await readFile(file, 'utf8'));
    assert.equal(kc2['current-context'], 'k8ts');
    assert.deepEqual(kc2.contexts, [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'admin' } }]);
    assert.equal(kc2.clusters[0].cluster.server, 'https://127.0.0.1:7443');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  }));
