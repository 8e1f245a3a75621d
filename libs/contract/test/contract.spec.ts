// The contract's own consistency (names unique, defaults inside their ranges), and its C++
// header: generated deterministically, and the native build's copy is the current one.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  COUNTERS,
  ENGINE_ERROR_CODES,
  ENGINE_OPTIONS,
  dropReason,
  engineOptionDefaults,
  isPrometheusGauge,
  prometheusMetric,
} from '../src';

const GENERATOR = path.join(__dirname, '..', 'scripts', 'generate-cpp-header.js');
const NATIVE_BUILD_HEADER = path.join(__dirname, '..', '..', '..', 'native', 'build', 'generated', 'contract.h');

function generate(out: string): string {
  execFileSync(process.execPath, [GENERATOR, out]);
  return readFileSync(out, 'utf8');
}

function check(file: string): number | null {
  return spawnSync(process.execPath, [GENERATOR, '--check', file], { stdio: 'ignore' }).status;
}

function duplicates(values: string[]): string[] {
  return values.filter((value, i) => values.indexOf(value) !== i);
}

describe('the contract', () => {
  it('gives every counter, option and error code one unique name', () => {
    expect(duplicates(COUNTERS.map((c) => c.name))).toEqual([]);
    expect(duplicates(ENGINE_OPTIONS.map((o) => o.name))).toEqual([]);
    expect(duplicates([...ENGINE_ERROR_CODES])).toEqual([]);
    for (const code of ENGINE_ERROR_CODES) expect(code).toMatch(/^ERR_MCR_[A-Z_]+$/);
  });

  it('names Prometheus series uniquely, in Prometheus style', () => {
    const metrics = COUNTERS.map(prometheusMetric).filter((m): m is string => m !== undefined);
    const reasons = COUNTERS.map(dropReason).filter((r): r is string => r !== undefined);
    expect(duplicates(metrics)).toEqual([]);
    expect(duplicates(reasons)).toEqual([]);
    // Counters end in _total; gauges (a level, or a count that may go down) never do.
    for (const counter of COUNTERS) {
      const metric = prometheusMetric(counter);
      if (metric === undefined) continue;
      if (isPrometheusGauge(counter)) expect(metric).toMatch(/^mcr_relay_[a-z_]+(?<!_total)$/);
      else expect(metric).toMatch(/^mcr_relay_[a-z_]+_total$/);
    }
    for (const reason of reasons) expect(reason).toMatch(/^[a-z_]+$/);
  });

  it('keeps every default inside its own range', () => {
    const defaults = engineOptionDefaults() as unknown as Record<string, unknown>;
    for (const option of ENGINE_OPTIONS.filter((o) => o.type === 'integer')) {
      expect(defaults[option.name]).toBeGreaterThanOrEqual(option.min as number);
      expect(defaults[option.name]).toBeLessThanOrEqual(option.max as number);
    }
    expect(engineOptionDefaults().cpus).not.toBe(engineOptionDefaults().cpus);
  });
});

describe('the generated C++ header', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcr-contract-'));

  it('is the same every time and lists every counter and error code', () => {
    const first = generate(path.join(dir, 'a.h'));
    expect(generate(path.join(dir, 'b.h'))).toBe(first);
    for (const counter of COUNTERS) expect(first).toContain(`"${counter.name}"`);
    for (const code of ENGINE_ERROR_CODES) expect(first).toContain(`"${code}"`);
  });

  it('--check accepts a current header and refuses a stale one', () => {
    const file = path.join(dir, 'check.h');
    generate(file);
    expect(check(file)).toBe(0);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"packetsIn"', '"packetsReceived"'));
    expect(check(file)).toBe(1);
    expect(check(path.join(dir, 'missing.h'))).toBe(1);
  });

  it('is current in the native build (npm run build -w @mcr/native)', () => {
    expect(existsSync(NATIVE_BUILD_HEADER)).toBe(true);
    expect(check(NATIVE_BUILD_HEADER)).toBe(0);
  });
});
