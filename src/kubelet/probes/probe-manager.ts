// Probe workers, one per running container and probe kind, as the kubelet's prober manager runs
// them: wait initialDelaySeconds after the container started, probe every periodSeconds, and change
// the result only after successThreshold successes or failureThreshold failures in a row.
// Liveness and readiness wait for the startup probe to succeed. A result change re-syncs the pod
// (a liveness failure restarts the container, readiness feeds the Ready condition).
import { logError } from '../../machinery/log.js';
import type { RuntimeDriver } from '../runtime.js';
import { containerRef, Reasons, type Recorder } from '../events.js';
import { errMessage, type Container, type Pod, type Probe } from '../types.js';
import { runProbe, type ProbeOutcome } from './probe.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

const LABEL: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export interface RunningContainer {
  container: Container;
  containerId: string;
  startedAt: number;
}

interface Worker {
  kind: ProbeKind;
  podUID: string;
  pod: Pod;
  container: Container;
  containerId: string;
  startedAt: number;
  probe: Probe;
  podIP: string;
  /** The current result: true success, false failure. */
  result: boolean;
  lastRaw?: boolean;
  run: number;
  timer?: NodeJS.Timeout;
  stopped: boolean;
  /** Set after liveness or startup failed: the container is about to be restarted. */
  onHold: boolean;
}

export interface ProbeManagerOptions {
  runtime: RuntimeDriver;
  recorder: Recorder;
  onChange(podUID: string): void;
  /** For tests: the probe function. */
  probeFn?: typeof runProbe;
}

const initialResult: Record<ProbeKind, boolean> = { liveness: true, readiness: false, startup: false };

export class ProbeManager {
  private readonly workers = new Map<string, Worker>();
  private stopped = false;

  constructor(private readonly opts: ProbeManagerOptions) {}

  private static key(containerId: string, kind: ProbeKind): string {
    return `${containerId}/${kind}`;
  }

  /**
   * Makes the workers match the pod's running containers: new containers get workers, those no
   * longer running lose them. `terminating` pods keep only readiness probes.
   */
  update(pod: Pod, running: RunningContainer[], podIP: string, terminating = false): void {
    if (this.stopped) return;
    const uid = pod.metadata.uid!;
    const want = new Set<string>();
    for (const rc of running) {
      const probes: Array<[ProbeKind, Probe | undefined]> = [
        ['startup', rc.container.startupProbe],
        ['liveness', terminating ? undefined : rc.container.livenessProbe],
        ['readiness', rc.container.readinessProbe],
      ];
      for (const [kind, probe] of probes) {
        if (!probe) continue;
        const key = ProbeManager.key(rc.containerId, kind);
        want.add(key);
        const existing = this.workers.get(key);
        if (existing) {
          existing.pod = pod;
          existing.podIP = podIP;
          continue;
        }
        const w: Worker = {
          kind, podUID: uid, pod, container: rc.container, containerId: rc.containerId, startedAt: rc.startedAt,
          probe, podIP, result: initialResult[kind], run: 0, stopped: false, onHold: false,
        };
        this.workers.set(key, w);
        this.schedule(w, 0);
      }
    }
    for (const [key, w] of this.workers) {
      if (w.podUID === uid && !want.has(key)) this.stopWorker(key, w);
    }
  }

  /** undefined when the container has no such probe. */
  result(containerId: string, kind: ProbeKind): boolean | undefined {
    return this.workers.get(ProbeManager.key(containerId, kind))?.result;
  }

  /** Started: the startup probe succeeded, or there is none. */
  started(containerId: string): boolean {
    return this.result(containerId, 'startup') ?? true;
  }

  /** The container has a liveness or startup probe that has failed past its threshold. */
  failedKind(containerId: string): 'liveness' | 'startup' | undefined {
    if (this.result(containerId, 'startup') === false && this.workers.get(ProbeManager.key(containerId, 'startup'))?.onHold) return 'startup';
    if (this.result(containerId, 'liveness') === false) return 'liveness';
    return undefined;
  }

  removePod(uid: string): void {
    for (const [key, w] of this.workers) if (w.podUID === uid) this.stopWorker(key, w);
  }

  stop(): void {
    this.stopped = true;
    for (const [key, w] of this.workers) this.stopWorker(key, w);
  }

  private stopWorker(key: string, w: Worker): void {
    w.stopped = true;
    if (w.timer) clearTimeout(w.timer);
    this.workers.delete(key);
  }

  private schedule(w: Worker, delayMs: number): void {
    if (w.stopped) return;
    w.timer = setTimeout(() => void this.tick(w), delayMs);
  }

  private async tick(w: Worker): Promise<void> {
    if (w.stopped) return;
    const periodMs = Math.max(1, w.probe.periodSeconds ?? 10) * 1000;
    try {
      if (this.shouldProbe(w)) await this.probeOnce(w);
    } catch (err) {
      logError('kubelet', 'probe worker failed', { kind: w.kind, container: w.container.name, err: errMessage(err) });
    }
    // Startup probing ends with its first success.
    if (w.kind === 'startup' && w.result) return;
    const sinceStart = Date.now() - w.startedAt;
    const initialMs = (w.probe.initialDelaySeconds ?? 0) * 1000;
    this.schedule(w, sinceStart < initialMs ? Math.min(periodMs, initialMs - sinceStart) : periodMs);
  }

  private shouldProbe(w: Worker): boolean {
    if (w.onHold) return false;
    if (Date.now() - w.startedAt < (w.probe.initialDelaySeconds ?? 0) * 1000) return false;
    if (w.kind !== 'startup' && !this.started(w.containerId)) return false;
    return true;
  }

  private async probeOnce(w: Worker): Promise<void> {
    const probeFn = this.opts.probeFn ?? runProbe;
    const out: ProbeOutcome = await probeFn(w.probe, w.probe.timeoutSeconds ?? 1, {
      container: w.container, containerId: w.containerId, podIP: w.podIP, runtime: this.opts.runtime,
    });
    if (w.stopped) return;
    const ref = containerRef(w.pod, w.container);
    if (out.result === 'failure') {
      this.opts.recorder.event(ref, 'Warning', Reasons.Unhealthy, `${LABEL[w.kind]} probe failed: ${out.output}`);
    } else if (out.result === 'warning') {
      this.opts.recorder.event(ref, 'Warning', Reasons.ProbeWarning, `${LABEL[w.kind]} probe warning: ${out.output}`);
    }
    const ok = out.result !== 'failure';
    w.run = w.lastRaw === ok ? w.run + 1 : 1;
    w.lastRaw = ok;
    const threshold = ok ? w.probe.successThreshold ?? 1 : w.probe.failureThreshold ?? 3;
    if (w.run < threshold || w.result === ok) return;
    w.result = ok;
    if (!ok && (w.kind === 'liveness' || w.kind === 'startup')) {
      // The container will be restarted; a fresh container gets a fresh worker.
      w.onHold = true;
    }
    this.opts.onChange(w.podUID);
  }
}
