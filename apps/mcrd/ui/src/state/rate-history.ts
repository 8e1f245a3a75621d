// The last minutes of each relay's rates, recorded from every stats poll, for the sparklines.
// The API gives rates now, not history, so the history starts when the page opens.
import type { NodeStats } from '../api/types';

export const HISTORY_SECONDS = 300;

export interface RateSeries {
  /** Unix seconds of each sample. */
  times: number[];
  packetsInPerSecond: number[];
  bitsInPerSecond: number[];
  packetsOutPerSecond: number[];
}

function emptySeries(): RateSeries {
  return { times: [], packetsInPerSecond: [], bitsInPerSecond: [], packetsOutPerSecond: [] };
}

export class RateHistory {
  private readonly byRelay = new Map<string, RateSeries>();

  constructor(private readonly keepSeconds = HISTORY_SECONDS) {}

  record(atMs: number, stats: NodeStats): void {
    const at = atMs / 1000;
    const present = new Set<string>();
    for (const relay of stats.relays) {
      present.add(relay.id);
      const series = this.byRelay.get(relay.id) ?? emptySeries();
      series.times.push(at);
      series.packetsInPerSecond.push(relay.packetsInPerSecond);
      series.bitsInPerSecond.push(relay.bitsInPerSecond);
      series.packetsOutPerSecond.push(relay.outputs.reduce((total, o) => total + o.packetsPerSecond, 0));
      this.trim(series, at - this.keepSeconds);
      this.byRelay.set(relay.id, series);
    }
    // A deleted relay's history goes with it.
    for (const id of this.byRelay.keys()) if (!present.has(id)) this.byRelay.delete(id);
  }

  series(relayId: string): RateSeries {
    return this.byRelay.get(relayId) ?? emptySeries();
  }

  private trim(series: RateSeries, oldest: number): void {
    let stale = 0;
    while (stale < series.times.length && series.times[stale] < oldest) stale++;
    if (stale === 0) return;
    for (const values of Object.values(series)) values.splice(0, stale);
  }
}
