// The columns of `kubectl get events`. events.k8s.io/v1 Events print the same rows, computed on
// their core v1 form, as kube-apiserver prints both through one printer.
import { age } from '../../printers.js';
import type { Column, KObject } from '../../resource.js';
import { col, nameColumn } from './common.js';
import { isObj, strOf, type O } from './validation.js';

export const eventColumns: Column[] = [
  col('Last Seen', 'string', 'Time since the event was last seen.'),
  col('Type', 'string', 'Normal or Warning.'),
  col('Reason', 'string', 'Why the event happened.'),
  col('Object', 'string', 'The object the event is about.'),
  col('Subobject', 'string', 'The part of the object, e.g. a container.', 1),
  col('Source', 'string', 'The component that reported the event.', 1),
  col('Message', 'string', 'What happened.'),
  col('First Seen', 'string', 'Time since the event was first seen.', 1),
  col('Count', 'string', 'How many times the event occurred.', 1),
  { ...nameColumn, priority: 1 },
];

const since = (t: unknown, now: number) => age(typeof t === 'string' ? t : undefined, now);

/** The cells of a core v1 Event under `eventColumns`. */
export function eventRow(ev: KObject, now: number): unknown[] {
  const io: O = isObj(ev.involvedObject) ? ev.involvedObject : {};
  const src: O = isObj(ev.source) ? ev.source : {};
  const series: O | undefined = isObj(ev.series) ? ev.series : undefined;
  const first = ev.firstTimestamp ? since(ev.firstTimestamp, now) : since(ev.eventTime, now);
  let last = ev.lastTimestamp ? since(ev.lastTimestamp, now) : first;
  let count = typeof ev.count === 'number' ? ev.count : 0;
  if (series) {
    last = since(series.lastObservedTime, now);
    count = typeof series.count === 'number' ? series.count : 0;
  } else if (count === 0) {
    count = 1;
  }
  const kind = strOf(io.kind).toLowerCase();
  const target = io.name ? `${kind}/${io.name}` : kind;
  const component = strOf(src.component) || strOf(ev.reportingComponent);
  const host = strOf(src.host) || strOf(ev.reportingInstance);
  return [
    last, strOf(ev.type), strOf(ev.reason), target, strOf(io.fieldPath), host ? `${component}, ${host}` : component,
    strOf(ev.message).trim(), first, count, ev.metadata.name,
  ];
}
