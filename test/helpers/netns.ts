// Runs a whole test file inside a fresh network namespace (only `lo`, no route off the machine),
// which is where anything that makes bridges, veths, pod networks or VIPs must run.
//
// Use it as the first statement of a test file, before any test() is declared:
//
//   import { enterNetns } from '../../helpers/netns.js';
//   await enterNetns();
//   test('...', ...)
//
// The first time, the file re-executes itself under `unshare --net --mount` (same node, same
// flags, same environment, stdio inherited) and the outer process exits with the inner one's
// status without declaring any tests: node:test's runner talks to the file's process over stdout,
// and the inner process writes exactly what a normal run would. Inside, `lo` is brought up. The
// private mount namespace keeps containerd's overlay and netns mounts out of the machine's table
// and drops them when the tree exits.
import { execFileSync, spawn } from 'node:child_process';

const MARK = 'K8TS_TEST_NETNS';

export class NetnsUnavailable extends Error {}

/** Whether this process runs in the namespace enterNetns made. */
export const inTestNetns = (): boolean => process.env[MARK] === 'inner';

export async function enterNetns(): Promise<void> {
  if (process.env[MARK] === 'inner') {
    execFileSync('ip', ['link', 'set', 'lo', 'up']);
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new NetnsUnavailable('this suite creates network namespaces, bridges and containers: run it as root (scripts/install-deps.sh installs what it needs)');
  }
  const args = [...process.execArgv, ...process.argv.slice(1)];
  const child = spawn('unshare', ['--net', '--mount', '--propagation', 'private', '--', process.execPath, ...args], {
    stdio: 'inherit',
    env: { ...process.env, [MARK]: 'inner' },
  });
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const code = await new Promise<number>((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`cannot run unshare: ${err.message}\n`);
      resolve(1);
    });
    child.once('close', (c, signal) => resolve(c ?? (signal === 'SIGKILL' ? 137 : 1)));
  });
  process.exit(code);
}
