// `npm run bench`: builds the namespaces, measures every relay in turn, writes the JSON, the
// Markdown report and the SVG chart, and removes everything it started, even when interrupted.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toolPath } from '@mcr/engine';
import { HOST, partitionRunnable } from './availability';
import { Budget, log } from './budget';
import { describeConditions } from './conditions';
import { backgroundNetRxNsPerS, describeExactCpu, SoftirqTracer } from './exact-cpu';
import { parseOptions, runsScenario, type Options } from './options';
import { killAllChildren } from './proc';
import { FULL, QUICK, type Profile } from './profile';
import { ALL_RELAYS } from './relays';
import { MCRD_MAIN } from './relays/mcrd';
import { settle, type RelayUnderTest } from './relays/relay';
import { renderChart } from './report/chart';
import { renderMarkdown } from './report/markdown';
import { findKernelReference } from './report/reference';
import { summarize, type BenchRun, type CellResult, type UnavailableRelay } from './results';
import { fanoutRoute } from './routes';
import { measureCell, windowCostS, type ScenarioContext } from './scenario-cells';
import { measureProtection, protectionCostS } from './scenario-protection';
import { measureFanout, measureManyRelays } from './scenario-scale';
import { MAX_LOSS_RATIO } from './trial';
import { buildTopology, destroyTopology, PINNING, removeStaleNamespaces } from './topology';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Ctrl-C or a kill: stop every child at once, remove the namespaces, exit. */
function installSignalCleanup(workDir: string, tracer: SoftirqTracer): void {
  let cleaning = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (cleaning) return;
      cleaning = true;
      log(`${signal}: stopping every process and removing the namespaces`);
      killAllChildren();
      tracer.close();
      destroyTopology()
        .catch(() => undefined)
        .finally(() => {
          rmSync(workDir, { recursive: true, force: true });
          process.exit(signal === 'SIGINT' ? 130 : 143);
        });
    });
  }
}

function checkPrerequisites(): void {
  if (process.getuid?.() !== 0) throw new Error('the benchmark builds network namespaces: run it as root');
  if (os.cpus().length < 2)
    throw new Error(`the benchmark pins the relay apart from the traffic: needs 2 CPUs, found ${os.cpus().length}`);
  for (const tool of ['mcrgen', 'mcrsink'] as const) toolPath(tool);
  for (const cmd of ['ip', 'taskset', 'ethtool']) {
    if (!HOST.commandExists(cmd))
      throw new Error(`${cmd} not found: install it with apt-get install -y iproute2 util-linux ethtool`);
  }
}

/**
 * The relays to measure: those asked for that this host can run. A reference it cannot run
 * (no multicast routing in the kernel, a missing binary) is left out with the reason, unless it
 * was named with --relays: then the operator asked for something impossible and the run stops.
 */
function relaysToMeasure(options: Options): { relays: RelayUnderTest[]; unavailable: UnavailableRelay[] } {
  const asked = ALL_RELAYS.filter((r) => !options.relays || options.relays.includes(r.kind));
  const { runnable, unavailable } = partitionRunnable(asked, HOST);
  const left = unavailable.map(({ relay, reason }) => ({ relay: relay.kind, label: relay.label, reason }));
  for (const { label, reason } of left) log(`leaving out ${label}: ${reason}`);
  if (options.relays && left.length > 0) {
    throw new Error(
      `--relays names what this host cannot run: ${left.map((u) => `${u.label}: ${u.reason}`).join('; ')}`,
    );
  }
  return { relays: runnable, unavailable: left };
}

/** The harness itself stays on the traffic CPU so it never steals time from the relay. */
function pinSelf(): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(PINNING.trafficCpu), String(process.pid)], { stdio: 'ignore' });
}

async function measureRelay(ctx: ScenarioContext, relay: RelayUnderTest, run: BenchRun): Promise<void> {
  if (relay.kind === 'mcrd' && !existsSync(MCRD_MAIN)) throw new Error(`${MCRD_MAIN} is missing: run npm run build`);
  log(`${relay.label}: max lossless rate and latency`);
  const running = await relay.start([fanoutRoute(1)], ctx.workDir);
  try {
    await settle(relay, ctx.profile.settleRelays);
    let startPps: number | undefined;
    for (const size of ctx.profile.sizesBytes) {
      const cell = await measureCell(ctx, relay, running, size, startPps);
      run.cells.push(cell);
      if ((cell.maxLosslessPps?.median ?? 0) > 0) startPps = cell.maxLosslessPps?.median;
    }
  } finally {
    await running.stop();
  }
}

function failedCell(relay: RelayUnderTest, size: number, error: string, latencyPps: number): CellResult {
  return {
    relay: relay.kind,
    label: relay.label,
    sizeBytes: size,
    searches: [],
    limitedBy: [],
    maxLosslessPps: null,
    cpuNsPerPacket: null,
    coreNsPerPacket: null,
    latencyPps,
    latencyTrials: [],
    latencyP50Us: null,
    latencyP99Us: null,
    error,
  };
}

async function measureAll(
  ctx: ScenarioContext,
  relays: RelayUnderTest[],
  run: BenchRun,
  options: Options,
): Promise<void> {
  const { profile } = ctx;
  for (const relay of runsScenario(options, 'rates') ? relays : []) {
    try {
      await measureRelay(ctx, relay, run);
    } catch (error) {
      run.failures.push(`${relay.label}: ${message(error)}`);
      for (const size of profile.sizesBytes) {
        if (!run.cells.some((c) => c.relay === relay.kind && c.sizeBytes === size))
          run.cells.push(failedCell(relay, size, message(error), profile.latencyPps));
      }
      log(`${relay.label} could not be measured: ${message(error)}`);
    }
  }
  // Many relays before fan-out: a fixed, short cost per relay, so the budget never drops it.
  const manyRelays = runsScenario(options, 'many') ? relays : [];
  for (const relay of manyRelays.filter((r) => profile.manyRelays.relays.includes(r.kind))) {
    if (!ctx.budget.allows(profile.manyRelays.windowS + 15, `${relay.label} with ${profile.manyRelays.count} relays`))
      continue;
    log(`${relay.label}: ${profile.manyRelays.count} relays at ${profile.manyRelays.ppsEach} pps`);
    try {
      run.manyRelays.push(await measureManyRelays(ctx, relay));
    } catch (error) {
      const { count, ppsEach } = profile.manyRelays;
      run.manyRelays.push({
        relay: relay.kind,
        label: relay.label,
        relays: count,
        ppsEach,
        startupS: 0,
        windowS: 0,
        sent: 0,
        delivered: 0,
        deliveredRatio: 0,
        cpuShareOfCore: 0,
        cpuNsPerPacket: Number.NaN,
        relayCoreBusyShare: 0,
        memoryBytes: null,
        processes: 0,
        error: message(error),
      });
      run.failures.push(`${relay.label} with ${count} relays: ${message(error)}`);
    }
  }
  const engine = relays.find((r) => r.kind === 'mcr-engine');
  if (runsScenario(options, 'protection') && engine) await measureProtectionOf(ctx, engine, run);
  else if (options.scenarios?.includes('protection'))
    run.failures.push('protection: it measures MCR engine, which --relays leaves out');
  // Relay by relay, in the profile's order (MCR's engine first): what the budget drops at the end
  // is a reference relay's figure, not the engine's.
  const fanoutKinds = runsScenario(options, 'fanout') ? profile.fanoutRelays : [];
  const fanoutRelays = fanoutKinds.flatMap((kind) => relays.filter((r) => r.kind === kind));
  for (const relay of fanoutRelays) {
    // The eBPF program forwards at most 16 outputs: a larger fan-out would measure its socket fallback.
    for (const outputs of profile.fanoutOutputs.filter((n) => n <= relay.maxOutputs)) {
      // About 8 search windows and the fixed-rate CPU windows beyond the first.
      const cost = (8 + profile.repeats - 1) * windowCostS(profile);
      if (!ctx.budget.allows(cost, `${relay.label} fan-out 1->${outputs}`)) continue;
      log(`${relay.label}: fan-out 1->${outputs}`);
      try {
        run.fanouts.push(await measureFanout(ctx, relay, outputs));
      } catch (error) {
        run.fanouts.push({
          relay: relay.kind,
          label: relay.label,
          outputs,
          sizeBytes: 64,
          search: null,
          maxInputPps: 0,
          cpuNsPerOutputDatagram: null,
          error: message(error),
        });
        run.failures.push(`${relay.label} fan-out 1->${outputs}: ${message(error)}`);
      }
    }
  }
}

/** A/B merge and stream analysis beside a plain relay: MCR's engine only (the others have neither). */
async function measureProtectionOf(ctx: ScenarioContext, engine: RelayUnderTest, run: BenchRun): Promise<void> {
  if (!ctx.budget.allows(protectionCostS(ctx.profile.protection), `${engine.label} A/B merge and analysis cost`))
    return;
  log(`${engine.label}: cost of A/B merge and stream analysis at ${ctx.profile.protection.pps} output datagrams/s`);
  try {
    const { result, failures } = await measureProtection(ctx, engine);
    run.protection = result;
    run.failures.push(...failures.map((f) => `${engine.label} protection, ${f}`));
  } catch (error) {
    run.failures.push(`${engine.label} A/B merge and analysis cost: ${message(error)}`);
  }
}

function outputPaths(options: Options, stamp: string): { json: string; markdown: string; svg: string } {
  // A run narrowed to some scenarios never overwrites the committed report.
  if (options.outDir || options.quick || options.scenarios) {
    const dir = options.outDir ?? mkdtempSync(path.join(os.tmpdir(), 'mcr-bench-quick-'));
    mkdirSync(dir, { recursive: true });
    return {
      json: path.join(dir, `${stamp}.json`),
      markdown: path.join(dir, 'benchmarks.md'),
      svg: path.join(dir, 'bench-chart.svg'),
    };
  }
  return {
    json: path.join(REPO_ROOT, 'bench', 'results', `${stamp}.json`),
    markdown: path.join(REPO_ROOT, 'docs', 'benchmarks.md'),
    svg: path.join(REPO_ROOT, 'docs', 'bench-chart.svg'),
  };
}

/** JSON with bigint-free numbers; NaN (a figure that could not be computed) becomes null. */
const toJson = (run: BenchRun): string =>
  `${JSON.stringify(run, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;

function writeOutputs(options: Options, run: BenchRun): string {
  const stamp = run.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const paths = outputPaths(options, stamp);
  for (const file of Object.values(paths)) mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(paths.json, toJson(run));
  const reference = findKernelReference(run, path.join(REPO_ROOT, 'bench', 'results'));
  writeFileSync(paths.markdown, renderMarkdown(run, path.basename(paths.json), reference));
  writeFileSync(paths.svg, renderChart(run));
  return `${paths.json}, ${paths.markdown}, ${paths.svg}`;
}

/** Every relay must have at least one measured figure; otherwise the run failed. */
function unmeasuredRelays(run: BenchRun, relays: RelayUnderTest[]): string[] {
  return relays
    .filter((relay) => !run.cells.some((c) => c.relay === relay.kind && (c.maxLosslessPps?.median ?? 0) > 0))
    .map((relay) => relay.label);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const profile: Profile = options.quick ? QUICK : FULL;
  checkPrerequisites();
  const { relays, unavailable } = relaysToMeasure(options);
  pinSelf();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'mcrb-work-'));
  const tracer = SoftirqTracer.open(PINNING.relayCpu);
  installSignalCleanup(workDir, tracer);
  const stale = await removeStaleNamespaces();
  if (stale.length > 0) log(`removed stale namespaces of an earlier run: ${stale.join(', ')}`);
  const budget = new Budget(profile.budgetS);
  const run: BenchRun = {
    profile: profile.name,
    startedAt: new Date().toISOString(),
    durationS: 0,
    windowS: profile.windowS,
    lossBound: MAX_LOSS_RATIO,
    conditions: describeConditions(profile.quiet, null),
    cells: [],
    fanouts: [],
    manyRelays: [],
    failures: [],
    skipped: budget.skipped,
    unavailable,
  };
  let exactCpu: string | undefined;
  try {
    await buildTopology();
    exactCpu = describeExactCpu(PINNING.relayCpu, await backgroundNetRxNsPerS(tracer));
    await measureAll({ profile, budget, workDir, tracer }, relays, run, options);
  } finally {
    tracer.close();
    killAllChildren();
    await destroyTopology();
    rmSync(workDir, { recursive: true, force: true });
  }
  run.durationS = budget.elapsedS();
  const noise = [
    ...run.cells.flatMap((c) => [...c.searches.flatMap((s) => s.trials), ...c.latencyTrials]),
    ...run.fanouts.flatMap((f) => f.search?.trials ?? []),
    ...(run.protection?.cells.flatMap((c) => c.windows.map((w) => w.trial)) ?? []),
  ];
  run.conditions = { ...describeConditions(profile.quiet, summarize(noise.map((t) => t.noiseBusyShare))), exactCpu };
  log(`wrote ${writeOutputs(options, run)} after ${run.durationS.toFixed(0)} s`);
  const missing = runsScenario(options, 'rates') ? unmeasuredRelays(run, relays) : [];
  if (missing.length > 0) {
    const why =
      run.failures.length > 0
        ? run.failures.join('\n  ')
        : 'no window passed (every rate tried lost >= 0.1%, or mcrgen could not reach it)';
    log(`FAILED: no figure at all for ${missing.join(', ')}:\n  ${why}`);
    return 1;
  }
  if (run.failures.length > 0) {
    log(`FAILED: some scenarios could not be measured:\n  ${run.failures.join('\n  ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`FAILED: ${message(error)}`);
    killAllChildren();
    void destroyTopology().finally(() => process.exit(1));
  },
);
