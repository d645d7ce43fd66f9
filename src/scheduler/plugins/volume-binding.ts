// VolumeBinding: a pod with PersistentVolumeClaims fits where its volumes can be. A claim bound to
// a PV needs a node the PV's nodeAffinity allows; an unbound claim of a WaitForFirstConsumer
// class is decided here: an available PV that fits the node is bound to it, or else, when the
// class has a provisioner, the claim is annotated volume.kubernetes.io/selected-node so the
// provisioner creates the volume on the chosen node. The pod is bound only once its claims are.
import { isConflict, isNotFound, resources } from '../../client/index.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { Status, type CycleContext, type Handle, type Plugin } from '../framework/interface.js';
import { termsMatchNode } from '../../api/core/v1/node-selector.js';
import { amount } from '../framework/resource.js';
import type { Node, PersistentVolume, PersistentVolumeClaim } from '../types.js';

export const NAME = 'VolumeBinding';
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
const KEY = `PreFilter${NAME}`;

interface PodVolumes {
  bound: PersistentVolumeClaim[];
  delayed: PersistentVolumeClaim[];
  /** Per node: PVs picked for delayed claims (by claim key) and claims left to provision. */
  decisions: Map<string, { static: Array<[PersistentVolumeClaim, PersistentVolume]>; provision: PersistentVolumeClaim[] }>;
  chosen?: string;
}

export interface VolumeBindingArgs {
  /** How long PreBind waits for provisioned claims to be bound; 600 s as kube-scheduler. */
  bindTimeoutSeconds?: number;
}

const claimKey = (c: PersistentVolumeClaim) => `${c.metadata.namespace}/${c.metadata.name}`;

function storageRequest(c: PersistentVolumeClaim): number {
  return amount('storage', c.spec?.resources?.requests?.storage);
}

function className(c: PersistentVolumeClaim): string {
  return c.spec?.storageClassName ?? '';
}

export function newVolumeBinding(h: Handle, args: VolumeBindingArgs = {}): Plugin {
  const bindTimeoutMs = (args.bindTimeoutSeconds ?? 600) * 1000;
  /** PVs promised to a claim by a pod still in its binding cycle, so no other pod takes them. */
  const assumedPVs = new Map<string, string>();

  function pvFits(pv: PersistentVolume, claim: PersistentVolumeClaim, node: Node | undefined, taken: Set<string>): boolean {
    const name = pv.metadata.name!;
    if (taken.has(name)) return false;
    const owner = assumedPVs.get(name);
    if (owner && owner !== claimKey(claim)) return false;
    const ref = pv.spec?.claimRef;
    if (ref && (ref.namespace !== claim.metadata.namespace || ref.name !== claim.metadata.name)) return false;
    if (pv.metadata.deletionTimestamp || (pv.status?.phase && pv.status.phase !== 'Available' && !ref)) return false;
    if ((pv.spec?.storageClassName ?? '') !== className(claim)) return false;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
    if (amount('storage', pv.spec?.capacity?.storage) < storageRequest(claim)) return false;
    const modes = new Set(pv.spec?.accessModes ?? []);
    if (!(claim.spec?.accessModes ?? []).every((m) => modes.has(m))) return false;
    if (claim.spec?.selector) {
      try {
        if (!selectorFromLabelSelector(claim.spec.selector).matches(pv.metadata.labels)) return false;
      } catch {
        return false;
      }
    }
    const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
    if (terms && node && !termsMatchNode(terms, node)) return false;
    return true;
  }

  function canProvision(claim: PersistentVolumeClaim, node: Node): boolean {
    const cls = h.listers.storageClasses.get(undefined, className(claim));
    if (!cls || !cls.provisioner || cls.provisioner === NO_PROVISIONER) return false;
    const topo = cls.allowedTopologies ?? [];
    if (!topo.length) return true;
    const labels = node.metadata.labels ?? {};
    return topo.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.values.includes(labels[e.key])));
  }

  function bindingMode(claim: PersistentVolumeClaim): string {
    const name = className(claim);
    if (!name) return 'Immediate';
    return h.listers.storageClasses.get(undefined, name)?.volumeBindingMode ?? 'Immediate';
  }

  async function waitBound(claims: PersistentVolumeClaim[]): Promise<Status | undefined> {
    const deadline = Date.now() + bindTimeoutMs;
    for (;;) {
      let pending = 0;
      for (const c of claims) {
        const cur = h.listers.pvcs.get(c.metadata.namespace, c.metadata.name!);
        if (!cur) return Status.unresolvable(`persistentvolumeclaim "${c.metadata.name}" not found`);
        if (!cur.spec?.volumeName) pending++;
      }
      if (pending === 0) return undefined;
      if (Date.now() > deadline) return Status.error(`binding volumes: timed out waiting for the condition`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  return {
    name: NAME,
    events: ['PvcAdd', 'PvcUpdate', 'PvAdd', 'PvUpdate', 'StorageClassAdd', 'NodeAdd', 'NodeLabelChange'],

    preFilter(ctx) {
      const volumes = ctx.pod.spec?.volumes ?? [];
      const names: string[] = [];
      for (const v of volumes) {
        if (v.persistentVolumeClaim?.claimName) names.push(v.persistentVolumeClaim.claimName);
        else if (v.ephemeral) names.push(`${ctx.pod.metadata.name}-${v.name}`);
      }
      if (!names.length) return Status.skip();
      const state: PodVolumes = { bound: [], delayed: [], decisions: new Map() };
      let unboundImmediate = false;
      for (const name of names) {
        const claim = h.listers.pvcs.get(ctx.pod.metadata.namespace, name);
        if (!claim) return Status.unresolvable(`persistentvolumeclaim "${name}" not found`);
        if (claim.metadata.deletionTimestamp) return Status.unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
        if (claim.spec?.volumeName) state.bound.push(claim);
        else if (bindingMode(claim) === 'WaitForFirstConsumer') state.delayed.push(claim);
        else unboundImmediate = true;
      }
      if (unboundImmediate) return Status.unresolvable(ERR_UNBOUND_IMMEDIATE);
      ctx.state.write(KEY, state);
      return undefined;
    },

    filter(ctx, ni) {
      const s = ctx.state.read<PodVolumes>(KEY);
      if (!s) return undefined;
      const node = ni.node!;
      for (const claim of s.bound) {
        const pv = h.listers.pvs.get(undefined, claim.spec!.volumeName!);
        if (!pv) return Status.unresolvable(ERR_REASON_PV_NOT_EXIST);
        const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
        if (terms && !termsMatchNode(terms, node)) return Status.unresolvable(ERR_REASON_NODE_CONFLICT);
      }
      if (!s.delayed.length) return undefined;
      const decision = { static: [] as Array<[PersistentVolumeClaim, PersistentVolume]>, provision: [] as PersistentVolumeClaim[] };
      const taken = new Set<string>();
      const pvs = h.listers.pvs.list();
      for (const claim of s.delayed) {
        // The smallest PV that fits, as the PV controller would pick.
        let best: PersistentVolume | undefined;
        for (const pv of pvs) {
          if (!pvFits(pv, claim, node, taken)) continue;
          if (!best || amount('storage', pv.spec?.capacity?.storage) < amount('storage', best.spec?.capacity?.storage)) best = pv;
        }
        if (best) {
          taken.add(best.metadata.name!);
          decision.static.push([claim, best]);
        } else if (canProvision(claim, node)) {
          decision.provision.push(claim);
        } else {
          return Status.unschedulable(ERR_REASON_BIND_CONFLICT);
        }
      }
      s.decisions.set(ni.name, decision);
      return undefined;
    },

    reserve(ctx, nodeName) {
      const s = ctx.state.read<PodVolumes>(KEY);
      if (!s) return undefined;
      s.chosen = nodeName;
      for (const [claim, pv] of s.decisions.get(nodeName)?.static ?? []) assumedPVs.set(pv.metadata.name!, claimKey(claim));
      return undefined;
    },

    unreserve(ctx, nodeName) {
      const s = ctx.state.read<PodVolumes>(KEY);
      for (const [claim, pv] of s?.decisions.get(nodeName)?.static ?? []) {
        if (assumedPVs.get(pv.metadata.name!) === claimKey(claim)) assumedPVs.delete(pv.metadata.name!);
      }
    },

    async preBind(ctx: CycleContext, nodeName: string) {
      const s = ctx.state.read<PodVolumes>(KEY);
      const d = s?.decisions.get(nodeName);
      if (!s || !d || (!d.static.length && !d.provision.length)) return undefined;
      try {
        for (const [claim, pv] of d.static) {
          await h.client.patch(resources.persistentvolumes, undefined, pv.metadata.name!, {
            metadata: { annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } },
            spec: { claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion } },
          }, 'merge');
          await h.client.patch(resources.persistentvolumeclaims, claim.metadata.namespace, claim.metadata.name!, {
            metadata: { annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' } },
            spec: { volumeName: pv.metadata.name },
          }, 'merge');
        }
        for (const claim of d.provision) {
          await h.client.patch(resources.persistentvolumeclaims, claim.metadata.namespace, claim.metadata.name!, {
            metadata: { annotations: { [SELECTED_NODE_ANNOTATION]: nodeName } },
          }, 'merge');
        }
      } catch (err) {
        if (isNotFound(err) || isConflict(err)) return Status.unschedulable(`binding volumes: ${(err as Error).message}`);
        return Status.error(`binding volumes: ${(err as Error).message}`);
      }
      return waitBound([...d.static.map(([c]) => c), ...d.provision]);
    },
  };
}
