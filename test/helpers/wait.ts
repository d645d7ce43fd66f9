// Waiting for a cluster to converge: tests poll what a user would look at until it holds.

/**
 * Calls `fn` until it returns something other than undefined/false, and returns that. Errors
 * thrown by `fn` count as "not yet" and the last one is reported on timeout, with `context()`
 * (e.g. the server's output) to explain what went wrong.
 */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  opts: { timeoutMs?: number; intervalMs?: number; context?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const ctx = opts.context?.();
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}${ctx ? `\n${ctx}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 150));
  }
}
