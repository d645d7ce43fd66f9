// SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 plus 3.1's session flow control frame), the part
// Kubernetes' streaming protocols use: exec, attach and port-forward multiplex their streams over
// it. A frame is 8 bytes of header and a payload of up to 2^24-1 bytes:
//   control: 1 | version(15) | type(16) | flags(8) | length(24)
//   data:    0 | stream id(31)          | flags(8) | length(24)
// Header blocks are a count and length-prefixed name/value pairs, zlib-compressed over the whole
// session with a preset dictionary.

export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RstStatus = {
  ProtocolError: 1,
  InvalidStream: 2,
  RefusedStream: 3,
  UnsupportedVersion: 4,
  Cancel: 5,
  InternalError: 6,
  FlowControlError: 7,
  StreamInUse: 8,
  StreamAlreadyClosed: 9,
} as const;

/** The largest payload a frame can carry. */
export const MAX_FRAME_PAYLOAD = 0xffffff;

export type RawFrame =
  | { control: false; streamId: number; flags: number; payload: Buffer }
  | { control: true; version: number; type: number; flags: number; payload: Buffer };

export class SpdyProtocolError extends Error {}

/** Splits a byte stream into frames; bytes of an unfinished frame wait for the next chunk. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxPayload = MAX_FRAME_PAYLOAD) {}

  push(chunk: Buffer): RawFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: RawFrame[] = [];
    let at = 0;
    while (this.buf.length - at >= 8) {
      const word = this.buf.readUInt32BE(at);
      const flags = this.buf[at + 4];
      const length = this.buf.readUIntBE(at + 5, 3);
      if (length > this.maxPayload) throw new SpdyProtocolError(`frame of ${length} bytes exceeds the limit of ${this.maxPayload}`);
      if (this.buf.length - at < 8 + length) break;
      const payload = this.buf.subarray(at + 8, at + 8 + length);
      if (word & 0x80000000) {
        out.push({ control: true, version: (word >>> 16) & 0x7fff, type: word & 0xffff, flags, payload });
      } else {
        out.push({ control: false, streamId: word & 0x7fffffff, flags, payload });
      }
      at += 8 + length;
    }
    // Keep only the unread tail, copied so finished frames do not pin the old buffer.
    this.buf = at === 0 ? this.buf : Buffer.from(this.buf.subarray(at));
    return out;
  }
}

function header(word: number, flags: number, length: number): Buffer {
  if (length > MAX_FRAME_PAYLOAD) throw new SpdyProtocolError(`frame payload of ${length} bytes is too large`);
  const h = Buffer.alloc(8);
  h.writeUInt32BE(word >>> 0, 0);
  h[4] = flags;
  h.writeUIntBE(length, 5, 3);
  return h;
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header((0x8000 | SPDY_VERSION) * 0x10000 + type, flags, payload.length), payload]);
}

export function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  return Buffer.concat([header(streamId & 0x7fffffff, flags, data.length), data]);
}

const u32 = (...values: number[]): Buffer => {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
};

export function synStreamFrame(streamId: number, flags: number, compressedHeaders: Buffer, opts: { associatedTo?: number; priority?: number } = {}): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  fixed.writeUInt32BE((opts.associatedTo ?? 0) & 0x7fffffff, 4);
  fixed[8] = ((opts.priority ?? 0) & 0x7) << 5;
  fixed[9] = 0; // credential slot
  return controlFrame(FrameType.SynStream, flags, Buffer.concat([fixed, compressedHeaders]));
}

export function synReplyFrame(streamId: number, flags: number, compressedHeaders: Buffer): Buffer {
  return controlFrame(FrameType.SynReply, flags, Buffer.concat([u32(streamId & 0x7fffffff), compressedHeaders]));
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  return controlFrame(FrameType.RstStream, 0, u32(streamId & 0x7fffffff, status));
}

export function pingFrame(id: number): Buffer {
  return controlFrame(FrameType.Ping, 0, u32(id));
}

export function goAwayFrame(lastGoodStreamId: number, status = 0): Buffer {
  return controlFrame(FrameType.GoAway, 0, u32(lastGoodStreamId & 0x7fffffff, status));
}

export type Headers = Record<string, string>;

/**
 * An uncompressed header block: pair count, then length-prefixed names (lower case, as SPDY
 * requires) and values. Several values of one name are joined with NUL.
 */
export function encodeHeaderBlock(headers: Headers | Record<string, string | string[]>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(Array.isArray(value) ? value.join('\0') : value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Parses an uncompressed header block; several values of a name come back NUL-joined. */
export function decodeHeaderBlock(block: Buffer): Headers {
  const fail = () => { throw new SpdyProtocolError('truncated header block'); };
  if (block.length < 4) fail();
  const count = block.readUInt32BE(0);
  const out: Headers = {};
  let at = 4;
  for (let i = 0; i < count; i++) {
    if (block.length < at + 4) fail();
    const nl = block.readUInt32BE(at);
    at += 4;
    if (block.length < at + nl + 4) fail();
    const name = block.toString('utf8', at, at + nl).toLowerCase();
    at += nl;
    const vl = block.readUInt32BE(at);
    at += 4;
    if (block.length < at + vl) fail();
    const value = block.toString('utf8', at, at + vl);
    at += vl;
    out[name] = name in out ? `${out[name]}\0${value}` : value;
  }
  return out;
}

/**
 * The sending half of a session's header compression. Every block goes out as a zlib stream's
 * stored (uncompressed) deflate blocks: any conforming inflater reads them whatever dictionary it
 * presets, so the writer needs no compression state beyond "was the zlib header sent". Each block
 * ends with an empty stored block, the marker a sync flush writes: Go's inflater hands data over
 * only at such a marker, so without it the peer would wait for bytes of the next frame.
 * Header blocks here are a few dozen bytes; compressing them would save nothing worth the state.
 */
export class HeaderCompressor {
  private started = false;

  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      // CMF 0x78 (deflate, 32K window), FLG 0x01: no preset dictionary, check bits valid.
      parts.push(Buffer.from([0x78, 0x01]));
      this.started = true;
    }
    const stored = (data: Buffer) => {
      const h = Buffer.alloc(5);
      h[0] = 0x00; // BFINAL 0, BTYPE 00 (stored), padded to the byte boundary
      h.writeUInt16LE(data.length, 1);
      h.writeUInt16LE(~data.length & 0xffff, 3);
      parts.push(h, data);
    };
    for (let at = 0; at < block.length; at += 0xffff) stored(block.subarray(at, at + 0xffff));
    stored(Buffer.alloc(0));
    return Buffer.concat(parts);
  }
}
