// The runtime as the pod workers see it, so that stopping the kubelet cancels their work instead of
// waiting it out. A real kubelet exits on SIGTERM without finishing a graceful kill (30 s by
// default for a process that ignores SIGTERM) or an image pull; ours must too. Once cancelled,
// every runtime call a worker is waiting on rejects with PodWorkCancelled and every new one
// rejects at once, so syncs unwind within moments. What was already handed to the runtime still
// runs there: calls that make or remove things (a sandbox being created) are awaited by settled(),
// so whoever cleans up after the kubelet sees them; the open-ended waits (a stop's grace period, a
// pull, an exec) are not, since cleaning up (stopping the sandbox) is what ends them.
import type { RuntimeDriver } from '../runtime.js';

/** A pod worker's runtime call that the kubelet stopped waiting for. */
export class PodWorkCancelled extends Error {
  constructor(readonly method: string) {
    super(`the kubelet is stopping: ${method} abandoned`);
    this.name = 'PodWorkCancelled';
  }
}

export function isPodWorkCancelled(err: unknown): err is PodWorkCancelled {
  return err instanceof PodWorkCancelled;
}

/** For catch blocks that turn runtime failures into events: a cancellation is not a failure. */
export function rethrowIfCancelled(err: unknown): void {
  if (err instanceof PodWorkCancelled) throw err;
}

/** Calls whose end is open (a grace period, a pull, a command): nobody waits for them once cancelled. */
const OPEN_ENDED = new Set<PropertyKey>(['stopContainer', 'pullImage', 'execSync', 'exec', 'attach', 'portForward']);

export interface CancellableRuntime {
  /** Hand this to the pod workers. */
  readonly runtime: RuntimeDriver;
  /** Aborted by cancel(); pod workers watch it where they wait on something other than the runtime. */
  readonly signal: AbortSignal;
  cancel(): void;
  /** Resolves once the calls already in the runtime's hands (other than open-ended waits) have settled, or after `timeoutMs`; true if they all did. */
  settled(timeoutMs: number): Promise<boolean>;
}

export function cancellableRuntime(inner: RuntimeDriver): CancellableRuntime {
  const ac = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const wrap = (method: string, fn: (...args: unknown[]) => unknown) => (...args: unknown[]): unknown => {
    if (ac.signal.aborted) return Promise.reject(new PodWorkCancelled(method));
    const result = fn.apply(inner, args);
    if (!(result instanceof Promise)) return result;
    if (!OPEN_ENDED.has(method)) {
      inFlight.add(result);
      const done = () => void inFlight.delete(result);
      result.then(done, done);
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new PodWorkCancelled(method));
      ac.signal.addEventListener('abort', onAbort, { once: true });
      result.then(
        (v) => { ac.signal.removeEventListener('abort', onAbort); resolve(v); },
        (e) => { ac.signal.removeEventListener('abort', onAbort); reject(e); },
      );
    });
  };
  // Every method of whichever driver it is (cri, host), properties (name, isolated) as they are.
  const wrapped = new Map<PropertyKey, unknown>();
  const runtime = new Proxy(inner, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      let w = wrapped.get(prop);
      if (!w) wrapped.set(prop, (w = wrap(prop, value as (...args: unknown[]) => unknown)));
      return w;
    },
  });
  return {
    runtime,
    signal: ac.signal,
    cancel: () => ac.abort(),
    async settled(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const all = Promise.allSettled([...inFlight]).then(() => true as const);
      try {
        return await Promise.race([all, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
