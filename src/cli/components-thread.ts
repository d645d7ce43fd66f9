// Runs the components on a worker thread. The API server and the store keep the main thread to
// themselves, and controllers, scheduler and simulated nodes (and the client-side half of their
// HTTPS traffic) use the other core, as they would in separate processes of a real cluster.
import { Worker } from 'node:worker_threads';
import { log } from '../machinery/log.js';
import type { ComponentsSpec } from './components.js';

const fromSources = import.meta.url.endsWith('.ts');
const entry = new URL(fromSources ? './components-worker.ts' : './components-worker.js', import.meta.url);

/**
 * Under tsx (tests, development) the thread runs the .ts sources: tsx's loader hooks are not
 * inherited by worker threads, so the thread registers them before importing its entry.
 */
function newWorker(workerData: ComponentsSpec): Worker {
  const opts = { workerData, name: 'k8ts-components' };
  if (!fromSources) return new Worker(entry, opts);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(entry.href)}))`;
  return new Worker(boot, { ...opts, eval: true });
}

export function startComponentsThread(spec: ComponentsSpec, onFailure: (err: Error) => void): { stop(): Promise<void> } {
  const worker = newWorker(spec);
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', (err) => {
    log('server', 'components thread failed', { error: err.message });
    if (!stopping) onFailure(err);
  });
  worker.once('exit', (code) => {
    if (!stopping) onFailure(new Error(`components thread exited with code ${code}`));
  });
  return {
    async stop() {
      stopping = true;
      worker.postMessage({ type: 'stop' });
      // Components stop in well under this; a stuck one must not keep the server from exiting.
      const timer = setTimeout(() => void worker.terminate(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
