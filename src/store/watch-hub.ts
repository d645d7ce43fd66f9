// Fan-out of committed events to in-process watchers, for backends whose history can be read
// synchronously (memory, sqlite). A watch replays history and subscribes in the same tick, and
// backends publish in the same tick as their commit, so no event can fall between the two.
import type { WatchCallbacks, WatchEvent, Watcher } from './types.js';

interface Sub {
  prefix: string;
  cb: WatchCallbacks;
  queue: WatchEvent[][];
  scheduled: boolean;
  closed: boolean;
}

export class WatchHub {
  private subs = new Set<Sub>();

  /** `replay` returns the events after `afterRevision` grouped by revision, or throws (e.g. compacted). */
  watch(prefix: string, cb: WatchCallbacks, replay: () => WatchEvent[][]): Watcher {
    const sub: Sub = { prefix, cb, queue: [], scheduled: false, closed: false };
    let past: WatchEvent[][];
    try {
      past = replay();
    } catch (err) {
      queueMicrotask(() => cb.onError(err as Error));
      return { cancel() {} };
    }
    for (const group of past) this.enqueue(sub, group);
    this.subs.add(sub);
    return {
      cancel: () => {
        sub.closed = true;
        this.subs.delete(sub);
      },
    };
  }

  /** Events of one revision, called right after they are durable. */
  publish(events: WatchEvent[]): void {
    if (this.subs.size === 0) return;
    for (const sub of this.subs) {
      const mine = events.filter((e) => e.kv.key.startsWith(sub.prefix));
      if (mine.length) this.enqueue(sub, mine);
    }
  }

  /** Ends every watch with an error (store closing). */
  fail(err: Error): void {
    for (const sub of this.subs) {
      sub.closed = true;
      queueMicrotask(() => sub.cb.onError(err));
    }
    this.subs.clear();
  }

  get size(): number {
    return this.subs.size;
  }

  private enqueue(sub: Sub, group: WatchEvent[]): void {
    sub.queue.push(group);
    if (sub.scheduled) return;
    sub.scheduled = true;
    queueMicrotask(() => {
      sub.scheduled = false;
      const q = sub.queue;
      sub.queue = [];
      for (const g of q) {
        if (sub.closed) return;
        sub.cb.onEvents(g);
      }
    });
  }
}
