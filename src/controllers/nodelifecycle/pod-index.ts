// Pods by spec.nodeName on the shared pod informer: both controllers here (and others) ask for
// "the pods on this node"; the index is added once, whoever asks first.
import type { Informer } from '../../client/index.js';
import type { Pod } from './types.js';

export const POD_NODE_NAME_INDEX = 'spec.nodeName';

export function podsOnNode(pods: Informer<Pod>, nodeName: string): Pod[] {
  ensureNodeNameIndex(pods);
  return pods.lister.byIndex(POD_NODE_NAME_INDEX, nodeName);
}

export function ensureNodeNameIndex(pods: Informer<Pod>): void {
  try {
    pods.indexer.indexKeys(POD_NODE_NAME_INDEX, '');
    return; // present
  } catch {
    // absent: add it below
  }
  try {
    pods.addIndexers({ [POD_NODE_NAME_INDEX]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
  } catch {
    // added meanwhile by another controller with the same meaning
  }
}
