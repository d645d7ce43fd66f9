// ControllerRevision helpers shared by the StatefulSet and DaemonSet controllers.
export * from './hash.js';
export * from './revision.js';
export { ControllerHistory } from './history.js';
