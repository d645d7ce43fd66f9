// A DaemonSet rolling update (rolling_update.go). Without surge, old pods are deleted while no
// more than maxUnavailable nodes lack an available pod, and the manage pass creates their
// replacements. With maxSurge, a new pod is started beside an available old one on up to maxSurge
// nodes at a time, and the old pod goes once the new one is available. Unavailable old pods are
// replaced at once in both modes.
import { isPodAvailable } from '../util/pod.js';
import { nodeShouldRunDaemonPod } from './placement.js';
import { isPodUpdated, surgeCount, templateGeneration, unavailableCount } from './pods.js';
import type { DaemonSet, Node, Pod } from './types.js';

export interface RollingPlan {
  deletePods: Pod[];
  createOnNodes: string[];
}

/** The new and old pod on a node; undefined when it holds more than one of either (findUpdatedPodsOnNode). */
export function updatedPodsOnNode(ds: DaemonSet, pods: Pod[], hash: string): { newPod?: Pod; oldPod?: Pod } | undefined {
  const generation = templateGeneration(ds);
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return undefined;
      newPod = pod;
    } else {
      if (oldPod) return undefined;
      oldPod = pod;
    }
  }
  return { newPod, oldPod };
}

export function rollingUpdatePlan(ds: DaemonSet, nodes: Node[], nodeToPods: Map<string, Pod[]>, hash: string, now: number): RollingPlan {
  const minReady = ds.spec.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, now);
  const byName = new Map(nodes.map((n) => [n.metadata.name!, n]));
  const perNode = new Map(nodeToPods);
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!perNode.has(node.metadata.name!)) perNode.set(node.metadata.name!, []);
  }
  let maxUnavailable = unavailableCount(ds, desired);
  const maxSurge = surgeCount(ds, desired);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  const names = [...perNode.keys()].sort();

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const replace: Pod[] = [];
    const candidates: Pod[] = [];
    for (const name of names) {
      const found = updatedPodsOnNode(ds, perNode.get(name)!, hash);
      if (!found) {
        // Duplicates: the manage pass cleans the node up; until then it counts as unavailable.
        numUnavailable++;
        continue;
      }
      const { newPod, oldPod } = found;
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (!available(oldPod!)) replace.push(oldPod!);
      else if (numUnavailable < maxUnavailable) candidates.push(oldPod!);
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { deletePods: [...replace, ...candidates.slice(0, remaining)], createOnNodes: [] };
  }

  const deletePods: Pod[] = [];
  const shouldNotRun: Pod[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const name of names) {
    const found = updatedPodsOnNode(ds, perNode.get(name)!, hash);
    if (!found) {
      numSurge++;
      continue;
    }
    const { newPod, oldPod } = found;
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++;
    if (!oldPod) continue;
    const node = byName.get(name);
    const shouldRun = node ? nodeShouldRunDaemonPod(node, ds).shouldRun : false;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun) deletePods.push(oldPod);
        else allowedNodes.push(name);
      } else if (!shouldRun) shouldNotRun.push(oldPod);
      else if (numSurge < maxSurge) candidateNodes.push(name);
      continue;
    }
    // Already surged here: the old pod goes once the new one is available.
    if (!available(newPod)) numSurge++;
    else deletePods.push(oldPod);
  }
  // Old pods on nodes the set no longer wants go only while enough pods are available elsewhere.
  const deletable = Math.min(Math.max(0, numAvailable - desired), shouldNotRun.length);
  deletePods.push(...shouldNotRun.slice(0, deletable));
  const remaining = Math.min(Math.max(0, maxSurge - numSurge), candidateNodes.length);
  return { deletePods, createOnNodes: [...allowedNodes, ...candidateNodes.slice(0, remaining)] };
}
