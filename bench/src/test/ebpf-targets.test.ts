// Unit tests of issue #20's targets: eBPF / socket engine ratios, their bounds and verdicts, and
// the report section that prints them with their conditions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ebpfTargetRows, ebpfTargetsSection, judge } from '../report/ebpf-targets';
import { renderMarkdown } from '../report/markdown';
import { summarize, type BenchRun, type CellResult, type FanoutResult } from '../results';

function cell(
  relay: CellResult['relay'],
  size: number,
  figures: { pps: number; cpuNs: number; p99: number },
): CellResult {
  return {
    relay,
    label: relay === 'mcr-engine' ? 'MCR engine' : 'MCR engine, eBPF datapath',
    sizeBytes: size,
    searches: [],
    limitedBy: ['loss'],
    maxLosslessPps: summarize([figures.pps]),
    cpuNsPerPacket: summarize([figures.cpuNs * 2]),
    coreNsPerPacket: summarize([1]),
    fixedRateCpu: {
      pps: 50000,
      trials: [],
      nsPerDatagram: summarize([figures.cpuNs]),
      softirqShare: summarize([0.5]),
    },
    latencyPps: 10000,
    latencyTrials: [],
    latencyP50Us: summarize([20]),
    latencyP99Us: summarize([figures.p99]),
  };
}

function fanout(relay: FanoutResult['relay'], cpuNs: number): FanoutResult {
  return {
    relay,
    label: relay,
    outputs: 10,
    sizeBytes: 64,
    search: null,
    maxInputPps: 20000,
    cpuNsPerOutputDatagram: cpuNs,
    fixedRateCpu: { pps: 20000, trials: [], nsPerDatagram: summarize([cpuNs]), softirqShare: null },
  };
}

const RUN: BenchRun = {
  profile: 'full',
  startedAt: '2026-12-05T00:00:00.000Z',
  durationS: 100,
  windowS: 2,
  lossBound: 0.001,
  conditions: {
    kernel: '6.18',
    cpuModel: 'cpu',
    cpus: 2,
    node: '22',
    pinning: 'p',
    rps: 'r',
    generator: 'g',
    quietThresholdShare: 0.05,
    quietMaxWaitMs: 1000,
    noiseBusyShare: null,
    tools: {},
  },
  cells: [
    cell('mcr-engine', 64, { pps: 100000, cpuNs: 5000, p99: 100 }),
    cell('mcr-engine-ebpf', 64, { pps: 150000, cpuNs: 2000, p99: 80 }),
    cell('mcr-engine', 1024, { pps: 90000, cpuNs: 5000, p99: 100 }),
    cell('mcr-engine-ebpf', 1024, { pps: 80000, cpuNs: 3500, p99: 120 }),
  ],
  fanouts: [fanout('mcr-engine', 1200), fanout('mcr-engine-ebpf', 1000)],
  manyRelays: [],
  failures: [],
  skipped: [],
};

test('a cost passes at or below its bound, a rate at or above it, a missing figure has no verdict', () => {
  assert.equal(judge(0.6, { direction: 'at-most', bound: 0.6 }), 'pass');
  assert.equal(judge(0.61, { direction: 'at-most', bound: 0.6 }), 'fail');
  assert.equal(judge(1, { direction: 'at-least', bound: 1 }), 'pass');
  assert.equal(judge(0.99, { direction: 'at-least', bound: 1 }), 'fail');
  assert.equal(judge(null, { direction: 'at-least', bound: 1 }), 'n/a');
});

test('every target is a ratio eBPF / socket engine with its own bound and verdict', () => {
  const rows = ebpfTargetRows(RUN).map((r) => [r.figure, r.condition, r.ratio?.toFixed(3), r.verdict]);
  assert.deepEqual(rows, [
    ['exact relay CPU per datagram', '64 B, 1→1, 50000 pps', '0.400', 'pass'],
    ['exact relay CPU per datagram', '1024 B, 1→1, 50000 pps', '0.700', 'fail'],
    ['exact relay CPU per output datagram', '64 B, 1→10, 20000 input pps', '0.833', 'fail'],
    ['max lossless rate', '64 B, 1→1, limited by: eBPF loss, socket loss', '1.500', 'pass'],
    ['max lossless rate', '1024 B, 1→1, limited by: eBPF loss, socket loss', '0.889', 'fail'],
    ['one-way latency p99', '64 B, 1→1, 10000 pps', '0.800', 'pass'],
    ['one-way latency p99', '1024 B, 1→1, 10000 pps', '1.200', 'fail'],
  ]);
});

test('a figure the eBPF relay could not produce is n/a, not a pass', () => {
  const run = { ...RUN, fanouts: [fanout('mcr-engine', 1200), { ...fanout('mcr-engine-ebpf', 1000), error: 'x' }] };
  const row = ebpfTargetRows(run).find((r) => r.figure === 'exact relay CPU per output datagram');
  assert.equal(row?.verdict, 'n/a');
  assert.equal(row?.ebpf, null);
});

test('the report prints the targets table with values, ratio, bound and verdict', () => {
  const md = renderMarkdown(RUN, 'x.json');
  assert.ok(md.includes('## The eBPF datapath against the socket engine'), md);
  assert.ok(
    md.includes(
      '| exact relay CPU per datagram | 64 B, 1→1, 50000 pps | 2,000 ns | 5,000 ns | 0.40× | ≤ 0.6× | pass |',
    ),
    md,
  );
  assert.ok(
    md.includes(
      '| max lossless rate | 1024 B, 1→1, limited by: eBPF loss, socket loss | 80,000 pps | 90,000 pps | 0.89× | ≥ 1.0× | fail |',
    ),
    md,
  );
  assert.ok(md.includes('| one-way latency p99 | 64 B, 1→1, 10000 pps | 80 µs | 100 µs | 0.80× | ≤ 1.0× | pass |'), md);
  assert.deepEqual(ebpfTargetsSection({ ...RUN, cells: RUN.cells.filter((c) => c.relay !== 'mcr-engine-ebpf') }), []);
});

test('the rate table shows the exact CPU at max and at the fixed rate with the softirq share', () => {
  const md = renderMarkdown(RUN, 'x.json');
  assert.ok(
    md.includes(
      '| relay | payload | max lossless pps, median (min–max) | exact relay CPU ns / datagram at max | at 50,000 pps | NET_RX softirq share at 50,000 pps | limited by |',
    ),
    md,
  );
  assert.ok(md.includes('| MCR engine, eBPF datapath | 64 B | 150,000 | 4,000 | 2,000 | 50% | loss |'), md);
});
