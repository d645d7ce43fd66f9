// Events: the namespace rule, new-style event requirements, and the `kubectl get events` row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../../../src/api/core/v1/index.js';
import type { KObject } from '../../../../src/api/resource.js';

const events = resources.find((r) => r.plural === 'events')!;
const NOW = Date.parse('2025-01-01T12:00:00Z');

function event(fields: Record<string, unknown>, ns = 'default'): KObject {
  return {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.17f', namespace: ns, creationTimestamp: '2025-01-01T11:50:00Z' },
    involvedObject: { kind: 'Pod', namespace: ns, name: 'web', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled', message: 'Successfully pulled image "nginx"\n', type: 'Normal',
    source: { component: 'kubelet', host: 'node1' },
    firstTimestamp: '2025-01-01T11:50:00Z', lastTimestamp: '2025-01-01T11:58:00Z', count: 3, ...fields,
  } as KObject;
}

test('rows: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE and the wide columns', () => {
  assert.deepEqual(events.columns!.filter((c) => c.priority === 0).map((c) => c.name), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
  assert.deepEqual(events.row!(event({}), NOW), ['2m', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'kubelet, node1', 'Successfully pulled image "nginx"', '10m', 3, 'web.17f']);
  const newStyle = event({
    firstTimestamp: undefined, lastTimestamp: undefined, count: undefined, source: undefined,
    eventTime: '2025-01-01T11:59:30.000000Z', reportingComponent: 'default-scheduler', reportingInstance: 'sched-1', action: 'Binding',
    series: { count: 4, lastObservedTime: '2025-01-01T11:59:50.000000Z' },
  });
  assert.deepEqual(events.row!(newStyle, NOW), ['10s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'default-scheduler, sched-1', 'Successfully pulled image "nginx"', '30s', 4, 'web.17f']);
});

test('the involved object\'s namespace must match the event\'s', () => {
  assert.deepEqual(events.validate!(event({}), {}), []);
  const other = event({ involvedObject: { kind: 'Pod', namespace: 'other', name: 'web' } });
  assert.deepEqual(events.validate!(other, {}).map((e) => `${e.field}: ${e.message}`), ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  const node = event({ involvedObject: { kind: 'Node', name: 'node1' } });
  assert.deepEqual(events.validate!(node, {}), []);
});

test('new-style events need their reporter and action', () => {
  const e = event({ eventTime: '2025-01-01T11:59:30.000000Z', reason: '' });
  assert.deepEqual(events.validate!(e, {}).map((x) => `${x.field}: ${x.message.split(':')[0]}`), [
    'reportingComponent: Required value',
    // the empty name is also not a qualified name, twice over (empty, and not matching the pattern)
    'reportingComponent: Invalid value',
    'reportingComponent: Invalid value',
    'reportingInstance: Required value',
    'action: Required value',
    'reason: Required value',
  ]);
});

test('field selectors used by kubectl describe', () => {
  const f = events.selectableFields!(event({}));
  assert.equal(f['involvedObject.name'], 'web');
  assert.equal(f['involvedObject.kind'], 'Pod');
  assert.equal(f['involvedObject.namespace'], 'default');
  assert.equal(f.source, 'kubelet');
  assert.equal(f.type, 'Normal');
  assert.equal(f.reason, 'Pulled');
});
