// Headline cells: for one relay and each payload size, the max lossless rate (measured `repeats`
// times), the exact CPU per forwarded datagram at that rate and at one fixed rate every relay
// sustains (the figure to compare relays by), and one-way latency at a fixed 10k pps.
import { Budget, log } from './budget';
import { exactCostNs, type SoftirqTracer } from './exact-cpu';
import type { Profile } from './profile';
import { deliveredEndpoint, type RelayUnderTest, type RunningRelay } from './relays/relay';
import { summarize, type CellResult, type FixedRateCpu } from './results';
import { fanoutRoute } from './routes';
import { findMaxLossless, type SearchResult } from './search';
import { runTrial, type TrialResult } from './trial';

export interface ScenarioContext {
  profile: Profile;
  budget: Budget;
  workDir: string;
  tracer: SoftirqTracer;
}

/**
 * The relay's exact CPU per datagram the sink leg received: its processes' run time plus the
 * NET_RX softirq time on the relay CPU (exact-cpu.ts), the same sum for every relay.
 */
export function cpuNsPerDatagram(trial: TrialResult): number {
  return trial.delivered > 0 ? exactCostNs(trial.exactCpu) / trial.delivered : Number.NaN;
}

/** The NET_RX softirq's share of that cost (the part /proc/stat missed). */
export function softirqShare(trial: TrialResult): number {
  const total = exactCostNs(trial.exactCpu);
  return total > 0 ? (trial.exactCpu.netRxSoftirqNs - trial.exactCpu.netRxInProcessNs) / total : Number.NaN;
}

/** Exact CPU per datagram over windows at one fixed rate; only lossless windows count. */
export function fixedRateCpu(pps: number, trials: TrialResult[]): FixedRateCpu {
  const passed = trials.filter((t) => t.passed);
  return {
    pps,
    trials,
    nsPerDatagram: summarize(passed.map(cpuNsPerDatagram)),
    softirqShare: summarize(passed.map(softirqShare)),
  };
}

function trialRunner(
  ctx: ScenarioContext,
  relay: RelayUnderTest,
  running: RunningRelay,
  size: number,
  windowS = ctx.profile.windowS,
) {
  const route = fanoutRoute(1);
  return (pps: number): Promise<TrialResult> =>
    runTrial({
      relay: running,
      input: route.input,
      sinkAt: deliveredEndpoint(relay, route),
      rate: pps,
      durationS: windowS,
      size,
      copies: 1,
      quiet: ctx.profile.quiet,
      workDir: ctx.workDir,
      tracer: ctx.tracer,
    }).then((trial) => {
      log(
        `  ${relay.kind} ${size} B @ ${pps} pps: ${trial.passed ? 'pass' : 'FAIL'} loss ${(trial.lossRatio * 100).toFixed(3)}%` +
          `${trial.generatorLimited ? ' (generator limited)' : ''}`,
      );
      return trial;
    });
}

/** Estimated seconds per window including sink start, idle tail and the quiet check. */
export const windowCostS = (profile: Profile): number => profile.windowS + 1;

async function searches(
  ctx: ScenarioContext,
  relay: RelayUnderTest,
  trial: (pps: number) => Promise<TrialResult>,
  size: number,
  startPps?: number,
) {
  const { profile } = ctx;
  const cold = { ...profile.coldSearch, startPps: startPps ?? profile.coldSearch.startPps };
  const results: SearchResult[] = [await findMaxLossless(cold, trial)];
  for (let repeat = 1; repeat < profile.repeats; repeat += 1) {
    const previous = results[results.length - 1];
    if (previous.maxLosslessPps === 0) break;
    if (
      !ctx.budget.allows(
        3 * windowCostS(profile) + profile.reserveS,
        `${relay.kind} ${size} B max-rate repeat ${repeat + 1}`,
      )
    )
      break;
    const factor = profile.repeatStepFactor;
    const around = previous.maxLosslessPps;
    results.push(
      await findMaxLossless(
        {
          ...profile.coldSearch,
          startPps: around,
          stepFactor: factor,
          bisectSteps: 0,
          maxPps: Math.min(profile.coldSearch.maxPps, around * factor),
          // Up to four steps down before calling the rate lost: a noisy window must not read as zero.
          minPps: Math.max(profile.coldSearch.minPps, Math.floor(around / factor ** 4)),
        },
        trial,
      ),
    );
  }
  return results;
}

/** `repeats` windows at one rate (the first always, the others while the budget allows). */
async function atFixedRate(
  ctx: ScenarioContext,
  what: string,
  trial: (pps: number) => Promise<TrialResult>,
  pps: number,
) {
  const trials: TrialResult[] = [];
  for (let repeat = 0; repeat < ctx.profile.repeats; repeat += 1) {
    if (
      repeat > 0 &&
      !ctx.budget.allows(windowCostS(ctx.profile) + ctx.profile.reserveS, `${what} repeat ${repeat + 1}`)
    )
      break;
    trials.push(await trial(pps));
  }
  return trials;
}

/**
 * `startPps`: where the first search starts instead of the profile's cold start. The relay's
 * result at the previous payload size lands within one step of this one, so starting there
 * saves the windows that would climb to it (the budget of a 10-minute run is tight).
 */
export async function measureCell(
  ctx: ScenarioContext,
  relay: RelayUnderTest,
  running: RunningRelay,
  size: number,
  startPps?: number,
): Promise<CellResult> {
  const trial = trialRunner(ctx, relay, running, size);
  const found = await searches(ctx, relay, trial, size, startPps);
  const latencyTrials = await atFixedRate(
    ctx,
    `${relay.kind} ${size} B latency`,
    trialRunner(ctx, relay, running, size, ctx.profile.latencyWindowS),
    ctx.profile.latencyPps,
  );
  const { pps, windowS } = ctx.profile.fixedCpu;
  // When the fixed CPU rate is the latency rate (--quick), the latency windows are those windows.
  const cpuTrials =
    pps === ctx.profile.latencyPps && windowS === ctx.profile.latencyWindowS
      ? latencyTrials
      : await atFixedRate(
          ctx,
          `${relay.kind} ${size} B CPU at ${pps} pps`,
          trialRunner(ctx, relay, running, size, windowS),
          pps,
        );
  const atMax = found.map((s) => s.atMax).filter((t): t is TrialResult => t !== null);
  const withLatency = latencyTrials.filter((t) => t.latencyUs !== null && t.passed);
  return {
    relay: relay.kind,
    label: relay.label,
    sizeBytes: size,
    searches: found,
    limitedBy: found.map((s) => s.limitedBy),
    maxLosslessPps: summarize(found.map((s) => s.maxLosslessPps)),
    cpuNsPerPacket: summarize(atMax.map(cpuNsPerDatagram)),
    coreNsPerPacket: summarize(
      atMax.map((t) => (t.delivered > 0 ? (t.relayCoreBusyS / t.delivered) * 1e9 : Number.NaN)),
    ),
    fixedRateCpu: fixedRateCpu(pps, cpuTrials),
    latencyPps: ctx.profile.latencyPps,
    latencyTrials,
    latencyP50Us: summarize(withLatency.map((t) => t.latencyUs?.p50 ?? Number.NaN)),
    latencyP99Us: summarize(withLatency.map((t) => t.latencyUs?.p99 ?? Number.NaN)),
  };
}
