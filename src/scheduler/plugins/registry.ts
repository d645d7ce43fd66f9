// The in-tree plugins, in the order their extension points run (cheap and decisive filters first,
// as kube-scheduler's default profile), with their default score weights. Adding a plugin is one
// file under plugins/ and one line here.
import type { PluginFactory } from '../framework/interface.js';
import { newBalancedAllocation } from './balanced-allocation.js';
import { newCoscheduling } from './coscheduling.js';
import { newDefaultBinder } from './default-binder.js';
import { newDefaultPreemption } from './default-preemption.js';
import { newImageLocality } from './image-locality.js';
import { newInterPodAffinity } from './inter-pod-affinity.js';
import { newNodeAffinity } from './node-affinity.js';
import { newNodeName } from './node-name.js';
import { newNodePorts } from './node-ports.js';
import { newNodeResourcesFit } from './node-resources-fit.js';
import { newNodeUnschedulable } from './node-unschedulable.js';
import { newPodTopologySpread } from './pod-topology-spread.js';
import { newTaintToleration } from './taint-toleration.js';
import { newVolumeBinding } from './volume-binding.js';

export interface RegistryEntry {
  name: string;
  factory: PluginFactory;
  /** Score weight in the default profile (0: does not score). */
  weight?: number;
}

const f = (fn: (...a: any[]) => ReturnType<PluginFactory>) => fn as PluginFactory;

export const inTreeRegistry: RegistryEntry[] = [
  { name: 'Coscheduling', factory: f(newCoscheduling) },
  { name: 'NodeUnschedulable', factory: f(newNodeUnschedulable) },
  { name: 'NodeName', factory: f(newNodeName) },
  { name: 'TaintToleration', factory: f(newTaintToleration), weight: 3 },
  { name: 'NodeAffinity', factory: f(newNodeAffinity), weight: 2 },
  { name: 'NodePorts', factory: f(newNodePorts) },
  { name: 'NodeResourcesFit', factory: f(newNodeResourcesFit), weight: 1 },
  { name: 'VolumeBinding', factory: f(newVolumeBinding) },
  { name: 'PodTopologySpread', factory: f(newPodTopologySpread), weight: 2 },
  { name: 'InterPodAffinity', factory: f(newInterPodAffinity), weight: 2 },
  { name: 'DefaultPreemption', factory: f(newDefaultPreemption) },
  { name: 'NodeResourcesBalancedAllocation', factory: f(newBalancedAllocation), weight: 1 },
  { name: 'ImageLocality', factory: f(newImageLocality), weight: 1 },
  { name: 'DefaultBinder', factory: f(newDefaultBinder) },
];
