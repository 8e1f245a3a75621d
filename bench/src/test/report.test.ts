// Unit tests of the report: the SVG chart is well-formed and scaled, the Markdown ratios are right.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { niceCeiling, renderChart } from '../report/chart';
import { renderMarkdown } from '../report/markdown';
import { summarize, type BenchRun, type CellResult } from '../results';

function cell(relay: CellResult['relay'], label: string, size: number, pps: number[]): CellResult {
  return {
    relay, label, sizeBytes: size, searches: [], limitedBy: ['loss'], maxLosslessPps: summarize(pps),
    cpuNsPerPacket: summarize([1000]), coreNsPerPacket: summarize([1500]), latencyPps: 10000, latencyTrials: [],
    latencyP50Us: summarize([30]), latencyP99Us: summarize([60]),
  };
}

const RUN: BenchRun = {
  profile: 'quick', startedAt: '2026-01-01T00:00:00.000Z', durationS: 10, windowS: 2, lossBound: 0.001,
  conditions: {
    kernel: '6.1', cpuModel: 'Test <CPU>', cpus: 2, node: '20', pinning: 'p', rps: 'r', quietThresholdShare: 0.05, quietMaxWaitMs: 1000,
    noiseBusyShare: summarize([0.01, 0.02]), tools: { socat: '1.7' },
  },
  cells: [
    cell('kernel', 'kernel (smcroute)', 64, [150000, 140000, 160000]),
    cell('socat', 'socat', 64, [40000]),
    cell('mcr-engine', 'MCR engine', 64, [300000]),
  ],
  fanouts: [], manyRelays: [], failures: [], skipped: [],
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
  const md = renderMarkdown({ ...RUN, cells: [...RUN.cells.filter((c) => c.relay !== 'mcr-engine'), core, engine] }, 'x.json');
  const row = md.split('\n').find((line) => line.startsWith('| 64 B | 320,000'));
  assert.ok(row, md);
  assert.ok(row.endsWith('| 1.08× |'), row);
  assert.ok(!renderMarkdown(RUN, 'x.json').includes('The Node process around the engine'), 'no section without the core relay');
});
