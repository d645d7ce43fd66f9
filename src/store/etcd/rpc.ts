// etcd's v3 gRPC API as typed calls: the proto subset in etcd.proto, loaded once, and the message
// shapes the backend reads and writes (field names as in the proto, int64 as JS numbers).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

// ---- messages -------------------------------------------------------------------------------------
// Decoded with `defaults: false`: a field that holds its zero value may be absent.

export interface ResponseHeader {
  cluster_id?: string | number;
  member_id?: string | number;
  revision?: number;
  raft_term?: number;
}

export interface KeyValueMsg {
  key: Buffer;
  create_revision?: number;
  mod_revision?: number;
  version?: number;
  value?: Buffer;
  lease?: number;
}

export interface RangeRequest {
  key: Buffer;
  range_end?: Buffer;
  limit?: number;
  revision?: number;
  serializable?: boolean;
  keys_only?: boolean;
  count_only?: boolean;
}

export interface RangeResponse {
  header?: ResponseHeader;
  kvs?: KeyValueMsg[];
  more?: boolean;
  count?: number;
}

export interface PutRequest {
  key: Buffer;
  value: Buffer;
  lease?: number;
  prev_kv?: boolean;
}

export interface PutResponse {
  header?: ResponseHeader;
  prev_kv?: KeyValueMsg;
}

export interface DeleteRangeRequest {
  key: Buffer;
  range_end?: Buffer;
  prev_kv?: boolean;
}

export interface DeleteRangeResponse {
  header?: ResponseHeader;
  deleted?: number;
  prev_kvs?: KeyValueMsg[];
}

export interface RequestOp {
  request_range?: RangeRequest;
  request_put?: PutRequest;
  request_delete_range?: DeleteRangeRequest;
}

export interface ResponseOp {
  response_range?: RangeResponse;
  response_put?: PutResponse;
  response_delete_range?: DeleteRangeResponse;
}

export const CompareResult = { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } as const;
export const CompareTarget = { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3, LEASE: 4 } as const;

export interface Compare {
  result: number;
  target: number;
  key: Buffer;
  version?: number;
  create_revision?: number;
  mod_revision?: number;
}

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface TxnResponse {
  header?: ResponseHeader;
  succeeded?: boolean;
  responses?: ResponseOp[];
}

export interface CompactionRequest {
  revision: number;
  physical?: boolean;
}

export interface CompactionResponse {
  header?: ResponseHeader;
}

export const EventType = { PUT: 0, DELETE: 1 } as const;

export interface EventMsg {
  type?: number;
  kv?: KeyValueMsg;
  prev_kv?: KeyValueMsg;
}

export interface WatchRequest {
  create_request?: {
    key: Buffer;
    range_end?: Buffer;
    start_revision?: number;
    progress_notify?: boolean;
    prev_kv?: boolean;
    watch_id?: number;
  };
  cancel_request?: { watch_id: number };
}

export interface WatchResponse {
  header?: ResponseHeader;
  watch_id?: number;
  created?: boolean;
  canceled?: boolean;
  compact_revision?: number;
  cancel_reason?: string;
  events?: EventMsg[];
}

export interface LeaseGrantRequest { TTL: number; ID: number }
export interface LeaseGrantResponse { header?: ResponseHeader; ID?: number; TTL?: number; error?: string }
export interface LeaseRevokeRequest { ID: number }
export interface LeaseRevokeResponse { header?: ResponseHeader }
export interface LeaseKeepAliveRequest { ID: number }
export interface LeaseKeepAliveResponse { header?: ResponseHeader; ID?: number; TTL?: number }

export interface StatusResponse {
  header?: ResponseHeader;
  version?: string;
  dbSize?: string;
  leader?: string;
  raftIndex?: string;
  raftTerm?: string;
  raftAppliedIndex?: string;
  errors?: string[];
  dbSizeInUse?: string;
  isLearner?: boolean;
}

// ---- clients --------------------------------------------------------------------------------------

export type Unary<Req, Res> = (
  req: Req,
  md: grpc.Metadata,
  cb: (err: grpc.ServiceError | null, res?: Res) => void,
) => grpc.ClientUnaryCall;

export interface KVClient extends grpc.Client {
  Range: Unary<RangeRequest, RangeResponse>;
  Put: Unary<PutRequest, PutResponse>;
  DeleteRange: Unary<DeleteRangeRequest, DeleteRangeResponse>;
  Txn: Unary<TxnRequest, TxnResponse>;
  Compact: Unary<CompactionRequest, CompactionResponse>;
}

export interface WatchClient extends grpc.Client {
  Watch(md: grpc.Metadata, opts?: grpc.CallOptions): grpc.ClientDuplexStream<WatchRequest, WatchResponse>;
}

export interface LeaseClient extends grpc.Client {
  LeaseGrant: Unary<LeaseGrantRequest, LeaseGrantResponse>;
  LeaseRevoke: Unary<LeaseRevokeRequest, LeaseRevokeResponse>;
  LeaseKeepAlive(md: grpc.Metadata, opts?: grpc.CallOptions): grpc.ClientDuplexStream<LeaseKeepAliveRequest, LeaseKeepAliveResponse>;
}

export interface MaintenanceClient extends grpc.Client {
  Status: Unary<Record<string, never>, StatusResponse>;
}

type Ctor<T> = new (address: string, creds: grpc.ChannelCredentials, opts?: grpc.ClientOptions) => T;

export interface EtcdServices {
  KV: Ctor<KVClient>;
  Watch: Ctor<WatchClient>;
  Lease: Ctor<LeaseClient>;
  /** Loaded with 64-bit integers as decimal strings: member IDs use all 64 bits. */
  Maintenance: Ctor<MaintenanceClient>;
}

/**
 * The proto sits beside this module in the source tree; the compiled module runs from dist/, which
 * tsc does not copy .proto files into, so the source tree's copy is the fallback.
 */
function protoPath(): string {
  const candidates = ['./etcd.proto', '../../../../src/store/etcd/etcd.proto'];
  for (const rel of candidates) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`etcd.proto not found next to ${fileURLToPath(import.meta.url)}`);
}

let services: EtcdServices | undefined;

/** The generated client constructors, loaded on first use. */
export function etcdServices(): EtcdServices {
  if (services) return services;
  const file = protoPath();
  // Revisions and lease IDs fit in a double (lease IDs are chosen below 2^53 by the backend).
  const numeric = protoLoader.loadSync(file, { keepCase: true, longs: Number, defaults: false, oneofs: false });
  const exact = protoLoader.loadSync(file, { keepCase: true, longs: String, defaults: false, oneofs: false });
  const pkg = (grpc.loadPackageDefinition(numeric) as any).etcdserverpb;
  const pkgExact = (grpc.loadPackageDefinition(exact) as any).etcdserverpb;
  services = { KV: pkg.KV, Watch: pkg.Watch, Lease: pkg.Lease, Maintenance: pkgExact.Maintenance };
  return services;
}

// ---- errors ---------------------------------------------------------------------------------------
// etcd reports its errors as gRPC statuses whose details carry the etcdserver message; the
// messages below are etcd's (rpctypes), matched by prefix.

export const EtcdMessages = {
  compacted: 'etcdserver: mvcc: required revision has been compacted',
  futureRev: 'etcdserver: mvcc: required revision is a future revision',
  leaseNotFound: 'etcdserver: requested lease not found',
  leaseExists: 'etcdserver: lease already exists',
  tooLarge: 'etcdserver: request is too large',
  noLeader: 'etcdserver: no leader',
  noSpace: 'etcdserver: mvcc: database space exceeded',
} as const;

export function details(err: unknown): string {
  const e = err as Partial<grpc.ServiceError>;
  return typeof e?.details === 'string' ? e.details : String((err as Error)?.message ?? err);
}

export function isEtcd(err: unknown, message: string): boolean {
  return details(err).startsWith(message);
}

/**
 * The request never reached etcd's state machine, so any request, write or not, may be sent again:
 * the client had no connection, or etcd refused it before proposing it to raft.
 */
export function notApplied(err: unknown): boolean {
  const d = details(err);
  return d.startsWith('No connection established')
    || d.startsWith(EtcdMessages.noLeader)
    || d.startsWith('etcdserver: too many requests')
    || d.startsWith('raft proposal dropped')
    || d.startsWith('etcdserver: not leader');
}

/**
 * The member or the connection failed (as opposed to etcd answering with an error about the
 * request): a read may be retried, elsewhere if the member seems gone.
 */
export function transient(err: unknown): boolean {
  const code = (err as Partial<grpc.ServiceError>)?.code;
  // A message grpc-js could not encode or decode fails the same way on every member.
  if (/serialization failure|parsing error/i.test(details(err))) return false;
  if (code === grpc.status.UNAVAILABLE || code === grpc.status.DEADLINE_EXCEEDED) return true;
  if (notApplied(err)) return true;
  // A connection reset mid-call surfaces as INTERNAL or CANCELLED from the HTTP/2 layer.
  if (code === grpc.status.INTERNAL || code === grpc.status.CANCELLED || code === grpc.status.UNKNOWN) {
    return !details(err).startsWith('etcdserver:');
  }
  return false;
}

/** Worth moving to another member: this one is unreachable or cut off from the leader. */
export function memberDown(err: unknown): boolean {
  const d = details(err);
  if (d.startsWith('etcdserver: request timed out') || d.startsWith('etcdserver: leader changed')) return false;
  return transient(err);
}
