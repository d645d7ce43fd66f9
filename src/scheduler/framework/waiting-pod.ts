// A pod held at Permit (framework/runtime/waiting_pods_map.go): it goes on to binding once every
// plugin that asked it to wait has allowed it, and fails when one rejects it or its time runs out.
import type { Pod } from '../types.js';
import { Code, Status, type WaitingPod } from './interface.js';

export class WaitingPodImpl implements WaitingPod {
  private readonly pending: Map<string, NodeJS.Timeout>;
  private settle!: (s: Status) => void;
  private settled = false;
  /** Resolves with Success when allowed by all, or the rejection. */
  readonly result: Promise<Status>;

  constructor(readonly pod: Pod, readonly nodeName: string, waitFor: Map<string, number>) {
    this.result = new Promise((r) => (this.settle = r));
    this.pending = new Map();
    for (const [plugin, ms] of waitFor) {
      const t = setTimeout(() => this.reject(plugin, `rejected due to timeout after waiting ${goDuration(ms)} at plugin ${plugin}`), ms);
      t.unref?.();
      this.pending.set(plugin, t);
    }
  }

  allow(plugin: string): void {
    const t = this.pending.get(plugin);
    if (!t) return;
    clearTimeout(t);
    this.pending.delete(plugin);
    if (this.pending.size === 0) this.finish(Status.success());
  }

  reject(plugin: string, message: string): void {
    const s = new Status(Code.Unschedulable, [message]).withPlugin(plugin);
    this.finish(s);
  }

  pendingPlugins(): string[] {
    return [...this.pending.keys()];
  }

  get done(): boolean {
    return this.settled;
  }

  private finish(s: Status): void {
    if (this.settled) return;
    this.settled = true;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    this.settle(s);
  }
}

/** A duration as Go's time.Duration prints it: 500ms, 5s, 1m0s, 1h30m0s. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let sec = Math.round(ms / 1000);
  const h = Math.floor(sec / 3600);
  sec -= h * 3600;
  const m = Math.floor(sec / 60);
  sec -= m * 60;
  if (h) return `${h}h${m}m${sec}s`;
  if (m) return `${m}m${sec}s`;
  return `${sec}s`;
}
