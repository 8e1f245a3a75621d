// Exact CPU time of the relay's processes: the scheduler's run time of every thread, in
// nanoseconds, where /proc/<pid>/stat counts clock ticks (10 ms). A 2-second window at 50k
// datagrams/s holds ~20 ticks of relay CPU, too coarse for a 5% comparison.
// One function so that a shared meter (schedstat + softirq accounting) can replace it.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Nanoseconds the threads of `pid` have run on a CPU (first field of each
 * /proc/<pid>/task/<tid>/schedstat), or 0 once the process is gone. Threads that exited are not
 * counted: the engine's workers live as long as the engine.
 */
export function processRunTimeNs(pid: number): number {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  let total = 0;
  for (const tid of tasks) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread exited between the listing and the read
    }
  }
  return total;
}

/** Run time of a set of processes, in seconds. */
export function runTimeS(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + processRunTimeNs(pid), 0) / 1e9;
}
