// What the protection scenario concludes from its windows (issue #18): the engine's CPU per
// OUTPUT datagram with A/B merge and with stream analysis, each divided by a plain relay's at the
// same rate, against the targets; and the memory a merging relay adds. Pure, unit-tested;
// scenario-protection.ts takes the windows.
import { exactCostNs } from './exact-cpu';
import { summarize, type Summary } from './results';
import type { TrialResult } from './trial';

export type ProtectionVariantId = 'plain' | 'analyze-auto' | 'merge-rtp' | 'merge-payload' | 'failover';

/** The relay every other variant is divided by: no redundancy, analyze off. */
export const BASELINE_VARIANT: ProtectionVariantId = 'plain';

/**
 * Issue #18: "with merge on, ... within 15% of a plain relay at the same rate, and analyze auto
 * within 5%". Failover has no target: its ratio tells the second leg's cost from the merge's.
 */
export const PROTECTION_TARGETS: { variant: ProtectionVariantId; maxRatio: number | null }[] = [
  { variant: 'analyze-auto', maxRatio: 1.05 },
  { variant: 'merge-rtp', maxRatio: 1.15 },
  { variant: 'merge-payload', maxRatio: 1.15 },
  { variant: 'failover', maxRatio: null },
];

/**
 * The merge state a redundant relay allocates when it opens (native/src/core/redundancy): the
 * window, MergeWindow::kEntries (65,536) entries of 16 bytes (key, arrival time); the RTP
 * sequence trackers, 8 SSRCs of 32 bytes; the two legs' counters, a cache line each.
 */
export const MERGE_STATE_MODEL_BYTES = 65536 * 16 + 8 * 32 + 2 * 64;

export interface ProtectionWindow {
  round: number;
  trial: TrialResult;
  /** Every datagram arrived once: no loss, no duplicate, the generator kept the rate. */
  clean: boolean;
  /** The engine threads' run time per datagram the sink received: what merging and analysis add. */
  cpuNsPerOutput: number;
  /** The exact relay cost (run time plus the NET_RX softirq on the relay CPU) per datagram received. */
  exactNsPerOutput: number;
}

export interface ProtectionCell {
  variant: ProtectionVariantId;
  label: string;
  /** Datagrams the relay receives per datagram it sends (2 when it merges two legs). */
  inputsPerOutput: number;
  windows: ProtectionWindow[];
  /** Over the clean windows only. */
  cpuNsPerOutput: Summary | null;
  exactNsPerOutput: Summary | null;
}

export interface ProtectionRatio {
  variant: ProtectionVariantId;
  label: string;
  /** Median CPU per output datagram of the variant over the plain relay's; null = not measured. */
  ratio: number | null;
  /** The same with the exact cost, the kernel's receive of every leg included; null = not measured. */
  exactRatio: number | null;
  /** Range of the per-round ratios (windows of one round run back to back): the spread. */
  roundRatios: Summary | null;
  /** null: no target, the ratio is for information. */
  maxRatio: number | null;
  /** null: no target, or not measured (ratio null). */
  passed: boolean | null;
}

export interface ProtectionMemory {
  relays: number;
  plainRssBytes: number;
  mergeRssBytes: number;
  /** (merge RSS - plain RSS) / relays. */
  perMergeRelayBytes: number;
  modelBytes: number;
}

export interface ProtectionResult {
  pps: number;
  sizeBytes: number;
  windowS: number;
  rounds: number;
  /** Tries per relay and round; a window that began with the host busier than maxNoiseShare was retried. */
  attempts: number;
  maxNoiseShare: number;
  mergeWindowMs: number;
  cells: ProtectionCell[];
  ratios: ProtectionRatio[];
  memory: ProtectionMemory | null;
  error?: string;
}

/** The window counts: the sink got every datagram once, and the generator kept the rate. */
export function cleanWindow(trial: TrialResult): boolean {
  return trial.received > 0 && trial.lost === 0 && trial.duplicates === 0 && !trial.generatorLimited;
}

export function protectionWindow(round: number, trial: TrialResult): ProtectionWindow {
  const perOutput = (seconds: number): number => (trial.received > 0 ? (seconds / trial.received) * 1e9 : Number.NaN);
  return {
    round,
    trial,
    clean: cleanWindow(trial),
    cpuNsPerOutput: perOutput(trial.exactCpu.processRunNs / 1e9),
    exactNsPerOutput: perOutput(exactCostNs(trial.exactCpu) / 1e9),
  };
}

/**
 * The window of each round that counts: its last clean one (an earlier clean window was retried
 * because the host was busy when it began).
 */
export function countedWindows(windows: ProtectionWindow[]): ProtectionWindow[] {
  const byRound = new Map<number, ProtectionWindow>();
  for (const window of windows) if (window.clean) byRound.set(window.round, window);
  return [...byRound.values()];
}

export function protectionCell(
  variant: ProtectionVariantId,
  label: string,
  inputsPerOutput: number,
  windows: ProtectionWindow[],
): ProtectionCell {
  const counted = countedWindows(windows);
  return {
    variant,
    label,
    inputsPerOutput,
    windows,
    cpuNsPerOutput: summarize(counted.map((w) => w.cpuNsPerOutput)),
    exactNsPerOutput: summarize(counted.map((w) => w.exactNsPerOutput)),
  };
}

/** Per round where both have a counted window: the variant's CPU per output over the baseline's. */
function roundRatios(cell: ProtectionCell, baseline: ProtectionCell): Summary | null {
  const baseWindows = countedWindows(baseline.windows);
  const ratios = countedWindows(cell.windows).map((w) => {
    const base = baseWindows.find((b) => b.round === w.round);
    return base && base.cpuNsPerOutput > 0 ? w.cpuNsPerOutput / base.cpuNsPerOutput : Number.NaN;
  });
  return summarize(ratios);
}

/** Each target's verdict: the ratio of the medians, passed when it is at most the target. */
export function protectionRatios(cells: ProtectionCell[]): ProtectionRatio[] {
  const baseline = cells.find((c) => c.variant === BASELINE_VARIANT);
  const ratioOfMedians = (cell: ProtectionCell, of: 'cpuNsPerOutput' | 'exactNsPerOutput'): number | null => {
    const base = baseline?.[of]?.median ?? 0;
    const median = cell[of]?.median;
    return base > 0 && median !== undefined ? median / base : null;
  };
  return PROTECTION_TARGETS.flatMap(({ variant, maxRatio }) => {
    const cell = cells.find((c) => c.variant === variant);
    if (!cell) return [];
    const ratio = ratioOfMedians(cell, 'cpuNsPerOutput');
    return [
      {
        variant,
        label: cell.label,
        ratio,
        exactRatio: ratioOfMedians(cell, 'exactNsPerOutput'),
        roundRatios: baseline ? roundRatios(cell, baseline) : null,
        maxRatio,
        passed: ratio === null || maxRatio === null ? null : ratio <= maxRatio,
      },
    ];
  });
}

export function protectionMemory(relays: number, plainRssBytes: number, mergeRssBytes: number): ProtectionMemory {
  return {
    relays,
    plainRssBytes,
    mergeRssBytes,
    perMergeRelayBytes: relays > 0 ? (mergeRssBytes - plainRssBytes) / relays : Number.NaN,
    modelBytes: MERGE_STATE_MODEL_BYTES,
  };
}

/**
 * What makes the scenario's figures unusable, as run failures: a duplicate at the sink (the merge
 * let a copy through) or a variant without a single clean window. Loss alone is the host's noise
 * (a stalled relay CPU overflows both legs' sockets at once); those windows are retried.
 */
export function protectionFailures(cells: ProtectionCell[]): string[] {
  const failures: string[] = [];
  for (const cell of cells) {
    const duplicated = cell.windows.filter((w) => w.trial.duplicates > 0);
    if (duplicated.length > 0) {
      const copies = duplicated.reduce((sum, w) => sum + w.trial.duplicates, 0);
      failures.push(`${cell.label}: the sink saw ${copies} duplicates in ${duplicated.length} windows`);
    }
    if (!cell.cpuNsPerOutput) failures.push(`${cell.label}: no window without loss (${cell.windows.length} tried)`);
  }
  return failures;
}
