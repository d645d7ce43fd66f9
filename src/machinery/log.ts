// Structured logs: one JSON line per event, naming the component, on stderr.
// K8TS_LOG=quiet silences info lines (tests); errors always print.

const quiet = () => process.env.K8TS_LOG === 'quiet';

export function log(component: string, msg: string, fields: Record<string, unknown> = {}): void {
  if (quiet()) return;
  process.stderr.write(JSON.stringify({ ts: new Date().toISOString(), level: 'info', component, msg, ...fields }) + '\n');
}

export function logError(component: string, msg: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(JSON.stringify({ ts: new Date().toISOString(), level: 'error', component, msg, ...fields }) + '\n');
}
