// events.k8s.io/v1 Event, served from core v1 Event storage: the same objects under the newer
// field names (note for message, regarding for involvedObject, deprecatedCount for count, ...).
import { int32, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1123Subdomain, validateQualifiedName } from '../../../machinery/names.js';
import { META } from '../../meta/v1.js';
import type { KObject, ResourceDef } from '../../resource.js';
import { deepEqual, immutable, isObj, kindSchema, o } from '../../apps/v1/common.js';
import { MICRO_TIME } from '../../coordination/v1/lease.js';
import { eventColumns, eventRow } from '../../core/v1/event-printer.js';

const E = 'io.k8s.api.events.v1';
export const EVENT = `${E}.Event`;
const OBJECT_REFERENCE = 'io.k8s.api.core.v1.ObjectReference';

export const definitions: Record<string, Schema> = {
  [EVENT]: kindSchema('events.k8s.io', 'v1', 'Event', {
    eventTime: ref(MICRO_TIME, 'When the event was first observed.'),
    series: ref(`${E}.EventSeries`, 'Present when the event recurs: how often and when last.'),
    reportingController: str('The controller that emitted the event, e.g. kubernetes.io/kubelet.'),
    reportingInstance: str('The instance of that controller, e.g. kubelet-node1.'),
    action: str('What the controller did or failed to do, e.g. Binding.'),
    reason: str('Why, in one CamelCase word, e.g. FailedScheduling.'),
    regarding: ref(OBJECT_REFERENCE, 'The object the event is about.'),
    related: ref(OBJECT_REFERENCE, 'A second object involved, e.g. the node of a scheduling event.'),
    note: str('Human-readable description, at most 1kB.'),
    type: str('Normal or Warning.'),
    deprecatedSource: ref('io.k8s.api.core.v1.EventSource', 'Deprecated: the core/v1 source.'),
    deprecatedFirstTimestamp: ref(META.Time, 'Deprecated: the core/v1 firstTimestamp.'),
    deprecatedLastTimestamp: ref(META.Time, 'Deprecated: the core/v1 lastTimestamp.'),
    deprecatedCount: int32('Deprecated: the core/v1 count.'),
  }, 'A report of something that happened in the cluster, kept for a limited time (one hour by default).', ['eventTime']),
  [`${E}.EventSeries`]: obj({
    count: int32('How many times the event has occurred.'),
    lastObservedTime: ref(MICRO_TIME, 'When it last occurred.'),
  }, { description: 'A recurring event.', required: ['count', 'lastObservedTime'] }),
};

/** events.k8s.io name → core v1 name; the others are the same in both. */
const RENAMED: Array<[string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];
const SAME = ['reason', 'type', 'eventTime', 'series', 'action', 'related', 'reportingInstance'];
/** Fields events.k8s.io omits when empty. */
const OMIT_EMPTY = new Set(['reportingController', 'reportingInstance', 'action', 'reason', 'note', 'type']);

const copy = <T>(v: T): T => (v === undefined || v === null ? v : structuredClone(v));

export function eventToCore(ev: KObject): KObject {
  const out: KObject = { apiVersion: 'v1', kind: 'Event', metadata: structuredClone(ev.metadata) };
  for (const [from, to] of RENAMED) if (ev[from] !== undefined) out[to] = copy(ev[from]);
  for (const k of SAME) if (ev[k] !== undefined) out[k] = copy(ev[k]);
  // core/v1 always carries these two, empty when unset.
  out.reportingComponent ??= '';
  out.reportingInstance ??= '';
  out.involvedObject ??= {};
  return out;
}

export function eventFromCore(core: KObject): KObject {
  const out: KObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: structuredClone(core.metadata) };
  for (const [to, from] of RENAMED) if (core[from] !== undefined) out[to] = copy(core[from]);
  for (const k of SAME) if (core[k] !== undefined) out[k] = copy(core[k]);
  for (const k of OMIT_EMPTY) if (out[k] === '') delete out[k];
  if (out.deprecatedCount === 0) delete out.deprecatedCount;
  if (isObj(out.deprecatedSource) && !out.deprecatedSource.component && !out.deprecatedSource.host) delete out.deprecatedSource;
  if (isObj(out.regarding) && Object.keys(out.regarding).length === 0) delete out.regarding;
  return out;
}

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

function validateSeries(ev: KObject): FieldError[] {
  if (!isObj(ev.series)) return [];
  const errs: FieldError[] = [];
  if (!(typeof ev.series.count === 'number' && ev.series.count >= 2)) errs.push(field.invalid('series.count', '', 'should be at least 2'));
  if (!ev.series.lastObservedTime) errs.push(field.required('series.lastObservedTime'));
  return errs;
}

export function validateEvent(ev: KObject, old?: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata.namespace ?? '';
  const regardingNs = o(ev.regarding).namespace ?? '';
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  if (!regardingNs && ns !== 'default' && ns !== 'kube-system') errs.push(field.invalid('involvedObject.namespace', regardingNs, 'does not match event.namespace'));
  const controller = str(ev.reportingController);
  if (!controller) errs.push(field.required('reportingController'));
  for (const msg of validateQualifiedName(controller)) errs.push(field.invalid('reportingController', controller, msg));
  const instance = str(ev.reportingInstance);
  if (!instance) errs.push(field.required('reportingInstance'));
  if (instance.length > REPORTING_INSTANCE_LIMIT) errs.push(field.invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
  const action = str(ev.action);
  if (!action) errs.push(field.required('action'));
  if (action.length > ACTION_LIMIT) errs.push(field.invalid('action', '', `can have at most ${ACTION_LIMIT} characters`));
  const reason = str(ev.reason);
  if (!reason) errs.push(field.required('reason'));
  if (reason.length > REASON_LIMIT) errs.push(field.invalid('reason', '', `can have at most ${REASON_LIMIT} characters`));
  if (str(ev.note).length > NOTE_LIMIT) errs.push(field.invalid('note', '', `can have at most ${NOTE_LIMIT} characters`));
  for (const msg of validateDNS1123Subdomain(ns)) errs.push(field.invalid('namespace', ns, msg));

  if (!old) {
    errs.push(...validateSeries(ev));
    if (!ev.eventTime) errs.push(field.required('eventTime'));
    if (ev.type !== 'Normal' && ev.type !== 'Warning') errs.push(field.invalid('type', '', `has invalid value: ${str(ev.type)}`));
    if (ev.deprecatedFirstTimestamp) errs.push(field.invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
    if (ev.deprecatedLastTimestamp) errs.push(field.invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
    if (ev.deprecatedCount) errs.push(field.invalid('deprecatedCount', '', 'needs to be unset'));
    const src = o(ev.deprecatedSource);
    if (src.component || src.host) errs.push(field.invalid('deprecatedSource', '', 'needs to be unset'));
    return errs;
  }
  if (!deepEqual(ev.series ?? null, old.series ?? null)) errs.push(...validateSeries(ev));
  const same = (k: string, path = k) => immutable(ev[k] ?? null, old[k] ?? null, path, () => JSON.stringify(ev[k] ?? null));
  errs.push(...same('regarding'), ...same('reason'), ...same('note'), ...same('deprecatedSource'), ...same('deprecatedFirstTimestamp'),
    ...same('deprecatedLastTimestamp'), ...same('deprecatedCount'), ...same('type'), ...same('eventTime'), ...same('action'),
    ...same('related'), ...same('reportingController'), ...same('reportingInstance'));
  return errs;
}

export const events: ResourceDef = {
  group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', singular: 'event',
  namespaced: true, shortNames: ['ev'], schemaName: EVENT,
  tracksGeneration: false,
  validate: (ev, { old }) => validateEvent(ev, old),
  columns: eventColumns,
  // Printed in the core form, with the core printer.
  row: (ev, now) => eventRow(eventToCore(ev), now),
  // Field selectors use the events.k8s.io names (regarding.*); the core names work too, as both
  // select on the same stored fields.
  selectableFields(ev) {
    const r = o(ev.regarding);
    const fields: Record<string, string> = {
      reason: String(ev.reason ?? ''), type: String(ev.type ?? ''),
      reportingController: String(ev.reportingController ?? ''), reportingComponent: String(ev.reportingController ?? ''),
      source: String(o(ev.deprecatedSource).component ?? ''),
    };
    for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) {
      fields[`regarding.${k}`] = String(r[k] ?? '');
      fields[`involvedObject.${k}`] = String(r[k] ?? '');
    }
    return fields;
  },
  storage: { group: '', version: 'v1', toStorage: eventToCore, fromStorage: eventFromCore },
};
