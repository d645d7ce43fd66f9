// Container logs in the CRI format containerd writes and the kubelet reads:
//   <RFC 3339 time with nanoseconds> <stdout|stderr> <F|P> <content>
// F ends a line, P is a part of one continued on the next record. The host driver writes the same
// format, so logs read the same whichever runtime ran the container.
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from './types.js';

export type LogStream = 'stdout' | 'stderr';

export interface LogEntry {
  time: string;
  stream: LogStream;
  /** The whole line, parts joined, without its newline. */
  text: string;
}

/** RFC 3339 with nanoseconds, as the CRI log format stamps records. */
export function logTimestamp(ms = Date.now()): string {
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  const frac = String(Math.floor((ms % 1000 + 1000) % 1000)).padStart(3, '0');
  return iso.replace(/\.\d{3}Z$/, `.${frac}000000Z`);
}

/** <logRoot>/pods/<namespace>_<name>_<uid>: the directory of a pod's container logs. */
export function podLogDirectory(logRoot: string, pod: Pod): string {
  return join(logRoot, 'pods', `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`);
}

/** <container>/<restartCount>.log, relative to the pod's log directory. */
export function containerLogPath(container: string, restartCount: number): string {
  return join(container, `${restartCount}.log`);
}

/** Writes one process's stdout and stderr to a CRI-format file; each stream keeps its partial line. */
export class CriLogWriter {
  private readonly out: WriteStream;
  private readonly pending: Record<LogStream, string> = { stdout: '', stderr: '' };

  constructor(path: string) {
    this.out = createWriteStream(path, { flags: 'a' });
    this.out.on('error', () => {});
  }

  write(stream: LogStream, chunk: Buffer | string): void {
    const text = this.pending[stream] + chunk.toString();
    const lines = text.split('\n');
    this.pending[stream] = lines.pop()!;
    const ts = logTimestamp();
    for (const line of lines) this.out.write(`${ts} ${stream} F ${line}\n`);
  }

  /** Writes what is left of unterminated lines, then closes the file. */
  close(): Promise<void> {
    const ts = logTimestamp();
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.pending[stream]) this.out.write(`${ts} ${stream} P ${this.pending[stream]}\n`);
      this.pending[stream] = '';
    }
    return new Promise((resolve) => this.out.end(resolve));
  }
}

/** Parses CRI-format text into whole lines; malformed records are kept as stdout text. */
export function parseCriLog(text: string): LogEntry[] {
  const out: LogEntry[] = [];
  const partial: Partial<Record<LogStream, { time: string; text: string }>> = {};
  for (const record of text.split('\n')) {
    if (!record) continue;
    const m = /^(\S+) (stdout|stderr) (F|P) ?(.*)$/.exec(record);
    if (!m) {
      out.push({ time: '', stream: 'stdout', text: record });
      continue;
    }
    const stream = m[2] as LogStream;
    const prev = partial[stream];
    const joined = (prev?.text ?? '') + m[4];
    if (m[3] === 'P') {
      partial[stream] = { time: prev?.time ?? m[1], text: joined };
      continue;
    }
    delete partial[stream];
    out.push({ time: prev?.time ?? m[1], stream, text: joined });
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    const p = partial[stream];
    if (p) out.push({ time: p.time, stream, text: p.text });
  }
  return out;
}

/** A container's log as `kubectl logs` prints it (both streams, one line each); '' when absent. */
export async function readContainerLog(path: string, opts: { tailLines?: number } = {}): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return '';
  }
  let entries = parseCriLog(text);
  if (opts.tailLines !== undefined) entries = entries.slice(Math.max(0, entries.length - opts.tailLines));
  return entries.map((e) => e.text + '\n').join('');
}
