// CPU and memory readings from /proc: per-CPU busy time, a process's user+sys time and RSS,
// and the "is the machine quiet" check run before every measurement window.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sleep } from './proc';

const CLOCK_TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export interface CpuTimes {
  /** Seconds spent busy (user, nice, system, irq, softirq, steal) per CPU index. */
  busyS: number[];
  /** Seconds elapsed in any state per CPU index. */
  totalS: number[];
}

export function readCpuTimes(): CpuTimes {
  const busyS: number[] = [];
  const totalS: number[] = [];
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = match[2].split(/\s+/).map(Number);
    const busy = user + nice + system + irq + softirq + (steal ?? 0);
    busyS[Number(match[1])] = busy / CLOCK_TICKS_PER_S;
    totalS[Number(match[1])] = (busy + idle + iowait) / CLOCK_TICKS_PER_S;
  }
  return { busyS, totalS };
}

/** Busy seconds of one CPU between two readings. */
export function cpuBusyBetween(before: CpuTimes, after: CpuTimes, cpu: number): number {
  return after.busyS[cpu] - before.busyS[cpu];
}

/** User + system seconds of a process (all its threads), or 0 once it is gone. */
export function processCpuS(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; fields after ")" are positional (utime = 14, stime = 15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** Resident set size of a process in bytes, or 0 once it is gone. */
export function processRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface QuietCheck {
  /** Busy share of all CPUs (0..1) in the last sample before the window started. */
  busyShare: number;
  waitedMs: number;
}

/**
 * Samples /proc/stat until the machine's busy share falls below the threshold or the wait runs
 * out; returns what was seen so the report can state the noise either way.
 */
export async function waitForQuiet(thresholdShare: number, maxWaitMs: number, sampleMs = 200): Promise<QuietCheck> {
  const startedAt = Date.now();
  for (;;) {
    const before = readCpuTimes();
    await sleep(sampleMs);
    const after = readCpuTimes();
    const busy = after.busyS.reduce((sum, v, i) => sum + v - before.busyS[i], 0);
    const total = after.totalS.reduce((sum, v, i) => sum + v - before.totalS[i], 0);
    const busyShare = total > 0 ? busy / total : 0;
    const waitedMs = Date.now() - startedAt;
    if (busyShare <= thresholdShare || waitedMs >= maxWaitMs) return { busyShare, waitedMs };
  }
}

export function cpuModel(): string {
  const match = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return match ? match[1].trim() : 'unknown';
}

/**
 * Proportional set size of a process in bytes (shared pages split among the processes sharing
 * them), so one process and a thousand socat processes are charged the same way; 0 once gone.
 */
export function processPssBytes(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
