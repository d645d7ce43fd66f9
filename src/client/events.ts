// Recording core/v1 Events as client-go's tools/record does. A recorder turns (object, type,
// reason, message) into an Event; one broadcaster per process writes them in the background,
// after a correlator has
// - dropped events beyond a per-object token bucket (25 at once, then one per 5 minutes), so a hot
//   loop cannot flood the API server,
// - folded events that differ only in message, beyond 10 in 10 minutes, into one
//   "(combined from similar events)" event,
// - turned repeats of an identical event into a PATCH of count and lastTimestamp on the first one.
import { hostname } from 'node:os';
import { format } from 'node:util';
import type { KObject } from '../api/resource.js';
import { log, logError } from '../machinery/log.js';
import { ApiError, isAlreadyExists, isNotFound } from './errors.js';
import type { RestClient } from './rest.js';
import { resources } from './resources.js';
import { TokenBucket, type Clock } from './rate-limiter.js';
import { sleep } from './backoff.js';

export type EventType = 'Normal' | 'Warning';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  /** The part of the object the event is about, e.g. `spec.containers{nginx}`. */
  fieldPath?: string;
}

export interface EventSource {
  component?: string;
  host?: string;
}

export interface CoreEvent extends KObject {
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  source: EventSource;
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: EventType;
  reportingComponent: string;
  reportingInstance: string;
}

export interface EventBroadcasterOptions {
  /** Events waiting to be written beyond this are dropped; 1000. */
  maxQueued?: number;
  /** Events written at once, about different objects; 8. */
  maxInFlight?: number;
  /** Attempts per event when the API server cannot be reached; 12. */
  maxTries?: number;
  /** Wait between attempts, ms; 10 s (the first one random up to this). */
  retryDelayMs?: number;
  /** Per-object token bucket: burst 25, refilled at 1/300 per second. */
  spamBurst?: number;
  spamQps?: number;
  /** Distinct messages per (object, reason) within the interval before they are combined; 10 in 600 s. */
  aggregateMaxEvents?: number;
  aggregateIntervalMs?: number;
  /** Wall clock in ms, for timestamps and the rate limit; Date.now by default. */
  now?: Clock;
}

const CACHE_ENTRIES = 4096;

/** A map that forgets its least recently used entries beyond a size. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

interface Observed {
  count: number;
  message: string;
  firstTimestamp: string;
  name: string;
  resourceVersion?: string;
}

interface Pending {
  event: CoreEvent;
  key: string;
  /** The merge patch to apply to an existing event; absent: create. */
  patch?: Record<string, unknown>;
}

/** metav1.Time on the wire: RFC 3339, second precision, UTC. */
const wireTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const join = (...parts: Array<string | undefined>) => parts.map((p) => p ?? '').join('');

function eventKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return join(e.source.component, e.source.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, e.type, e.reason, e.message);
}

function aggregateKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return join(e.source.component, e.source.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type, e.reason, e.reportingComponent, e.reportingInstance);
}

function spamKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return join(e.source.component, e.source.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type);
}

/**
 * Writes the events of all its recorders in the background: those about one object one at a time
 * and in order (each builds on the count the previous write learned), different objects' at once.
 */
export class EventBroadcaster {
  private readonly queue: CoreEvent[] = [];
  /** Objects (spam keys) with an event being written. */
  private readonly writing = new Set<string>();
  private draining: Promise<void> | undefined;
  private drained: (() => void) | undefined;
  private closed = false;
  private readonly stopper = new AbortController();
  private readonly opts: Required<Omit<EventBroadcasterOptions, 'now'>>;
  /** The wall clock events are stamped with. */
  readonly now: Clock;
  private readonly spam: Lru<TokenBucket>;
  private readonly aggregates: Lru<{ messages: Set<string>; last: number }>;
  private readonly observed: Lru<Observed>;
  private seq = 0n;
  /** Events dropped since the queue last ran empty. */
  private dropped = 0;

  constructor(readonly client: RestClient, opts: EventBroadcasterOptions = {}) {
    this.opts = {
      maxQueued: opts.maxQueued ?? 1000,
      maxInFlight: opts.maxInFlight ?? 8,
      maxTries: opts.maxTries ?? 12,
      retryDelayMs: opts.retryDelayMs ?? 10_000,
      spamBurst: opts.spamBurst ?? 25,
      spamQps: opts.spamQps ?? 1 / 300,
      aggregateMaxEvents: opts.aggregateMaxEvents ?? 10,
      aggregateIntervalMs: opts.aggregateIntervalMs ?? 600_000,
    };
    this.now = opts.now ?? Date.now;
    this.spam = new Lru(CACHE_ENTRIES);
    this.aggregates = new Lru(CACHE_ENTRIES);
    this.observed = new Lru(CACHE_ENTRIES);
  }

  newRecorder(source: EventSource): EventRecorder {
    return new EventRecorder(this, { component: source.component, host: source.host ?? hostname() });
  }

  /** Resolves once every event recorded so far has been written (or given up on). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Stops accepting events, writes those queued, and stops. */
  async shutdown(): Promise<void> {
    this.closed = true;
    await this.flush();
    this.stopper.abort();
  }

  /** `<object name>.<hex nanoseconds>`, unique within the process even within one millisecond. */
  eventName(objectName: string, ms: number): string {
    const ns = BigInt(Math.floor(ms)) * 1_000_000n + (this.seq++ % 1_000_000n);
    return `${objectName}.${ns.toString(16)}`;
  }

  /** @internal Called by recorders. */
  submit(event: CoreEvent): void {
    if (this.closed) return;
    // Spam filter first, so a hot loop costs neither queue space nor requests.
    const sk = spamKey(event);
    let bucket = this.spam.get(sk);
    if (!bucket) this.spam.set(sk, (bucket = new TokenBucket(this.opts.spamQps, this.opts.spamBurst, this.now)));
    if (!bucket.tryAccept()) return;
    if (this.queue.length >= this.opts.maxQueued) {
      this.dropped++;
      if (this.dropped === 1) {
        logError('event-recorder', 'event queue is full; dropping events', { reason: event.reason, object: `${event.involvedObject.namespace}/${event.involvedObject.name}` });
      }
      return;
    }
    this.queue.push(event);
    this.draining ??= new Promise((resolve) => (this.drained = resolve));
    this.pump();
  }

  /** Starts writes up to maxInFlight, skipping events whose object already has one under way. */
  private pump(): void {
    while (this.writing.size < this.opts.maxInFlight) {
      const i = this.queue.findIndex((e) => !this.writing.has(spamKey(e)));
      if (i < 0) break;
      const [event] = this.queue.splice(i, 1);
      const key = spamKey(event);
      this.writing.add(key);
      void this.write(this.correlate(event)).finally(() => {
        this.writing.delete(key);
        this.pump();
      });
    }
    if (this.writing.size === 0 && this.queue.length === 0 && this.drained) {
      if (this.dropped > 1) logError('event-recorder', 'events were dropped while the queue was full', { dropped: this.dropped });
      this.dropped = 0;
      const done = this.drained;
      this.draining = undefined;
      this.drained = undefined;
      done();
    }
  }

  /**
   * Aggregation and deduplication, done as each event is about to be written so that the count
   * learned from the previous write is the one built upon.
   */
  private correlate(event: CoreEvent): Pending {
    const now = this.now();
    const ak = aggregateKey(event);
    let agg = this.aggregates.get(ak);
    if (!agg || now - agg.last > this.opts.aggregateIntervalMs) agg = { messages: new Set(), last: now };
    agg.messages.add(event.message);
    agg.last = now;
    this.aggregates.set(ak, agg);
    let key = eventKey(event);
    if (agg.messages.size >= this.opts.aggregateMaxEvents) {
      event = { ...event, message: `(combined from similar events): ${event.message}` };
      key = ak;
    }

    const seen = this.observed.get(key);
    if (!seen) return { event, key };
    event = { ...event, count: seen.count + 1, firstTimestamp: seen.firstTimestamp, metadata: { ...event.metadata, name: seen.name } };
    const patch: Record<string, unknown> = { count: event.count, lastTimestamp: event.lastTimestamp };
    if (event.message !== seen.message) patch.message = event.message;
    return { event, key, patch };
  }

  private async write(p: Pending): Promise<void> {
    const ns = p.event.metadata.namespace!;
    for (let attempt = 1; attempt <= this.opts.maxTries; attempt++) {
      try {
        let written: CoreEvent | undefined;
        if (p.patch) {
          try {
            written = await this.client.patch<CoreEvent>(resources.events, ns, p.event.metadata.name!, p.patch, 'strategic');
          } catch (err) {
            if (!isNotFound(err)) throw err;
          }
        }
        // A first occurrence, or a repeat whose event has since been deleted (events expire).
        written ??= await this.client.create<CoreEvent>(resources.events, ns, { ...p.event, metadata: { ...p.event.metadata, resourceVersion: undefined } });
        this.observed.set(p.key, {
          count: written.count ?? p.event.count,
          message: written.message ?? p.event.message,
          firstTimestamp: written.firstTimestamp ?? p.event.firstTimestamp,
          name: written.metadata.name ?? p.event.metadata.name!,
          resourceVersion: written.metadata.resourceVersion,
        });
        return;
      } catch (err) {
        // The server answered: retrying would get the same answer.
        if (err instanceof ApiError) {
          if (!isAlreadyExists(err)) logError('event-recorder', 'server rejected event (will not retry)', { reason: p.event.reason, err: err.message });
          return;
        }
        if (attempt === this.opts.maxTries || this.stopper.signal.aborted) {
          logError('event-recorder', 'unable to write event; giving up', { reason: p.event.reason, tries: attempt, err: String(err) });
          return;
        }
        log('event-recorder', 'unable to write event; will retry', { reason: p.event.reason, err: err instanceof Error ? err.message : String(err) });
        const delay = attempt === 1 ? this.opts.retryDelayMs * Math.random() : this.opts.retryDelayMs;
        await sleep(delay, this.stopper.signal);
      }
    }
  }
}

/** Records events for one component, e.g. `deployment-controller` or `default-scheduler`. */
export class EventRecorder {
  constructor(private readonly broadcaster: EventBroadcaster, readonly source: EventSource) {}

  /** Records an event about `obj` (an object, or a reference when a fieldPath is wanted). */
  event(obj: KObject | ObjectReference, type: EventType, reason: string, message: string): void {
    if (type !== 'Normal' && type !== 'Warning') {
      logError('event-recorder', `unsupported event type '${type}'`, { reason });
      return;
    }
    const ref = referenceTo(obj);
    if (!ref.name) {
      logError('event-recorder', 'cannot record an event about an object without a name', { reason });
      return;
    }
    const nowMs = this.broadcaster.now();
    const t = wireTime(nowMs);
    const event: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.broadcaster.eventName(ref.name, nowMs), namespace: ref.namespace || 'default' },
      involvedObject: ref,
      reason,
      message,
      source: { ...this.source },
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type,
      reportingComponent: this.source.component ?? '',
      reportingInstance: this.source.host ?? '',
    };
    this.broadcaster.submit(event);
  }

  /** event() with a printf-style message (`%s`, `%d`, `%v` as %s). */
  eventf(obj: KObject | ObjectReference, type: EventType, reason: string, messageFmt: string, ...args: unknown[]): void {
    this.event(obj, type, reason, format(messageFmt.replace(/%v/g, '%s'), ...args));
  }
}

/** An ObjectReference to `obj`, as reference.GetReference makes one. */
export function referenceTo(obj: KObject | ObjectReference): ObjectReference {
  if (!('metadata' in obj) || typeof obj.metadata !== 'object') return { ...(obj as ObjectReference) };
  const o = obj as KObject;
  const ref: ObjectReference = { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, uid: o.metadata.uid, apiVersion: o.apiVersion, resourceVersion: o.metadata.resourceVersion };
  for (const k of Object.keys(ref) as Array<keyof ObjectReference>) if (ref[k] === undefined || ref[k] === '') delete ref[k];
  return ref;
}
