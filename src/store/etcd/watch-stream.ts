// Every watch of one EtcdStore rides one bidirectional Watch stream to the member in use. Watches of
// the same prefix share one etcd watcher (a feed) where they can: etcd then sends each event once
// and it is decoded once, however many watches there are, as kube-apiserver's watch cache does.
//
// A feed remembers the next revision it needs, so when the stream breaks (the member died) every
// feed is created again on another member from exactly that revision: no event is lost and none is
// delivered twice. A watch joins a feed only if the feed has delivered nothing the watch needs:
// every event after the watch's start revision is still to come on the feed.
import type * as grpc from '@grpc/grpc-js';
import {
  CompactedError, StoreError, UnavailableError,
  type WatchCallbacks, type WatchEvent, type Watcher,
} from '../types.js';
import type { EtcdConnection, Member } from './connection.js';
import { toKeyValue, type KeySpace } from './keys.js';
import { details, EventType, memberDown, type EventMsg, type WatchRequest, type WatchResponse } from './rpc.js';

type Stream = grpc.ClientDuplexStream<WatchRequest, WatchResponse>;

interface Sub {
  feed: Feed;
  /** Deliver events after this revision; null: whatever the feed delivers (it started at etcd's now). */
  after: number | null;
  /** Started "from now": if that point is compacted, start from etcd's now instead of failing. */
  fromNow: boolean;
  delivered: boolean;
  cb: WatchCallbacks;
}

interface Feed {
  range: string;
  key: Buffer;
  end: Buffer;
  /** etcd watch ID of its current watcher (a new one each time it is created). */
  id: number;
  /** The next revision it needs: every event before it has been delivered. 0: etcd's now, not yet known. */
  next: number;
  subs: Set<Sub>;
  /** The stream its create request went out on. */
  stream: Stream | null;
}

export interface WatchStreamOptions {
  /** How long to keep trying to re-establish the stream before failing every watch. */
  reconnectTimeoutMs?: number;
  /** Called with the header revision of every response (the store tracks what it has seen). */
  onRevision?: (revision: number) => void;
}

export class WatchStream {
  private feeds = new Map<number, Feed>();
  private byRange = new Map<string, Set<Feed>>();
  private stream: Stream | null = null;
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

  /** etcd watchers in use (several watches may share one). */
  get watchers(): number {
    return this.feeds.size;
  }

  /** Watches [key, end) for events after `after` (null: from etcd's now). */
  watch(key: Buffer, end: Buffer, after: number | null, fromNow: boolean, cb: WatchCallbacks): Watcher {
    if (this.closed) {
      queueMicrotask(() => cb.onError(new StoreError('store closed')));
      return { cancel() {} };
    }
    const range = `${key.toString('latin1')}\0${end.toString('latin1')}`;
    const sub: Sub = { feed: null as unknown as Feed, after, fromNow, delivered: false, cb };
    let feed = this.joinable(range, after);
    if (!feed) {
      feed = { range, key, end, id: 0, next: after === null ? 0 : after + 1, subs: new Set(), stream: null };
      let set = this.byRange.get(range);
      if (!set) this.byRange.set(range, (set = new Set()));
      set.add(feed);
      feed.subs.add(sub);
      sub.feed = feed;
      if (this.stream) this.create(feed);
      else if (!this.timer) this.open();
    } else {
      feed.subs.add(sub);
      sub.feed = feed;
    }
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
    const err = new StoreError('store closed');
    for (const feed of this.allFeeds()) this.failFeed(feed, err);
  }

  /** A feed of this range whose next revision is at or before the first one the watch needs. */
  private joinable(range: string, after: number | null): Feed | undefined {
    const set = this.byRange.get(range);
    if (!set) return undefined;
    for (const feed of set) {
      if (feed.next === 0 ? after === null : after !== null && feed.next <= after + 1) return feed;
    }
    return undefined;
  }

  private open(): void {
    this.timer = null;
    if (this.closed || this.byRange.size === 0) return;
    const member = this.conn.current;
    const stream = member.watch.Watch(this.conn.metadata);
    this.stream = stream;
    this.member = member;
    stream.on('data', (res: WatchResponse) => {
      if (this.stream === stream) this.receive(res);
    });
    stream.on('error', (err) => this.broken(stream, err));
    stream.on('end', () => this.broken(stream, new UnavailableError('etcd ended the watch stream')));
    for (const feed of this.allFeeds()) this.create(feed);
  }

  private allFeeds(): Feed[] {
    const all: Feed[] = [];
    for (const set of this.byRange.values()) all.push(...set);
    return all;
  }

  private create(feed: Feed): void {
    if (feed.id) this.feeds.delete(feed.id);
    feed.id = this.nextId++;
    feed.stream = this.stream;
    this.feeds.set(feed.id, feed);
    this.stream!.write({
      create_request: { key: feed.key, range_end: feed.end, start_revision: feed.next, prev_kv: true, watch_id: feed.id },
    });
  }

  private cancel(sub: Sub): void {
    const feed = sub.feed;
    if (!feed.subs.delete(sub) || feed.subs.size > 0) return;
    this.drop(feed);
    // The create went out on this stream, so etcd has (or will have) the watcher: remove it there.
    if (feed.stream && feed.stream === this.stream) this.stream.write({ cancel_request: { watch_id: feed.id } });
  }

  private drop(feed: Feed): void {
    this.feeds.delete(feed.id);
    const set = this.byRange.get(feed.range);
    set?.delete(feed);
    if (set?.size === 0) this.byRange.delete(feed.range);
  }

  private receive(res: WatchResponse): void {
    const rev = res.header?.revision;
    if (rev) this.opts.onRevision?.(rev);
    const feed = this.feeds.get(res.watch_id ?? 0);
    if (!feed) return;
    if (res.created) {
      if (res.canceled && !res.compact_revision) {
        this.failFeed(feed, new StoreError(`etcd refused the watch: ${res.cancel_reason || 'no reason given'}`));
        return;
      }
      // A working stream: failures before this one no longer count toward giving up.
      this.brokenSince = 0;
      this.failures = 0;
      if (feed.next === 0) feed.next = (rev ?? 0) + 1;
    }
    if (res.compact_revision) {
      this.compacted(feed, res.compact_revision);
      return;
    }
    if (res.canceled) {
      this.failFeed(feed, new UnavailableError(`etcd cancelled the watch: ${res.cancel_reason || 'no reason given'}`));
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
        this.deliver(feed, group, groupRev);
        group = [];
      }
      groupRev = r;
      group.push(this.event(e));
    }
    this.deliver(feed, group, groupRev);
  }

  private deliver(feed: Feed, group: WatchEvent[], rev: number): void {
    feed.next = rev + 1;
    let first = true;
    for (const sub of feed.subs) {
      if (sub.after !== null && rev <= sub.after) continue;
      sub.delivered = true;
      try {
        // Each watch gets its own array; the events themselves are shared, as in the other backends.
        sub.cb.onEvents(first ? group : group.slice());
      } catch (err) {
        // The consumer's bug must not break the stream other watches share.
        queueMicrotask(() => { throw err; });
      }
      first = false;
    }
  }

  private event(e: EventMsg): WatchEvent {
    return {
      type: e.type === EventType.DELETE ? 'DELETE' : 'PUT',
      kv: toKeyValue(this.keys, e.kv!),
      prevKv: e.prev_kv ? toKeyValue(this.keys, e.prev_kv) : null,
    };
  }

  /** The feed's start revision is compacted away. */
  private compacted(feed: Feed, compactRevision: number): void {
    for (const sub of [...feed.subs]) {
      // "From now" meant after the last revision this client saw, which is older than etcd's
      // compaction; etcd's own now is as good, for a watch that has not had an event yet.
      if (sub.fromNow && !sub.delivered) {
        sub.after = null;
        continue;
      }
      feed.subs.delete(sub);
      sub.cb.onError(new CompactedError(sub.after ?? feed.next - 1, compactRevision));
    }
    if (feed.subs.size === 0) {
      this.drop(feed);
      return;
    }
    feed.next = 0;
    if (this.stream) this.create(feed);
  }

  private failFeed(feed: Feed, err: Error): void {
    this.drop(feed);
    const subs = [...feed.subs];
    feed.subs.clear();
    for (const sub of subs) sub.cb.onError(err);
  }

  private broken(stream: Stream, err: unknown): void {
    if (stream !== this.stream) return;
    this.stream = null;
    stream.cancel();
    if (this.closed) return;
    if (this.member && memberDown(err)) this.conn.rotate(this.member);
    if (this.byRange.size === 0) return;
    const now = Date.now();
    if (!this.brokenSince) this.brokenSince = now;
    if (now - this.brokenSince > this.reconnectTimeoutMs) {
      const failure = new UnavailableError(
        `etcd watch: no member of ${this.conn.members.map((m) => m.url).join(', ')} answered for ${Math.round((now - this.brokenSince) / 1000)} s: ${details(err)}`,
      );
      for (const feed of this.allFeeds()) this.failFeed(feed, failure);
      this.brokenSince = 0;
      this.failures = 0;
      return;
    }
    // Straight on to the next member; once all have failed, wait a little between rounds.
    this.failures++;
    const n = this.conn.members.length;
    const delay = this.failures < n ? 0 : Math.min(50 * 2 ** (this.failures - n), 1_000);
    this.timer = setTimeout(() => this.open(), delay);
  }
}
