// Unit tests of the protection scenario's conclusions: CPU per output datagram, the ratios to the
// plain relay against issue #18's targets, what fails the run, the memory per merging relay, and
// the report's section.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOptions, runsScenario } from '../options';
import {
  MERGE_STATE_MODEL_BYTES,
  protectionCell,
  protectionFailures,
  protectionMemory,
  protectionRatios,
  protectionWindow,
  type ProtectionCell,
  type ProtectionResult,
  type ProtectionVariantId,
} from '../protection-cost';
import { renderMarkdown } from '../report/markdown';
import type { BenchRun } from '../results';
import type { TrialResult } from '../trial';

/** A 1-second window at 50k datagrams/s in which the relay ran `runTimeS` seconds. */
function trial(runTimeS: number, faults: { lost?: number; duplicates?: number } = {}): TrialResult {
  const lost = faults.lost ?? 0;
  const duplicates = faults.duplicates ?? 0;
  return {
    offeredPps: 50000,
    generatorPps: 50000,
    sent: 50000,
    received: 50000 - lost + duplicates,
    lost,
    duplicates,
    lossRatio: lost / 50000,
    sinkKernelDrops: 0,
    relayDrops: { backlog: 0, relaySocket: lost },
    latencyUs: null,
    delivered: 50000 - lost + duplicates,
    deliveredRatio: 1,
    relayProcessCpuS: 0.3,
    // 0.15 s of NET_RX, a third of it inside the relay's threads: 0.1 s more than the run time.
    exactCpu: { processRunNs: runTimeS * 1e9, netRxSoftirqNs: 0.15e9, netRxInProcessNs: 0.05e9, netRxRuns: 1000 },
    relayCoreBusyS: 0.5,
    trafficCoreBusyShare: 0.5,
    relayCoreBusyShare: 0.5,
    windowS: 1,
    noiseBusyShare: 0,
    generatorLimited: false,
    passed: lost === 0 && duplicates === 0,
  };
}

/** One clean window per round, with the relay's run time per round. */
function cell(variant: ProtectionVariantId, runTimesS: number[], inputsPerOutput = 1): ProtectionCell {
  return protectionCell(
    variant,
    variant,
    inputsPerOutput,
    runTimesS.map((s, round) => protectionWindow(round, trial(s))),
  );
}

test('CPU per output datagram: the run time, and the exact cost with NET_RX, over the datagrams the sink received', () => {
  const window = protectionWindow(0, trial(0.2));
  assert.equal(window.clean, true);
  assert.equal(Math.round(window.cpuNsPerOutput), 4000);
  assert.equal(Math.round(window.exactNsPerOutput), 6000);
});

test('a window with loss, a duplicate or a generator short of the rate is not clean', () => {
  assert.equal(protectionWindow(0, trial(0.2, { lost: 1 })).clean, false);
  assert.equal(protectionWindow(0, trial(0.2, { duplicates: 1 })).clean, false);
  assert.equal(protectionWindow(0, { ...trial(0.2), generatorLimited: true }).clean, false);
});

test('each target compares the median over the plain relay median; at the target it passes', () => {
  const cells = [
    cell('plain', [0.2, 0.21, 0.19]),
    cell('analyze-auto', [0.21, 0.2, 0.22]), // median 0.21 / 0.20 = 1.05: at the target
    cell('merge-rtp', [0.24, 0.23, 0.22], 2), // 0.23 / 0.20 = 1.15
    cell('merge-payload', [0.25, 0.26, 0.24], 2), // 0.25 / 0.20 = 1.25
    cell('failover', [0.22, 0.22, 0.22], 2),
  ];
  const ratios = protectionRatios(cells);
  assert.deepEqual(
    ratios.map((r) => [r.variant, r.ratio?.toFixed(3), r.maxRatio, r.passed]),
    [
      ['analyze-auto', '1.050', 1.05, true],
      ['merge-rtp', '1.150', 1.15, true],
      ['merge-payload', '1.250', 1.15, false],
      ['failover', '1.100', null, null],
    ],
    'failover has no target',
  );
  const rounds = ratios[0].roundRatios;
  assert.deepEqual(
    rounds?.values.map((v) => v.toFixed(3)),
    ['1.050', '0.952', '1.158'],
    'per round: each window over the same round of the plain relay',
  );
});

test('the ratio is above the target by a hair: fail', () => {
  const [ratio] = protectionRatios([cell('plain', [0.2]), cell('analyze-auto', [0.2102])]);
  assert.equal(ratio.passed, false);
});

test('a per-round ratio needs a clean window of both relays in that round', () => {
  const plain = protectionCell('plain', 'plain', 1, [
    protectionWindow(0, trial(0.2, { lost: 5 })),
    protectionWindow(0, trial(0.2)),
    protectionWindow(1, trial(0.2)),
  ]);
  const merge = protectionCell('merge-rtp', 'merge', 2, [
    protectionWindow(0, trial(0.22)),
    protectionWindow(1, trial(0.3, { lost: 3 })),
  ]);
  const [ratio] = protectionRatios([plain, merge]);
  assert.deepEqual(
    ratio.roundRatios?.values.map((v) => v.toFixed(2)),
    ['1.10'],
  );
  assert.equal(ratio.ratio?.toFixed(2), '1.10');
});

test('a round retried because the host was busy counts its last clean window only', () => {
  const plain = protectionCell('plain', 'plain', 1, [
    protectionWindow(0, trial(0.3)),
    protectionWindow(0, trial(0.2)),
    protectionWindow(0, trial(0.25, { lost: 2 })),
  ]);
  assert.deepEqual(plain.cpuNsPerOutput?.values, [4000]);
  const [ratio] = protectionRatios([plain, cell('analyze-auto', [0.21])]);
  assert.equal(ratio.ratio?.toFixed(2), '1.05');
});

test('without a measured plain relay no verdict is given', () => {
  const plain = protectionCell('plain', 'plain', 1, [protectionWindow(0, trial(0.2, { lost: 9 }))]);
  const [ratio] = protectionRatios([plain, cell('merge-rtp', [0.22])]);
  assert.equal(ratio.ratio, null);
  assert.equal(ratio.passed, null);
});

test('duplicates at the sink and a relay without a clean window fail the run; retried loss does not', () => {
  const retried = protectionCell('plain', 'plain relay', 1, [
    protectionWindow(0, trial(0.2, { lost: 40 })),
    protectionWindow(0, trial(0.2)),
  ]);
  assert.deepEqual(protectionFailures([retried]), []);
  const duplicated = protectionCell('merge-rtp', 'A/B merge', 2, [
    protectionWindow(0, trial(0.2, { duplicates: 7 })),
    protectionWindow(1, trial(0.2)),
  ]);
  assert.deepEqual(protectionFailures([duplicated]), ['A/B merge: the sink saw 7 duplicates in 1 windows']);
  const lossy = protectionCell('analyze-auto', 'analyze', 1, [protectionWindow(0, trial(0.2, { lost: 1 }))]);
  assert.deepEqual(protectionFailures([lossy]), ['analyze: no window without loss (1 tried)']);
});

test('memory per merging relay is the difference of the two engines over the relay count', () => {
  const memory = protectionMemory(64, 50 * 1048576, 50 * 1048576 + 64 * 1049000);
  assert.equal(memory.perMergeRelayBytes, 1049000);
  assert.equal(memory.modelBytes, MERGE_STATE_MODEL_BYTES);
  assert.equal(MERGE_STATE_MODEL_BYTES, 1048960);
});

const RUN: BenchRun = {
  profile: 'full',
  startedAt: '2026-12-05T00:00:00.000Z',
  durationS: 90,
  windowS: 2,
  lossBound: 0.001,
  conditions: {
    kernel: '6.1',
    cpuModel: 'Test CPU',
    cpus: 2,
    node: '20',
    pinning: 'p',
    rps: 'r',
    generator: 'g',
    quietThresholdShare: 0.05,
    quietMaxWaitMs: 1000,
    noiseBusyShare: null,
    tools: {},
  },
  cells: [],
  fanouts: [],
  manyRelays: [],
  failures: [],
  skipped: [],
};

test('the report has a section of its own with the ratios, the verdicts and the memory', () => {
  const cells = [
    cell('plain', [0.2, 0.2, 0.2]),
    cell('analyze-auto', [0.202, 0.202, 0.202]),
    cell('merge-rtp', [0.26, 0.26, 0.26], 2),
    cell('failover', [0.24, 0.24, 0.24], 2),
  ];
  const protection: ProtectionResult = {
    pps: 50000,
    sizeBytes: 1328,
    windowS: 2,
    rounds: 3,
    attempts: 3,
    maxNoiseShare: 0.25,
    mergeWindowMs: 50,
    cells,
    ratios: protectionRatios(cells),
    memory: protectionMemory(64, 50 * 1048576, 114 * 1048576),
  };
  const md = renderMarkdown({ ...RUN, protection }, 'x.json');
  const lines = md.split('\n');
  assert.ok(md.includes('## Cost of A/B merge and stream analysis (MCR engine)'), md);
  assert.ok(
    lines.includes('| plain | 1 | 4,000 (4,000–4,000) | 1.00× |  |  |  | 6,000 (6,000–6,000) | 1.00× | 3 of 3 |'),
    md,
  );
  assert.ok(
    lines.includes(
      '| analyze-auto | 1 | 4,040 (4,040–4,040) | 1.01× | 1.01× (1.01×–1.01×) | ≤ 1.05× | pass | 6,040 (6,040–6,040) | 1.01× | 3 of 3 |',
    ),
    md,
  );
  assert.ok(
    lines.includes(
      '| merge-rtp | 2 | 5,200 (5,200–5,200) | 1.30× | 1.30× (1.30×–1.30×) | ≤ 1.15× | **over the target** | 7,200 (7,200–7,200) | 1.20× | 3 of 3 |',
    ),
    md,
  );
  assert.ok(
    lines.includes(
      '| failover | 2 | 4,800 (4,800–4,800) | 1.20× | 1.20× (1.20×–1.20×) |  | no target | 6,800 (6,800–6,800) | 1.13× | 3 of 3 |',
    ),
    md,
  );
  assert.ok(md.includes('**1,024 KiB per merging relay**'), md);
  assert.ok(!renderMarkdown(RUN, 'x.json').includes('A/B merge'), 'no section in a run without the scenario');
  assert.ok(!md.includes('a smoke run'), md);
  const smoke = renderMarkdown({ ...RUN, protection: { ...protection, rounds: 1 } }, 'x.json');
  assert.ok(smoke.includes('Only 1 round (a smoke run): these ratios are the host'), smoke);
});

test('--scenarios narrows the run and names a wrong scenario', () => {
  const options = parseOptions(['--scenarios', 'protection']);
  assert.equal(runsScenario(options, 'protection'), true);
  assert.equal(runsScenario(options, 'rates'), false);
  assert.equal(runsScenario(parseOptions([]), 'fanout'), true);
  assert.throws(() => parseOptions(['--scenarios', 'rates,merge']), /--scenarios: expected a list of rates, many/);
});
