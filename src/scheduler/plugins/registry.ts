// The in-tree plugins, in the order their Filters run (cheap and decisive checks first, as
// kube-scheduler's default profile), with their default score weights. Adding a plugin is one
// file under plugins/ and one line here.
import type { PluginFactory } from '../framework/interface.js';
import { newDefaultBinder } from './default-binder.js';
import { newNodeAffinity } from './node-affinity.js';
import { newNodeName } from './node-name.js';
import { newNodeResourcesFit } from './node-resources-fit.js';
import { newNodeUnschedulable } from './node-unschedulable.js';
import { newTaintToleration } from './taint-toleration.js';

export interface RegistryEntry {
  name: string;
  factory: PluginFactory;
  /** Score weight in the default profile (0: does not score). */
  weight?: number;
}

export const inTreeRegistry: RegistryEntry[] = [
  { name: 'NodeUnschedulable', factory: newNodeUnschedulable },
  { name: 'NodeName', factory: newNodeName },
  { name: 'TaintToleration', factory: newTaintToleration, weight: 3 },
  { name: 'NodeAffinity', factory: newNodeAffinity, weight: 2 },
  { name: 'NodeResourcesFit', factory: newNodeResourcesFit as PluginFactory, weight: 1 },
  { name: 'DefaultBinder', factory: newDefaultBinder },
];
