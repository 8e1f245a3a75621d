// The exact CPU cost of a relay over one window: its processes' run time from schedstat (ns, every
// thread) plus the NET_RX softirq time on the relay CPU, timed by the irq:softirq_entry/exit
// tracepoints in a tracefs instance of our own that traces that CPU alone. /proc/stat cannot give
// it on a kernel with tick-based accounting: softirq work done by a CPU that wakes from idle for it
// is never sampled, so a relay that forwards in softirq (eBPF, the kernel) looked nearly free.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sleep } from './proc';

/** The softirq vector of NET_RX (include/linux/interrupt.h): the receive work RPS steers. */
export const NET_RX_VEC = 3;

/** Run time of one task, ns: the first field of /proc/<pid>/task/<tid>/schedstat (sum_exec_runtime). */
export function parseSchedstatNs(text: string): number {
  const first = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isFinite(first)) throw new Error(`schedstat: expected a run time in ns, got '${text.trim()}'`);
  return first;
}

function taskIds(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
}

/** The threads of the relay's processes, whose run time is the relay's own. */
export function relayTaskIds(pids: number[]): Set<number> {
  return new Set(pids.flatMap(taskIds));
}

/** Run time of every thread of the given processes, ns; a task gone since counts nothing. */
export function processRunNs(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    for (const tid of taskIds(pid)) {
      try {
        total += parseSchedstatNs(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8'));
      } catch {
        // the thread exited between the listing and the read
      }
    }
  }
  return total;
}

export interface SoftirqTime {
  /** NET_RX softirq time on the traced CPU, ns, entry to exit. */
  totalNs: number;
  /** Of it, the time spent while one of these tasks was current: its schedstat already has it. */
  duringTasksNs: number;
  /** NET_RX softirq runs seen (entry/exit pairs): what the tracer itself cost is per run. */
  runs: number;
}

/** The tracefs ids of the two events, as `raw` output names them. */
export interface SoftirqEventIds {
  entry: number;
  exit: number;
}

/**
 * Sums NET_RX softirq runs from a tracefs instance's `trace` in `raw` form (`PID CPU TS_NS type: ID`),
 * which holds only NET_RX runs (the events are filtered on `vec == 3`). Entry and exit are paired per
 * CPU; a run cut by the window's start or end (an exit without entry, an entry without exit) is
 * left out. Softirqs do not nest on one CPU, so the last entry pairs.
 */
export function sumSoftirqTrace(text: string, tasks: Set<number>, ids: SoftirqEventIds): SoftirqTime {
  const open = new Map<number, { atNs: bigint; tid: number }>();
  const result: SoftirqTime = { totalNs: 0, duringTasksNs: 0, runs: 0 };
  const line = /^(\d+) (\d+) (\d+) type: (\d+)/;
  for (const row of text.split('\n')) {
    const match = line.exec(row);
    if (!match) continue;
    const [tid, cpu, id] = [Number(match[1]), Number(match[2]), Number(match[4])];
    const atNs = BigInt(match[3]);
    if (id === ids.entry) {
      open.set(cpu, { atNs, tid });
      continue;
    }
    if (id !== ids.exit) continue;
    const entry = open.get(cpu);
    open.delete(cpu);
    if (!entry || atNs < entry.atNs) continue;
    const ns = Number(atNs - entry.atNs);
    result.totalNs += ns;
    result.runs += 1;
    if (tasks.has(entry.tid)) result.duringTasksNs += ns;
  }
  return result;
}

/** What one window cost the relay. */
export interface ExactCpuReading {
  /** Run time of the relay's threads (schedstat), softirq that interrupted them included. */
  processRunNs: number;
  /** NET_RX softirq time on the relay CPU, whoever was running. */
  netRxSoftirqNs: number;
  /** The part of netRxSoftirqNs that interrupted the relay's threads (already in processRunNs). */
  netRxInProcessNs: number;
  /** NET_RX runs traced: each costs the tracer two tracepoint hits. */
  netRxRuns: number;
}

/** The relay's exact cost, ns: run time plus the softirq time not already inside it. */
export const exactCostNs = (r: ExactCpuReading): number => r.processRunNs + r.netRxSoftirqNs - r.netRxInProcessNs;

export const TRACEFS = '/sys/kernel/tracing';
const EVENTS = ['softirq_entry', 'softirq_exit'] as const;
/**
 * The traced CPU's ring buffer: room for over a million NET_RX runs (about 24 bytes per event),
 * more than any window takes even at one run per datagram. The other CPUs get the minimum.
 */
const BUFFER_KB = 65536;
const UNTRACED_BUFFER_KB = 4;

/**
 * The NET_RX softirq tracepoints on one CPU, in a tracefs instance of the harness's own (other
 * tracers on the host are not disturbed, and none of theirs lands in ours). Switching it on and
 * off is one write each, and the trace is read from memory: no process to start or stop per window.
 */
export class SoftirqTracer {
  private constructor(
    private readonly dir: string,
    private readonly ids: SoftirqEventIds,
  ) {}

  /** Creates the instance (removing one a killed run left) and arms it, still off. */
  static open(relayCpu: number, name = 'mcrb-softirq'): SoftirqTracer {
    if (!existsSync(path.join(TRACEFS, 'instances')))
      throw new Error(`${TRACEFS} is not mounted: the exact relay CPU traces softirqs through it (mount -t tracefs)`);
    const dir = path.join(TRACEFS, 'instances', name);
    if (existsSync(dir)) new SoftirqTracer(dir, { entry: 0, exit: 0 }).close();
    mkdirSync(dir);
    const write = (file: string, value: string): void => writeFileSync(path.join(dir, file), value);
    write('tracing_on', '0');
    write('tracing_cpumask', (1 << relayCpu).toString(16));
    write('trace_clock', 'mono');
    write('buffer_size_kb', String(UNTRACED_BUFFER_KB));
    write(`per_cpu/cpu${relayCpu}/buffer_size_kb`, String(BUFFER_KB));
    write('options/raw', '1');
    for (const event of EVENTS) {
      write(`events/irq/${event}/filter`, `vec == ${NET_RX_VEC}`);
      write(`events/irq/${event}/enable`, '1');
    }
    const id = (event: string): number => Number(readFileSync(path.join(dir, `events/irq/${event}/id`), 'utf8'));
    return new SoftirqTracer(dir, { entry: id('softirq_entry'), exit: id('softirq_exit') });
  }

  start(): void {
    writeFileSync(path.join(this.dir, 'trace'), '');
    writeFileSync(path.join(this.dir, 'tracing_on'), '1');
  }

  /** Stops tracing and sums the NET_RX runs; `tasks` are the relay's threads. */
  stop(tasks: Set<number>): SoftirqTime {
    writeFileSync(path.join(this.dir, 'tracing_on'), '0');
    const overrun = this.overrun();
    if (overrun > 0)
      throw new Error(`the softirq trace lost ${overrun} events (buffer_size_kb ${BUFFER_KB} too small)`);
    return sumSoftirqTrace(readFileSync(path.join(this.dir, 'trace'), 'utf8'), tasks, this.ids);
  }

  private overrun(): number {
    let total = 0;
    for (const cpu of readdirSync(path.join(this.dir, 'per_cpu'))) {
      const stats = readFileSync(path.join(this.dir, 'per_cpu', cpu, 'stats'), 'utf8');
      total += Number(/^overrun: (\d+)/m.exec(stats)?.[1] ?? 0);
    }
    return total;
  }

  /** Switches the events off and removes the instance; a second call does nothing. */
  close(): void {
    if (!existsSync(this.dir)) return;
    try {
      writeFileSync(path.join(this.dir, 'tracing_on'), '0');
      for (const event of EVENTS) writeFileSync(path.join(this.dir, `events/irq/${event}/enable`), '0');
    } finally {
      rmdirSync(this.dir);
    }
  }
}

/** One window's meter: start before the traffic, stop after the relay has gone quiet. */
export class ExactCpuMeter {
  private constructor(
    private readonly pids: () => number[],
    private readonly runBefore: number,
    private readonly tracer: SoftirqTracer,
  ) {}

  static start(pids: () => number[], tracer: SoftirqTracer): ExactCpuMeter {
    const meter = new ExactCpuMeter(pids, processRunNs(pids()), tracer);
    tracer.start();
    return meter;
  }

  stop(): ExactCpuReading {
    const softirq = this.tracer.stop(relayTaskIds(this.pids()));
    const runAfter = processRunNs(this.pids());
    return {
      processRunNs: runAfter - this.runBefore,
      netRxSoftirqNs: softirq.totalNs,
      netRxInProcessNs: softirq.duringTasksNs,
      netRxRuns: softirq.runs,
    };
  }
}

/** NET_RX softirq time on the relay CPU with no benchmark traffic: what other tenants add, ns/s. */
export async function backgroundNetRxNsPerS(tracer: SoftirqTracer, ms = 1000): Promise<number> {
  const startedAt = process.hrtime.bigint();
  tracer.start();
  await sleep(ms);
  const time = tracer.stop(new Set());
  return time.totalNs / (Number(process.hrtime.bigint() - startedAt) / 1e9);
}

/** The report's statement of the method, with this run's background. */
export function describeExactCpu(relayCpu: number, backgroundNsPerS: number): string {
  return (
    `exact relay CPU = run time of the relay's threads (schedstat) + NET_RX softirq time on CPU ${relayCpu} ` +
    `(irq:softirq_entry/exit, vec == ${NET_RX_VEC}, in a tracefs instance tracing CPU ${relayCpu} alone) not ` +
    `already inside that run time. The tracepoints cost the relay CPU too (two hits per softirq run, ` +
    `inside the figure; bench/README.md has a measurement of it): the relay with more softirq runs per ` +
    `datagram pays more of it. Before the run, with no benchmark traffic, CPU ${relayCpu} spent ` +
    `${(backgroundNsPerS / 1e6).toFixed(1)} ms/s in NET_RX for other tenants of the host: it is inside ` +
    `every window's figure.`
  );
}
