// CRI's two gRPC services as promise-returning clients over the runtime's unix socket.
//
// CRI is unary calls only, so this speaks gRPC's wire format directly over one HTTP/2 session
// (node:http2): a POST per call with the length-prefixed protobuf message, the answer's message
// and its grpc-status trailer. A general gRPC client (grpc-js: resolvers, load balancing, retries,
// interceptors, filters) spent about as much of our CPU per call again as the HTTP/2 stream itself,
// and a pod's start is a dozen CRI calls.
import { connect as connectHttp2, constants as h2, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import { connect as connectNet } from 'node:net';
import protobuf from 'protobufjs';
import { CRI_PROTO } from './proto.js';

/** gRPC status codes (the ones the CRI driver tells apart, and the names of all for messages). */
export const GrpcStatus = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
} as const;
const STATUS_NAMES = new Map<number, string>(Object.entries(GrpcStatus).map(([k, v]) => [v, k]));

/** A CRI call that failed: the gRPC status code and the runtime's message. */
export class CriError extends Error {
  constructor(readonly method: string, readonly code: number, readonly details: string) {
    super(`CRI ${method}: ${details || STATUS_NAMES.get(code) || `code ${code}`}`);
    this.name = 'CriError';
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof CriError && err.code === GrpcStatus.NOT_FOUND;
}

interface Codec {
  path: string;
  encode(req: object): Uint8Array;
  decode(buf: Uint8Array): any;
}

// int64 nanosecond timestamps exceed 2^53, but the driver reports milliseconds, so a double's
// sub-microsecond rounding is invisible; enums as names keep the mapping readable; absent fields
// read as their defaults, as in proto3.
const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: true, bytes: Buffer as unknown as typeof String, oneofs: false };

let root: protobuf.Root | undefined;
const codecs = new Map<string, Codec | null>();

function codecFor(service: 'RuntimeService' | 'ImageService', method: string): Codec | null {
  const key = `${service}/${method}`;
  let c = codecs.get(key);
  if (c !== undefined) return c;
  if (!root) {
    root = protobuf.parse(CRI_PROTO, { keepCase: true }).root;
    root.resolveAll();
  }
  const m = root.lookupService(`runtime.v1.${service}`).methods[method];
  if (!m) {
    c = null;
  } else {
    const reqType = m.resolvedRequestType!;
    const resType = m.resolvedResponseType!;
    c = {
      path: `/runtime.v1.${service}/${method}`,
      encode: (req) => reqType.encode(reqType.fromObject(req)).finish(),
      decode: (buf) => resType.toObject(resType.decode(buf), TO_OBJECT),
    };
  }
  codecs.set(key, c);
  return c;
}

export type Call = <Res = any>(method: string, req: object, timeoutMs?: number) => Promise<Res>;

export interface CriConnection {
  runtime: Call;
  image: Call;
  close(): void;
}

/** The HTTP/2 session to the socket: opened on the first call, again after it closed. */
class Session {
  private session: ClientHttp2Session | undefined;
  private inFlight = 0;
  private closed = false;

  constructor(private readonly socket: string) {}

  get(): ClientHttp2Session {
    if (this.closed) throw new CriError('connect', GrpcStatus.CANCELLED, 'the CRI connection was closed');
    const current = this.session;
    if (current && !current.closed && !current.destroyed) return current;
    const s = connectHttp2('http://localhost', { createConnection: () => connectNet(this.socket) });
    const forget = () => {
      if (this.session === s) this.session = undefined;
    };
    // Errors surface on the streams of the calls; the session only has to be replaced.
    s.on('error', forget);
    s.on('close', forget);
    s.on('goaway', forget);
    this.session = s;
    if (this.inFlight === 0) s.unref();
    return s;
  }

  /** The session keeps the process alive only while a call waits on it. */
  begin(s: ClientHttp2Session): void {
    if (this.inFlight++ === 0) s.ref();
  }

  end(s: ClientHttp2Session): void {
    if (--this.inFlight === 0 && !s.destroyed) s.unref();
  }

  /** Drops a session that refused a call, so the next call opens a new one. */
  forget(s: ClientHttp2Session): void {
    if (this.session === s) this.session = undefined;
  }

  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = undefined;
  }
}

/** A call the runtime never saw: its session was going away. It is made again on a new one. */
class Refused extends CriError {}

function refused(err: Error & { code?: string }): boolean {
  return err.code === 'ERR_HTTP2_GOAWAY_SESSION' || err.code === 'ERR_HTTP2_INVALID_SESSION' || /NGHTTP2_REFUSED_STREAM/.test(err.message);
}

/** One unary call: resolves with the decoded answer or rejects with a CriError. */
function unary(session: Session, codec: Codec, method: string, req: object, timeoutMs: number): Promise<any> {
  return new Promise((resolve, reject) => {
    let s: ClientHttp2Session;
    let body: Uint8Array;
    try {
      body = codec.encode(req);
      s = session.get();
    } catch (err) {
      reject(err instanceof CriError ? err : new CriError(method, GrpcStatus.INTERNAL, (err as Error).message));
      return;
    }
    session.begin(s);
    let settled = false;
    let stream: ClientHttp2Stream | undefined;
    const finish = (err: CriError | undefined, res?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.end(s);
      if (err) {
        if (stream && !stream.closed) stream.close(h2.NGHTTP2_CANCEL);
        reject(err);
      } else {
        resolve(res);
      }
    };
    const timer = setTimeout(() => finish(new CriError(method, GrpcStatus.DEADLINE_EXCEEDED, 'Deadline exceeded')), timeoutMs);
    try {
      stream = s.request({
        [h2.HTTP2_HEADER_METHOD]: 'POST',
        [h2.HTTP2_HEADER_PATH]: codec.path,
        [h2.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
        te: 'trailers',
        'grpc-timeout': `${Math.max(1, Math.ceil(timeoutMs))}m`,
      });
    } catch (err) {
      session.forget(s);
      finish(new (refused(err as Error) ? Refused : CriError)(method, GrpcStatus.UNAVAILABLE, (err as Error).message));
      return;
    }
    const chunks: Buffer[] = [];
    let grpcStatus: number | undefined;
    let grpcMessage = '';
    let httpStatus = 0;
    const readStatus = (headers: Record<string, unknown>) => {
      if (headers['grpc-status'] === undefined) return;
      grpcStatus = Number(headers['grpc-status']);
      const m = String(headers['grpc-message'] ?? '');
      try {
        grpcMessage = decodeURIComponent(m);
      } catch {
        grpcMessage = m;
      }
    };
    stream.on('response', (headers) => {
      httpStatus = Number(headers[h2.HTTP2_HEADER_STATUS] ?? 0);
      readStatus(headers);
    });
    stream.on('trailers', readStatus);
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('error', (err: Error) => {
      if (refused(err)) session.forget(s);
      finish(new (refused(err) && !httpStatus ? Refused : CriError)(method, GrpcStatus.UNAVAILABLE, err.message));
    });
    stream.on('close', () => {
      if (settled) return;
      if (grpcStatus === undefined) {
        const why = httpStatus && httpStatus !== 200 ? `HTTP status ${httpStatus}` : 'the stream ended without a gRPC status';
        finish(new CriError(method, GrpcStatus.UNAVAILABLE, why));
        return;
      }
      if (grpcStatus !== GrpcStatus.OK) {
        finish(new CriError(method, grpcStatus, grpcMessage));
        return;
      }
      // One length-prefixed message: a compressed-flag byte (we never ask for compression) and a length.
      const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      if (buf.length < 5 || buf[0] !== 0 || buf.readUInt32BE(1) !== buf.length - 5) {
        finish(new CriError(method, GrpcStatus.INTERNAL, `malformed answer of ${buf.length} bytes`));
        return;
      }
      try {
        finish(undefined, codec.decode(buf.subarray(5)));
      } catch (err) {
        finish(new CriError(method, GrpcStatus.INTERNAL, `cannot decode the answer: ${(err as Error).message}`));
      }
    });
    const frame = Buffer.allocUnsafe(5 + body.length);
    frame[0] = 0;
    frame.writeUInt32BE(body.length, 1);
    frame.set(body, 5);
    stream.end(frame);
  });
}

/** Connects to `socket` (a path); nothing is sent until the first call. */
export function connectCri(socket: string, defaultTimeoutMs = 2 * 60_000): CriConnection {
  const session = new Session(socket);
  const caller = (service: 'RuntimeService' | 'ImageService'): Call => (method, req, timeoutMs = defaultTimeoutMs) => {
    const codec = codecFor(service, method);
    if (!codec) return Promise.reject(new Error(`CRI has no method ${method}`));
    const started = Date.now();
    return unary(session, codec, method, req, timeoutMs).catch((err: unknown) => {
      if (!(err instanceof Refused)) throw err;
      const left = timeoutMs - (Date.now() - started);
      if (left <= 0) throw new CriError(method, GrpcStatus.DEADLINE_EXCEEDED, 'Deadline exceeded');
      return unary(session, codec, method, req, left).catch((again: unknown) => {
        throw again instanceof Refused ? new CriError(method, again.code, again.details) : again;
      });
    });
  };
  return {
    runtime: caller('RuntimeService'),
    image: caller('ImageService'),
    close: () => session.close(),
  };
}
