// Unit tests of the report: the SVG chart is well-formed and scaled, the Markdown ratios are right.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { niceCeiling, renderChart } from '../report/chart';
import { renderMarkdown } from '../report/markdown';
import { findKernelReference } from '../report/reference';
import { summarize, type BenchRun, type CellResult } from '../results';

function cell(relay: CellResult['relay'], label: string, size: number, pps: number[]): CellResult {
  return {
    relay,
    label,
    sizeBytes: size,
    searches: [],
    limitedBy: ['loss'],
    maxLosslessPps: summarize(pps),
    cpuNsPerPacket: summarize([1000]),
    coreNsPerPacket: summarize([1500]),
    latencyPps: 10000,
    latencyTrials: [],
    latencyP50Us: summarize([30]),
    latencyP99Us: summarize([60]),
  };
}

const RUN: BenchRun = {
  profile: 'quick',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationS: 10,
  windowS: 2,
  lossBound: 0.001,
  conditions: {
    kernel: '6.1',
    cpuModel: 'Test <CPU>',
    cpus: 2,
    node: '20',
    pinning: 'p',
    rps: 'r',
    generator: 'g',
    quietThresholdShare: 0.05,
    quietMaxWaitMs: 1000,
    noiseBusyShare: summarize([0.01, 0.02]),
    tools: { socat: '1.7' },
  },
  cells: [
    cell('kernel', 'kernel (smcroute)', 64, [150000, 140000, 160000]),
    cell('socat', 'socat', 64, [40000]),
    cell('mcr-engine', 'MCR engine', 64, [300000]),
  ],
  fanouts: [],
  manyRelays: [],
  failures: [],
  skipped: [],
};

test('niceCeiling rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
  assert.equal(niceCeiling(150000), 200000);
  assert.equal(niceCeiling(300000), 500000);
  assert.equal(niceCeiling(1000), 1000);
  assert.equal(niceCeiling(2100), 2500);
});

test('the chart has one bar per measured cell, escaped text and a whisker for repeats', () => {
  const svg = renderChart(RUN);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/<rect [^>]*fill="#2f6db5"><title>/g) ?? []).length, 3);
  assert.ok(svg.includes('Test &lt;CPU&gt;'));
  assert.ok(!svg.includes('Test <CPU>'));
  assert.equal((svg.match(/<line x1="([\d.]+)" x2="\1"/g) ?? []).length, 1, 'only the repeated cell has a whisker');
});

test('the table gives ratios to the kernel path and to socat', () => {
  const md = renderMarkdown(RUN, 'x.json');
  const row = md.split('\n').find((line) => line.startsWith('| MCR engine | 64 B'));
  assert.ok(row, md);
  assert.ok(row.includes('| 2.00× | 7.50× |'), row);
  assert.ok(md.includes('150,000 (140,000–160,000)'));
});

test('the Node-cost table compares the engine through Node-API with the bare core, per payload', () => {
  const core = { ...cell('mcr-core', 'MCR core, no Node', 64, [320000]), cpuNsPerPacket: summarize([1000]) };
  const engine = { ...cell('mcr-engine', 'MCR engine', 64, [300000]), cpuNsPerPacket: summarize([1080]) };
  const md = renderMarkdown(
    { ...RUN, cells: [...RUN.cells.filter((c) => c.relay !== 'mcr-engine'), core, engine] },
    'x.json',
  );
  const row = md.split('\n').find((line) => line.startsWith('| 64 B | 320,000'));
  assert.ok(row, md);
  assert.ok(row.endsWith('| 1.08× |'), row);
  assert.ok(
    !renderMarkdown(RUN, 'x.json').includes('The Node process around the engine'),
    'no section without the core relay',
  );
});

test('the headroom table shows both CPUs at the max rate and at the first failure of each repeat', () => {
  const trial = (pps: number, passed: boolean, relayBusy: number, trafficBusy: number) => ({
    offeredPps: pps,
    generatorPps: pps,
    sent: pps,
    received: pps,
    lost: passed ? 0 : 1000,
    duplicates: 0,
    lossRatio: passed ? 0 : 0.01,
    sinkKernelDrops: passed ? 0 : 100,
    relayDrops: { backlog: passed ? 0 : 600, relaySocket: passed ? 0 : 200 },
    exactCpu: { processRunNs: 0, netRxSoftirqNs: 0, netRxInProcessNs: 0, netRxRuns: 0 },
    latencyUs: null,
    delivered: pps,
    deliveredRatio: 1,
    relayProcessCpuS: 0,
    relayCoreBusyS: relayBusy * 2.2, // the window's busy seconds include the sink's idle tail
    trafficCoreBusyShare: trafficBusy,
    relayCoreBusyShare: relayBusy,
    windowS: 2,
    noiseBusyShare: 0,
    generatorLimited: false,
    passed,
  });
  const search = (max: number, relayBusy: number) => {
    const atMax = trial(max, true, relayBusy, 0.8);
    // A lower failure (a noisy window during the step-down) is not where the search stopped.
    return {
      maxLosslessPps: max,
      atMax,
      limitedBy: 'loss' as const,
      trials: [
        trial(max - 50000, false, 0.1, 0.3),
        atMax,
        trial(max + 100000, false, 0.9, 0.99),
        trial(max + 50000, false, 0.72, 0.96),
      ],
    };
  };
  const engine = {
    ...cell('mcr-engine', 'MCR engine', 64, [300000, 320000, 340000]),
    searches: [search(300000, 0.6), search(320000, 0.7), search(340000, 0.65)],
  };
  const md = renderMarkdown(
    { ...RUN, cells: [...RUN.cells.filter((c) => c.relay !== 'mcr-engine'), engine] },
    'x.json',
  );
  assert.ok(md.includes('## Which CPU ran out first'), md);
  const row = md.split('\n').find((line) => line.startsWith('| MCR engine | 64 B | 65%'));
  assert.equal(row, '| MCR engine | 64 B | 65% | 80% | 72% | 96% | 60% / 20% / 10% / 10% |');
  assert.ok(!renderMarkdown(RUN, 'x.json').includes('Which CPU ran out first'), 'no section without searches');
});

test('without the kernel path the ratios divide by the bare core and socat, and the report says why', () => {
  const core = cell('mcr-core', 'MCR core, no Node', 64, [400000]);
  const run: BenchRun = {
    ...RUN,
    cells: [RUN.cells[1], core, RUN.cells[2]],
    conditions: {
      ...RUN.conditions,
      multicastRouting: 'kernel multicast routing: not available on this kernel (CONFIG_IP_MROUTE is off)',
    },
    unavailable: [
      {
        relay: 'kernel',
        label: 'kernel (smcroute)',
        reason: 'kernel multicast routing: not available on this kernel (CONFIG_IP_MROUTE is off)',
      },
    ],
  };
  const md = renderMarkdown(run, 'x.json');
  const lines = md.split('\n');
  assert.ok(
    lines.includes(
      '| relay | payload | max lossless pps, median (min–max) | vs MCR core, no Node | vs socat | relay CPU ns / datagram | relay core busy ns / datagram | limited by |',
    ),
    md,
  );
  const row = lines.find((line) => line.startsWith('| MCR engine | 64 B'));
  assert.ok(row?.includes('| 0.75× | 7.50× |'), row);
  assert.ok(!lines.some((line) => line.startsWith('| kernel (smcroute)')), 'no row for a relay that did not run');
  assert.ok(
    md.includes(
      '## Not run on this host\n\n- kernel (smcroute): kernel multicast routing: not available on this kernel (CONFIG_IP_MROUTE is off).',
    ),
    md,
  );
  assert.ok(
    md.includes(
      '- Kernel: Linux 6.1; kernel multicast routing: not available on this kernel (CONFIG_IP_MROUTE is off).',
    ),
    md,
  );
});

test('a run without the kernel path keeps the last committed run that had it, with its date and kernel', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-ref-'));
  const older = {
    ...RUN,
    startedAt: '2025-12-01T00:00:00.000Z',
    conditions: { ...RUN.conditions, kernel: '6.1.0-old' },
  };
  const newer = {
    ...RUN,
    startedAt: '2026-01-01T00:00:00.000Z',
    conditions: { ...RUN.conditions, kernel: '6.1.0-new' },
  };
  const withoutKernel: BenchRun = { ...RUN, startedAt: '2026-02-01T00:00:00.000Z', cells: RUN.cells.slice(1) };
  writeFileSync(path.join(dir, '2025-12-01T00-00-00Z.json'), JSON.stringify(older));
  writeFileSync(path.join(dir, '2026-01-01T00-00-00Z.json'), JSON.stringify(newer));
  writeFileSync(path.join(dir, '2026-02-01T00-00-00Z.json'), JSON.stringify(withoutKernel));
  assert.equal(findKernelReference(RUN, dir), undefined, 'a run with the kernel path needs no reference');
  const reference = findKernelReference(withoutKernel, dir);
  assert.equal(reference?.jsonName, '2026-01-01T00-00-00Z.json');
  const md = renderMarkdown(withoutKernel, 'x.json', reference);
  assert.ok(md.includes('## Last run with the kernel path: 2026-01-01, Linux 6.1.0-new'), md);
  const section = md.slice(md.indexOf('## Last run with the kernel path'));
  assert.ok(
    section.split('\n').some((line) => line.startsWith('| MCR engine | 64 B | 300,000 | 2.00× | 7.50× |')),
    section,
  );
  rmSync(dir, { recursive: true, force: true });
});
