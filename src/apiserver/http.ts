// Request bodies and responses: size limits, media types, Status errors, warnings.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors, StatusError, type Status } from '../machinery/status.js';
import { decodeProtobuf, isProtobuf } from './protobuf/index.js';

/** kube-apiserver refuses request bodies over 3 MiB. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** kube-apiserver's words for a body over the limit. */
const bodyTooLarge = () => errors.tooLarge(`Request entity too large: limit is ${MAX_BODY_BYTES}`);

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw bodyTooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw bodyTooLarge();
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/** Parses a JSON or YAML body into a value; malformed input is a 400 with the parser's reason. */
export function parseBody(buf: Buffer, type: string): unknown {
  if (isProtobuf(type)) return decodeProtobuf(buf);
  if (type === 'application/cbor') throw errors.unsupportedMediaType(type);
  const text = buf.toString('utf8');
  if (!text.trim()) throw errors.badRequest('the request body is empty');
  try {
    if (type.includes('yaml')) {
      const v = parseYaml(text, { uniqueKeys: true, merge: false, maxAliasCount: 100 });
      return v;
    }
    return JSON.parse(text);
  } catch (err) {
    throw errors.badRequest(`error decoding ${type.includes('yaml') ? 'YAML' : 'JSON'}: ${(err as Error).message.split('\n')[0]}`);
  }
}

export function sendJSON(res: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length) headers['Warning'] = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

export function sendStatus(res: ServerResponse, err: unknown): void {
  const se = err instanceof StatusError ? err : errors.internal((err as Error)?.message ?? String(err));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  if (se.details?.retryAfterSeconds) headers['Retry-After'] = String(se.details.retryAfterSeconds);
  const body: Status = se.toStatus();
  const text = JSON.stringify(body);
  res.writeHead(se.code, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function successStatus(details: Record<string, unknown>): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 } as Status;
}

/** What the client accepts: a server-side Table, or plain JSON. */
export function wantsTable(req: IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? '');
  return accept.split(',').some((part) => {
    const p = part.replace(/\s/g, '');
    return p.includes('as=Table') && p.includes('g=meta.k8s.io') && (p.includes('v=v1;') || p.endsWith('v=v1') || p.includes('v=v1beta1'));
  });
}
