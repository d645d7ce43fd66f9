// The kubelet's service account tokens: when they are renewed, what is cached, and what a failed
// renewal leaves behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requiresRefresh, TokenManager, MAX_TTL_MS, type IssuedToken, type TokenRequestSpec } from '../../../src/kubelet/token/token-manager.js';

const H = 3600_000;

test('a token is renewed once 80% of its lifetime has passed, or after 24 h, a little earlier with jitter', () => {
  const t0 = 1_700_000_000_000;
  const hour: IssuedToken = { token: 't', expiresAt: t0 + H, expirationSeconds: 3600 };
  assert.equal(requiresRefresh(hour, t0, 0), false);
  assert.equal(requiresRefresh(hour, t0 + 0.79 * H, 0), false);
  assert.equal(requiresRefresh(hour, t0 + 0.81 * H, 0), true);
  // Jitter moves the renewal earlier by up to 10 s.
  assert.equal(requiresRefresh(hour, t0 + 0.8 * H - 5_000, 0), false);
  assert.equal(requiresRefresh(hour, t0 + 0.8 * H - 5_000, 9_000), true);
  const week: IssuedToken = { token: 't', expiresAt: t0 + 7 * 24 * H, expirationSeconds: 7 * 24 * 3600 };
  assert.equal(requiresRefresh(week, t0 + MAX_TTL_MS - 1000, 0), false);
  assert.equal(requiresRefresh(week, t0 + MAX_TTL_MS + 1000, 0), true, 'no token lives past a day without renewal');
});

function fakeServer() {
  let now = 1_700_000_000_000;
  let n = 0;
  let failing: Error | undefined;
  const calls: Array<{ namespace: string; serviceAccount: string; spec: TokenRequestSpec }> = [];
  const manager = new TokenManager({
    now: () => now,
    jitterMs: () => 0,
    async request(namespace, serviceAccount, spec) {
      calls.push({ namespace, serviceAccount, spec });
      await new Promise((r) => setTimeout(r, 5));
      if (failing) throw failing;
      n++;
      return { token: `token-${n}`, expiresAt: now + spec.expirationSeconds * 1000, expirationSeconds: spec.expirationSeconds };
    },
  });
  return {
    manager, calls,
    advance: (ms: number) => (now += ms),
    fail: (err?: Error) => (failing = err),
  };
}

const pod = { name: 'web', uid: 'uid-1' };

test('one TokenRequest per pod and audience, bound to the pod, reused until it is due', async () => {
  const s = fakeServer();
  assert.equal(await s.manager.get('ns', 'default', pod, undefined, 3607), 'token-1');
  assert.deepEqual(s.calls[0], {
    namespace: 'ns', serviceAccount: 'default',
    spec: { expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'uid-1' } },
  });
  s.advance(0.5 * H);
  assert.equal(await s.manager.get('ns', 'default', pod, undefined, 3607), 'token-1', 'cached');
  assert.equal(await s.manager.get('ns', 'default', pod, ['vault'], 3607), 'token-2', 'another audience is another token');
  assert.deepEqual(s.calls[1].spec.audiences, ['vault']);
  assert.equal(await s.manager.get('ns', 'default', { name: 'other', uid: 'uid-2' }, undefined, 3607), 'token-3', 'another pod is another token');
  s.advance(0.35 * H);
  assert.equal(await s.manager.get('ns', 'default', pod, undefined, 3607), 'token-4', 'renewed past 80%');
  assert.equal(s.calls.length, 4);
});

test('concurrent syncs share one request', async () => {
  const s = fakeServer();
  const got = await Promise.all([1, 2, 3].map(() => s.manager.get('ns', 'default', pod, undefined, 600)));
  assert.deepEqual(got, ['token-1', 'token-1', 'token-1']);
  assert.equal(s.calls.length, 1);
});

test('a failed renewal keeps the valid token; without one, or once it expired, the error shows', async () => {
  const s = fakeServer();
  s.fail(new Error('serviceaccounts "default" not found'));
  await assert.rejects(s.manager.get('ns', 'default', pod, undefined, 600), { message: 'failed to fetch token: serviceaccounts "default" not found' });
  s.fail();
  assert.equal(await s.manager.get('ns', 'default', pod, undefined, 600), 'token-1');
  s.advance(0.9 * 600_000);
  s.fail(new Error('connection refused'));
  assert.equal(await s.manager.get('ns', 'default', pod, undefined, 600), 'token-1', 'still valid');
  s.advance(0.2 * 600_000);
  await assert.rejects(s.manager.get('ns', 'default', pod, undefined, 600), /expired and refresh failed: connection refused/);
});

test('tokens of a pod that is gone are forgotten, and expired ones collected', async () => {
  const s = fakeServer();
  await s.manager.get('ns', 'default', pod, undefined, 600);
  await s.manager.get('ns', 'default', { name: 'b', uid: 'uid-2' }, undefined, 600);
  s.manager.deletePod('uid-1');
  assert.equal(s.manager.size, 1);
  s.advance(601_000);
  s.manager.gc();
  assert.equal(s.manager.size, 0);
});
