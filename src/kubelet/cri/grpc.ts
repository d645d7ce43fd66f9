// CRI's two gRPC services as promise-returning clients over the runtime's unix socket.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { CRI_PROTO } from './proto.js';

/** A CRI call that failed: the gRPC status code and the runtime's message. */
export class CriError extends Error {
  constructor(readonly method: string, readonly code: grpc.status, readonly details: string) {
    super(`CRI ${method}: ${details || grpc.status[code]}`);
    this.name = 'CriError';
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof CriError && err.code === grpc.status.NOT_FOUND;
}

type Ctor = new (address: string, creds: grpc.ChannelCredentials, opts?: grpc.ClientOptions) => grpc.Client;

let ctors: { runtime: Ctor; image: Ctor } | undefined;

function services(): { runtime: Ctor; image: Ctor } {
  if (ctors) return ctors;
  const root = protobuf.parse(CRI_PROTO, { keepCase: true }).root;
  // int64 nanosecond timestamps exceed 2^53, but the driver reports milliseconds, so a double's
  // sub-microsecond rounding is invisible; enums as names keep the mapping readable.
  const def = protoLoader.fromJSON(root.toJSON(), { keepCase: true, longs: Number, enums: String, defaults: true, bytes: Buffer, oneofs: false });
  const pkg = (grpc.loadPackageDefinition(def) as any).runtime.v1;
  ctors = { runtime: pkg.RuntimeService, image: pkg.ImageService };
  return ctors;
}

export type Call = <Res = any>(method: string, req: object, timeoutMs?: number) => Promise<Res>;

export interface CriConnection {
  runtime: Call;
  image: Call;
  close(): void;
}

/** Connects to `socket` (a path); nothing is sent until the first call. */
export function connectCri(socket: string, defaultTimeoutMs = 2 * 60_000): CriConnection {
  const { runtime: R, image: I } = services();
  const address = `unix://${socket}`;
  // Image pulls and sandbox starts may carry tens of MB; the default 4 MiB cap is for responses.
  const opts: grpc.ClientOptions = { 'grpc.max_receive_message_length': 16 * 1024 * 1024 };
  const runtimeClient = new R(address, grpc.credentials.createInsecure(), opts);
  const imageClient = new I(address, grpc.credentials.createInsecure(), opts);
  const caller = (client: grpc.Client): Call => (method, req, timeoutMs = defaultTimeoutMs) =>
    new Promise((resolve, reject) => {
      const fn = (client as any)[method];
      if (typeof fn !== 'function') return reject(new Error(`CRI has no method ${method}`));
      fn.call(client, req, { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res: any) => {
        if (err) reject(new CriError(method, err.code ?? grpc.status.UNKNOWN, err.details ?? err.message));
        else resolve(res);
      });
    });
  return {
    runtime: caller(runtimeClient),
    image: caller(imageClient),
    close() {
      runtimeClient.close();
      imageClient.close();
    },
  };
}
