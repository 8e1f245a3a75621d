// Whether each relay's input is alive on this node, from periodic snapshots of the engine's
// per-relay receive counters (no hot-path cost: the workers already count every batch). A relay is
// silent once no datagram arrived for max(SILENCE_INTERVALS × its usual inter-arrival time,
// SILENCE_FLOOR_MS): a 10 kpps feed is silent after the floor, a 2 pps feed only after 2 s.

/** A 10 kpps feed never pauses this long; sampling jitter (one poll) stays well inside it. */
export const SILENCE_FLOOR_MS = 150;
/** Missing this many usual inter-arrival times in a row is silence, not jitter. */
export const SILENCE_INTERVALS = 4;
/** Slower feeds than one datagram every 2.5 s are called silent after this much, as if they were. */
export const SILENCE_CEILING_MS = 10_000;
/** Until a second arrival teaches the interval, a feed is assumed to send at least once a second. */
const FIRST_INTERVAL_MS = 1_000;
/** Weight of the newest inter-arrival estimate: smooths bursts, follows a rate change in a few samples. */
const EWMA_WEIGHT = 0.25;

/** What this node's engine received so far on each relay's input (the engine's inputCounts()). */
export interface InputSnapshot {
  ids: readonly string[];
  /** Datagrams received, in the order of `ids`. */
  packetsIn: ArrayLike<number>;
}

export interface LivenessSummary {
  /** Relays whose input is alive on this node now. */
  live: number;
  /** Relays this node tracks (every relay its engine holds). */
  total: number;
  /** Shortest silence among the silent inputs that once were alive (ms); undefined when none is. */
  silentForMs?: number;
}

interface InputTrack {
  packetsIn: number;
  /** When the last increase was seen; undefined before the first one. */
  lastArrivalMs?: number;
  /** Smoothed mean time between datagrams (ms); undefined until two arrivals were seen. */
  intervalMs?: number;
}

export class InputLiveness {
  private readonly inputs = new Map<string, InputTrack>();
  private notAliveIds: string[] = [];

  /** Relays whose input was not alive at the last sample: silent, or nothing received yet. */
  get notAlive(): readonly string[] {
    return this.notAliveIds;
  }

  /** Feeds one snapshot of every relay's counters taken at `nowMs` (monotonic) and summarises. */
  sample(nowMs: number, snapshot: InputSnapshot): LivenessSummary {
    const { ids, packetsIn } = snapshot;
    const seen = new Set<string>();
    const notAlive: string[] = [];
    let live = 0;
    let silentForMs: number | undefined;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      seen.add(id);
      const track = this.update(id, packetsIn[i], nowMs);
      if (track.lastArrivalMs === undefined) {
        notAlive.push(id);
        continue;
      }
      const silenceMs = nowMs - track.lastArrivalMs;
      if (silenceMs <= silenceThresholdMs(track.intervalMs ?? FIRST_INTERVAL_MS)) live += 1;
      else {
        notAlive.push(id);
        silentForMs = Math.min(silentForMs ?? silenceMs, silenceMs);
      }
    }
    this.notAliveIds = notAlive;
    for (const id of this.inputs.keys()) if (!seen.has(id)) this.inputs.delete(id);
    return { live, total: ids.length, silentForMs };
  }

  private update(id: string, packetsIn: number, nowMs: number): InputTrack {
    const track = this.inputs.get(id);
    if (track === undefined) {
      // The engine counts from zero when a relay is added and the samples come every poll, so a
      // counter that has already moved when first met moved moments ago: an arrival now. Read as
      // "not alive yet" instead, the node that happened to sample the relay first after its first
      // datagram looked worse than its peer for a whole interval of a slow feed (500 ms at 2 pps),
      // longer than the handover hold-down, and handed the lead over for nothing.
      const fresh: InputTrack = { packetsIn, ...(packetsIn > 0 ? { lastArrivalMs: nowMs } : {}) };
      this.inputs.set(id, fresh);
      return fresh;
    }
    if (packetsIn > track.packetsIn) {
      if (track.lastArrivalMs !== undefined) {
        const perDatagramMs = (nowMs - track.lastArrivalMs) / (packetsIn - track.packetsIn);
        const previous = track.intervalMs ?? perDatagramMs;
        track.intervalMs = previous + EWMA_WEIGHT * (perDatagramMs - previous);
      }
      track.lastArrivalMs = nowMs;
    }
    track.packetsIn = packetsIn; // a relay re-created under the same id starts again from 0
    return track;
  }
}

export function silenceThresholdMs(intervalMs: number): number {
  return Math.min(SILENCE_CEILING_MS, Math.max(SILENCE_FLOOR_MS, SILENCE_INTERVALS * intervalMs));
}
