// Node lifecycle: noticing dead nodes (node-lifecycle) and moving pods off them (taint-eviction).
export { nodeLifecycleController, newNodeLifecycleController, DEFAULT_NODE_LIFECYCLE, type NodeLifecycleOptions } from './controller.js';
export { taintEvictionController, newTaintEvictionController, type TaintEvictionOptions } from './taint-eviction.js';
export { toleratesTaint, matchingTolerations, minTolerationMs, conditionTaints, reconcileTaints } from './taints.js';
