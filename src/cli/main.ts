// The k8ts command: one binary for the whole cluster, like k3s.
import { serverCommand } from './server.js';
import { agentCommand } from './agent.js';

const HELP = `k8ts: Kubernetes, written in TypeScript

Usage: k8ts <command> [flags]

Commands:
  server    Run a control plane (API server, store, controllers, scheduler) and, unless
            --disable-agent, a node agent on this machine
  agent     Run a node agent that joins a server (--server URL --token TOKEN)
  help      Show this help

Run 'k8ts <command> --help' for the flags of a command.
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case 'server':
      return serverCommand(args);
    case 'agent':
      return agentCommand(args);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    case '--version':
    case 'version':
      process.stdout.write('k8ts v0.1.0 (Kubernetes v1.32.5 API)\n');
      return 0;
    default:
      process.stderr.write(`k8ts: unknown command "${cmd}"\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { if (code !== -1) process.exitCode = code; },
  (err) => {
    process.stderr.write(`k8ts: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
