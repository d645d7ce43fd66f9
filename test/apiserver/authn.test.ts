import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensurePki, issueClientCert, type Pki } from '../../src/apiserver/pki.js';
import {
  authenticate, loadOrCreateToken, parseJoinToken, joinTokenMatches, tokenTrustsCA, caHash, type UserInfo,
} from '../../src/apiserver/authn.js';

let dir: string;
let pki: Pki;
let server: Server;
let port: number;
let anonymous = false;
const tokens: Record<string, UserInfo> = {
  'sekrit-token': { user: 'system:serviceaccount:default:builder', groups: ['system:serviceaccounts'], uid: 'u-123' },
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-authn-'));
  pki = await ensurePki(dir);
  server = createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const who = authenticate(req, { tokens: (t) => tokens[t] ?? null, anonymous });
    res.writeHead(who ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(who));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

function whoami(opts: { cert?: string; key?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path: '/version', servername: 'localhost', ca: pki.caCert, agent: false,
      cert: opts.cert, key: opts.key, headers: opts.headers,
    }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(body) }));
    });
    req.on('error', reject).end();
  });
}

test('the admin client certificate authenticates as system:admin in system:masters', async () => {
  const r = await whoami({ cert: pki.adminCert, key: pki.adminKey });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { user: 'system:admin', groups: ['system:masters', 'system:authenticated'] });
});

test('a node certificate authenticates as system:node:<name> in system:nodes', async () => {
  const node = await issueClientCert(pki, { commonName: 'system:node:worker-1', organizations: ['system:nodes'] });
  const r = await whoami(node);
  assert.deepEqual(r.body, { user: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] });
});

test('several organizations all become groups', async () => {
  const c = await issueClientCert(pki, { commonName: 'jane', organizations: ['dev', 'ops'] });
  const r = await whoami(c);
  assert.deepEqual(r.body, { user: 'jane', groups: ['dev', 'ops', 'system:authenticated'] });
});

test('no credentials: null (401), or system:anonymous when anonymous auth is on', async () => {
  assert.deepEqual(await whoami(), { status: 401, body: null });
  anonymous = true;
  try {
    assert.deepEqual(await whoami(), { status: 200, body: { user: 'system:anonymous', groups: ['system:unauthenticated'] } });
  } finally {
    anonymous = false;
  }
});

test('a known bearer token authenticates as the user of the token table', async () => {
  const r = await whoami({ headers: { authorization: 'Bearer sekrit-token' } });
  assert.deepEqual(r.body, {
    user: 'system:serviceaccount:default:builder', groups: ['system:serviceaccounts', 'system:authenticated'], uid: 'u-123',
  });
});

test('an unknown bearer token is refused even when anonymous auth is on; an empty one counts as none', async () => {
  anonymous = true;
  try {
    assert.equal((await whoami({ headers: { authorization: 'Bearer wrong' } })).status, 401);
    assert.deepEqual((await whoami({ headers: { authorization: 'Bearer ' } })).body, { user: 'system:anonymous', groups: ['system:unauthenticated'] });
  } finally {
    anonymous = false;
  }
});

test('a certificate from another CA is refused, and does not fall back to the token', async () => {
  const otherDir = await mkdtemp(join(tmpdir(), 'k8ts-authn-other-'));
  try {
    const other = await ensurePki(otherDir);
    const r = await whoami({ cert: other.adminCert, key: other.adminKey, headers: { authorization: 'Bearer sekrit-token' } });
    assert.equal(r.status, 401);
  } finally {
    await rm(otherDir, { recursive: true, force: true });
  }
});

test('the join token is k3s-shaped, private, stable across restarts, and follows a CA change', async () => {
  const token = await loadOrCreateToken(dir);
  assert.match(token, /^K10[0-9a-f]{64}::server:[0-9a-f]{32}$/);
  assert.equal(parseJoinToken(token).caHash, caHash(pki.caCert));
  assert.equal((await stat(join(dir, 'token'))).mode & 0o777, 0o600);
  assert.equal(await loadOrCreateToken(dir), token);
  assert.equal((await readFile(join(dir, 'token'), 'utf8')).trim(), token);
  assert.ok(tokenTrustsCA(token, pki.caCert));
  assert.ok(!tokenTrustsCA(token, 'some other CA'));

  // Agents may be given the bare secret.
  const secret = parseJoinToken(token).secret;
  assert.ok(joinTokenMatches(secret, token));
  assert.ok(joinTokenMatches(token, token));
  assert.ok(!joinTokenMatches('0'.repeat(32), token));

  const moved = await loadOrCreateToken(dir, 'a replaced CA');
  assert.equal(parseJoinToken(moved).secret, secret);
  assert.equal(parseJoinToken(moved).caHash, caHash('a replaced CA'));
});

test('a token written by hand is kept and completed with the CA hash', async () => {
  const d = await mkdtemp(join(tmpdir(), 'k8ts-token-'));
  try {
    await writeFile(join(d, 'token'), 'my-shared-secret\n');
    const t = await loadOrCreateToken(d, pki.caCert);
    assert.equal(t, `K10${caHash(pki.caCert)}::server:my-shared-secret`);
    await assert.rejects(loadOrCreateToken(join(d, 'nothing-here')), /ensurePki/);
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});
