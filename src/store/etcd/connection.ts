// Connections to the members of an etcd cluster: one gRPC channel per member, all calls on the member
// in use, and a move to the next member when that one stops answering. Rotation is ours rather than
// grpc-js's pick_first so that the backend knows which member a failed call went to and whether the
// call left the client at all, which decides whether a write may be sent again.
import * as grpc from '@grpc/grpc-js';
import { InvalidArgumentError } from '../types.js';
import {
  etcdServices, memberDown,
  type KVClient, type Unary, type LeaseClient, type MaintenanceClient, type WatchClient,
} from './rpc.js';

export interface ConnectionOptions {
  /** Client URLs of the members: `http://host:port` (or `host:port`). */
  endpoints: string[];
  /** Budget for one operation, retries on other members included. */
  requestTimeoutMs?: number;
}

export interface Member {
  index: number;
  url: string;
  address: string;
  channel: grpc.Channel;
  kv: KVClient;
  watch: WatchClient;
  lease: LeaseClient;
  maintenance: MaintenanceClient;
}

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
  // Notice a member that hangs without closing the connection. etcd refuses pings more often than
  // every 5 s (--grpc-keepalive-min-time) and, by default, pings without an active call.
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 0,
  // A member that comes back is usable again within a couple of seconds.
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2_000,
  // Our own connection, not one shared with other clients of the same address in this process.
  'grpc.use_local_subchannel_pool': 1,
};

/** Client URL → gRPC address. Only plain-text endpoints for now. */
export function endpointAddress(url: string): string {
  const m = /^(?:(https?):\/\/)?([^/]+?)\/?$/.exec(url.trim());
  if (!m) throw new InvalidArgumentError(`etcd endpoint is not a URL: ${JSON.stringify(url)}`);
  if (m[1] === 'https') {
    throw new InvalidArgumentError(`etcd endpoint ${url}: TLS endpoints are not supported yet; use http://`);
  }
  if (!/:\d+$/.test(m[2])) throw new InvalidArgumentError(`etcd endpoint ${url} has no port`);
  return m[2];
}

interface InFlight {
  call: grpc.ClientUnaryCall | null;
  deadline: number;
  timedOut: boolean;
}

/** How often calls in flight are checked against their deadline. */
const WATCHDOG_MS = 200;

/** A call we cancelled at its deadline, reported as gRPC reports its own deadlines. */
function timeoutError(m: Member, ms: number): grpc.ServiceError {
  const details = `etcd at ${m.url} did not answer within ${ms} ms`;
  return Object.assign(new Error(`${grpc.status.DEADLINE_EXCEEDED} DEADLINE_EXCEEDED: ${details}`), {
    code: grpc.status.DEADLINE_EXCEEDED, details, metadata: new grpc.Metadata(),
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class EtcdConnection {
  readonly members: Member[];
  readonly timeoutMs: number;
  /** Sent with every request: a member cut off from the leader refuses at once instead of waiting. */
  readonly metadata = new grpc.Metadata();
  private index = 0;
  private closed = false;
  private inflight = new Set<InFlight>();
  private watchdog: NodeJS.Timeout | null = null;
  /**
   * Set when calls moved to another member. That member may still take the dead one for its
   * leader and forward writes into the void (etcd 3.4 then answers only after its request timeout,
   * 5 s + 2 election timeouts); a linearizable read first waits out the election instead.
   */
  unsettled = false;

  constructor(opts: ConnectionOptions) {
    if (!Array.isArray(opts.endpoints) || opts.endpoints.length === 0) {
      throw new InvalidArgumentError('etcd: at least one endpoint is required');
    }
    this.timeoutMs = opts.requestTimeoutMs ?? 15_000;
    this.metadata.set('hasleader', 'true');
    const svc = etcdServices();
    const creds = grpc.credentials.createInsecure();
    this.members = opts.endpoints.map((url, index) => {
      const address = endpointAddress(url);
      const channel = new grpc.Channel(address, creds, CHANNEL_OPTIONS);
      const clientOpts = { channelOverride: channel };
      return {
        index, url, address, channel,
        kv: new svc.KV(address, creds, clientOpts),
        watch: new svc.Watch(address, creds, clientOpts),
        lease: new svc.Lease(address, creds, clientOpts),
        maintenance: new svc.Maintenance(address, creds, clientOpts),
      };
    });
  }

  /** The member calls go to now. */
  get current(): Member {
    return this.members[this.index];
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Moves off `from` if it is still the member in use (several failed calls may report it). */
  rotate(from: Member): void {
    if (this.members.length > 1 && this.index === from.index) {
      this.index = (from.index + 1) % this.members.length;
      this.unsettled = true;
    }
  }

  /**
   * Calls `fn` on the member in use until it succeeds, `retry(err)` says no, or the time budget is
   * spent. After a failure that looks like the member is gone, the next attempt goes to the next
   * member; once every member has failed, attempts are spaced out.
   */
  async call<T>(fn: (m: Member, deadline: number) => Promise<T>, retry: (err: unknown) => boolean): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    let failures = 0;
    let pause = 50;
    for (;;) {
      const m = this.current;
      try {
        return await fn(m, deadline);
      } catch (err) {
        if (memberDown(err)) this.rotate(m);
        failures++;
        if (this.closed || !retry(err)) throw err;
        if (failures >= this.members.length) {
          if (Date.now() + pause >= deadline) throw err;
          await sleep(pause);
          pause = Math.min(pause * 2, 1_000);
        }
      }
    }
  }

  /**
   * One unary call on member m, cancelled if it is still running at `deadline`. The deadline is
   * ours rather than grpc-js's: a grpc-js deadline arms a timer per call, which costs about a tenth
   * of a call's CPU; one watchdog sweeping the calls in flight costs next to nothing.
   */
  unary<Req, Res>(
    m: Member,
    method: Unary<Req, Res>,
    client: grpc.Client,
    req: Req,
    deadline: number,
  ): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      const entry: InFlight = { call: null, deadline, timedOut: false };
      entry.call = method.call(client, req, this.metadata, (err: grpc.ServiceError | null, res?: Res) => {
        this.inflight.delete(entry);
        if (!err) resolve(res!);
        else if (entry.timedOut) reject(timeoutError(m, this.timeoutMs));
        else reject(err);
      });
      this.inflight.add(entry);
      if (!this.watchdog) {
        this.watchdog = setInterval(() => this.sweep(), WATCHDOG_MS);
        this.watchdog.unref();
      }
    });
  }

  private sweep(): void {
    if (this.inflight.size === 0) {
      clearInterval(this.watchdog!);
      this.watchdog = null;
      return;
    }
    const now = Date.now();
    for (const entry of this.inflight) {
      if (entry.deadline <= now && !entry.timedOut) {
        entry.timedOut = true;
        entry.call?.cancel();
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    // The clients share their member's channel; closing it ends their calls.
    for (const m of this.members) m.channel.close();
  }
}
