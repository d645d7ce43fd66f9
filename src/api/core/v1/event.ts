// core/v1 Event: a report of something that happened to an object (kubectl get events, describe).
import { int32, obj, str, time, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateQualifiedName } from '../../../machinery/names.js';
import type { KObject, ResourceDef } from '../../resource.js';
import { core, cref, kindObj } from './common.js';
import { eventColumns, eventRow } from './event-printer.js';
import { isObj, strOf, type O } from './validation.js';

const micro = (d: string) => time({ description: d, format: 'date-time' });

export const definitions: Record<string, Schema> = {
  [core('Event')]: kindObj('', 'Event', {
    involvedObject: cref('ObjectReference', 'The object the event is about.'),
    reason: str('Why the event happened, one CamelCase word, e.g. Scheduled, Pulled, BackOff.'),
    message: str('What happened, for people.'),
    source: cref('EventSource', 'The component that reported the event.'),
    firstTimestamp: time('When the event was first recorded.'),
    lastTimestamp: time('When the event was last recorded.'),
    count: int32('How many times the event has occurred.'),
    type: str('Normal or Warning.'),
    eventTime: micro('When the event first happened, with microseconds (events.k8s.io events).'),
    series: cref('EventSeries', 'For repeating events: how often and until when.'),
    action: str('What the reporter did or failed to do.'),
    related: cref('ObjectReference', 'A second object involved, e.g. the node of a pod event.'),
    reportingComponent: str('The controller that reported the event, e.g. kubernetes.io/kubelet.'),
    reportingInstance: str('The instance of that controller, e.g. kubelet-node1.'),
  }, 'A report of an event somewhere in the cluster; kept for about an hour.', ['metadata', 'involvedObject']),
  [core('EventSource')]: obj({
    component: str('Component that reported the event.'),
    host: str('Node on which it was reported.'),
  }, 'Where an event came from.'),
  [core('EventSeries')]: obj({
    count: int32('Occurrences so far.'),
    lastObservedTime: micro('When the last occurrence happened.'),
  }, 'A series of repeating events.'),
};

/** Kubernetes' legacy event validation, which core/v1 events go through. */
export function validateEvent(ev: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata.namespace ?? '';
  const io: O = isObj(ev.involvedObject) ? ev.involvedObject : {};
  const ioNs = strOf(io.namespace);
  const mismatch = () => field.invalid('involvedObject.namespace', ioNs, 'does not match event.namespace');
  if (!ev.eventTime) {
    if (!ioNs) {
      if (ns !== '' && ns !== 'default') errs.push(mismatch());
    } else if (ns !== ioNs) {
      errs.push(mismatch());
    }
  } else {
    if (!ioNs && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const rc = strOf(ev.reportingComponent);
    if (!rc) errs.push(field.required('reportingComponent'));
    for (const m of validateQualifiedName(rc)) errs.push(field.invalid('reportingComponent', rc, m));
    const limit = (k: string, max: number, required: boolean) => {
      const v = strOf(ev[k]);
      if (required && !v) errs.push(field.required(k));
      if (v.length > max) errs.push(field.invalid(k, '', `can have at most ${max} characters`));
    };
    limit('reportingInstance', 128, true);
    limit('action', 128, true);
    limit('reason', 128, true);
    limit('message', 1024, false);
  }
  return errs;
}

export const events: ResourceDef = {
  group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event', namespaced: true,
  shortNames: ['ev'], schemaName: core('Event'),
  validate: (ev) => validateEvent(ev),
  columns: eventColumns,
  row: eventRow,
  selectableFields(ev) {
    const io: O = isObj(ev.involvedObject) ? ev.involvedObject : {};
    const out: Record<string, string> = {};
    for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) out[`involvedObject.${k}`] = strOf(io[k]);
    out.reason = strOf(ev.reason);
    out.reportingComponent = strOf(ev.reportingComponent);
    out.source = strOf(isObj(ev.source) ? ev.source.component : '');
    out.type = strOf(ev.type);
    return out;
  },
};
