// CPU time and memory of this process and of child processes (read from /proc on Linux), so a
// bench can say what a result cost as well as how fast it was.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface Usage {
  /** CPU seconds (user + system) since the process started. */
  cpuSeconds: number;
  /** Resident set size in MiB. */
  rssMiB: number;
}

/** Usage of another process by PID; null when it is gone or /proc is unavailable. */
export function usageOf(pid: number): Usage | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    return { cpuSeconds: (utime + stime) / TICKS_PER_SECOND, rssMiB: rss ? Number(rss[1]) / 1024 : 0 };
  } catch {
    return null;
  }
}

export function usageOfSelf(): Usage {
  const cpu = process.cpuUsage();
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, rssMiB: process.memoryUsage.rss() / (1024 * 1024) };
}

/** CPU used between start() and stop(), and the peak RSS seen by sampling in between. */
export class UsageMeter {
  private startCpu = 0;
  private peakRss = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private read: () => Usage | null, private everyMs = 100) {}

  start(): void {
    const u = this.read();
    this.startCpu = u?.cpuSeconds ?? 0;
    this.peakRss = u?.rssMiB ?? 0;
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  stop(): { cpuSeconds: number; peakRssMiB: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const u = this.sample();
    return { cpuSeconds: (u?.cpuSeconds ?? this.startCpu) - this.startCpu, peakRssMiB: this.peakRss };
  }

  private sample(): Usage | null {
    const u = this.read();
    if (u && u.rssMiB > this.peakRss) this.peakRss = u.rssMiB;
    return u;
  }
}
