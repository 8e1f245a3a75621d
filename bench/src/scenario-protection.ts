// Protection scenario (issue #18): what A/B merge and stream analysis cost MCR's engine per output
// datagram, beside a plain relay at the same rate, and the memory a merging relay adds. One engine
// carries the four relays; each window sends one relay's RTP stream (both legs for a merge, on
// the same ingress interface, different groups), and the windows of the variants alternate round
// by round so that the host's drifting noise falls on all of them alike.
import { log } from './budget';
import { processRssBytes } from './cpu';
import { sleep } from './proc';
import {
  protectionCell,
  protectionFailures,
  protectionMemory,
  protectionRatios,
  protectionWindow,
  type ProtectionMemory,
  type ProtectionResult,
  type ProtectionVariantId,
  type ProtectionWindow,
} from './protection-cost';
import type { ProtectionPolicy } from './profile';
import { verdictText } from './report/protection';
import { settle, type Endpoint, type RelayUnderTest, type Route, type RunningRelay } from './relays/relay';
import type { ScenarioContext } from './scenario-cells';
import { runTrial } from './trial';

/** Skew the merge tolerates: the engine's default, far above what a veth leg adds. */
const MERGE_WINDOW_MS = 50;
/** The merging relays' state is allocated when the relay opens; let the engine finish opening them. */
const MEMORY_SETTLE_MS = 1000;

interface Variant {
  id: ProtectionVariantId;
  label: string;
  route: Route;
}

function variantRoute(index: number, extra: Pick<Route, 'analyze' | 'redundancy'>): Route {
  return {
    name: `bench-protection-${index}`,
    input: { group: `239.78.30.${index + 1}`, port: 5030 + index },
    outputs: [{ group: `239.79.30.${index + 1}`, port: 6030 + index }],
    ...extra,
  };
}

const legB = (index: number): Endpoint => ({ group: `239.78.31.${index + 1}`, port: 5130 + index });

function merging(index: number, key: 'rtp' | 'payload'): Route {
  return variantRoute(index, {
    analyze: 'off',
    redundancy: { input: legB(index), mode: 'merge', key, windowMs: MERGE_WINDOW_MS },
  });
}

export const PROTECTION_VARIANTS: Variant[] = [
  { id: 'plain', label: 'plain relay, analyze off', route: variantRoute(0, { analyze: 'off' }) },
  { id: 'analyze-auto', label: 'plain relay, analyze auto', route: variantRoute(1, { analyze: 'auto' }) },
  { id: 'merge-rtp', label: 'A/B merge, key rtp, analyze off', route: merging(2, 'rtp') },
  { id: 'merge-payload', label: 'A/B merge, key payload, analyze off', route: merging(3, 'payload') },
  // No target: it tells the second leg's receive (which failover pays too) from the merge itself.
  {
    id: 'failover',
    label: 'A/B failover (leg a forwarded), analyze off',
    route: variantRoute(4, {
      analyze: 'off',
      redundancy: { input: legB(4), mode: 'failover', key: 'rtp', windowMs: MERGE_WINDOW_MS },
    }),
  },
];

/** Seconds the scenario takes, for the run's budget: windows with their set-up, and the memory. */
export function protectionCostS(policy: ProtectionPolicy): number {
  return PROTECTION_VARIANTS.length * policy.rounds * (policy.windowS + 1.5) + 2 * (MEMORY_SETTLE_MS / 1000 + 3);
}

/** Round `round` starts at a different variant, so no variant always follows the same one. */
const rotated = <T>(list: T[], round: number): T[] => list.map((_, i) => list[(i + round) % list.length]);

async function windowsOf(
  ctx: ScenarioContext,
  running: RunningRelay,
  variant: Variant,
  round: number,
): Promise<ProtectionWindow[]> {
  const policy = ctx.profile.protection;
  const windows: ProtectionWindow[] = [];
  for (let attempt = 0; attempt < policy.attempts; attempt += 1) {
    const trial = await runTrial({
      relay: running,
      input: variant.route.input,
      sinkAt: variant.route.outputs[0],
      rate: policy.pps,
      durationS: policy.windowS,
      size: policy.sizeBytes,
      copies: 1,
      quiet: ctx.profile.quiet,
      workDir: ctx.workDir,
      tracer: ctx.tracer,
      stream: { rtp: true, legB: variant.route.redundancy?.input },
    });
    const window = protectionWindow(round, trial);
    windows.push(window);
    const quiet = trial.noiseBusyShare <= policy.maxNoiseShare;
    log(
      `  protection ${variant.id} round ${round + 1}: ${Math.round(window.cpuNsPerOutput)} ns (exact ${Math.round(window.exactNsPerOutput)} ns) / output datagram, ` +
        `lost ${trial.lost}, duplicates ${trial.duplicates}, host busy ${Math.round(trial.noiseBusyShare * 100)}% before` +
        `${window.clean ? '' : ' (not clean)'}${quiet ? '' : ' (noisy)'}`,
    );
    if ((window.clean && quiet) || trial.duplicates > 0) break;
  }
  return windows;
}

async function rssWith(ctx: ScenarioContext, relay: RelayUnderTest, routes: Route[]): Promise<number> {
  const running = await relay.start(routes, ctx.workDir);
  try {
    await sleep(MEMORY_SETTLE_MS);
    return running.pids().reduce((sum, pid) => sum + processRssBytes(pid), 0);
  } finally {
    await running.stop();
  }
}

/** `count` idle relays, plain or merging, each with its own ingress groups and ports. */
function memoryRoutes(count: number, merge: boolean): Route[] {
  const at = (base: number, i: number, port: number): Endpoint => ({
    group: `239.78.${base + Math.floor(i / 250)}.${1 + (i % 250)}`,
    port: port + i,
  });
  return Array.from({ length: count }, (_, i) => ({
    name: `bench-memory-${i}`,
    input: at(50, i, 30000),
    outputs: [{ group: '239.79.200.1', port: 6000 }],
    analyze: 'off' as const,
    ...(merge
      ? { redundancy: { input: at(60, i, 31000), mode: 'merge' as const, key: 'rtp' as const, windowMs: 50 } }
      : {}),
  }));
}

/** Resident memory of an engine with N merging relays minus that of one with N plain relays. */
async function measureMemory(ctx: ScenarioContext, relay: RelayUnderTest): Promise<ProtectionMemory> {
  const count = ctx.profile.protection.memoryRelays;
  const plain = await rssWith(ctx, relay, memoryRoutes(count, false));
  const merge = await rssWith(ctx, relay, memoryRoutes(count, true));
  const memory = protectionMemory(count, plain, merge);
  log(`  protection memory: ${Math.round(memory.perMergeRelayBytes / 1024)} KiB per merging relay (${count} relays)`);
  return memory;
}

export async function measureProtection(
  ctx: ScenarioContext,
  relay: RelayUnderTest,
): Promise<{ result: ProtectionResult; failures: string[] }> {
  const policy = ctx.profile.protection;
  const windows = new Map<ProtectionVariantId, ProtectionWindow[]>(PROTECTION_VARIANTS.map((v) => [v.id, []]));
  const running = await relay.start(
    PROTECTION_VARIANTS.map((v) => v.route),
    ctx.workDir,
  );
  try {
    await settle(relay, ctx.profile.settleRelays);
    for (let round = 0; round < policy.rounds; round += 1) {
      for (const variant of rotated(PROTECTION_VARIANTS, round))
        windows.get(variant.id)?.push(...(await windowsOf(ctx, running, variant, round)));
    }
  } finally {
    await running.stop();
  }
  const cells = PROTECTION_VARIANTS.map((v) =>
    protectionCell(v.id, v.label, v.route.redundancy ? 2 : 1, windows.get(v.id) ?? []),
  );
  const ratios = protectionRatios(cells);
  for (const r of ratios) {
    const target = r.maxRatio === null ? 'no target' : `target <= ${r.maxRatio}`;
    log(`  protection ${r.variant} / plain: ${r.ratio?.toFixed(3) ?? 'n/a'} (${target}): ${verdictText(r)}`);
  }
  const result: ProtectionResult = {
    pps: policy.pps,
    sizeBytes: policy.sizeBytes,
    windowS: policy.windowS,
    rounds: policy.rounds,
    attempts: policy.attempts,
    maxNoiseShare: policy.maxNoiseShare,
    mergeWindowMs: MERGE_WINDOW_MS,
    cells,
    ratios,
    memory: await measureMemory(ctx, relay),
  };
  return { result, failures: protectionFailures(cells) };
}
