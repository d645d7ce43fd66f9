// Structured, one-line logs for the client library. The sink is replaceable so the binary can
// route them with the rest of a component's logs and tests can keep them quiet.

export type LogLevel = 'info' | 'warn' | 'error';
export type LogSink = (level: LogLevel, component: string, msg: string, fields: Record<string, unknown>) => void;

const stderrSink: LogSink = (level, component, msg, fields) => {
  const extra = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : v instanceof Error ? JSON.stringify(v.message) : JSON.stringify(v)}`)
    .join(' ');
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${component}: ${msg}${extra ? ' ' + extra : ''}\n`);
};

let sink: LogSink = stderrSink;

export function setClientLogSink(s: LogSink | undefined): void {
  sink = s ?? stderrSink;
}

export function log(level: LogLevel, component: string, msg: string, fields: Record<string, unknown> = {}): void {
  try {
    sink(level, component, msg, fields);
  } catch {
    // A broken sink must not take the caller down with it.
  }
}
