// Service account tokens: `kubectl create token` issues one, and it authenticates as the account.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { kubectl, startServer, type TestServer } from '../helpers/cluster.js';

/** A kubeconfig for the same cluster whose user is only a bearer token. */
async function tokenKubeconfig(server: TestServer, token: string): Promise<string> {
  const cfg = parse(await readFile(server.kubeconfig, 'utf8'));
  cfg.users = [{ name: 'default', user: { token } }];
  const file = join(server.dataDir, `token-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, stringify(cfg), { mode: 0o600 });
  return file;
}

describe('service account tokens', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    await server.kubectl(['create', 'serviceaccount', 'robot']);
  });
  after(() => server.stop());

  it('kubectl create token issues a token that authenticates as the service account', async () => {
    const { stdout } = await server.kubectl(['create', 'token', 'robot', '--duration=10m']);
    const token = stdout.trim();
    assert.equal(token.split('.').length, 3, 'a JWT');
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(claims.sub, 'system:serviceaccount:default:robot');
    assert.ok(claims.exp - claims.iat >= 600 && claims.exp - claims.iat <= 700);
    // Authenticate with only the token (no client certificate).
    const who = await kubectl(await tokenKubeconfig(server, token), ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username} {.status.userInfo.groups}']);
    assert.equal(who.stdout, 'system:serviceaccount:default:robot ["system:serviceaccounts","system:serviceaccounts:default","system:authenticated"]');
  });

  it('refuses a tampered token and a token for a missing account', async () => {
    const { stdout } = await server.kubectl(['create', 'token', 'robot']);
    const [h, , s] = stdout.trim().split('.');
    const forged = [h, Buffer.from(JSON.stringify({ sub: 'system:admin' })).toString('base64url'), s].join('.');
    const r = await kubectl(await tokenKubeconfig(server, forged), ['get', 'pods'], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Unauthorized|provide credentials/);
    const missing = await server.kubectl(['create', 'token', 'ghost'], { allowFail: true });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /serviceaccounts "ghost" not found/);
  });

  it('a token goes with the pod it is bound to, and with its account', async () => {
    await server.kubectl(['create', 'serviceaccount', 'worker']);
    await server.kubectl(['run', 'holder', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"worker"}}']);
    const whoami = async (token: string) =>
      kubectl(await tokenKubeconfig(server, token), ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { allowFail: true });
    const bound = (await server.kubectl(['create', 'token', 'worker', '--bound-object-kind=Pod', '--bound-object-name=holder'])).stdout.trim();
    const unbound = (await server.kubectl(['create', 'token', 'worker'])).stdout.trim();
    assert.equal((await whoami(bound)).stdout, 'system:serviceaccount:default:worker');

    // Deleted, then made again under the same name: the token named the old pod's UID.
    await server.kubectl(['delete', 'pod', 'holder', '--grace-period=0', '--force']);
    await server.kubectl(['run', 'holder', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"worker"}}']);
    const refused = await whoami(bound);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Unauthorized|provide credentials/);
    assert.equal((await whoami(unbound)).stdout, 'system:serviceaccount:default:worker', 'a token bound to no pod still works');

    await server.kubectl(['delete', 'serviceaccount', 'worker']);
    assert.notEqual((await whoami(unbound)).code, 0, 'nor once its account is gone');
  });

  it('a pod-bound token asked for 3607 s is valid for a year and says when it should have been renewed', async () => {
    await server.kubectl(['run', 'keeper', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"robot"}}']);
    const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    const request = async (expirationSeconds: number, boundToPod: boolean) => {
      const body = JSON.stringify({
        apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
        spec: { expirationSeconds, ...(boundToPod ? { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'keeper' } } : {}) },
      });
      const out = await server.kubectl(['create', '--raw', '/api/v1/namespaces/default/serviceaccounts/robot/token', '-f', '-'], { input: body });
      return JSON.parse(out.stdout) as { status: { token: string; expirationTimestamp: string } };
    };
    const extended = await request(3607, true);
    const c = claimsOf(extended.status.token);
    assert.equal(c.exp - c.iat, 365 * 24 * 3600);
    assert.equal(c['kubernetes.io'].warnafter, c.iat + 3607);
    // The status still says an hour and 7 s: the kubelet renews the token on that schedule.
    const statusS = Date.parse(extended.status.expirationTimestamp) / 1000 - c.iat;
    assert.ok(statusS >= 3606 && statusS <= 3608, `status expiration ${statusS} s after issue`);
    // Any other duration, or a token bound to no pod, is issued as asked.
    for (const [seconds, bound] of [[3600, true], [3607, false]] as const) {
      const other = claimsOf((await request(seconds, bound)).status.token);
      assert.equal(other.exp - other.iat, seconds);
      assert.equal(other['kubernetes.io'].warnafter, undefined);
    }
  });
});
