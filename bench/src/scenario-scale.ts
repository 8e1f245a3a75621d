// Scale scenarios: fan-out (one ingress to 10 or 50 outputs: max input rate, exact CPU per output
// datagram at that rate and at a fixed input rate) and many relays (1,000 relays at 10 pps each:
// exact CPU and memory of the relay).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { log } from './budget';
import { cpuBusyBetween, processPssBytes, readCpuTimes, waitForQuiet } from './cpu';
import { exactCostNs, ExactCpuMeter } from './exact-cpu';
import { start, waitOrKill } from './proc';
import { RELAY_OUTPUT_TTL } from './relays/program';
import { deliveredEndpoint, settle, type RelayUnderTest } from './relays/relay';
import type { FanoutResult, ManyRelaysResult } from './results';
import { fanoutRoute, manyRoutes } from './routes';
import { findMaxLossless } from './search';
import { cpuNsPerDatagram, fixedRateCpu, type ScenarioContext } from './scenario-cells';
import { ADDR, GEN_NS, PINNING, pinnedInNs, sinkRxPackets } from './topology';
import { runTrial, type TrialResult } from './trial';

const FANOUT_SIZE_BYTES = 64;

/**
 * `repeats` windows at the fixed input rate; one the search already ran at that rate counts as
 * the first (--quick's only one), so a relay is not asked for a rate it just carried.
 */
async function fixedRateWindows(
  ctx: ScenarioContext,
  searched: TrialResult[],
  pps: number,
  trialAt: (pps: number) => Promise<TrialResult>,
): Promise<TrialResult[]> {
  const windows = searched.filter((t) => t.offeredPps === pps).slice(0, 1);
  while (windows.length < ctx.profile.repeats) windows.push(await trialAt(pps));
  return windows;
}

export async function measureFanout(
  ctx: ScenarioContext,
  relay: RelayUnderTest,
  outputs: number,
): Promise<FanoutResult> {
  const route = fanoutRoute(outputs);
  const running = await relay.start([route], ctx.workDir);
  try {
    await settle(relay, ctx.profile.settleRelays);
    const trialAt = async (pps: number) => {
      const trial = await runTrial({
        relay: running,
        input: route.input,
        sinkAt: deliveredEndpoint(relay, route),
        rate: pps,
        durationS: ctx.profile.windowS,
        size: FANOUT_SIZE_BYTES,
        copies: outputs,
        quiet: ctx.profile.quiet,
        workDir: ctx.workDir,
        tracer: ctx.tracer,
      });
      log(
        `  ${relay.kind} 1->${outputs} @ ${pps} pps: ${trial.passed ? 'pass' : 'FAIL'} delivered ${(trial.deliveredRatio * 100).toFixed(2)}%`,
      );
      return trial;
    };
    const search = await findMaxLossless(ctx.profile.fanoutSearch, trialAt);
    const fixedPps = ctx.profile.fixedCpu.fanoutPps;
    return {
      relay: relay.kind,
      label: relay.label,
      outputs,
      sizeBytes: FANOUT_SIZE_BYTES,
      search,
      maxInputPps: search.maxLosslessPps,
      cpuNsPerOutputDatagram: search.atMax ? cpuNsPerDatagram(search.atMax) : null,
      fixedRateCpu: fixedRateCpu(fixedPps, await fixedRateWindows(ctx, search.trials, fixedPps, trialAt)),
    };
  } finally {
    await running.stop();
  }
}

async function runMultiGen(ctx: ScenarioContext, routes: ReturnType<typeof manyRoutes>): Promise<{ sent: number }> {
  const { manyRelays } = ctx.profile;
  const config = path.join(ctx.workDir, 'multi-gen.json');
  writeFileSync(
    config,
    JSON.stringify({
      targets: routes.map((r) => r.input),
      ppsEach: manyRelays.ppsEach,
      durationS: manyRelays.windowS,
      sizeBytes: 64,
      bindAddress: ADDR.gen,
      ttl: RELAY_OUTPUT_TTL,
    }),
  );
  const program = path.join(__dirname, 'programs', 'multi-gen.js');
  const [cmd, args] = pinnedInNs(GEN_NS, PINNING.trafficCpu, process.execPath, [program, config]);
  const exit = await waitOrKill(start(cmd, args), (manyRelays.windowS * 3 + 15) * 1000);
  if (exit.code !== 0) throw new Error(`multi-gen exited ${String(exit.code ?? exit.signal)}: ${exit.stderr.trim()}`);
  return JSON.parse(exit.stdout) as { sent: number };
}

export async function measureManyRelays(ctx: ScenarioContext, relay: RelayUnderTest): Promise<ManyRelaysResult> {
  const { count, ppsEach } = ctx.profile.manyRelays;
  const routes = manyRoutes(count);
  mkdirSync(ctx.workDir, { recursive: true });
  const startedAt = Date.now();
  const running = await relay.start(routes, ctx.workDir);
  const startupS = (Date.now() - startedAt) / 1000;
  try {
    await settle(relay, ctx.profile.settleRelays);
    await waitForQuiet(ctx.profile.quiet.thresholdShare, ctx.profile.quiet.maxWaitMs);
    const pids = running.pids();
    const rxBefore = await sinkRxPackets();
    const coreBefore = readCpuTimes();
    const meter = ExactCpuMeter.start(running.pids, ctx.tracer);
    const t0 = process.hrtime.bigint();
    const { sent } = await runMultiGen(ctx, routes);
    // Let the last datagrams through before reading the counters.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const windowS = Number(process.hrtime.bigint() - t0) / 1e9;
    const coreS = cpuBusyBetween(coreBefore, readCpuTimes(), PINNING.relayCpu);
    const delivered = (await sinkRxPackets()) - rxBefore;
    const cpuS = exactCostNs(meter.stop()) / 1e9;
    const result: ManyRelaysResult = {
      relay: relay.kind,
      label: relay.label,
      relays: count,
      ppsEach,
      startupS,
      windowS,
      sent,
      delivered,
      deliveredRatio: sent > 0 ? delivered / sent : 0,
      cpuShareOfCore: cpuS / windowS,
      cpuNsPerPacket: delivered > 0 ? (cpuS / delivered) * 1e9 : Number.NaN,
      relayCoreBusyShare: coreS / windowS,
      memoryBytes: pids.length > 0 ? pids.reduce((sum, pid) => sum + processPssBytes(pid), 0) : null,
      processes: pids.length,
    };
    log(
      `  ${relay.kind} ${count} relays: cpu ${(result.cpuShareOfCore * 100).toFixed(1)}% of a core, ` +
        `delivered ${(result.deliveredRatio * 100).toFixed(2)}%, started in ${startupS.toFixed(1)} s`,
    );
    return result;
  } finally {
    await running.stop();
  }
}
