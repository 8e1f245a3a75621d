// The shape of a benchmark run as written to bench/results/<date>.json: every raw window plus the
// conditions it ran under, and the summaries the report is drawn from.
import type { ProtectionResult } from './protection-cost';
import type { RelayKind } from './relays/relay';
import type { SearchLimit, SearchResult } from './search';
import type { TrialResult } from './trial';

/** Median and spread of repeated measurements of one figure. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  values: number[];
}

export function summarize(values: number[]): Summary | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], values: finite };
}

/** The exact relay CPU per datagram over windows at one fixed rate: comparable across relays. */
export interface FixedRateCpu {
  pps: number;
  /** Median over the lossless windows (a lossy one measured a relay that could not keep up). */
  nsPerDatagram: Summary | null;
  /** The NET_RX softirq's share of it (outside the relay's own run time). */
  softirqShare: Summary | null;
  trials: TrialResult[];
}

/** One relay at one payload size: max lossless rate (repeated), CPU per packet, latency at 10k pps. */
export interface CellResult {
  relay: RelayKind;
  label: string;
  sizeBytes: number;
  searches: SearchResult[];
  limitedBy: SearchLimit[];
  maxLosslessPps: Summary | null;
  /**
   * Relay CPU per forwarded datagram at its max lossless rate. Exact since exact-cpu.ts (schedstat
   * run time + traced NET_RX softirq, `fixedRateCpu` present); before, user+sys from /proc (the
   * kernel path: the relay CPU's /proc/stat busy time).
   */
  cpuNsPerPacket: Summary | null;
  /** The relay CPU's /proc/stat busy time per forwarded datagram (misses softirq after idle). */
  coreNsPerPacket: Summary | null;
  /** Absent in runs before the exact meter. */
  fixedRateCpu?: FixedRateCpu;
  latencyPps: number;
  latencyTrials: TrialResult[];
  latencyP50Us: Summary | null;
  latencyP99Us: Summary | null;
  error?: string;
}

export interface FanoutResult {
  relay: RelayKind;
  label: string;
  outputs: number;
  sizeBytes: number;
  search: SearchResult | null;
  maxInputPps: number;
  /** Exact relay CPU per output datagram at the max input rate. */
  cpuNsPerOutputDatagram: number | null;
  /** Exact relay CPU per output datagram at one fixed input rate (absent in older runs). */
  fixedRateCpu?: FixedRateCpu;
  error?: string;
}

export interface ManyRelaysResult {
  relay: RelayKind;
  label: string;
  relays: number;
  ppsEach: number;
  startupS: number;
  windowS: number;
  sent: number;
  delivered: number;
  deliveredRatio: number;
  /** Share of one core used by the relay over the window (exact: run time + NET_RX softirq). */
  cpuShareOfCore: number;
  cpuNsPerPacket: number;
  relayCoreBusyShare: number;
  /** Proportional set size of the relay's processes (null for the kernel path). */
  memoryBytes: number | null;
  processes: number;
  error?: string;
}

export interface Conditions {
  kernel: string;
  cpuModel: string;
  cpus: number;
  node: string;
  pinning: string;
  rps: string;
  /** How mcrgen sends (trial.ts GENERATOR_SENDING). */
  generator: string;
  quietThresholdShare: number;
  quietMaxWaitMs: number;
  noiseBusyShare: Summary | null;
  tools: Record<string, string>;
  /** How the exact relay CPU was measured, the tracer's cost and the background (absent in older runs). */
  exactCpu?: string;
  /** Whether the kernel could forward multicast itself (absent in runs before it was recorded). */
  multicastRouting?: string;
}

/** A reference relay the host could not run, and why (decided before the run started). */
export interface UnavailableRelay {
  relay: RelayKind;
  label: string;
  reason: string;
}

export interface BenchRun {
  profile: 'full' | 'quick';
  startedAt: string;
  durationS: number;
  windowS: number;
  lossBound: number;
  conditions: Conditions;
  cells: CellResult[];
  fanouts: FanoutResult[];
  manyRelays: ManyRelaysResult[];
  /** MCR's engine with A/B merge and stream analysis beside a plain relay (absent in older runs). */
  protection?: ProtectionResult;
  /** Relays or scenarios that could not be measured, with the reason. */
  failures: string[];
  /** Measurements the time budget forced the run to drop. */
  skipped: string[];
  /** References left out because this host cannot run them (absent in runs before it was recorded). */
  unavailable?: UnavailableRelay[];
}
