// Pods nominated to a node by preemption (status.nominatedNodeName) while their victims leave.
// Other pods are filtered as if the nominated ones were already there, so the room a preemptor
// made is not taken by someone else (kube-scheduler's nominator).
import { PodInfo } from './framework/pod-info.js';
import { podKey, type Pod } from './types.js';

export class Nominator {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOf = new Map<string, string>();

  /** Records (or with '' clears) the pod's nomination. */
  nominate(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    this.remove(key);
    if (!nodeName) return;
    let m = this.byNode.get(nodeName);
    if (!m) this.byNode.set(nodeName, (m = new Map()));
    m.set(key, new PodInfo(pod));
    this.nodeOf.set(key, nodeName);
  }

  remove(key: string): void {
    const node = this.nodeOf.get(key);
    if (!node) return;
    this.nodeOf.delete(key);
    const m = this.byNode.get(node);
    m?.delete(key);
    if (m && m.size === 0) this.byNode.delete(node);
  }

  podsForNode(nodeName: string): PodInfo[] {
    const m = this.byNode.get(nodeName);
    return m ? [...m.values()] : [];
  }
}
