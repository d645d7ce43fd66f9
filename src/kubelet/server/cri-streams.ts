// exec and attach through a CRI runtime's streaming server (containerd answers Exec and Attach
// with a URL on it). The kubelet is the client there: it upgrades to
// SPDY/3.1 as client-go would and bridges the streams to kubectl's connection, so kubectl gets
// WebSocket v5 (stdin half-close included) whatever the runtime speaks.
import { request } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SpdySession, type SpdyStream } from './spdy/session.js';
import { streamStatus, type StreamHandler, type StreamOptions, type StreamStatus, type TerminalSize } from './remotecommand.js';

export class StreamingServerError extends Error {}

/** Upgrades a request on the runtime's streaming server to a SPDY session. */
export function connectSpdy(url: string, protocol: string, timeoutMs = 30_000): Promise<{ session: SpdySession; protocol: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': protocol, 'Content-Length': '0' },
      timeout: timeoutMs,
    });
    req.once('upgrade', (res, socket: Socket, head: Buffer) => {
      socket.setNoDelay(true);
      const session = new SpdySession({
        server: false, write: (b) => socket.write(b), end: () => socket.end(), pause: () => socket.pause(), resume: () => socket.resume(),
      });
      socket.on('data', (d: Buffer) => session.receive(d));
      socket.on('drain', () => session.drained());
      socket.on('close', () => session.transportClosed());
      socket.on('error', () => {});
      if (head.length) session.receive(head);
      resolve({ session, protocol: String(res.headers['x-stream-protocol-version'] ?? '') });
    });
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { if (body.length < 4096) body += c; });
      res.on('end', () => reject(new StreamingServerError(body.trim() || `the runtime's streaming server answered ${res.statusCode}`)));
    });
    req.once('timeout', () => req.destroy(new StreamingServerError(`the runtime's streaming server did not answer in ${timeoutMs} ms`)));
    req.once('error', (err) => reject(err instanceof StreamingServerError ? err : new StreamingServerError(`cannot reach the runtime's streaming server: ${err.message}`)));
    req.end();
  });
}

const ended = (s: Duplex): Promise<void> => new Promise((resolve) => {
  if (s.readableEnded || s.destroyed) return resolve();
  s.once('end', () => resolve());
  s.once('close', () => resolve());
});

/** Bridges one exec or attach to the runtime's streaming URL; resolves with the runtime's status. */
export function criStream(url: () => Promise<string>, opts: StreamOptions): StreamHandler {
  return async (streams) => {
    let session: SpdySession;
    try {
      ({ session } = await connectSpdy(await url(), 'v4.channel.k8s.io'));
    } catch (err) {
      return streamStatus.internal(`error executing command in container: ${(err as Error).message}`);
    }
    const open = (type: string) => session.openStream({ streamtype: type });
    // The order client-go opens them in; the runtime waits for exactly the streams it was asked for.
    const error = open('error');
    const stdin = opts.stdin ? open('stdin') : undefined;
    const stdout = opts.stdout ? open('stdout') : undefined;
    const stderr = opts.stderr && !opts.tty ? open('stderr') : undefined;
    const resize = opts.tty ? open('resize') : undefined;
    const errorText: Buffer[] = [];
    error.on('data', (c: Buffer) => errorText.push(c));
    if (stdin && streams.stdin) streams.stdin.pipe(stdin);
    else stdin?.end();
    if (stdout) {
      if (streams.stdout) stdout.pipe(streams.stdout, { end: false });
      else stdout.resume();
    }
    if (stderr) {
      if (streams.stderr) stderr.pipe(streams.stderr, { end: false });
      else stderr.resume();
    }
    const onResize = (size: TerminalSize) => resize?.write(JSON.stringify({ Width: size.width, Height: size.height }) + '\n');
    if (streams.resize.last) onResize(streams.resize.last);
    streams.resize.on('resize', onResize);
    const onAbort = () => session.close();
    streams.signal.addEventListener('abort', onAbort, { once: true });
    await Promise.all([ended(error), ...[stdout, stderr].filter((s): s is SpdyStream => !!s).map(ended)]);
    streams.signal.removeEventListener('abort', onAbort);
    streams.resize.off('resize', onResize);
    if (stdin) streams.stdin?.unpipe(stdin);
    session.close();
    const text = Buffer.concat(errorText).toString('utf8').trim();
    if (!text) return streams.signal.aborted ? streamStatus.internal('the client went away') : streamStatus.success();
    try {
      return JSON.parse(text) as StreamStatus;
    } catch {
      return streamStatus.internal(text);
    }
  };
}
