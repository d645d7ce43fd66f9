// The scheduling queue (pkg/scheduler/internal/queue): pending pods wait in one of three places.
// - activeQ: ready to be tried, highest spec.priority first, then oldest.
// - backoffQ: failed recently; back to activeQ when their backoff (1 s doubling to 10 s) ends.
// - unschedulable: found no node; they stay until a cluster event that could help (a node added,
//   a pod deleted, ...) touches a plugin that rejected them, or until they have waited 60 s.
// A pod that failed while such an event arrived goes to backoffQ instead of unschedulable, so an
// event that happened during its attempt is not missed.
import type { ClusterEvent } from './framework/interface.js';
import { PodInfo } from './framework/pod-info.js';
import { KeyedHeap } from './heap.js';
import type { Pod } from './types.js';
import { podKey, podPriority } from './types.js';

export interface QueuedPodInfo {
  key: string;
  info: PodInfo;
  /** When it last entered the queue (for ordering among equal priorities). */
  timestamp: number;
  /** When it was first seen, for latency figures. */
  initialTimestamp: number;
  attempts: number;
  /** Plugins that rejected it in its last attempt; events that concern none of them leave it be. */
  unschedulablePlugins: Set<string>;
  backoffExpiry: number;
  /** Set while a cluster event asked to re-try it but it was in flight. */
  gated?: boolean;
}

export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a pod may sit in the unschedulable set before it is retried anyway. */
  maxUnschedulableMs?: number;
  /** Whether a cluster event could make a pod rejected by these plugins schedulable. */
  interested?: (plugins: Set<string>, event: ClusterEvent) => boolean;
  now?: () => number;
}

export class SchedulingQueue {
  private readonly active: KeyedHeap<QueuedPodInfo>;
  private readonly backoff: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Popped and being scheduled; remembered so updates and deletions are not lost. */
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private readonly waiters: Array<(q: QueuedPodInfo | undefined) => void> = [];
  private closed = false;
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly interested: (plugins: Set<string>, event: ClusterEvent) => boolean;
  private readonly now: () => number;

  constructor(opts: QueueOptions = {}) {
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 60_000;
    this.interested = opts.interested ?? (() => true);
    this.now = opts.now ?? Date.now;
    // PrioritySort: higher priority first, then the one waiting longest.
    this.active = new KeyedHeap((q) => q.key, (a, b) => {
      const pa = podPriority(a.info.pod), pb = podPriority(b.info.pod);
      return pa !== pb ? pa > pb : a.timestamp < b.timestamp;
    });
    this.backoff = new KeyedHeap((q) => q.key, (a, b) => a.backoffExpiry < b.backoffExpiry);
  }

  /** Starts the timers that flush backoffQ (every second) and old unschedulable pods. */
  run(): void {
    const t1 = setInterval(() => this.flushBackoffCompleted(), 1000);
    const t2 = setInterval(() => this.flushUnschedulableLeftover(), 5000);
    t1.unref?.();
    t2.unref?.();
    this.timers.push(t1, t2);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    const now = this.now();
    const existing = this.find(key);
    if (existing) {
      this.update(pod);
      return;
    }
    this.pushActive({ key, info: new PodInfo(pod), timestamp: now, initialTimestamp: now, attempts: 0, unschedulablePlugins: new Set(), backoffExpiry: 0 });
  }

  /** A pending pod changed; a change to its spec or labels may make it schedulable, so it is retried. */
  update(pod: Pod): void {
    const key = podKey(pod);
    const info = new PodInfo(pod);
    const inFlight = this.inFlight.get(key);
    if (inFlight) {
      inFlight.gated = true;
      return;
    }
    const a = this.active.get(key);
    if (a) {
      this.active.push({ ...a, info });
      return;
    }
    const b = this.backoff.get(key);
    if (b) {
      this.backoff.push({ ...b, info });
      return;
    }
    const u = this.unschedulable.get(key);
    if (u) {
      this.unschedulable.delete(key);
      const q = { ...u, info };
      if (this.isBackingOff(q)) this.backoff.push(q);
      else this.pushActive(q);
      return;
    }
    this.add(pod);
  }

  delete(key: string): void {
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** The next pod to schedule, waiting for one; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const q = this.active.pop();
    if (q) return Promise.resolve(this.takeOff(q));
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Takes a pod synchronously if one is ready. */
  tryPop(): QueuedPodInfo | undefined {
    const q = this.active.pop();
    return q ? this.takeOff(q) : undefined;
  }

  private takeOff(q: QueuedPodInfo): QueuedPodInfo {
    q.attempts++;
    this.schedulingCycle++;
    (q as QueuedPodInfo & { cycle: number }).cycle = this.schedulingCycle;
    q.gated = false;
    this.inFlight.set(q.key, q);
    return q;
  }

  /** The attempt for this pod is over (bound, or handed back with requeue). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * A failed attempt: unschedulable pods wait for an event; errors (no plugins to blame) back off.
   * If an event arrived while the pod was being tried, it backs off instead of waiting.
   */
  requeue(q: QueuedPodInfo, unschedulablePlugins: Set<string>, pod?: Pod): void {
    const key = q.key;
    if (!this.inFlight.has(key)) return; // deleted meanwhile
    this.inFlight.delete(key);
    if (pod) q.info = new PodInfo(pod);
    q.unschedulablePlugins = unschedulablePlugins;
    q.timestamp = this.now();
    q.backoffExpiry = q.timestamp + this.backoffDuration(q);
    const cycle = (q as QueuedPodInfo & { cycle?: number }).cycle ?? 0;
    if (q.gated || this.moveRequestCycle >= cycle || unschedulablePlugins.size === 0) this.backoff.push(q);
    else this.unschedulable.set(key, q);
  }

  /** A cluster event: pods it may help go back to be tried (through backoff if still backing off). */
  moveAllToActiveOrBackoff(event: ClusterEvent, filter?: (q: QueuedPodInfo) => boolean): void {
    for (const [key, q] of this.unschedulable) {
      if (q.unschedulablePlugins.size && !this.interested(q.unschedulablePlugins, event)) continue;
      if (filter && !filter(q)) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(q)) this.backoff.push(q);
      else this.pushActive(q);
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  /** Moves these pods to activeQ at once, wherever they wait (gang members, for example). */
  activate(keys: string[]): void {
    for (const key of keys) {
      const q = this.unschedulable.get(key) ?? this.backoff.get(key);
      if (!q) continue;
      this.unschedulable.delete(key);
      this.backoff.delete(key);
      this.pushActive(q);
    }
  }

  has(key: string): boolean {
    return !!this.find(key);
  }

  /** Counts per sub-queue, for logs and tests. */
  stats(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  /** Pending pods (all sub-queues), e.g. for listing nominated ones. */
  pendingPods(): Pod[] {
    return [...this.active.list(), ...this.backoff.list(), ...this.unschedulable.values()].map((q) => q.info.pod);
  }

  flushBackoffCompleted(): void {
    const now = this.now();
    for (let q = this.backoff.peek(); q && q.backoffExpiry <= now; q = this.backoff.peek()) {
      this.backoff.pop();
      this.pushActive(q);
    }
  }

  flushUnschedulableLeftover(): void {
    const now = this.now();
    for (const [key, q] of this.unschedulable) {
      if (now - q.timestamp < this.maxUnschedulableMs) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(q)) this.backoff.push(q);
      else this.pushActive(q);
    }
  }

  private find(key: string): QueuedPodInfo | undefined {
    return this.active.get(key) ?? this.backoff.get(key) ?? this.unschedulable.get(key) ?? this.inFlight.get(key);
  }

  private backoffDuration(q: QueuedPodInfo): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < q.attempts; i++) {
      d *= 2;
      if (d >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  private isBackingOff(q: QueuedPodInfo): boolean {
    return q.backoffExpiry > this.now();
  }

  private pushActive(q: QueuedPodInfo): void {
    if (this.closed) return;
    const w = this.waiters.shift();
    if (w) {
      w(this.takeOff(q));
      return;
    }
    this.active.push(q);
  }
}
