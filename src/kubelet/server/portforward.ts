// The port-forward protocol (portforward.k8s.io) over a SPDY session: for every connection kubectl
// accepts locally it opens two streams with the same `port` and `requestid` headers, `error` and
// `data`. The data stream carries the TCP bytes both ways (FIN half-closes); the error stream
// gets a message if forwarding fails, and is closed when the connection is done.
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SpdySession, SpdyStream } from './spdy/session.js';

/** Connects to `port` inside the pod; the rejection message goes to the client's error stream. */
export type PortDialer = (port: number) => Promise<Duplex>;

/** How long the second stream of a pair may take to arrive (the kubelet's stream creation timeout). */
const PAIR_TIMEOUT_MS = 30_000;

/** A dialer for a TCP address reachable from the node (the pod's IP, or loopback for host pods). */
export function tcpDialer(host: string, timeoutMs = 10_000): PortDialer {
  return (port) => new Promise<Duplex>((resolve, reject) => {
    const s: Socket = connect({ host, port });
    const t = setTimeout(() => s.destroy(new Error(`dial tcp ${host}:${port}: i/o timeout`)), timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      s.setNoDelay(true);
      resolve(s);
    });
    s.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(t);
      reject(new Error(err.code === 'ECONNREFUSED' ? `dial tcp ${host}:${port}: connect: connection refused` : err.message));
    });
  });
}

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** The request id of a stream: its header, or (for clients without one) derived from stream ids as the kubelet does. */
function requestIdOf(s: SpdyStream): string {
  const id = s.headers.requestid;
  if (id !== undefined) return id;
  return String(s.headers.streamtype === 'data' ? s.id - 2 : s.id);
}

/** Serves port-forward streams on a session until it closes. */
export function servePortForward(session: SpdySession, dial: PortDialer, describe: string): void {
  const pairs = new Map<string, Pair>();
  session.on('stream', (s: SpdyStream) => {
    const type = s.headers.streamtype;
    if (type !== 'error' && type !== 'data') {
      s.abort();
      return;
    }
    s.reply();
    const key = requestIdOf(s);
    let pair = pairs.get(key);
    if (!pair) {
      pair = { timer: setTimeout(() => {
        pairs.delete(key);
        pair!.error?.abort();
        pair!.data?.abort();
      }, PAIR_TIMEOUT_MS) };
      pairs.set(key, pair);
    }
    if (pair[type]) {
      s.abort();
      return;
    }
    pair[type] = s;
    if (pair.error && pair.data) {
      clearTimeout(pair.timer);
      pairs.delete(key);
      void forward(pair.error, pair.data, dial, describe);
    }
  });
  session.on('close', () => {
    for (const p of pairs.values()) clearTimeout(p.timer);
    pairs.clear();
  });
}

async function forward(error: SpdyStream, data: SpdyStream, dial: PortDialer, describe: string): Promise<void> {
  const raw = error.headers.port ?? '';
  const port = /^\d+$/.test(raw) ? Number(raw) : NaN;
  const fail = (msg: string) => {
    error.end(msg);
    data.end();
  };
  if (!(port >= 1 && port <= 65535)) return fail(`invalid port header "${raw}"`);
  // The client sends nothing on the error stream; reading lets its FIN through.
  error.resume();
  let conn: Duplex;
  try {
    conn = await dial(port);
  } catch (err) {
    return fail(`error forwarding port ${port} to ${describe}: ${(err as Error).message}`);
  }
  if (data.destroyed) {
    conn.destroy();
    error.end();
    return;
  }
  conn.on('error', () => {});
  data.pipe(conn);
  conn.pipe(data);
  const done = new Promise<void>((resolve) => {
    let remoteDone = false;
    let localDone = false;
    const check = () => { if (remoteDone && localDone) resolve(); };
    conn.once('close', () => { remoteDone = true; if (!data.writableEnded) data.end(); check(); });
    data.once('end', () => { localDone = true; check(); });
    // kubectl resets the data stream once it has read the pod's side to the end.
    data.once('close', () => { localDone = true; conn.destroy(); check(); });
  });
  await done;
  if (!error.writableEnded) error.end();
}
