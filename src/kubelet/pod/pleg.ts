// The pod lifecycle event generator: the runtime has no event stream in our interface, so, as the
// kubelet's generic PLEG, it relists sandboxes and containers every period and tells the pod
// workers about each pod whose containers or sandboxes changed state (a container exited, a
// sandbox died).
import { logError } from '../../machinery/log.js';
import type { RuntimeDriver } from '../runtime.js';
import { errMessage } from '../types.js';
import { LABEL_POD_UID, runtimeFingerprint } from './runtime-state.js';

export class PLEG {
  private last = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;

  /**
   * `onChange` gets each pod whose sandboxes or containers changed since the last relist, with the
   * fingerprint (runtimeFingerprint) of what the pod has now.
   */
  constructor(private readonly runtime: RuntimeDriver, private readonly periodMs: number, private readonly onChange: (podUID: string, fingerprint: string) => void) {}

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
      const sandboxes = await this.runtime.listPodSandboxes();
      const containers = await this.runtime.listContainers();
      const fingerprints = new Map<string, { sandboxes: Array<{ id: string; state: string }>; containers: Array<{ id: string; state: string }> }>();
      const entry = (uid: string) => {
        let e = fingerprints.get(uid);
        if (!e) fingerprints.set(uid, (e = { sandboxes: [], containers: [] }));
        return e;
      };
      for (const sb of sandboxes) {
        const uid = sb.labels?.[LABEL_POD_UID];
        if (!uid) continue;
        now.set(`sb/${sb.id}`, sb.state);
        owner.set(`sb/${sb.id}`, uid);
        entry(uid).sandboxes.push(sb);
      }
      for (const c of containers) {
        const uid = c.labels?.[LABEL_POD_UID];
        if (!uid) continue;
        now.set(`c/${c.id}`, c.state);
        owner.set(`c/${c.id}`, uid);
        entry(uid).containers.push(c);
      }
      const changed = new Set<string>();
      for (const [k, st] of now) if (this.last.get(k) !== st) changed.add(owner.get(k)!);
      for (const k of this.last.keys()) if (!now.has(k)) changed.add(this.lastOwner.get(k) ?? '');
      this.last = now;
      this.lastOwner = owner;
      for (const uid of changed) {
        if (!uid) continue;
        const e = fingerprints.get(uid);
        this.onChange(uid, e ? runtimeFingerprint(e.sandboxes, e.containers) : '');
      }
    } catch (err) {
      logError('kubelet', 'relisting the runtime failed', { err: errMessage(err) });
    } finally {
      this.running = false;
    }
  }

  private lastOwner = new Map<string, string>();
}
