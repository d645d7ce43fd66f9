// Writes pod statuses to the API server through the status subresource, only when they changed.
// The kubelet owns its conditions (PodReadyToStartContainers, Initialized, Ready, ContainersReady,
// PodScheduled); others (DisruptionTarget, readiness gates) are kept as they are on the server.
// A condition keeps its lastTransitionTime while its status stays the same, and a pod that reached
// Succeeded or Failed never goes back.
import { isConflict, isNotFound, resources, type RestClient } from '../../client/index.js';
import type { Pod, PodCondition, PodStatus } from '../types.js';
import { wireTime } from '../types.js';
import { KUBELET_CONDITIONS } from './pod-status.js';

const TERMINAL = new Set(['Succeeded', 'Failed']);

/** Fields of the server's status the kubelet does not compute and keeps. */
const KEPT = ['qosClass', 'nominatedNodeName', 'resize', 'resourceClaimStatuses'];

/** The status to write: `computed` merged into the server's `current`. */
export function mergeStatus(current: PodStatus | undefined, computed: PodStatus, nowMs: number): PodStatus {
  const old = current ?? {};
  const now = wireTime(nowMs);
  const computedTypes = new Set((computed.conditions ?? []).map((c) => c.type));
  const conditions: PodCondition[] = (old.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.includes(c.type) && !computedTypes.has(c.type));
  for (const c of computed.conditions ?? []) {
    const prev = old.conditions?.find((o) => o.type === c.type);
    if (c.type === 'PodScheduled' && prev) {
      conditions.push(prev);
      continue;
    }
    conditions.push({
      ...c,
      lastProbeTime: null,
      lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now,
    });
  }
  const out: PodStatus = { ...computed, conditions };
  for (const k of KEPT) if (old[k] !== undefined) out[k] = old[k];
  if (old.startTime) out.startTime = old.startTime;
  if (old.phase && TERMINAL.has(old.phase) && !TERMINAL.has(out.phase ?? '')) out.phase = old.phase;
  return out;
}

/** Deep equality of JSON values, ignoring undefined members. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b || (a == null && b == null);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    if (ao[k] === undefined && bo[k] === undefined) continue;
    if (!jsonEqual(ao[k], bo[k])) return false;
  }
  return true;
}

export interface StatusManagerOptions {
  client: RestClient;
  now?: () => number;
}

export class StatusManager {
  private readonly now: () => number;
  /** What we last wrote, by pod UID: skips rewriting while the informer has not caught up. */
  private readonly written = new Map<string, { rv: string; status: PodStatus }>();

  constructor(private readonly opts: StatusManagerOptions) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * Writes `computed` for `pod` (the newest copy the kubelet has) when it differs from the
   * server's status. Returns the pod as written, or undefined when nothing was written.
   */
  async setStatus(pod: Pod, computed: PodStatus): Promise<Pod | undefined> {
    const uid = pod.metadata.uid!;
    let base = pod;
    const mine = this.written.get(uid);
    if (mine && Number(mine.rv) > Number(base.metadata.resourceVersion ?? 0)) {
      base = { ...pod, metadata: { ...pod.metadata, resourceVersion: mine.rv }, status: mine.status };
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const merged = mergeStatus(base.status, computed, this.now());
      if (jsonEqual(merged, base.status ?? {})) return undefined;
      try {
        const out = await this.opts.client.updateStatus<Pod>(resources.pods, pod.metadata.namespace, {
          apiVersion: 'v1', kind: 'Pod', metadata: { ...base.metadata, managedFields: undefined }, spec: base.spec, status: merged,
        });
        this.written.set(uid, { rv: out.metadata.resourceVersion ?? '0', status: out.status ?? merged });
        return out;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if (!isConflict(err)) throw err;
        let fresh: Pod;
        try {
          fresh = await this.opts.client.get<Pod>(resources.pods, pod.metadata.namespace, pod.metadata.name!);
        } catch (e) {
          if (isNotFound(e)) return undefined;
          throw e;
        }
        if (fresh.metadata.uid !== uid) return undefined;
        base = fresh;
      }
    }
    throw new Error(`pod ${pod.metadata.namespace}/${pod.metadata.name}: status kept conflicting`);
  }

  /**
   * Whether `pod` is the copy the kubelet's last status write made: its own write seen again by
   * the informer, which brings nothing new to act on (as the kubelet ignores status-only updates).
   */
  isOwnWrite(pod: Pod): boolean {
    const mine = this.written.get(pod.metadata.uid ?? '');
    return mine !== undefined && mine.rv === pod.metadata.resourceVersion;
  }

  forget(uid: string): void {
    this.written.delete(uid);
  }
}
