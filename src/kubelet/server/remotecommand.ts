// The remotecommand protocol behind `kubectl exec` and `kubectl attach`, served over either
// transport kubectl uses:
//  - WebSocket, subprotocol v5.channel.k8s.io (kubectl 1.30+) or v4.channel.k8s.io: every binary
//    message is a channel byte and data; 0 stdin, 1 stdout, 2 stderr, 3 error (one metav1.Status,
//    then the connection closes), 4 resize (JSON {"Width","Height"}); v5 adds [255, channel] to
//    half-close a channel (stdin EOF).
//  - SPDY/3.1 after an HTTP upgrade (X-Stream-Protocol-Version v4.channel.k8s.io): the client
//    opens one stream per channel, named by its `streamtype` header; FIN half-closes.
// The command itself runs behind a StreamHandler; this file only moves bytes and reports status.
import { EventEmitter } from 'node:events';
import { PassThrough, Writable, type Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { SpdySession, SpdyStream } from './spdy/session.js';

export const WS_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
/** SPDY versions served; v4's Status error stream is the oldest kubectl that matters speaks it. */
export const SPDY_PROTOCOLS = ['v4.channel.k8s.io'] as const;

const CH_STDIN = 0;
const CH_STDOUT = 1;
const CH_STDERR = 2;
const CH_ERROR = 3;
const CH_RESIZE = 4;
const CH_CLOSE = 255;

export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * Terminal sizes the client reports: 'resize' events, and the latest one kept, since kubectl sends
 * the first size as soon as its streams exist, before the command behind them is running.
 */
export class ResizeEvents extends EventEmitter {
  last?: TerminalSize;

  report(size: TerminalSize): void {
    this.last = size;
    this.emit('resize', size);
  }
}

export interface ExecStreams {
  /** What the client sends; ends when it half-closes stdin. */
  stdin?: Readable;
  stdout?: Writable;
  /** Absent with a TTY: the terminal merges stderr into stdout. */
  stderr?: Writable;
  resize: ResizeEvents;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** What goes on the error channel: a metav1.Status, without kind/apiVersion as the kubelet writes it. */
export interface StreamStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: Array<{ reason?: string; message?: string }> };
}

export type StreamHandler = (streams: ExecStreams) => Promise<StreamStatus>;

export const streamStatus = {
  success: (): StreamStatus => ({ metadata: {}, status: 'Success' }),
  /** A command that ran and failed: kubectl exits with its code. */
  exitCode: (code: number, cmd: string[]): StreamStatus => ({
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${cmd.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  }),
  /** A command that could not run: kubectl prints the message and exits 1. */
  internal: (message: string): StreamStatus => ({
    metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', code: 500,
    details: { causes: [{ message }] },
  }),
};

/** Terminal sizes arrive as JSON objects, one a line (Go's json.Encoder); a message may hold several. */
function resizeParser(resize: ResizeEvents): (data: Buffer) => void {
  let pending = '';
  return (data) => {
    pending += data.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    // A message without a newline is a whole object too (other clients send them bare).
    if (pending.trim().startsWith('{') && pending.trim().endsWith('}')) {
      lines.push(pending);
      pending = '';
    }
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const s = JSON.parse(line) as { Width?: number; Height?: number };
        if (typeof s.Width === 'number' && typeof s.Height === 'number') resize.report({ width: s.Width, height: s.Height });
      } catch {
        // a malformed size is ignored, as the kubelet logs and ignores it
      }
    }
  };
}

/** Ends writables and waits until what was written has gone out (or the consumer went away). */
function finish(...ws: Array<Writable | undefined>): Promise<void> {
  return Promise.all(ws.filter((w): w is Writable => !!w).map((w) => new Promise<void>((resolve) => {
    if (w.writableFinished || w.destroyed) return resolve();
    w.once('finish', () => resolve());
    w.once('close', () => resolve());
    w.end();
  }))).then(() => undefined);
}

/** Runs `handler` on an upgraded WebSocket, then sends its status and closes. */
export async function serveWebSocket(ws: WebSocket, opts: StreamOptions, handler: StreamHandler): Promise<void> {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const ac = new AbortController();
  const resize = new ResizeEvents();
  const onResize = resizeParser(resize);
  const stdin = opts.stdin ? new PassThrough() : undefined;
  const channel = (id: number) => new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== ws.OPEN) return cb();
      ws.send(Buffer.concat([Buffer.from([id]), chunk]), { binary: true }, () => cb());
    },
  });
  const stdout = opts.stdout ? channel(CH_STDOUT) : undefined;
  const stderr = opts.stderr && !opts.tty ? channel(CH_STDERR) : undefined;

  ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    const data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    if (!isBinary || data.length === 0) return;
    const id = data[0];
    if (v5 && id === CH_CLOSE) {
      if (data.length === 2 && data[1] === CH_STDIN) stdin?.end();
      return;
    }
    const body = data.subarray(1);
    if (id === CH_STDIN) {
      // A command slower than its input holds the client back rather than filling memory.
      if (stdin && !stdin.writableEnded && !stdin.write(body)) {
        ws.pause();
        stdin.once('drain', () => ws.resume());
      }
    } else if (id === CH_RESIZE) onResize(body);
  });
  ws.on('close', () => {
    ac.abort();
    if (stdin && !stdin.writableEnded) stdin.end();
  });
  ws.on('error', () => {});

  let status: StreamStatus;
  try {
    status = await handler({ stdin, stdout, stderr, resize, signal: ac.signal });
  } catch (err) {
    status = streamStatus.internal((err as Error).message);
  }
  await finish(stdout, stderr);
  if (ws.readyState === ws.OPEN) {
    await new Promise<void>((resolve) => ws.send(Buffer.concat([Buffer.from([CH_ERROR]), Buffer.from(JSON.stringify(status))]), { binary: true }, () => resolve()));
    ws.close(1000);
  }
}

/**
 * Runs `handler` on a SPDY session once the client has opened the streams `opts` call for (error,
 * then stdin/stdout/stderr/resize as asked); the status goes on the error stream.
 */
export async function serveSpdy(session: SpdySession, opts: StreamOptions, handler: StreamHandler, creationTimeoutMs = 30_000): Promise<void> {
  const want = new Set(['error']);
  if (opts.stdin) want.add('stdin');
  if (opts.stdout) want.add('stdout');
  if (opts.stderr && !opts.tty) want.add('stderr');
  if (opts.tty) want.add('resize');
  const got = new Map<string, SpdyStream>();
  const ready = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), creationTimeoutMs);
    session.on('stream', (s: SpdyStream) => {
      const type = s.headers.streamtype ?? '';
      if (!want.has(type) || got.has(type)) {
        s.abort();
        return;
      }
      s.reply();
      got.set(type, s);
      if (got.size === want.size) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    session.on('close', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!(await ready)) {
    session.close();
    return;
  }
  const ac = new AbortController();
  session.on('close', () => ac.abort());
  const resize = new ResizeEvents();
  got.get('resize')?.on('data', resizeParser(resize));
  const errorStream = got.get('error')!;
  let status: StreamStatus;
  try {
    status = await handler({ stdin: got.get('stdin'), stdout: got.get('stdout'), stderr: got.get('stderr'), resize, signal: ac.signal });
  } catch (err) {
    status = streamStatus.internal((err as Error).message);
  }
  await finish(got.get('stdout'), got.get('stderr'));
  if (!session.closed) {
    errorStream.end(JSON.stringify(status));
    await finish(errorStream);
    got.get('resize')?.end();
    // Give the client a moment to read the status before the connection goes.
    setTimeout(() => session.close(), 100).unref();
  }
}

/** Picks the SPDY subprotocol from a client's X-Stream-Protocol-Version offers; undefined if none is served. */
export function negotiateSpdy(offered: string[], supported: readonly string[]): string | undefined {
  return offered.find((p) => supported.includes(p));
}
