// A shared informer, as client-go's: list, then watch from the list's resourceVersion, keeping a
// local cache that controllers read through a lister and hearing about every change through
// event handlers. A watch that expires (410) or fails leads to a relist, with backoff on failure;
// the relist's differences reach the handlers as updates and deletes, so no change is lost.
import type { KObject } from '../api/resource.js';
import { logError, log } from '../machinery/log.js';
import { ApiError, isGone, isStatus } from './errors.js';
import type { RestClient, WatchEvent, WatchHandle } from './rest.js';
import { apiVersionOfRef, groupResource, type ResourceRef } from './resources.js';
import { Indexer, keyOf, type IndexFunc } from './cache.js';
import { Lister } from './lister.js';
import { Backoff, sleep, type BackoffOptions } from './backoff.js';

export interface EventHandler<T> {
  /** A new object; `initialList` is true for objects of a (re)list rather than of the watch. */
  onAdd?(obj: T, initialList: boolean): void;
  /** A change, a relist's fresh copy, or a resync (then old === obj). */
  onUpdate?(old: T, obj: T): void;
  /**
   * A deletion; `finalStateUnknown` is true when it was noticed at a relist (client-go's
   * DeletedFinalStateUnknown), so `obj` is the last state the cache had rather than the final one.
   */
  onDelete?(obj: T, finalStateUnknown: boolean): void;
}

export interface HandlerRegistration {
  remove(): void;
}

export interface InformerOptions<T> {
  /** Watch one namespace only; all namespaces by default. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Default resync period for handlers, ms; 0 (the default) never resyncs. */
  resyncPeriodMs?: number;
  indexers?: Record<string, IndexFunc<T>>;
  /** Applied to every object before it is cached, e.g. to drop managedFields. */
  transform?: (obj: T) => T;
  /** Page size of the list; 500 as client-go. */
  pageSize?: number;
  /** Backoff between failed list/watch attempts; client-go's reflector defaults. */
  backoff?: BackoffOptions;
  /** Server-side watch timeout; by default random between 5 and 10 minutes, as client-go. */
  watchTimeoutSeconds?: number;
}

/** Why the watch loop ends: the caller decides between watching again and relisting. */
class RelistNeeded extends Error {}

interface Listener<T> {
  handler: EventHandler<T>;
  timer?: NodeJS.Timeout;
}

export class Informer<T extends KObject = KObject> {
  readonly indexer: Indexer<T>;
  readonly lister: Lister<T>;
  private readonly listeners = new Set<Listener<T>>();
  private readonly component: string;
  private readonly backoff: Backoff;
  private readonly stopper = new AbortController();
  private started = false;
  private synced = false;
  private syncWaiters: Array<(ok: boolean) => void> = [];
  private rv = '';
  private watch: WatchHandle | undefined;
  private loop: Promise<void> | undefined;

  constructor(readonly client: RestClient, readonly resource: ResourceRef, private readonly opts: InformerOptions<T> = {}) {
    this.indexer = new Indexer<T>(opts.indexers);
    this.lister = new Lister<T>(this.indexer);
    this.component = `informer/${groupResource(resource)}`;
    this.backoff = new Backoff(opts.backoff);
  }

  /**
   * Registers handlers. Objects already cached reach onAdd at once, as client-go replays them to
   * late handlers. Handlers run synchronously and must not mutate the objects they get; a
   * throwing handler is logged and does not disturb the informer.
   */
  addEventHandler(handler: EventHandler<T>, resyncPeriodMs = this.opts.resyncPeriodMs ?? 0): HandlerRegistration {
    const l: Listener<T> = { handler };
    this.listeners.add(l);
    if (this.synced) for (const obj of this.indexer.list()) this.call(l, 'onAdd', obj, true);
    if (resyncPeriodMs > 0) {
      l.timer = setInterval(() => {
        if (!this.synced) return;
        for (const obj of this.indexer.list()) this.call(l, 'onUpdate', obj, obj);
      }, resyncPeriodMs);
      l.timer.unref?.();
    }
    return {
      remove: () => {
        if (l.timer) clearInterval(l.timer);
        this.listeners.delete(l);
      },
    };
  }

  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    this.indexer.addIndexers(indexers);
  }

  /** Begins list and watch; calling it again does nothing. */
  start(): void {
    if (this.started || this.stopper.signal.aborted) return;
    this.started = true;
    this.loop = this.run();
  }

  /** Ends the watch and the resync timers; resolves once the informer's loop has finished. */
  async stop(): Promise<void> {
    this.stopper.abort();
    this.watch?.stop();
    for (const l of this.listeners) if (l.timer) clearInterval(l.timer);
    for (const w of this.syncWaiters.splice(0)) w(false);
    await this.loop;
  }

  get isStarted(): boolean {
    return this.started;
  }

  get isStopped(): boolean {
    return this.stopper.signal.aborted;
  }

  /** True once the first list has been cached and handed to the handlers. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced; false if the informer stops or `timeoutMs` passes first. */
  waitForSync(timeoutMs?: number): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopper.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = (ok: boolean) => {
        if (timer) clearTimeout(timer);
        resolve(ok);
      };
      this.syncWaiters.push(waiter);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.syncWaiters = this.syncWaiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs);
      }
    });
  }

  /** The resourceVersion the cache reflects. */
  lastSyncResourceVersion(): string {
    return this.rv;
  }

  // ---- the reflector ----

  private async run(): Promise<void> {
    const signal = this.stopper.signal;
    while (!signal.aborted) {
      try {
        await this.list();
      } catch (err) {
        if (signal.aborted) return;
        logError(this.component, 'list failed; retrying', { err: message(err) });
        await sleep(this.backoff.next(), signal);
        continue;
      }
      // Watch from the cache's resourceVersion until the server says it is gone or a watch fails.
      for (;;) {
        if (signal.aborted) return;
        try {
          await this.watchOnce();
        } catch (err) {
          if (signal.aborted) return;
          if (err instanceof RelistNeeded || isGone(err)) {
            log(this.component, 'watch expired; relisting', { resourceVersion: this.rv });
          } else {
            logError(this.component, 'watch failed; relisting after backoff', { err: message(err) });
            await sleep(this.backoff.next(), signal);
          }
          break;
        }
      }
    }
  }

  private async list(): Promise<void> {
    const list = await this.client.listAll<T>(this.resource, this.opts.namespace, {
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
      signal: this.stopper.signal,
    }, this.opts.pageSize ?? 500);
    if (this.stopper.signal.aborted) return;
    this.replace(list.items.map((o) => this.prepare(o)), list.metadata.resourceVersion ?? '');
  }

  /** One watch; returns when it ends cleanly, throws when a relist is needed. */
  private async watchOnce(): Promise<void> {
    const started = performance.now();
    let events = 0;
    const timeoutSeconds = this.opts.watchTimeoutSeconds ?? Math.floor(300 * (1 + Math.random()));
    this.watch = this.client.watch<T>(this.resource, this.opts.namespace, {
      resourceVersion: this.rv,
      allowWatchBookmarks: true,
      timeoutSeconds,
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
    }, (e) => {
      events++;
      this.handleEvent(e);
    });
    try {
      await this.watch.done;
    } finally {
      this.watch = undefined;
    }
    // A server that closes every watch at once would otherwise make us spin.
    if (events === 0 && performance.now() - started < 1000 && !this.stopper.signal.aborted) {
      throw new Error('watch closed immediately without events');
    }
  }

  private handleEvent(e: WatchEvent<T>): void {
    if (this.stopper.signal.aborted) return;
    switch (e.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const obj = this.prepare(e.object);
        const old = this.indexer.set(obj);
        this.bump(obj);
        if (old) this.distribute('onUpdate', old, obj);
        else this.distribute('onAdd', obj, false);
        return;
      }
      case 'DELETED': {
        const obj = this.prepare(e.object);
        this.indexer.delete(keyOf(obj));
        this.bump(obj);
        this.distribute('onDelete', obj, false);
        return;
      }
      case 'BOOKMARK':
        this.bump(e.object);
        return;
      case 'ERROR': {
        const st = e.object;
        if (st?.code === 410 || st?.reason === 'Expired' || st?.reason === 'Gone') throw new RelistNeeded(st.message ?? 'resource version expired');
        throw isStatus(st) ? new ApiError(st) : new Error(`watch error event without a Status: ${JSON.stringify(st).slice(0, 200)}`);
      }
      default:
        throw new Error(`unknown watch event type ${JSON.stringify((e as { type: unknown }).type)}`);
    }
  }

  /** Makes the cache equal the list, telling handlers what changed. */
  private replace(items: T[], rv: string): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = keyOf(obj);
      seen.add(key);
      const old = this.indexer.set(obj);
      if (old) this.distribute('onUpdate', old, obj);
      else this.distribute('onAdd', obj, true);
    }
    for (const key of this.indexer.keys()) {
      if (seen.has(key)) continue;
      const old = this.indexer.delete(key)!;
      this.distribute('onDelete', old, true);
    }
    this.rv = rv;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w(true);
    }
  }

  private bump(obj: { metadata?: { resourceVersion?: string } }): void {
    const rv = obj?.metadata?.resourceVersion;
    if (rv) this.rv = rv;
  }

  /** Items of a list come without apiVersion and kind; handlers and recorders want them. */
  private prepare(obj: T): T {
    if (!obj.apiVersion) obj.apiVersion = apiVersionOfRef(this.resource);
    if (!obj.kind) obj.kind = this.resource.kind;
    return this.opts.transform ? this.opts.transform(obj) : obj;
  }

  private distribute<M extends keyof EventHandler<T>>(method: M, ...args: Parameters<NonNullable<EventHandler<T>[M]>>): void {
    for (const l of this.listeners) this.call(l, method, ...args);
  }

  private call<M extends keyof EventHandler<T>>(l: Listener<T>, method: M, ...args: Parameters<NonNullable<EventHandler<T>[M]>>): void {
    const fn = l.handler[method] as ((...a: unknown[]) => void) | undefined;
    if (!fn) return;
    try {
      fn.apply(l.handler, args);
    } catch (err) {
      logError(this.component, `event handler ${method} failed`, { err: message(err) });
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
