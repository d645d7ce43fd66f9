// Container lifecycle hooks: postStart after a container starts, preStop before it is stopped.
// exec runs in the container, httpGet is sent from the node to the pod, sleep waits.
import type { RuntimeDriver } from '../runtime.js';
import { httpGet, httpGetURL, resolvePort, tcpProbe } from '../probes/probe.js';
import { errMessage, type Container, type LifecycleHandler, type Pod } from '../types.js';
import { rethrowIfCancelled } from './cancellable-runtime.js';

export class HookError extends Error {}

/** Runs a handler; resolves when done, rejects with a HookError saying what failed. */
export async function runHook(
  h: LifecycleHandler, hook: 'PostStart' | 'PreStop', pod: Pod, c: Container, containerId: string, podIP: string, runtime: RuntimeDriver,
  timeoutSeconds: number, signal?: AbortSignal,
): Promise<void> {
  const where = `for Container "${c.name}" in Pod "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})"`;
  if (h.exec) {
    const cmd = h.exec.command ?? [];
    let r;
    try {
      r = await runtime.execSync(containerId, cmd, Math.max(0, Math.floor(timeoutSeconds)));
    } catch (err) {
      rethrowIfCancelled(err);
      throw new HookError(`Exec lifecycle hook (${JSON.stringify(cmd)}) ${where} failed - error: ${errMessage(err)}, message: ""`);
    }
    if (r.exitCode !== 0) {
      const out = Buffer.concat([r.stdout, r.stderr]).toString('utf8');
      throw new HookError(`Exec lifecycle hook (${JSON.stringify(cmd)}) ${where} failed - error: command '${cmd.join(' ')}' exited with ${r.exitCode}: ${out}, message: ${JSON.stringify(out)}`);
    }
    return;
  }
  if (h.httpGet) {
    const url = httpGetURL(h.httpGet, c, podIP);
    try {
      await httpGet(url, h.httpGet.httpHeaders ?? [], Math.max(1, timeoutSeconds) * 1000);
    } catch (err) {
      throw new HookError(`HTTP lifecycle hook (${h.httpGet.path ?? '/'}) ${where} failed - error: ${errMessage(err)}`);
    }
    return;
  }
  if (h.tcpSocket) {
    const out = await tcpProbe(h.tcpSocket.host || podIP, resolvePort(h.tcpSocket.port, c), Math.max(1, timeoutSeconds) * 1000);
    if (out.result !== 'success') throw new HookError(`TCP lifecycle hook ${where} failed - error: ${out.output}`);
    return;
  }
  if (h.sleep) {
    const ms = Math.max(0, h.sleep.seconds) * 1000;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
    return;
  }
  throw new HookError(`${hook} hook ${where} has no handler`);
}
