// The pod lifecycle event generator: the runtime has no event stream in our interface, so, as the
// kubelet's generic PLEG, it relists sandboxes and containers every period and tells the pod
// workers about each pod whose containers or sandboxes changed state (a container exited, a
// sandbox died).
import { logError } from '../../machinery/log.js';
import type { RuntimeDriver } from '../runtime.js';
import { errMessage } from '../types.js';
import { LABEL_POD_UID } from './runtime-state.js';

export class PLEG {
  private last = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;

  constructor(private readonly runtime: RuntimeDriver, private readonly periodMs: number, private readonly onChange: (podUID: string) => void) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.relist().finally(() => this.schedule()), this.periodMs);
  }

  /** One relist; exported through the class for tests. */
  async relist(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const now = new Map<string, string>();
      const owner = new Map<string, string>();
      for (const sb of await this.runtime.listPodSandboxes()) {
        const uid = sb.labels?.[LABEL_POD_UID];
        if (!uid) continue;
        now.set(`sb/${sb.id}`, sb.state);
        owner.set(`sb/${sb.id}`, uid);
      }
      for (const c of await this.runtime.listContainers()) {
        const uid = c.labels?.[LABEL_POD_UID];
        if (!uid) continue;
        now.set(`c/${c.id}`, c.state);
        owner.set(`c/${c.id}`, uid);
      }
      const changed = new Set<string>();
      for (const [k, st] of now) if (this.last.get(k) !== st) changed.add(owner.get(k)!);
      for (const k of this.last.keys()) if (!now.has(k)) changed.add(this.lastOwner.get(k) ?? '');
      this.last = now;
      this.lastOwner = owner;
      for (const uid of changed) if (uid) this.onChange(uid);
    } catch (err) {
      logError('kubelet', 'relisting the runtime failed', { err: errMessage(err) });
    } finally {
      this.running = false;
    }
  }

  private lastOwner = new Map<string, string>();
}
