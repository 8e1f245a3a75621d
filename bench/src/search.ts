// Finds the highest offered rate a relay forwards with loss below 0.1%: step geometrically until a
// window fails, then bisect between the last pass and the first failure.
import type { TrialResult } from './trial';

export interface SearchPolicy {
  startPps: number;
  /** Multiplier between steps (2 for a cold search, smaller when re-measuring near a known rate). */
  stepFactor: number;
  bisectSteps: number;
  minPps: number;
  maxPps: number;
  /** Rates are rounded to this many pps, so reports read cleanly. */
  granularityPps: number;
}

export type SearchLimit = 'loss' | 'generator' | 'max-rate' | 'below-min-rate';

export interface SearchResult {
  maxLosslessPps: number;
  /** The passing window at that rate (CPU per packet is read from it). */
  atMax: TrialResult | null;
  /** What stopped the search from going higher ('generator': mcrgen could not reach a rate twice). */
  limitedBy: SearchLimit;
  trials: TrialResult[];
}

const round = (pps: number, granularity: number): number =>
  Math.max(granularity, Math.round(pps / granularity) * granularity);

export async function findMaxLossless(
  policy: SearchPolicy,
  trial: (pps: number) => Promise<TrialResult>,
): Promise<SearchResult> {
  const trials: TrialResult[] = [];
  let best: TrialResult | null = null;
  let generatorCapped = false;
  const attempt = async (pps: number): Promise<TrialResult> => {
    let result = await trial(pps);
    trials.push(result);
    if (result.generatorLimited) {
      // A busy traffic CPU can slow mcrgen for one window; only a repeat makes it the ceiling.
      result = await trial(pps);
      trials.push(result);
      generatorCapped ||= result.generatorLimited;
    }
    if (result.passed && (!best || pps > best.offeredPps)) best = result;
    return result;
  };

  let rate = round(policy.startPps, policy.granularityPps);
  let first = await attempt(rate);
  // Going down from a failing start: the failing rate is the upper bound of the bracket.
  let high = first.passed ? Number.POSITIVE_INFINITY : rate;
  while (!first.passed) {
    rate = round(rate / policy.stepFactor, policy.granularityPps);
    if (rate < policy.minPps || rate >= high) return done(null, 'below-min-rate', trials);
    first = await attempt(rate);
    if (!first.passed) high = rate;
  }
  let low = rate;
  // Going up from a pass until a window fails or a ceiling is reached.
  while (high === Number.POSITIVE_INFINITY) {
    const next = round(Math.min(low * policy.stepFactor, policy.maxPps), policy.granularityPps);
    if (next <= low) return done(best, 'max-rate', trials);
    const result = await attempt(next);
    if (result.passed) low = next;
    else high = next;
  }
  for (let step = 0; step < policy.bisectSteps; step += 1) {
    const mid = round((low + high) / 2, policy.granularityPps);
    if (mid <= low || mid >= high) break;
    const result = await attempt(mid);
    if (result.passed) low = mid;
    else high = mid;
  }
  return done(best, generatorCapped ? 'generator' : 'loss', trials);
}

function done(best: TrialResult | null, limitedBy: SearchLimit, trials: TrialResult[]): SearchResult {
  return { maxLosslessPps: best ? best.offeredPps : 0, atMax: best, limitedBy, trials };
}
