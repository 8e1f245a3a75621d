// The two ways to run the benchmark: the full run (about 10 minutes, every figure the issue asks
// for) and --quick (a smoke run under 90 seconds that proves every relay and scenario still works).
import type { RelayKind } from './relays/relay';
import type { SearchPolicy } from './search';
import type { QuietPolicy } from './trial';

export interface ProtectionPolicy {
  /** Output datagrams per second of every variant (a merge relay receives twice as many). */
  pps: number;
  /** RTP datagrams: a 12-byte RTP header and 1,316 bytes (7 TS packets' worth) after it. */
  sizeBytes: number;
  windowS: number;
  /** Rounds of one window per variant; each figure is the median over the rounds. */
  rounds: number;
  /**
   * Tries per variant and round until a window has no loss and began with the rest of the host
   * below maxNoiseShare busy (a build on the relay CPU moves the figure by more than 5%); the
   * last try counts if it has no loss.
   */
  attempts: number;
  maxNoiseShare: number;
  /** Relays of each kind started to measure the memory a merging relay adds. */
  memoryRelays: number;
}

export interface Profile {
  name: 'full' | 'quick';
  /** Seconds of traffic per measurement window. */
  windowS: number;
  sizesBytes: number[];
  /** Measurements of each headline cell (max lossless rate, latency). */
  repeats: number;
  coldSearch: SearchPolicy;
  /**
   * Re-measurements start at the previous result and step by this factor, at most one step up or
   * down (two windows, three when the previous rate fails twice): an independent check of the
   * rate at the resolution of the step.
   */
  repeatStepFactor: number;
  latencyPps: number;
  /** Latency needs samples, not a loss bound: 10k pps for 1 s gives 10,000 of them. */
  latencyWindowS: number;
  /**
   * CPU per datagram is compared at one rate every relay sustains (at its own max rate it would
   * compare different loads): `repeats` windows per cell, and as many for fan-out at `fanoutPps`
   * input datagrams per second.
   */
  fixedCpu: { pps: number; windowS: number; fanoutPps: number };
  fanoutOutputs: number[];
  /** In the order they are measured: the budget drops the last ones first. */
  fanoutRelays: RelayKind[];
  fanoutSearch: SearchPolicy;
  manyRelays: { count: number; ppsEach: number; windowS: number; relays: RelayKind[] };
  /** MCR's engine with A/B merge and stream analysis beside a plain relay (scenario-protection.ts). */
  protection: ProtectionPolicy;
  quiet: QuietPolicy;
  /** Wait out each relay's start-up work (RelayUnderTest.settleS) before its first window. */
  settleRelays: boolean;
  /** Seconds after which remaining repeats are dropped (and listed as skipped). */
  budgetS: number;
  /** Seconds the headline repeats leave for the fan-out and many-relays scenarios that follow. */
  reserveS: number;
}

const ALL: RelayKind[] = ['kernel', 'socat', 'node-dgram', 'mcr-core', 'mcr-engine', 'mcr-engine-ebpf', 'mcrd'];

export const FULL: Profile = {
  name: 'full',
  windowS: 2,
  sizesBytes: [64, 1024],
  repeats: 3,
  coldSearch: { startPps: 50000, stepFactor: 2, bisectSteps: 2, minPps: 1000, maxPps: 2000000, granularityPps: 1000 },
  repeatStepFactor: 1.15,
  latencyPps: 10000,
  latencyWindowS: 1,
  fixedCpu: { pps: 50000, windowS: 2, fanoutPps: 20000 },
  // The kernel forwards once per interface and cannot fan out onto one leg; mcrd runs MCR's engine.
  fanoutOutputs: [10, 50],
  fanoutRelays: ['mcr-engine', 'mcr-engine-ebpf', 'socat', 'node-dgram'],
  fanoutSearch: { startPps: 5000, stepFactor: 2, bisectSteps: 1, minPps: 1000, maxPps: 400000, granularityPps: 250 },
  manyRelays: { count: 1000, ppsEach: 10, windowS: 4, relays: ALL },
  protection: {
    pps: 50000,
    sizeBytes: 1328,
    windowS: 1.5,
    rounds: 7,
    attempts: 3,
    maxNoiseShare: 0.25,
    memoryRelays: 64,
  },
  quiet: { thresholdShare: 0.05, maxWaitMs: 1000 },
  settleRelays: true,
  // 570 s for the relays' figures and ~120 s for the protection scenario.
  budgetS: 690,
  reserveS: 270,
};

export const QUICK: Profile = {
  name: 'quick',
  windowS: 1,
  sizesBytes: [64],
  repeats: 1,
  coldSearch: { startPps: 20000, stepFactor: 2, bisectSteps: 0, minPps: 5000, maxPps: 20000, granularityPps: 1000 },
  repeatStepFactor: 1.15,
  latencyPps: 10000,
  latencyWindowS: 1,
  fixedCpu: { pps: 10000, windowS: 1, fanoutPps: 2000 },
  fanoutOutputs: [10],
  fanoutRelays: ['mcr-engine', 'mcr-engine-ebpf', 'socat', 'node-dgram'],
  fanoutSearch: { startPps: 2000, stepFactor: 2, bisectSteps: 0, minPps: 1000, maxPps: 2000, granularityPps: 250 },
  manyRelays: { count: 100, ppsEach: 10, windowS: 1, relays: ALL },
  protection: {
    pps: 50000,
    sizeBytes: 1328,
    windowS: 0.5,
    rounds: 1,
    attempts: 2,
    maxNoiseShare: 0.5,
    memoryRelays: 16,
  },
  quiet: { thresholdShare: 0.1, maxWaitMs: 500 },
  // A smoke run proves the harness works; it measures nothing worth waiting for.
  settleRelays: false,
  budgetS: 75,
  reserveS: 30,
};
