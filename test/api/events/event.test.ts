import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW, update } from '../apps/helpers.js';

const events = def('events.k8s.io', 'events');

const scheduled = (): any => ({
  apiVersion: 'events.k8s.io/v1', kind: 'Event',
  metadata: { name: 'web-1.17f0', namespace: 'default', creationTimestamp: ago(40) },
  eventTime: '2025-01-01T11:59:20.123456Z',
  reportingController: 'default-scheduler', reportingInstance: 'default-scheduler-node-1',
  action: 'Binding', reason: 'Scheduled', type: 'Normal',
  regarding: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u1', apiVersion: 'v1' },
  related: { kind: 'Node', name: 'node-1', apiVersion: 'v1' },
  note: 'Successfully assigned default/web-1 to node-1',
});

test('events.k8s.io/v1 is stored as a core v1 Event with the old field names', () => {
  const ev = scheduled();
  ev.series = { count: 3, lastObservedTime: '2025-01-01T11:59:50.000000Z' };
  const core = events.storage!.toStorage(clone(ev));
  assert.equal(core.apiVersion, 'v1');
  assert.deepEqual(core.involvedObject, ev.regarding);
  assert.equal(core.message, ev.note);
  assert.equal(core.reportingComponent, 'default-scheduler');
  assert.equal(core.reportingInstance, 'default-scheduler-node-1');
  assert.deepEqual(core.series, ev.series);
  assert.equal(core.note, undefined);
  assert.deepEqual(events.storage!.fromStorage(core), ev);
  assert.deepEqual(events.storage!.group, '');
});

test('a core v1 Event reads as events.k8s.io/v1 with deprecated* fields', () => {
  const core: any = {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'x.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'x', namespace: 'default' }, reason: 'Pulled', message: 'Image pulled',
    source: { component: 'kubelet', host: 'node-1' }, firstTimestamp: ago(100), lastTimestamp: ago(10), count: 4, type: 'Normal',
    eventTime: null, reportingComponent: '', reportingInstance: '',
  };
  const ev = events.storage!.fromStorage(clone(core));
  assert.deepEqual(ev, {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: core.metadata,
    regarding: core.involvedObject, reason: 'Pulled', note: 'Image pulled', deprecatedSource: core.source,
    deprecatedFirstTimestamp: core.firstTimestamp, deprecatedLastTimestamp: core.lastTimestamp, deprecatedCount: 4, type: 'Normal', eventTime: null,
  });
  assert.deepEqual(events.storage!.toStorage(ev), core);
});

test('events created through events.k8s.io/v1 follow its stricter rules', () => {
  assert.deepEqual(create(events, scheduled()), []);
  const bad = scheduled();
  delete bad.eventTime;
  delete bad.reportingController;
  bad.type = 'Info';
  bad.deprecatedCount = 2;
  bad.series = { count: 1 };
  const errs = create(events, bad);
  // As in Kubernetes, an empty controller is both missing and not a qualified name.
  assert.equal(errs[0], 'reportingController: Required value');
  assert.ok(errs[1].startsWith('reportingController: Invalid value: "": name part must be non-empty'));
  assert.deepEqual(errs.filter((e) => !e.startsWith('reportingController')), [
    'series.count: Invalid value: "": should be at least 2',
    'series.lastObservedTime: Required value',
    'eventTime: Required value',
    'type: Invalid value: "": has invalid value: Info',
    'deprecatedCount: Invalid value: "": needs to be unset',
  ]);
  const old = scheduled();
  const next = clone(old);
  next.note = 'changed';
  next.series = { count: 2, lastObservedTime: '2025-01-01T11:59:59.000000Z' };
  assert.deepEqual(update(events, next, old), ['note: Invalid value: "changed": field is immutable']);
});

test('events print like kubectl get events, from the core form', () => {
  assert.deepEqual(events.columns!.map((c) => [c.name, c.priority]), [
    ['Last Seen', 0], ['Type', 0], ['Reason', 0], ['Object', 0], ['Subobject', 1], ['Source', 1], ['Message', 0], ['First Seen', 1], ['Count', 1], ['Name', 1],
  ]);
  const ev = scheduled();
  assert.deepEqual(cells(events, ev, NOW), {
    'Last Seen': '39s', Type: 'Normal', Reason: 'Scheduled', Object: 'pod/web-1', Subobject: '',
    Source: 'default-scheduler, default-scheduler-node-1', Message: 'Successfully assigned default/web-1 to node-1', 'First Seen': '39s', Count: 1, Name: 'web-1.17f0',
  });
  ev.series = { count: 5, lastObservedTime: ago(2) };
  const c = cells(events, ev, NOW);
  assert.deepEqual([c['Last Seen'], c.Count], ['2s', 5]);
  assert.equal(events.selectableFields!(ev)['regarding.name'], 'web-1');
  assert.equal(events.selectableFields!(ev)['involvedObject.kind'], 'Pod');
});
