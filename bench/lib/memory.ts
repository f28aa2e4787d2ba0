import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's resident set size while a measurement runs; reports the peak seen. */
export class RssSampler {
  private readonly pid: number;
  private timer: NodeJS.Timeout | null = null;
  peakBytes = 0;

  constructor(pid: number) {
    this.pid = pid;
  }

  start(intervalMs = 100): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return this.peakBytes;
  }

  /** The kernel's high-water mark for the whole life of the process (includes start-up and warm-up). */
  highWaterMark(): number | null {
    return statusField(this.pid, 'VmHWM');
  }

  private sample(): void {
    const rss = statusField(this.pid, 'VmRSS');
    if (rss !== null && rss > this.peakBytes) this.peakBytes = rss;
  }
}

let clockTicks: number | null = null;

/** CPU time (user + system, all threads) a process has used so far, in seconds; null once it is gone. */
export function processCpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return null;
  }
}
