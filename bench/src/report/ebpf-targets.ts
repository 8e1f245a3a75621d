// Issue #20's targets for the eBPF datapath, judged from one run: each figure of "MCR engine, eBPF
// datapath" divided by the same figure of the socket engine, against the bound the issue sets.
import type { BenchRun, CellResult, FanoutResult, Summary } from '../results';

export const EBPF_RELAY = 'mcr-engine-ebpf';
export const SOCKET_ENGINE = 'mcr-engine';
export const TARGET_FANOUT_OUTPUTS = 10;

export type Verdict = 'pass' | 'fail' | 'n/a';

export interface Target {
  /** 'at-most': eBPF / socket must be ≤ bound (a cost); 'at-least': ≥ bound (a rate). */
  direction: 'at-most' | 'at-least';
  bound: number;
}

export interface TargetRow {
  figure: string;
  /** The rate, payload and shape the figure was taken at. */
  condition: string;
  unit: string;
  ebpf: number | null;
  socket: number | null;
  ratio: number | null;
  target: Target;
  verdict: Verdict;
}

const CPU_1_TO_1: Target = { direction: 'at-most', bound: 0.6 };
const CPU_FANOUT: Target = { direction: 'at-most', bound: 0.8 };
const MAX_RATE: Target = { direction: 'at-least', bound: 1 };
const LATENCY_P99: Target = { direction: 'at-most', bound: 1 };

export function ratioOf(ebpf: number | null, socket: number | null): number | null {
  if (ebpf === null || socket === null || !Number.isFinite(ebpf) || !Number.isFinite(socket) || socket <= 0)
    return null;
  return ebpf / socket;
}

/** The ratio against its bound; a figure either relay lacks gives no verdict. */
export function judge(ratio: number | null, target: Target): Verdict {
  if (ratio === null) return 'n/a';
  const ok = target.direction === 'at-most' ? ratio <= target.bound : ratio >= target.bound;
  return ok ? 'pass' : 'fail';
}

function row(
  figure: string,
  condition: string,
  unit: string,
  values: [number | null, number | null],
  target: Target,
): TargetRow {
  const ratio = ratioOf(values[0], values[1]);
  return { figure, condition, unit, ebpf: values[0], socket: values[1], ratio, target, verdict: judge(ratio, target) };
}

const limitOf = (cell: CellResult | undefined): string =>
  cell && cell.limitedBy.length > 0 ? [...new Set(cell.limitedBy)].join('+') : 'n/a';

const median = (s: Summary | null | undefined): number | null => s?.median ?? null;

function pairOf<T>(items: T[], pick: (relay: string) => T | undefined): [T | undefined, T | undefined] {
  return items.length === 0 ? [undefined, undefined] : [pick(EBPF_RELAY), pick(SOCKET_ENGINE)];
}

function cellPair(run: BenchRun, size: number): [CellResult | undefined, CellResult | undefined] {
  return pairOf(run.cells, (relay) => run.cells.find((c) => c.relay === relay && c.sizeBytes === size));
}

function fanoutPair(run: BenchRun): [FanoutResult | undefined, FanoutResult | undefined] {
  return pairOf(run.fanouts, (relay) =>
    run.fanouts.find((f) => f.relay === relay && f.outputs === TARGET_FANOUT_OUTPUTS && !f.error),
  );
}

/** Every target row this run can judge (a row is there even when a figure is missing: n/a). */
export function ebpfTargetRows(run: BenchRun): TargetRow[] {
  const sizes = [...new Set(run.cells.map((c) => c.sizeBytes))].sort((a, b) => a - b);
  const rows: TargetRow[] = [];
  for (const size of sizes) {
    const [ebpf, socket] = cellPair(run, size);
    const pps = ebpf?.fixedRateCpu?.pps ?? socket?.fixedRateCpu?.pps;
    rows.push(
      row(
        'exact relay CPU per datagram',
        `${size} B, 1→1, ${pps ?? '?'} pps`,
        'ns',
        [median(ebpf?.fixedRateCpu?.nsPerDatagram), median(socket?.fixedRateCpu?.nsPerDatagram)],
        CPU_1_TO_1,
      ),
    );
  }
  const [ebpfFanout, socketFanout] = fanoutPair(run);
  const fanoutPps = ebpfFanout?.fixedRateCpu?.pps ?? socketFanout?.fixedRateCpu?.pps;
  rows.push(
    row(
      'exact relay CPU per output datagram',
      `64 B, 1→${TARGET_FANOUT_OUTPUTS}, ${fanoutPps ?? '?'} input pps`,
      'ns',
      [median(ebpfFanout?.fixedRateCpu?.nsPerDatagram), median(socketFanout?.fixedRateCpu?.nsPerDatagram)],
      CPU_FANOUT,
    ),
  );
  for (const size of sizes) {
    const [ebpf, socket] = cellPair(run, size);
    // A search that stopped at its ceiling or at the generator gives a lower bound, not the relay's limit.
    const limits = `limited by: eBPF ${limitOf(ebpf)}, socket ${limitOf(socket)}`;
    rows.push(
      row(
        'max lossless rate',
        `${size} B, 1→1, ${limits}`,
        'pps',
        [median(ebpf?.maxLosslessPps), median(socket?.maxLosslessPps)],
        MAX_RATE,
      ),
    );
  }
  for (const size of sizes) {
    const [ebpf, socket] = cellPair(run, size);
    rows.push(
      row(
        'one-way latency p99',
        `${size} B, 1→1, ${ebpf?.latencyPps ?? socket?.latencyPps ?? '?'} pps`,
        'µs',
        [median(ebpf?.latencyP99Us), median(socket?.latencyP99Us)],
        LATENCY_P99,
      ),
    );
  }
  return rows;
}

const fmt = (n: number | null, unit: string): string =>
  n === null
    ? 'n/a'
    : `${unit === 'pps' || unit === 'ns' ? Math.round(n).toLocaleString('en-US') : n.toFixed(0)} ${unit}`;

function targetText(t: Target): string {
  return `${t.direction === 'at-most' ? '≤' : '≥'} ${t.bound.toFixed(1)}×`;
}

export function ebpfTargetsSection(run: BenchRun): string[] {
  if (!run.cells.some((c) => c.relay === EBPF_RELAY)) return [];
  const rows = ebpfTargetRows(run);
  return [
    '## The eBPF datapath against the socket engine',
    '',
    'Issue #20\'s targets, all from this run: "MCR engine, eBPF datapath" (the tc program forwarding in the',
    'receive softirq) divided by "MCR engine" (the same engine program on sockets). CPU is the exact',
    "cost defined below (run time of the relay's threads + NET_RX softirq time on the relay CPU), medians",
    "over the lossless windows at the fixed rate; the rate and latency figures are the cells' medians.",
    ...(run.profile === 'quick'
      ? ["A `--quick` smoke run: one window per figure at capped rates, so these verdicts are not the issue's."]
      : []),
    '',
    '| figure | conditions | eBPF | socket engine | eBPF / socket | target | verdict |',
    '|---|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.figure} | ${r.condition} | ${fmt(r.ebpf, r.unit)} | ${fmt(r.socket, r.unit)} | ` +
        `${r.ratio === null ? 'n/a' : `${r.ratio.toFixed(2)}×`} | ${targetText(r.target)} | ${r.verdict} |`,
    ),
    '',
  ];
}
