// Samples engine counters once a second and turns them into rates (packets/s, bits/s) over the
// last RATE_WINDOW_MS, so a stats request costs one snapshot and no waiting.
import type { RelayCounters } from '@mcr/engine';

const SAMPLE_INTERVAL_MS = 1_000;
const RATE_WINDOW_MS = 5_000;

interface Totals {
  packetsIn: number;
  bytesIn: number;
  outputs: { packets: number; bytes: number }[];
  legs: { packets: number; bytes: number }[];
}

interface Sample {
  at: number;
  relays: Map<string, Totals>;
}

export interface RelayRates {
  windowSeconds: number;
  packetsInPerSecond: number;
  bitsInPerSecond: number;
  outputs: { packetsPerSecond: number; bitsPerSecond: number }[];
  legs: { packetsPerSecond: number; bitsPerSecond: number }[];
}

export class RateTracker {
  private samples: Sample[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly snapshot: () => RelayCounters[],
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  sample(): void {
    const at = this.now();
    this.samples.push({ at, relays: new Map(this.snapshot().map((c) => [c.id, totals(c)])) });
    // Keep one sample older than the window so the window is always fully covered.
    while (this.samples.length > 2 && this.samples[1].at <= at - RATE_WINDOW_MS) this.samples.shift();
  }

  /** Rates of `current` against the oldest sample inside the window. */
  rates(current: RelayCounters): RelayRates {
    const at = this.now();
    const base = this.samples.find((s) => s.at >= at - RATE_WINDOW_MS - SAMPLE_INTERVAL_MS && s.relays.has(current.id));
    const seconds = base === undefined ? 0 : (at - base.at) / 1000;
    const then = base?.relays.get(current.id);
    const now = totals(current);
    const perSecond = (a: number, b: number | undefined): number =>
      seconds < 0.2 || b === undefined ? 0 : Math.round(Math.max(0, (a - b) / seconds) * 10) / 10;
    return {
      windowSeconds: Math.round(seconds * 1000) / 1000,
      packetsInPerSecond: perSecond(now.packetsIn, then?.packetsIn),
      bitsInPerSecond: perSecond(now.bytesIn * 8, then === undefined ? undefined : then.bytesIn * 8),
      outputs: now.outputs.map((o, i) => ({
        packetsPerSecond: perSecond(o.packets, then?.outputs[i]?.packets),
        bitsPerSecond: perSecond(o.bytes * 8, then?.outputs[i] === undefined ? undefined : then.outputs[i].bytes * 8),
      })),
      legs: now.legs.map((l, i) => ({
        packetsPerSecond: perSecond(l.packets, then?.legs[i]?.packets),
        bitsPerSecond: perSecond(l.bytes * 8, then?.legs[i] === undefined ? undefined : then.legs[i].bytes * 8),
      })),
    };
  }
}

function totals(c: RelayCounters): Totals {
  return {
    packetsIn: Number(c.packetsIn),
    bytesIn: Number(c.bytesIn),
    outputs: c.outputs.map((o) => ({ packets: Number(o.packets), bytes: Number(o.bytes) })),
    legs: c.legs.map((l) => ({ packets: Number(l.legPackets), bytes: Number(l.legBytes) })),
  };
}
