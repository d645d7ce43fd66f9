// The last act of a node agent that supervises its own containerd: every pod sandbox stopped and
// removed, with its pod's cgroup, before containerd goes, so that no shim outlives it and no
// cgroup is left in any hierarchy.
import type { RuntimeDriver } from '../runtime.js';
import type { PodCgroups } from './pod-cgroups.js';
import { LABEL_POD_UID } from './runtime-state.js';

/** How long one CRI call of the final sweep may take before it is given up on. */
const SWEEP_CALL_TIMEOUT_MS = 10_000;
const SWEEP_CONCURRENCY = 8;

/**
 * Stops and removes every pod sandbox, and its pod's cgroup, a few at a time. Stopping a sandbox kills its containers
 * outright (no grace period: the agent is going away, as a real kubelet does on SIGTERM, but
 * without leaving shims behind a containerd it supervises), so each call is short; one that
 * hangs is given up on rather than holding the agent's exit.
 */
export async function removeAllSandboxes(runtime: RuntimeDriver, cgroups: PodCgroups): Promise<void> {
  const bounded = <T>(p: Promise<T>): Promise<T | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SWEEP_CALL_TIMEOUT_MS)));
    return Promise.race([p.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
  };
  const sandboxes = (await bounded(runtime.listPodSandboxes())) ?? [];
  let next = 0;
  const worker = async () => {
    while (next < sandboxes.length) {
      const sb = sandboxes[next++];
      await bounded(runtime.stopPodSandbox(sb.id));
      await bounded(runtime.removePodSandbox(sb.id));
      const uid = sb.labels[LABEL_POD_UID];
      if (uid) await bounded(cgroups.removeByUID(uid));
    }
  };
  await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, sandboxes.length) }, worker));
}
