// Entry point of the components thread: starts what the spec asks for and stops it on request.
import { parentPort, workerData } from 'node:worker_threads';
import { startComponents, type ComponentsSpec } from './components.js';

const components = startComponents(workerData as ComponentsSpec);
parentPort!.on('message', (msg: { type: string }) => {
  if (msg.type !== 'stop') return;
  // Closing the port lets the thread exit, which the server waits for.
  void components.stop().then(() => parentPort!.close());
});
