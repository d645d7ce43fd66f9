// Every watch of one EtcdStore shares one bidirectional Watch stream to the member in use, each as an
// etcd watcher with an ID we choose. Each watcher remembers the next revision it needs, so when the
// stream breaks (the member died) every watcher is created again on another member from exactly
// that revision: no event is lost and none is delivered twice.
import type * as grpc from '@grpc/grpc-js';
import {
  CompactedError, StoreError, UnavailableError,
  type WatchCallbacks, type WatchEvent, type Watcher,
} from '../types.js';
import type { EtcdConnection, Member } from './connection.js';
import { toKeyValue, type KeySpace } from './keys.js';
import { details, EventType, memberDown, type EventMsg, type WatchRequest, type WatchResponse } from './rpc.js';

interface Sub {
  id: number;
  key: Buffer;
  end: Buffer;
  /** The revision to start from when (re)created; 0: etcd's current revision + 1. */
  next: number;
  /** Started "from now": if that point is compacted, start from etcd's now instead of failing. */
  fromNow: boolean;
  delivered: boolean;
  cb: WatchCallbacks;
  /** The stream its create request went out on. */
  stream: grpc.ClientDuplexStream<WatchRequest, WatchResponse> | null;
}

export interface WatchStreamOptions {
  /** How long to keep trying to re-establish the stream before failing every watch. */
  reconnectTimeoutMs?: number;
  /** Called with the header revision of every response (the store tracks what it has seen). */
  onRevision?: (revision: number) => void;
}

export class WatchStream {
  private subs = new Map<number, Sub>();
  private stream: grpc.ClientDuplexStream<WatchRequest, WatchResponse> | null = null;
  private member: Member | null = null;
  private nextId = 1;
  private brokenSince = 0;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly reconnectTimeoutMs: number;

  constructor(private conn: EtcdConnection, private keys: KeySpace, private opts: WatchStreamOptions = {}) {
    this.reconnectTimeoutMs = opts.reconnectTimeoutMs ?? 60_000;
  }

  get size(): number {
    return this.subs.size;
  }

  /** Watches [key, end) from revision `next` (0: from etcd's now). */
  watch(key: Buffer, end: Buffer, next: number, fromNow: boolean, cb: WatchCallbacks): Watcher {
    if (this.closed) {
      queueMicrotask(() => cb.onError(new StoreError('store closed')));
      return { cancel() {} };
    }
    const sub: Sub = { id: this.nextId++, key, end, next, fromNow, delivered: false, cb, stream: null };
    this.subs.set(sub.id, sub);
    if (this.stream) this.create(sub);
    else if (!this.timer) this.open();
    return { cancel: () => this.cancel(sub) };
  }

  /** Ends the stream and every watch on it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const s = this.stream;
    this.stream = null;
    s?.cancel();
    this.failAll(new StoreError('store closed'));
  }

  private open(): void {
    this.timer = null;
    if (this.closed || this.subs.size === 0) return;
    const member = this.conn.current;
    const stream = member.watch.Watch(this.conn.metadata);
    this.stream = stream;
    this.member = member;
    stream.on('data', (res: WatchResponse) => {
      if (this.stream === stream) this.receive(res);
    });
    stream.on('error', (err) => this.broken(stream, err));
    stream.on('end', () => this.broken(stream, new UnavailableError('etcd ended the watch stream')));
    for (const sub of this.subs.values()) this.create(sub);
  }

  private create(sub: Sub): void {
    sub.stream = this.stream;
    this.stream!.write({
      create_request: { key: sub.key, range_end: sub.end, start_revision: sub.next, prev_kv: true, watch_id: sub.id },
    });
  }

  private cancel(sub: Sub): void {
    if (!this.subs.delete(sub.id)) return;
    // The create went out on this stream, so etcd has (or will have) the watcher: remove it there.
    if (sub.stream && sub.stream === this.stream) this.stream.write({ cancel_request: { watch_id: sub.id } });
  }

  private receive(res: WatchResponse): void {
    const rev = res.header?.revision;
    if (rev) this.opts.onRevision?.(rev);
    const sub = this.subs.get(res.watch_id ?? 0);
    if (!sub) return;
    if (res.created) {
      if (res.canceled && !res.compact_revision) {
        this.finish(sub, new StoreError(`etcd refused the watch: ${res.cancel_reason || 'no reason given'}`));
        return;
      }
      // A working stream: failures before this one no longer count toward giving up.
      this.brokenSince = 0;
      this.failures = 0;
      if (sub.next === 0) sub.next = (rev ?? 0) + 1;
    }
    if (res.compact_revision) {
      if (sub.fromNow && !sub.delivered) {
        // "From now" meant from the last revision this client saw, which is older than etcd's
        // compaction; etcd's own now is as good.
        this.subs.delete(sub.id);
        sub.id = this.nextId++;
        sub.next = 0;
        this.subs.set(sub.id, sub);
        if (this.stream) this.create(sub);
        return;
      }
      this.finish(sub, new CompactedError(sub.next - 1, res.compact_revision));
      return;
    }
    if (res.canceled) {
      this.finish(sub, new UnavailableError(`etcd cancelled the watch: ${res.cancel_reason || 'no reason given'}`));
      return;
    }
    const events = res.events;
    if (!events || events.length === 0) return;
    // One response may hold several revisions; each revision's events are delivered together.
    let group: WatchEvent[] = [];
    let groupRev = 0;
    for (const e of events) {
      const r = e.kv?.mod_revision ?? 0;
      if (r !== groupRev && group.length > 0) {
        if (!this.deliver(sub, group, groupRev)) return;
        group = [];
      }
      groupRev = r;
      group.push(this.event(e));
    }
    this.deliver(sub, group, groupRev);
  }

  /** False when the watch is gone (cancelled from inside its callback). */
  private deliver(sub: Sub, group: WatchEvent[], rev: number): boolean {
    if (this.subs.get(sub.id) !== sub) return false;
    sub.next = rev + 1;
    sub.delivered = true;
    try {
      sub.cb.onEvents(group);
    } catch (err) {
      // The consumer's bug must not break the stream other watches share.
      queueMicrotask(() => { throw err; });
    }
    return true;
  }

  private event(e: EventMsg): WatchEvent {
    return {
      type: e.type === EventType.DELETE ? 'DELETE' : 'PUT',
      kv: toKeyValue(this.keys, e.kv!),
      prevKv: e.prev_kv ? toKeyValue(this.keys, e.prev_kv) : null,
    };
  }

  private finish(sub: Sub, err: Error): void {
    if (!this.subs.delete(sub.id)) return;
    sub.cb.onError(err);
  }

  private broken(stream: grpc.ClientDuplexStream<WatchRequest, WatchResponse>, err: unknown): void {
    if (stream !== this.stream) return;
    this.stream = null;
    stream.cancel();
    if (this.closed) return;
    if (this.member && memberDown(err)) this.conn.rotate(this.member);
    for (const sub of this.subs.values()) sub.stream = null;
    if (this.subs.size === 0) return;
    const now = Date.now();
    if (!this.brokenSince) this.brokenSince = now;
    if (now - this.brokenSince > this.reconnectTimeoutMs) {
      this.failAll(new UnavailableError(
        `etcd watch: no member of ${this.conn.members.map((m) => m.url).join(', ')} answered for ${Math.round((now - this.brokenSince) / 1000)} s: ${details(err)}`,
      ));
      this.brokenSince = 0;
      this.failures = 0;
      return;
    }
    // Straight on to the next member; once all have failed, wait a little between rounds.
    this.failures++;
    const delay = this.failures < this.conn.members.length ? 0 : Math.min(50 * 2 ** (this.failures - this.conn.members.length), 1_000);
    this.timer = setTimeout(() => this.open(), delay);
  }

  private failAll(err: Error): void {
    const subs = [...this.subs.values()];
    this.subs.clear();
    for (const sub of subs) sub.cb.onError(err);
  }
}
