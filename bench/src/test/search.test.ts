// Unit tests of the max-lossless-rate search against a relay model with a known capacity.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMaxLossless, type SearchPolicy } from '../search';
import type { TrialResult } from '../trial';

const POLICY: SearchPolicy = {
  startPps: 50000,
  stepFactor: 2,
  bisectSteps: 3,
  minPps: 1000,
  maxPps: 2000000,
  granularityPps: 1000,
};

/** A window at `pps` against a relay that forwards up to `capacity` without loss. */
function window(pps: number, capacity: number, generatorMax = Number.POSITIVE_INFINITY): TrialResult {
  const generatorLimited = pps > generatorMax;
  const lossRatio = pps > capacity ? (pps - capacity) / pps : 0;
  return {
    offeredPps: pps,
    generatorPps: Math.min(pps, generatorMax),
    sent: pps,
    received: pps,
    lost: 0,
    duplicates: 0,
    lossRatio,
    sinkKernelDrops: 0,
    relayDrops: { backlog: 0, relaySocket: 0 },
    exactCpu: { processRunNs: 0, netRxSoftirqNs: 0, netRxInProcessNs: 0, netRxRuns: 0 },
    latencyUs: null,
    delivered: pps,
    deliveredRatio: 1,
    relayProcessCpuS: 0,
    relayCoreBusyS: 0,
    trafficCoreBusyShare: 0,
    relayCoreBusyShare: 0,
    windowS: 1,
    noiseBusyShare: 0,
    generatorLimited,
    passed: !generatorLimited && lossRatio < 0.001,
  };
}

test('brackets the capacity from below within one bisection step', async () => {
  const result = await findMaxLossless(POLICY, async (pps) => window(pps, 150000));
  assert.equal(result.limitedBy, 'loss');
  assert.ok(result.maxLosslessPps <= 150000, `found ${result.maxLosslessPps}`);
  assert.ok(result.maxLosslessPps >= 150000 - 100000 / 2 ** POLICY.bisectSteps, `found ${result.maxLosslessPps}`);
  assert.equal(result.atMax?.offeredPps, result.maxLosslessPps);
});

test('steps down when the starting rate already loses', async () => {
  const result = await findMaxLossless(POLICY, async (pps) => window(pps, 20000));
  assert.ok(result.maxLosslessPps <= 20000 && result.maxLosslessPps >= 12500, `found ${result.maxLosslessPps}`);
  assert.ok(result.trials.some((t) => t.offeredPps < POLICY.startPps));
});

test('reports zero when nothing passes down to the minimum rate', async () => {
  const result = await findMaxLossless(POLICY, async (pps) => window(pps, 0));
  assert.equal(result.maxLosslessPps, 0);
  assert.equal(result.limitedBy, 'below-min-rate');
  assert.equal(result.atMax, null);
});

test('stops at the ceiling when every rate passes', async () => {
  const result = await findMaxLossless({ ...POLICY, maxPps: 300000 }, async (pps) =>
    window(pps, Number.POSITIVE_INFINITY),
  );
  assert.equal(result.maxLosslessPps, 300000);
  assert.equal(result.limitedBy, 'max-rate');
});

test('retries a generator-limited window and names the generator when it stays limited', async () => {
  const calls: number[] = [];
  const result = await findMaxLossless(POLICY, async (pps) => {
    calls.push(pps);
    return window(pps, Number.POSITIVE_INFINITY, 120000);
  });
  assert.equal(result.limitedBy, 'generator');
  assert.ok(result.maxLosslessPps <= 120000 && result.maxLosslessPps >= 100000, `found ${result.maxLosslessPps}`);
  assert.equal(calls.filter((pps) => pps === 200000).length, 2);
});
