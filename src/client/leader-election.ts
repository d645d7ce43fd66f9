// Lease-based leader election as client-go's leaderelection package: candidates race to write
// their identity into a coordination.k8s.io/v1 Lease with optimistic concurrency; the holder renews
// it every retryPeriod and gives up leading if it cannot renew within renewDeadline; others take
// over once they have seen the lease unrenewed for leaseDurationSeconds of their own clock.
import type { KObject } from '../api/resource.js';
import { log, logError } from '../machinery/log.js';
import { isNotFound } from './errors.js';
import type { RestClient } from './rest.js';
import { resources } from './resources.js';
import { sleep } from './backoff.js';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease extends KObject {
  spec?: LeaseSpec;
}

export interface LeaderCallbacks {
  /** Called on becoming leader; `signal` aborts when leadership is lost or the elector stops. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when this candidate stops leading (lost the lease or stopped). */
  onStoppedLeading?(): void;
  /** Called whenever the observed leader changes, this candidate included. */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  client: RestClient;
  /** kube-system by default. */
  namespace?: string;
  /** The Lease's name, e.g. kube-controller-manager. */
  name: string;
  /** Unique per candidate, e.g. `${hostname}_${uuid}`. */
  identity: string;
  /** How long others wait after the last renewal they saw before taking over; 15 s. */
  leaseDurationSeconds?: number;
  /** How long the leader keeps retrying a failed renewal before it gives up leading; 10 s. */
  renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew; 2 s. */
  retryPeriodMs?: number;
  /** Clear the lease on stop() so a successor need not wait for it to expire; true. */
  releaseOnCancel?: boolean;
  /** Campaign again after losing leadership (client-go's binaries exit instead); true. */
  recampaign?: boolean;
  callbacks: LeaderCallbacks;
}

const JITTER = 1.2;

/** metav1.MicroTime as it travels: RFC 3339 with microseconds, UTC. */
export function microTime(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private readonly ns: string;
  private readonly leaseDurationSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly stopper = new AbortController();
  /** The lease as last read or written, for its resourceVersion. */
  private lease: Lease | undefined;
  /** The last record seen, and when (our clock) it last changed. */
  private observed: LeaseSpec = {};
  private observedRaw = '';
  private observedAt = 0;
  private reportedLeader = '';
  private leading: AbortController | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly config: LeaderElectionConfig) {
    this.ns = config.namespace ?? 'kube-system';
    this.leaseDurationSeconds = config.leaseDurationSeconds ?? 15;
    this.renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = config.retryPeriodMs ?? 2_000;
    if (!config.identity) throw new Error('leader election requires an identity');
    if (this.leaseDurationSeconds * 1000 <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JITTER * this.retryPeriodMs) throw new Error(`renewDeadline must be greater than retryPeriod*${JITTER}`);
  }

  /** Campaigns, leads, and (with recampaign) campaigns again, until stop(). */
  run(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Stops campaigning; a leader stops leading and, with releaseOnCancel, clears the lease. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.running;
  }

  isLeader(): boolean {
    return this.observed.holderIdentity === this.config.identity;
  }

  /** The identity of the leader as last observed ('' when none). */
  getLeader(): string {
    return this.observed.holderIdentity ?? '';
  }

  private get component(): string {
    return `leader-election/${this.ns}/${this.config.name}`;
  }

  private async loop(): Promise<void> {
    const stop = this.stopper.signal;
    while (!stop.aborted) {
      if (!(await this.acquire())) break;
      await this.lead();
      if (stop.aborted || this.config.recampaign === false) break;
    }
    if (this.config.releaseOnCancel !== false) await this.release();
  }

  /** Retries every retryPeriod (jittered) until the lease is ours; false if stopped first. */
  private async acquire(): Promise<boolean> {
    const stop = this.stopper.signal;
    while (!stop.aborted) {
      const ok = await this.tryAcquireOrRenew(this.retryPeriodMs * 5);
      this.reportTransition();
      if (ok) {
        log(this.component, 'acquired lease', { identity: this.config.identity });
        return true;
      }
      await sleep(this.retryPeriodMs * (1 + Math.random() * JITTER), stop);
    }
    return false;
  }

  /** Leads until a renewal cannot succeed within renewDeadline or the elector stops. */
  private async lead(): Promise<void> {
    const stop = this.stopper.signal;
    const leading = (this.leading = new AbortController());
    try {
      const started = this.config.callbacks.onStartedLeading(leading.signal);
      if (started instanceof Promise) started.catch((err) => logError(this.component, 'onStartedLeading failed', { err: String(err) }));
    } catch (err) {
      logError(this.component, 'onStartedLeading failed', { err: String(err) });
    }
    while (!stop.aborted) {
      await sleep(this.retryPeriodMs, stop);
      if (stop.aborted) break;
      const deadline = performance.now() + this.renewDeadlineMs;
      let renewed = false;
      while (!stop.aborted) {
        renewed = await this.tryAcquireOrRenew(Math.max(1, deadline - performance.now()));
        this.reportTransition();
        if (renewed || performance.now() + this.retryPeriodMs > deadline) break;
        await sleep(this.retryPeriodMs, stop);
      }
      if (!renewed && !stop.aborted) {
        log(this.component, 'failed to renew lease; stopped leading', { identity: this.config.identity });
        break;
      }
    }
    leading.abort();
    this.leading = undefined;
    try {
      this.config.callbacks.onStoppedLeading?.();
    } catch (err) {
      logError(this.component, 'onStoppedLeading failed', { err: String(err) });
    }
  }

  private leaseValid(now: number): boolean {
    return this.observedAt + (this.observed.leaseDurationSeconds ?? 0) * 1000 > now;
  }

  private setObserved(spec: LeaseSpec, raw?: string): void {
    this.observed = { ...spec };
    this.observedRaw = raw ?? JSON.stringify(spec);
    this.observedAt = performance.now();
  }

  /** One attempt; true when this candidate holds the lease afterwards. */
  private async tryAcquireOrRenew(timeoutMs: number): Promise<boolean> {
    const now = microTime();
    const record: LeaseSpec = {
      holderIdentity: this.config.identity,
      leaseDurationSeconds: this.leaseDurationSeconds,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    try {
      // Fast path: the leader assumes the lease it last wrote is current.
      if (this.isLeader() && this.leaseValid(performance.now()) && this.lease) {
        record.acquireTime = this.observed.acquireTime;
        record.leaseTransitions = this.observed.leaseTransitions ?? 0;
        try {
          await this.write(record, timeoutMs);
          return true;
        } catch {
          // Someone else wrote the lease, or the write failed: read it and decide afresh.
        }
      }

      let current: Lease;
      try {
        current = (await this.config.client.request('GET', this.config.client.path(resources.leases, this.ns, this.config.name), undefined, { timeoutMs })) as Lease;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const created = (await this.config.client.request('POST', this.config.client.path(resources.leases, this.ns), {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.config.name, namespace: this.ns }, spec: record,
        }, { timeoutMs })) as Lease;
        this.lease = created;
        this.setObserved(record);
        return true;
      }
      this.lease = current;
      const spec = current.spec ?? {};
      const raw = JSON.stringify(spec);
      if (raw !== this.observedRaw) this.setObserved(spec, raw);
      if (spec.holderIdentity && this.leaseValid(performance.now()) && !this.isLeader()) return false;

      if (this.isLeader()) {
        record.acquireTime = spec.acquireTime;
        record.leaseTransitions = spec.leaseTransitions ?? 0;
      } else {
        record.leaseTransitions = (spec.leaseTransitions ?? 0) + 1;
      }
      await this.write(record, timeoutMs);
      return true;
    } catch (err) {
      if (!this.stopper.signal.aborted) log(this.component, 'lease attempt failed', { err: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  /** PUTs the record onto the lease last read; a stale resourceVersion fails with Conflict. */
  private async write(record: LeaseSpec, timeoutMs: number): Promise<void> {
    const body: Lease = { ...this.lease!, apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', spec: { ...this.lease!.spec, ...record } };
    const updated = (await this.config.client.request('PUT', this.config.client.path(resources.leases, this.ns, this.config.name), body, { timeoutMs })) as Lease;
    this.lease = updated;
    this.setObserved(record);
  }

  private async release(): Promise<void> {
    if (!this.isLeader() || !this.lease) return;
    const now = microTime();
    try {
      await this.write({ holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: this.observed.leaseTransitions ?? 0 }, this.renewDeadlineMs);
      log(this.component, 'released lease', { identity: this.config.identity });
    } catch (err) {
      logError(this.component, 'failed to release lease', { err: err instanceof Error ? err.message : String(err) });
    }
  }

  private reportTransition(): void {
    const holder = this.observed.holderIdentity ?? '';
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    if (!holder) return;
    try {
      this.config.callbacks.onNewLeader?.(holder);
    } catch (err) {
      logError(this.component, 'onNewLeader failed', { err: String(err) });
    }
  }
}
