// Serving a container's log from its CRI-format file, as the kubelet's ReadLogs does for
// `kubectl logs`: records `<RFC3339Nano> <stdout|stderr> <F|P>[:tags] <content>`, partial (P)
// records joined into their line, with tail, since, timestamps, limitBytes and follow. Following
// polls the file and stops once the container is no longer running and the file is drained.
import { open, watch, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';

export interface LogOptions {
  follow: boolean;
  /** The last N lines only; undefined for all of them. */
  tailLines?: number;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
  /** Only records at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** Prefix each line with its time (RFC 3339, nanoseconds, trailing zeros trimmed). */
  timestamps: boolean;
}

export class LogOptionsError extends Error {}

const bool = (v: string | null): boolean => v !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v);

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw new LogOptionsError(`${name}: invalid integer value "${v}"`);
  return Number(v);
}

/** Reads PodLogOptions from a query (the kubelet's /containerLogs parameters). */
export function parseLogOptions(q: URLSearchParams, nowMs = Date.now()): LogOptions & { previous: boolean } {
  const opts: LogOptions & { previous: boolean } = { follow: bool(q.get('follow')), previous: bool(q.get('previous')), timestamps: bool(q.get('timestamps')) };
  const tail = int(q, 'tailLines');
  if (tail !== undefined && tail >= 0) opts.tailLines = tail;
  const limit = int(q, 'limitBytes');
  if (limit !== undefined && limit > 0) opts.limitBytes = limit;
  const sinceSeconds = int(q, 'sinceSeconds');
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceSeconds > 0) opts.sinceMs = nowMs - sinceSeconds * 1000;
  else if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) throw new LogOptionsError(`sinceTime: invalid time "${sinceTime}"`);
    opts.sinceMs = t;
  }
  return opts;
}

export interface LogRecord {
  time: string;
  stream: 'stdout' | 'stderr';
  /** F: the record ends its line; P: the line continues in the next record of the stream. */
  partial: boolean;
  content: Buffer;
}

/** Parses one record (without its newline); null for a line that is not CRI format. */
export function parseRecord(line: Buffer): LogRecord | null {
  const s1 = line.indexOf(0x20);
  if (s1 <= 0) return null;
  const s2 = line.indexOf(0x20, s1 + 1);
  if (s2 < 0) return null;
  const stream = line.toString('latin1', s1 + 1, s2);
  if (stream !== 'stdout' && stream !== 'stderr') return null;
  let s3 = line.indexOf(0x20, s2 + 1);
  if (s3 < 0) s3 = line.length; // an empty line written without the trailing space
  const tag = line.toString('latin1', s2 + 1, s3).split(':')[0];
  if (tag !== 'F' && tag !== 'P') return null;
  return { time: line.toString('latin1', 0, s1), stream, partial: tag === 'P', content: line.subarray(Math.min(s3 + 1, line.length)) };
}

/** Milliseconds of an RFC 3339 time with any number of fractional digits; NaN if malformed. */
export function recordTimeMs(time: string): number {
  return Date.parse(time.replace(/(\.\d{3})\d+/, '$1'));
}

/** Go's RFC3339Nano: the fraction keeps its significant digits only, and no dot when it is zero. */
export function formatTimestamp(time: string): string {
  return time.replace(/\.(\d+)/, (_m, frac: string) => {
    const t = frac.replace(/0+$/, '');
    return t ? `.${t}` : '';
  });
}

const CHUNK = 64 * 1024;

/**
 * Where reading starts for the last `lines` lines: just after the end of the line before them,
 * found by reading records backwards a chunk at a time. A line is any P records and the F record
 * that ends it; a line still being written (trailing P records) counts as one. Bytes after the
 * last newline are a record still being written and are left to the forward reader.
 */
export async function tailOffset(fh: FileHandle, size: number, lines: number): Promise<number> {
  if (lines === 0) return size;
  let pos = size;
  let tail = Buffer.alloc(0); // bytes after pos whose record starts before pos
  let seenLastNewline = false;
  let firstRecord = true;
  let count = 0;
  while (pos > 0) {
    const start = Math.max(0, pos - CHUNK);
    const buf = Buffer.alloc(pos - start);
    await fh.read(buf, 0, buf.length, start);
    const data = tail.length ? Buffer.concat([buf, tail]) : buf;
    pos = start;
    let stop = data.length;
    if (!seenLastNewline) {
      const nl = data.lastIndexOf(0x0a);
      if (nl < 0) {
        tail = data;
        continue;
      }
      seenLastNewline = true;
      stop = nl + 1;
    }
    tail = Buffer.alloc(0);
    while (stop > 0) {
      const prev = stop >= 2 ? data.lastIndexOf(0x0a, stop - 2) : -1;
      if (prev < 0 && start > 0) {
        tail = Buffer.from(data.subarray(0, stop));
        break;
      }
      const rec = parseRecord(data.subarray(prev + 1, stop - 1));
      const endsLine = !rec || !rec.partial;
      if (firstRecord && !endsLine) count = 1;
      firstRecord = false;
      if (endsLine) {
        if (count === lines) return start + stop;
        count++;
      }
      stop = prev + 1;
    }
  }
  return 0;
}

export interface FollowControl {
  /** Whether the container still runs (following ends once it does not and the file is drained). */
  isRunning(): Promise<boolean>;
  signal?: AbortSignal;
  /** How often the file is polled when a change notification does not come; 250 ms. */
  pollMs?: number;
}

/** Writes, waiting for the consumer to drain; false once the consumer has gone. */
async function put(out: Writable, data: Buffer): Promise<boolean> {
  if (out.destroyed || out.writableEnded) return false;
  if (out.write(data)) return true;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => { out.off('drain', onDrain); out.off('close', onClose); resolve(ok); };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    out.on('drain', onDrain);
    out.on('close', onClose);
  });
}

export interface LogTarget {
  /** Where stderr records go when they are to be kept apart (attach); otherwise both go to `out`. */
  stderr?: Writable;
  /** Start at the end of the file: only what the container writes from now on (attach). */
  fromEnd?: boolean;
  /** Called once the starting point is fixed, before anything is read (an attach sends input then). */
  onStart?: () => void;
}

/**
 * Streams the log at `path` to `out` (which is not ended here). A missing file reads as empty, as
 * the kubelet answers for a container that has not written anything yet.
 */
export async function writeContainerLog(path: string, opts: LogOptions, out: Writable, follow?: FollowControl, target: LogTarget = {}): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return target.onStart?.();
    throw err;
  }
  const watcher = opts.follow && follow ? changes(path, follow) : undefined;
  try {
    const { size } = await fh.stat();
    let pos = target.fromEnd ? size : opts.tailLines !== undefined ? await tailOffset(fh, size, opts.tailLines) : 0;
    target.onStart?.();
    let carry = Buffer.alloc(0);
    let written = 0;
    let atLineStart = true;
    const limit = opts.limitBytes ?? Infinity;
    const buf = Buffer.alloc(CHUNK);
    let drainedAfterStop = false;
    for (;;) {
      if (follow?.signal?.aborted) return;
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) {
        if (!opts.follow || !follow || !watcher) break;
        if (drainedAfterStop) break;
        if (!(await follow.isRunning())) {
          // One more pass picks up what the container wrote just before it stopped.
          drainedAfterStop = true;
          continue;
        }
        await watcher.next();
        continue;
      }
      pos += bytesRead;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : Buffer.from(buf.subarray(0, bytesRead));
      let start = 0;
      const pieces: Buffer[] = [];
      const errPieces: Buffer[] = [];
      for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, start)) {
        const rec = parseRecord(data.subarray(start, nl));
        start = nl + 1;
        if (!rec) continue;
        if (opts.sinceMs !== undefined && recordTimeMs(rec.time) < opts.sinceMs) continue;
        if (target.stderr && rec.stream === 'stderr') {
          errPieces.push(rec.content);
          if (!rec.partial) errPieces.push(Buffer.from('\n'));
          continue;
        }
        if (opts.timestamps && atLineStart) pieces.push(Buffer.from(formatTimestamp(rec.time) + ' '));
        pieces.push(rec.content);
        if (!rec.partial) pieces.push(Buffer.from('\n'));
        atLineStart = !rec.partial;
      }
      carry = Buffer.from(data.subarray(start));
      if (errPieces.length && target.stderr && !(await put(target.stderr, Buffer.concat(errPieces)))) return;
      if (pieces.length) {
        let chunk = Buffer.concat(pieces);
        if (written + chunk.length >= limit) {
          chunk = chunk.subarray(0, limit - written);
          await put(out, chunk);
          return;
        }
        written += chunk.length;
        if (!(await put(out, chunk))) return;
      }
    }
  } finally {
    watcher?.close();
    await fh.close();
  }
}

/** Change notifications for a file, with a poll as the fallback (and for filesystems without inotify). */
function changes(path: string, follow: FollowControl): { next(): Promise<void>; close(): void } {
  const ac = new AbortController();
  let wake: (() => void) | undefined;
  let pending = false;
  const onAbort = () => ac.abort();
  follow.signal?.addEventListener('abort', onAbort, { once: true });
  void (async () => {
    try {
      for await (const _ of watch(path, { signal: ac.signal })) {
        if (wake) { const w = wake; wake = undefined; w(); } else pending = true;
      }
    } catch {
      // aborted, or the file went away: polling carries on
    }
  })();
  return {
    next() {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const t = setTimeout(() => { wake = undefined; resolve(); }, follow.pollMs ?? 250);
        const onAbortWait = () => { clearTimeout(t); resolve(); };
        follow.signal?.addEventListener('abort', onAbortWait, { once: true });
        wake = () => { clearTimeout(t); follow.signal?.removeEventListener('abort', onAbortWait); resolve(); };
      });
    },
    close() {
      follow.signal?.removeEventListener('abort', onAbort);
      ac.abort();
    },
  };
}
