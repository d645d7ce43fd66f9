// A SPDY/3.1 session over any byte transport (a TLS socket after an HTTP upgrade, or WebSocket
// binary messages when kubectl tunnels SPDY through a WebSocket), with its streams as Node
// duplexes. It speaks what Kubernetes' peers (moby/spdystream, used by client-go, the kubelet and
// containerd) speak: SYN_STREAM/SYN_REPLY with compressed headers, DATA with FIN half-closes,
// RST_STREAM, PING echo and GOAWAY. spdystream neither sends nor honours WINDOW_UPDATE, so
// neither does this: streams are not flow-controlled by the protocol, only by the transport, as
// in Go: a stream whose reader lags pauses the transport, and writers wait while it is full.
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { constants as zc, createInflate, type Inflate } from 'node:zlib';
import { SPDY_DICTIONARY } from './dictionary.js';
import {
  dataFrame, decodeHeaderBlock, encodeHeaderBlock, FLAG_FIN, FLAG_UNIDIRECTIONAL, FrameParser, FrameType, goAwayFrame,
  HeaderCompressor, pingFrame, rstStreamFrame, RstStatus, SpdyProtocolError, synReplyFrame, synStreamFrame,
  type Headers, type RawFrame,
} from './frames.js';

/** DATA frames are cut at this size so one stream's burst does not hold up the others for long. */
const DATA_CHUNK = 32 * 1024;
/** A header block larger than this once inflated is refused (a compression bomb, or garbage). */
const MAX_HEADER_BYTES = 256 * 1024;

/** The receiving half of header compression: one zlib stream for the whole session. */
class HeaderInflater {
  private readonly z: Inflate;
  private chunks: Buffer[] = [];
  private size = 0;
  private failure?: Error;
  private chain: Promise<unknown> = Promise.resolve();

  constructor() {
    this.z = createInflate({ dictionary: SPDY_DICTIONARY });
    this.z.on('data', (c: Buffer) => {
      this.size += c.length;
      if (this.size <= MAX_HEADER_BYTES) this.chunks.push(c);
    });
    this.z.on('error', (err) => (this.failure = err));
  }

  /** Inflates one block; blocks are inflated in the order they are given. */
  inflate(block: Buffer): Promise<Buffer> {
    const p = this.chain.then(() => new Promise<Buffer>((resolve, reject) => {
      if (this.failure) return reject(new SpdyProtocolError(`header decompression failed: ${this.failure.message}`));
      this.chunks = [];
      this.size = 0;
      this.z.write(block);
      // As the ws library does for permessage-deflate: inflated output is emitted before the
      // flush callback runs, so the block is whole here.
      this.z.flush(zc.Z_SYNC_FLUSH, () => {
        if (this.failure) return reject(new SpdyProtocolError(`header decompression failed: ${this.failure.message}`));
        if (this.size > MAX_HEADER_BYTES) return reject(new SpdyProtocolError(`header block of ${this.size} bytes exceeds ${MAX_HEADER_BYTES}`));
        resolve(Buffer.concat(this.chunks));
      });
    }));
    this.chain = p.catch(() => undefined);
    return p;
  }

  close(): void {
    this.z.close();
  }
}

export interface SpdySessionOptions {
  /** Server sessions number the streams they open even, clients odd. */
  server: boolean;
  /** Sends bytes to the peer; false when the transport is full (call drained() once it is not). */
  write(bytes: Buffer): boolean | void;
  /** Ends the transport (called once, when the session closes). */
  end(): void;
  /** Stops and restarts reading from the transport while a stream's reader lags behind. */
  pause?(): void;
  resume?(): void;
}

export declare interface SpdySession {
  /** A stream the peer opened; call reply() to accept it. */
  on(event: 'stream', listener: (stream: SpdyStream) => void): this;
  on(event: 'goaway', listener: () => void): this;
  /** The transport is gone; every stream has been destroyed. */
  on(event: 'close', listener: (err?: Error) => void): this;
  on(event: string, listener: (...args: any[]) => void): this;
}

export class SpdySession extends EventEmitter {
  private readonly parser = new FrameParser();
  private readonly compressor = new HeaderCompressor();
  private readonly inflater = new HeaderInflater();
  private readonly streams = new Map<number, SpdyStream>();
  private nextId: number;
  private lastRemoteId = 0;
  private chain: Promise<void> = Promise.resolve();
  private goneAway = false;
  private closedFlag = false;
  /** The transport ended; the session closes once the frames read before that are handled. */
  private transportGone = false;
  private ended = false;
  /** Streams whose readers are behind: the transport is paused while there are any. */
  private readonly lagging = new Set<number>();

  constructor(private readonly opts: SpdySessionOptions) {
    super();
    this.setMaxListeners(0); // every stream waiting for the transport to drain listens
    this.nextId = opts.server ? 2 : 1;
  }

  get closed(): boolean {
    return this.closedFlag || this.transportGone;
  }

  /** Feeds bytes from the transport. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: RawFrame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    for (const f of frames) {
      this.chain = this.chain.then(() => (this.closedFlag ? undefined : this.handle(f))).catch((err) => this.fail(err as Error));
    }
  }

  /** The transport can take more bytes again: writers waiting on it continue. */
  drained(): void {
    this.emit('drain');
  }

  /**
   * The transport ended or failed: every stream ends with it, once the frames read before are
   * handled. A peer often sends its replies, its last data and its status and closes the
   * connection in one go (containerd, for a container that exits at once), and replies wait for
   * header inflation: closing at once would drop what follows them.
   */
  transportClosed(err?: Error): void {
    if (this.closed) return;
    this.transportGone = true;
    this.ended = true;
    this.chain = this.chain.then(() => this.closeNow(err));
  }

  private closeNow(err?: Error): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const s of [...this.streams.values()]) s.sessionClosed();
    this.streams.clear();
    this.inflater.close();
    this.emit('close', err);
  }

  /** Ends the transport, once. */
  private endTransport(): void {
    if (this.ended) return;
    this.ended = true;
    this.opts.end();
  }

  /** Opens a stream to the peer (SYN_STREAM); `fin` opens it already half-closed on our side. */
  openStream(headers: Headers, opts: { fin?: boolean } = {}): SpdyStream {
    if (this.closed || this.goneAway) throw new SpdyProtocolError('the SPDY session is closed');
    const id = this.nextId;
    this.nextId += 2;
    const stream = new SpdyStream(this, id, headers, true);
    this.streams.set(id, stream);
    const flags = opts.fin ? FLAG_FIN : 0;
    this.send(synStreamFrame(id, flags, this.compressor.compress(encodeHeaderBlock(headers))));
    if (opts.fin) stream.localFinished();
    return stream;
  }

  /** Tells the peer no new streams will be accepted, then ends the transport once streams are done. */
  goAway(): void {
    if (this.closed || this.goneAway) return;
    this.goneAway = true;
    this.send(goAwayFrame(this.lastRemoteId));
    this.endIfIdle();
  }

  /** Ends the session now: GOAWAY, then the transport, whatever streams are open. */
  close(): void {
    if (this.closedFlag) return;
    if (!this.goneAway) {
      this.goneAway = true;
      this.send(goAwayFrame(this.lastRemoteId));
    }
    this.endTransport();
    this.closeNow();
  }

  /** Streams still open. */
  get streamCount(): number {
    return this.streams.size;
  }

  // ---- used by SpdyStream ----

  /** Writes to the transport; false when it is full. */
  send(bytes: Buffer): boolean {
    if (this.closed) return true;
    return this.opts.write(bytes) !== false;
  }

  sendData(id: number, data: Buffer, fin: boolean): boolean {
    if (data.length === 0) return this.send(dataFrame(id, fin ? FLAG_FIN : 0, data));
    let ok = true;
    for (let at = 0; at < data.length; at += DATA_CHUNK) {
      const last = at + DATA_CHUNK >= data.length;
      ok = this.send(dataFrame(id, fin && last ? FLAG_FIN : 0, data.subarray(at, at + DATA_CHUNK))) && ok;
    }
    return ok;
  }

  /** A stream's reader is behind (or caught up again): reading from the transport pauses while any is. */
  lag(id: number, behind: boolean): void {
    const before = this.lagging.size;
    if (behind) this.lagging.add(id);
    else this.lagging.delete(id);
    if (before === 0 && this.lagging.size > 0) this.opts.pause?.();
    else if (before > 0 && this.lagging.size === 0) this.opts.resume?.();
  }

  sendReply(id: number, headers: Headers, fin: boolean): void {
    this.send(synReplyFrame(id, fin ? FLAG_FIN : 0, this.compressor.compress(encodeHeaderBlock(headers))));
  }

  sendReset(id: number, status: number): void {
    this.send(rstStreamFrame(id, status));
  }

  forget(id: number): void {
    this.streams.delete(id);
    this.lag(id, false);
    this.endIfIdle();
  }

  // ---- frames from the peer ----

  private async handle(f: RawFrame): Promise<void> {
    if (!f.control) {
      const s = this.streams.get(f.streamId);
      if (!s) {
        // Frames may still arrive for a stream we reset; anything else is the peer's mistake.
        if (f.streamId > Math.max(this.lastRemoteId, this.nextId)) this.sendReset(f.streamId, RstStatus.InvalidStream);
        return;
      }
      s.remoteData(f.payload, (f.flags & FLAG_FIN) !== 0);
      return;
    }
    if (f.version !== 3) {
      throw new SpdyProtocolError(`unsupported SPDY version ${f.version}`);
    }
    const p = f.payload;
    switch (f.type) {
      case FrameType.SynStream: {
        if (p.length < 10) throw new SpdyProtocolError('short SYN_STREAM frame');
        const id = p.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await this.inflater.inflate(p.subarray(10)));
        const peerParity = this.opts.server ? 1 : 0;
        if (id === 0 || id % 2 !== peerParity || id <= this.lastRemoteId) {
          this.sendReset(id, RstStatus.ProtocolError);
          return;
        }
        this.lastRemoteId = id;
        if (this.goneAway) {
          this.sendReset(id, RstStatus.RefusedStream);
          return;
        }
        const stream = new SpdyStream(this, id, headers, false);
        this.streams.set(id, stream);
        if (f.flags & FLAG_UNIDIRECTIONAL) stream.localFinished();
        this.emit('stream', stream);
        if (f.flags & FLAG_FIN) stream.remoteData(Buffer.alloc(0), true);
        return;
      }
      case FrameType.SynReply:
      case FrameType.Headers: {
        if (p.length < 4) throw new SpdyProtocolError('short SYN_REPLY/HEADERS frame');
        const id = p.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await this.inflater.inflate(p.subarray(4)));
        const s = this.streams.get(id);
        if (!s) return;
        s.emit(f.type === FrameType.SynReply ? 'reply' : 'headers', headers);
        if (f.flags & FLAG_FIN) s.remoteData(Buffer.alloc(0), true);
        return;
      }
      case FrameType.RstStream: {
        if (p.length < 8) throw new SpdyProtocolError('short RST_STREAM frame');
        const s = this.streams.get(p.readUInt32BE(0) & 0x7fffffff);
        s?.remoteReset(p.readUInt32BE(4));
        return;
      }
      case FrameType.Ping: {
        if (p.length < 4) throw new SpdyProtocolError('short PING frame');
        const id = p.readUInt32BE(0);
        const ours = this.opts.server ? 0 : 1;
        // The peer's pings are echoed; answers to ours need nothing.
        if (id % 2 !== ours) this.send(pingFrame(id));
        return;
      }
      case FrameType.GoAway:
        this.goneAway = true;
        this.emit('goaway');
        this.endIfIdle();
        return;
      case FrameType.Settings:
      case FrameType.WindowUpdate:
      default:
        return;
    }
  }

  private endIfIdle(): void {
    if (this.goneAway && this.streams.size === 0 && !this.closed) {
      this.endTransport();
      this.closeNow();
    }
  }

  private fail(err: Error): void {
    if (this.closedFlag) return;
    this.endTransport();
    this.closeNow(err);
  }
}

/**
 * One SPDY stream: writing sends DATA, end() sends FIN, the readable side gets the peer's DATA and
 * ends at its FIN. A reset from either side destroys it.
 */
export class SpdyStream extends Duplex {
  private localFin = false;
  private remoteFin = false;
  private replied: boolean;
  private wasReset = false;

  constructor(private readonly session: SpdySession, readonly id: number, readonly headers: Headers, readonly local: boolean) {
    super({ allowHalfOpen: true });
    this.replied = local;
    // Errors surface as 'close'/'reset' to whoever owns the stream; an unheard 'error' must not crash the agent.
    this.on('error', () => {});
  }

  /** Whether the peer reset the stream (RST_STREAM) rather than finishing it. */
  get reset(): boolean {
    return this.wasReset;
  }

  /** Accepts a stream the peer opened (SYN_REPLY). */
  reply(headers: Headers = {}): void {
    if (this.replied) return;
    this.replied = true;
    this.session.sendReply(this.id, headers, false);
  }

  /** Aborts the stream (RST_STREAM). */
  abort(status: number = RstStatus.Cancel): void {
    if (this.wasReset) return;
    this.wasReset = true;
    this.session.sendReset(this.id, status);
    this.session.forget(this.id);
    this.destroy();
  }

  override _read(): void {
    this.session.lag(this.id, false);
  }

  /** Destroying a stream that is not finished both ways resets it, so the peer is not left waiting. */
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.wasReset && !(this.localFin && this.remoteFin)) {
      this.wasReset = true;
      this.session.sendReset(this.id, RstStatus.Cancel);
      this.session.forget(this.id);
    }
    cb(err);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.localFin || this.wasReset) return cb();
    if (!this.replied) this.reply();
    if (this.session.sendData(this.id, chunk, false) || this.session.closed) return cb();
    // The transport is full: the next write waits until it drains (or the session ends).
    const go = () => {
      this.session.off('drain', go);
      this.session.off('close', go);
      cb();
    };
    this.session.on('drain', go);
    this.session.on('close', go);
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.localFin && !this.wasReset) {
      if (!this.replied) this.reply();
      this.session.sendData(this.id, Buffer.alloc(0), true);
      this.localFinished();
    }
    cb();
  }

  // ---- used by SpdySession ----

  localFinished(): void {
    this.localFin = true;
    if (this.remoteFin) this.session.forget(this.id);
  }

  remoteData(data: Buffer, fin: boolean): void {
    if (this.remoteFin) return;
    if (data.length && !this.push(data)) this.session.lag(this.id, true);
    if (fin) {
      this.remoteFin = true;
      this.push(null);
      if (this.localFin) this.session.forget(this.id);
    }
  }

  remoteReset(_status: number): void {
    if (this.wasReset) return;
    this.wasReset = true;
    this.remoteFin = this.localFin = true;
    this.session.forget(this.id);
    this.emit('reset');
    this.push(null);
    this.destroy();
  }

  /**
   * The transport is gone: what the peer sent is still read to its end (a peer that closes the
   * connection right after its last DATA loses nothing), then the stream closes.
   */
  sessionClosed(): void {
    if (this.destroyed) return;
    this.remoteFin = this.localFin = true;
    this.push(null);
    if (!this.writableEnded) this.end();
  }
}
