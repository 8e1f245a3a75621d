// One measurement window: mcrsink joined in the sink namespace, mcrgen sending a fixed count at a
// fixed rate from the generator namespace, the relay's CPU read before and after (exact-cpu.ts).
// Returns every raw figure.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { toolPath } from '@mcr/engine';
import { cpuBusyBetween, processCpuS, readCpuTimes, waitForQuiet } from './cpu';
import { dropsBetween, readDropCounters, type DropCounters } from './drops';
import { ExactCpuMeter, type ExactCpuReading, type SoftirqTracer } from './exact-cpu';
import { sleep, start, stop, waitOrKill } from './proc';
import { waitForReadyFile } from './relays/ready';
import type { Endpoint, RunningRelay } from './relays/relay';
import { GEN_NS, IF, PINNING, pinnedInNs, SINK_NS, sinkRxPackets } from './topology';

/** The loss bound of the issue: a rate passes when less than 0.1% of datagrams are lost. */
export const MAX_LOSS_RATIO = 0.001;
/** mcrgen must reach this share of the offered rate, or the window measured the generator. */
const MIN_GENERATOR_SHARE = 0.97;
const SINK_IDLE_TIMEOUT_MS = 200;
const DRAIN_SILENCE_MS = 150;
const DRAIN_TIMEOUT_MS = 10000;
const GENERATOR_TTL = 8;
/**
 * How mcrgen sends, for the report's conditions. One sendmsg() per datagram costs the shared
 * generator CPU about 3 µs, plus an RPS IPI to the relay CPU whenever that CPU had drained its
 * backlog: a relay that forwards fast (the eBPF datapath) made the generator slower than a relay
 * that keeps its CPU busy. A GSO burst is one trip through the socket layer and raises one IPI.
 */
export const GENERATOR_SENDING =
  'mcrgen --gso: each paced burst (up to 32 datagrams) is one UDP GSO send, segmented in software on gen0 (tx-udp-segmentation off), so the relay receives one packet per datagram and the generator CPU pays one socket-layer trip and at most one RPS IPI per burst.';

export interface QuietPolicy {
  thresholdShare: number;
  maxWaitMs: number;
}

export interface TrialSpec {
  relay: RunningRelay;
  input: Endpoint;
  /** Where the sink listens: the first output (or the input group for the kernel path). */
  sinkAt: Endpoint;
  rate: number;
  durationS: number;
  size: number;
  /** Datagrams the sink leg should carry per input datagram (the fan-out). */
  copies: number;
  quiet: QuietPolicy;
  workDir: string;
  /** The run's NET_RX tracer on the relay CPU (one per run: ScenarioContext.tracer). */
  tracer: SoftirqTracer;
  /** RTP headers (mcrgen --rtp, checked by mcrsink --rtp) and a B leg sent every datagram too. */
  stream?: StreamShape;
}

export interface StreamShape {
  rtp: boolean;
  /** mcrgen sends each datagram here as well (--group-b/--port-b), on the same interface. */
  legB?: Endpoint;
}

export interface TrialResult {
  offeredPps: number;
  generatorPps: number;
  sent: number;
  received: number;
  lost: number;
  duplicates: number;
  lossRatio: number;
  sinkKernelDrops: number;
  /** Datagrams refused by the relay CPU's input backlog and by the relay's UDP receive buffers. */
  relayDrops: DropCounters;
  latencyUs: { p50: number; p99: number; max: number } | null;
  /** Datagrams the sink leg accepted from the relay, all outputs together. */
  delivered: number;
  deliveredRatio: number;
  /** The relay's exact cost over the window (schedstat run time, traced NET_RX softirq). */
  exactCpu: ExactCpuReading;
  /** user+sys of the relay's processes from /proc/<pid>/stat, in clock ticks (kept for comparison). */
  relayProcessCpuS: number;
  /** The relay CPU's busy time from /proc/stat: misses softirq work done after waking from idle. */
  relayCoreBusyS: number;
  /** Busy share of the generator/sink CPU while mcrgen sent: near 1 means the instrument, not the relay, was the limit. */
  trafficCoreBusyShare: number;
  /** Busy share of the relay CPU while mcrgen sent. */
  relayCoreBusyShare: number;
  windowS: number;
  noiseBusyShare: number;
  generatorLimited: boolean;
  passed: boolean;
}

interface SinkReport {
  received: number;
  lost: number;
  duplicates: number;
  kernel_drops: number;
  latency_us: { samples: number; p50: number; p99: number; max: number };
}

interface GenReport {
  sent: number;
  pps: number;
  send_errors: number;
}

function parseJson<T>(what: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${what} printed no JSON report: ${text.slice(0, 500)}`);
  }
}

async function startSink(spec: TrialSpec, expect: number): Promise<ReturnType<typeof start>> {
  const readyFile = path.join(spec.workDir, `sink-${Date.now()}.ready`);
  if (existsSync(readyFile)) rmSync(readyFile);
  const [cmd, args] = pinnedInNs(SINK_NS, PINNING.trafficCpu, toolPath('mcrsink'), [
    '--group',
    spec.sinkAt.group,
    '--port',
    String(spec.sinkAt.port),
    '--interface',
    IF.sink,
    '--expect',
    String(expect),
    '--idle-timeout',
    String(SINK_IDLE_TIMEOUT_MS),
    '--json',
    '--ready-file',
    readyFile,
    ...(spec.stream?.rtp ? ['--rtp'] : []),
  ]);
  const sink = start(cmd, args);
  await waitForReadyFile(readyFile, 10000, sink.running);
  return sink;
}

async function runGenerator(spec: TrialSpec): Promise<GenReport> {
  const [cmd, args] = pinnedInNs(GEN_NS, PINNING.trafficCpu, toolPath('mcrgen'), [
    '--group',
    spec.input.group,
    '--port',
    String(spec.input.port),
    '--interface',
    IF.gen,
    '--rate',
    String(spec.rate),
    '--duration',
    String(spec.durationS),
    '--size',
    String(spec.size),
    '--ttl',
    String(GENERATOR_TTL),
    '--json',
    '--gso',
    ...streamArgs(spec.stream),
  ]);
  const exit = await waitOrKill(start(cmd, args), (spec.durationS * 3 + 10) * 1000);
  if (exit.code !== 0) throw new Error(`mcrgen exited ${String(exit.code ?? exit.signal)}: ${exit.stderr.trim()}`);
  return parseJson<GenReport>('mcrgen', exit.stdout);
}

function streamArgs(stream: StreamShape | undefined): string[] {
  const args = stream?.rtp ? ['--rtp'] : [];
  if (stream?.legB) args.push('--group-b', stream.legB.group, '--port-b', String(stream.legB.port));
  return args;
}

/** mcrgen counts every leg's datagrams in `sent` and `pps`; each leg carries every datagram. */
const legCount = (spec: TrialSpec): number => (spec.stream?.legB ? 2 : 1);

/** The sink stops on its own after an idle gap; if nothing arrived at all it needs a signal. */
async function finishSink(sink: ReturnType<typeof start>): Promise<SinkReport> {
  const timer = setTimeout(() => sink.child.kill('SIGINT'), 2000);
  const exit = await waitOrKill(sink, 6000).finally(() => clearTimeout(timer));
  if (exit.code !== 0) throw new Error(`mcrsink exited ${String(exit.code ?? exit.signal)}: ${exit.stderr.trim()}`);
  return parseJson<SinkReport>('mcrsink', exit.stdout);
}

function relayCpuS(relay: RunningRelay): number {
  return relay.pids().reduce((sum, pid) => sum + processCpuS(pid), 0);
}

/**
 * A relay that fell behind in the previous window still empties its socket queues; those
 * datagrams must not count in this one. Waits until the sink leg has been silent for a moment.
 */
async function waitForDrain(): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let last = await sinkRxPackets();
  while (Date.now() < deadline) {
    await sleep(DRAIN_SILENCE_MS);
    const now = await sinkRxPackets();
    if (now === last) return;
    last = now;
  }
}

export async function runTrial(spec: TrialSpec): Promise<TrialResult> {
  const expect = Math.round(spec.rate * spec.durationS);
  await waitForDrain();
  const noise = await waitForQuiet(spec.quiet.thresholdShare, spec.quiet.maxWaitMs);
  const sink = await startSink(spec, expect);
  let gen: GenReport;
  const rxBefore = await sinkRxPackets();
  const coreBefore = readCpuTimes();
  const procBefore = relayCpuS(spec.relay);
  const dropsBefore = await readDropCounters(PINNING.relayCpu);
  const meter = ExactCpuMeter.start(spec.relay.pids, spec.tracer);
  const startedAt = process.hrtime.bigint();
  try {
    gen = await runGenerator(spec);
  } catch (error) {
    await stop(sink);
    throw error;
  }
  // Busy shares cover the sending alone: the sink's idle tail would dilute them by about a tenth.
  const coreAtSendEnd = readCpuTimes();
  const sendingS = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const report = await finishSink(sink);
  const windowS = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const relayProcessCpuS = relayCpuS(spec.relay) - procBefore;
  const coreAfter = readCpuTimes();
  const relayCoreBusyS = cpuBusyBetween(coreBefore, coreAfter, PINNING.relayCpu);
  const trafficCoreBusyShare = cpuBusyBetween(coreBefore, coreAtSendEnd, PINNING.trafficCpu) / sendingS;
  const relayCoreBusyShare = cpuBusyBetween(coreBefore, coreAtSendEnd, PINNING.relayCpu) / sendingS;
  const delivered = (await sinkRxPackets()) - rxBefore;
  const relayDrops = dropsBetween(dropsBefore, await readDropCounters(PINNING.relayCpu));
  const exactCpu = meter.stop();
  return summarize(spec, gen, report, {
    windowS,
    exactCpu,
    relayProcessCpuS,
    relayCoreBusyS,
    trafficCoreBusyShare,
    relayCoreBusyShare,
    delivered,
    relayDrops,
    noise: noise.busyShare,
  });
}

function summarize(
  spec: TrialSpec,
  gen: GenReport,
  sink: SinkReport,
  measured: {
    windowS: number;
    exactCpu: ExactCpuReading;
    relayProcessCpuS: number;
    relayCoreBusyS: number;
    trafficCoreBusyShare: number;
    relayCoreBusyShare: number;
    delivered: number;
    relayDrops: DropCounters;
    noise: number;
  },
): TrialResult {
  const sent = gen.sent / legCount(spec);
  const generatorPps = gen.pps / legCount(spec);
  const lossRatio = sent > 0 ? sink.lost / sent : 1;
  const deliveredRatio = sent > 0 ? measured.delivered / (sent * spec.copies) : 0;
  const generatorLimited = generatorPps < spec.rate * MIN_GENERATOR_SHARE || gen.send_errors > 0;
  const latency = sink.latency_us;
  return {
    offeredPps: spec.rate,
    generatorPps,
    sent,
    received: sink.received,
    lost: sink.lost,
    duplicates: sink.duplicates,
    lossRatio,
    sinkKernelDrops: sink.kernel_drops,
    relayDrops: measured.relayDrops,
    latencyUs: latency && latency.samples > 0 ? { p50: latency.p50, p99: latency.p99, max: latency.max } : null,
    delivered: measured.delivered,
    deliveredRatio,
    exactCpu: measured.exactCpu,
    relayProcessCpuS: measured.relayProcessCpuS,
    relayCoreBusyS: measured.relayCoreBusyS,
    trafficCoreBusyShare: measured.trafficCoreBusyShare,
    relayCoreBusyShare: measured.relayCoreBusyShare,
    windowS: measured.windowS,
    noiseBusyShare: measured.noise,
    generatorLimited,
    passed:
      !generatorLimited && lossRatio < MAX_LOSS_RATIO && deliveredRatio >= 1 - MAX_LOSS_RATIO && sink.duplicates === 0,
  };
}
