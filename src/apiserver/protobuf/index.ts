// Request bodies in Kubernetes' protobuf encoding (application/vnd.kubernetes.protobuf), which
// kubectl's typed clients send for writes and do not retry as JSON. k8s.io/apimachinery's
// protobuf serializer frames a body as the magic `k8s\0` and a runtime.Unknown whose typeMeta
// names the kind and whose raw is the object's own message; the object comes out as the JSON
// the same request would have carried, so the rest of the server sees no difference.
import type * as Protobuf from 'protobufjs';
import { errors, StatusError } from '../../machinery/status.js';
import { messageToJSON } from './go-json.js';
import { groupVersionPackages, messageType, META_V1, RUNTIME } from './schema.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from('k8s\0', 'latin1');

/** Whether a Content-Type header (parameters allowed) is Kubernetes' protobuf encoding. */
export function isProtobuf(contentType: string): boolean {
  return contentType.split(';')[0].trim().toLowerCase() === PROTOBUF_MEDIA_TYPE;
}

export interface ExpectedKind {
  apiVersion: string;
  kind: string;
}

/**
 * Decodes a protobuf request body into the JSON object it stands for, with apiVersion and kind
 * taken from its typeMeta (or from `expect` where the body leaves them out, as kube-apiserver
 * fills them from the request's path). A malformed body is a 400; a kind with no protobuf
 * schema here (custom resources, kinds k8ts does not know) is a 415.
 */
export function decodeProtobuf(body: Buffer, expect?: ExpectedKind): unknown {
  if (body.length === 0) throw errors.badRequest('the request body is empty');
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw errors.badRequest(`provided data does not appear to be a protobuf message, expected prefix [${[...MAGIC].join(' ')}]`);
  }
  if (body.length === MAGIC.length) throw errors.badRequest('empty body');
  const unknown = decode(messageType(RUNTIME, 'Unknown')!, body.subarray(MAGIC.length), 'runtime.Unknown');
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion || expect?.apiVersion || '';
  const kind = typeMeta.kind || expect?.kind || '';
  if (!kind) throw errors.badRequest('Object \'Kind\' is missing in the protobuf body');
  if (!apiVersion) throw errors.badRequest(`Object 'apiVersion' is missing in the protobuf body of kind ${kind}`);
  const encoding = (unknown.contentEncoding as string | undefined) ?? '';
  const innerType = (unknown.contentType as string | undefined) ?? '';
  if (encoding || (innerType && !isProtobuf(innerType))) {
    throw new StatusError(415, 'UnsupportedMediaType',
      `the protobuf body of ${apiVersion}, Kind=${kind} wraps ${innerType || PROTOBUF_MEDIA_TYPE}${encoding ? ` with content encoding ${encoding}` : ''}, which k8ts does not decode; send the object as application/json`);
  }
  const type = kindType(apiVersion, kind);
  const raw = (unknown.raw as Uint8Array | undefined) ?? new Uint8Array(0);
  const message = decode(type, raw, `${apiVersion}, Kind=${kind}`);
  let json: Record<string, unknown>;
  try {
    json = messageToJSON(type, message) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw errors.badRequest(`error decoding protobuf ${apiVersion}, Kind=${kind}: ${(err as Error).message}`);
  }
  return { kind, apiVersion, ...json };
}

/** The message of a kind: an object of a served group/version (it has ObjectMeta), or DeleteOptions in any. */
function kindType(apiVersion: string, kind: string): Protobuf.Type {
  const pkg = kind === 'DeleteOptions' ? META_V1 : groupVersionPackages[apiVersion];
  const type = pkg && /^[A-Z][A-Za-z0-9]*$/.test(kind) ? messageType(pkg, kind) : undefined;
  const metadata = type?.fields.metadata;
  const isKind = kind === 'DeleteOptions' ? !!type : metadata?.resolve().resolvedType?.fullName === `.${META_V1}.ObjectMeta`;
  if (!type || !isKind) {
    throw new StatusError(415, 'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (k8ts has no protobuf schema for ${apiVersion}, Kind=${kind})`);
  }
  return type;
}

function decode(type: Protobuf.Type, bytes: Uint8Array, what: string): Record<string, unknown> {
  try {
    return type.decode(bytes) as unknown as Record<string, unknown>;
  } catch (err) {
    throw errors.badRequest(`error decoding protobuf ${what}: ${(err as Error).message}`);
  }
}
