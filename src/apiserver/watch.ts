// Watch over HTTP: newline-delimited WatchEvents streamed from the store's watch, filtered by
// namespace and selectors, with Kubernetes' transitions (an object leaving a selector is DELETED
// for that watcher), bookmarks, and 410 Gone for a compacted resourceVersion.
import type { ServerResponse } from 'node:http';
import type { KObject, ResourceDef } from '../api/resource.js';
import { errors } from '../machinery/status.js';
import { CompactedError, type WatchEvent as StoreEvent } from '../store/types.js';
import { decode, listPrefix } from './storage-codec.js';
import type { Registry } from './registry.js';
import { selectorFor, type ListFilter } from './selection.js';
import { toTable, type IncludeObject } from './table.js';

export interface WatchOptions extends ListFilter {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  /** Watch a single object (GET .../pods?watch=1&fieldSelector=metadata.name=x or /watch/.../name). */
  name?: string;
  asTable?: { include: IncludeObject };
  /** sendInitialEvents=true: list state first, then a bookmark marking the end of it. */
  sendInitialEvents?: boolean;
}

const BOOKMARK_INTERVAL_MS = 60_000;

/**
 * Every watcher of a resource receives the same store event objects; decoding and serializing
 * each once, not once per watcher, keeps hundreds of watchers cheap.
 */
interface Decoded {
  obj: KObject;
  line?: Map<string, string>;
}
const decodedEvents = new WeakMap<object, Map<ResourceDef, Decoded>>();

function decodeShared(def: ResourceDef, kv: StoreEvent['kv'], holder: object): Decoded {
  let byDef = decodedEvents.get(holder);
  if (!byDef) decodedEvents.set(holder, (byDef = new Map()));
  let d = byDef.get(def);
  if (!d) byDef.set(def, (d = { obj: decode(def, kv) }));
  return d;
}

function lineOf(d: Decoded, type: string): string {
  d.line ??= new Map();
  let l = d.line.get(type);
  if (l === undefined) d.line.set(type, (l = JSON.stringify({ type, object: d.obj }) + '\n'));
  return l;
}
const DEFAULT_TIMEOUT_S = 1800;

export async function serveWatch(registry: Registry, def: ResourceDef, ns: string, opts: WatchOptions, res: ServerResponse): Promise<void> {
  const matcher = selectorFor(def, opts);
  const test = (o: KObject) => (!opts.name || o.metadata.name === opts.name) && matcher.test(o);
  let after: number;
  const initial: KObject[] = [];
  const rv = opts.resourceVersion;
  if (!rv || rv === '0' || opts.sendInitialEvents) {
    // "Get state and start at most recent": the current objects arrive as ADDED first.
    const list = await registry.list(def, ns, { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
    for (const o of list.items) if (test(o)) initial.push(o);
    after = Number(list.resourceVersion);
  } else {
    after = registry.parseRV(rv);
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders?.();
  const encodeObj = (o: KObject) => (opts.asTable ? toTable(def, [o], opts.asTable.include, { resourceVersion: o.metadata.resourceVersion }) : o);
  const send = (type: string, object: unknown) => res.write(JSON.stringify({ type, object }) + '\n');
  const everything = matcher.all && !opts.name;
  const emit = (type: string, d: Decoded) => (opts.asTable ? send(type, encodeObj(d.obj)) : res.write(lineOf(d, type)));
  let lastRV = after;
  const bookmark = () => send('BOOKMARK', { kind: def.kind, apiVersion: def.group ? `${def.group}/${def.version}` : def.version, metadata: { resourceVersion: String(lastRV) } });
  for (const o of initial) send('ADDED', encodeObj(o));
  if (opts.sendInitialEvents && opts.allowWatchBookmarks) {
    send('BOOKMARK', { kind: def.kind, apiVersion: def.group ? `${def.group}/${def.version}` : def.version, metadata: { resourceVersion: String(lastRV), annotations: { 'k8s.io/initial-events-end': 'true' } } });
  }

  await new Promise<void>((resolve) => {
    let ended = false;
    const timers: NodeJS.Timeout[] = [];
    const end = () => {
      if (ended) return;
      ended = true;
      watcher.cancel();
      for (const t of timers) clearTimeout(t), clearInterval(t);
      res.end();
      resolve();
    };
    // Events of one commit arrive together: written corked, they leave as one TLS record and one
    // syscall rather than one per event.
    let corked = false;
    const watcher = registry.store.watch(listPrefix(def, ns), { afterRevision: after }, {
      onEvents(events: StoreEvent[]) {
        if (ended) return;
        if (!corked) {
          corked = true;
          res.cork();
          process.nextTick(() => {
            corked = false;
            res.uncork();
          });
        }
        for (const ev of events) {
          lastRV = ev.kv.modRevision;
          // Decoded objects are shared between watchers: never mutate them here.
          const prev = ev.prevKv ? decodeShared(def, ev.prevKv, ev.prevKv) : null;
          const prevMatched = prev ? (everything || test(prev.obj)) : false;
          if (ev.type === 'DELETE') {
            if (prev && prevMatched) {
              const gone = decodeShared(def, ev.prevKv!, ev);
              if (gone.obj.metadata.resourceVersion !== String(ev.kv.modRevision)) {
                gone.obj = { ...gone.obj, metadata: { ...gone.obj.metadata, resourceVersion: String(ev.kv.modRevision) } };
              }
              emit('DELETED', gone);
            }
            continue;
          }
          const cur = decodeShared(def, ev.kv, ev.kv);
          const matched = everything || test(cur.obj);
          if (matched && prevMatched) emit('MODIFIED', cur);
          else if (matched) emit('ADDED', cur);
          else if (prevMatched) emit('DELETED', cur);
        }
      },
      onError(err) {
        if (ended) return;
        const status = err instanceof CompactedError
          ? errors.gone(`too old resource version: ${after} (${err.compacted})`).toStatus()
          : errors.internal(err.message).toStatus();
        send('ERROR', status);
        end();
      },
    });
    res.on('close', end);
    const timeout = (opts.timeoutSeconds && opts.timeoutSeconds > 0 ? opts.timeoutSeconds : DEFAULT_TIMEOUT_S) * 1000;
    timers.push(setTimeout(end, timeout));
    if (opts.allowWatchBookmarks) timers.push(setInterval(bookmark, BOOKMARK_INTERVAL_MS));
  });
}
