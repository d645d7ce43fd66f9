// The status manager writes a pod's status only when it changed, and recognises its own write
// when the informer brings it back (the kubelet does not sync a pod for that echo).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RestClient } from '../../../src/client/index.js';
import { StatusManager } from '../../../src/kubelet/status/status-manager.js';
import type { Pod, PodStatus } from '../../../src/kubelet/types.js';

/** An API server holding one pod: updateStatus bumps its resourceVersion, as the real one does. */
function fakeServer(pod: Pod) {
  let current: Pod = structuredClone(pod);
  let writes = 0;
  const client = {
    async updateStatus(_res: unknown, _ns: string, obj: Pod) {
      writes++;
      current = { ...structuredClone(obj), metadata: { ...obj.metadata, resourceVersion: String(Number(current.metadata.resourceVersion) + 1) } };
      return structuredClone(current);
    },
    async get() {
      return structuredClone(current);
    },
  } as unknown as RestClient;
  return { client, writes: () => writes, current: () => current, otherWrite(status: PodStatus) {
    current = { ...current, metadata: { ...current.metadata, resourceVersion: String(Number(current.metadata.resourceVersion) + 1) }, status };
    return structuredClone(current);
  } };
}

const pod: Pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'uid-1', resourceVersion: '5' },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
  status: { phase: 'Pending' },
};

test('its own write, seen again, is recognised; anybody else\'s later change is not', async () => {
  const server = fakeServer(pod);
  const sm = new StatusManager({ client: server.client, now: () => Date.parse('2026-01-01T00:00:00Z') });
  assert.equal(sm.isOwnWrite(pod), false, 'nothing written yet');
  const written = await sm.setStatus(pod, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] });
  assert.ok(written);
  assert.equal(server.writes(), 1);
  assert.equal(sm.isOwnWrite(written), true);
  assert.equal(sm.isOwnWrite(pod), false, 'the copy from before the write');
  const changed = server.otherWrite({ ...written.status, conditions: [...(written.status?.conditions ?? []), { type: 'example.com/gate', status: 'True' }] });
  assert.equal(sm.isOwnWrite(changed), false, 'a readiness gate set by someone else');
  assert.equal(await sm.setStatus(written, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }), undefined, 'an unchanged status is not written again');
  sm.forget('uid-1');
  assert.equal(sm.isOwnWrite(written), false);
});
