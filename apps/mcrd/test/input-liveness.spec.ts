// InputLiveness on snapshots with an injected time: the silence threshold follows the feed's
// rate (the floor for a fast feed, four intervals for a slow one); a counter met at zero is not alive.
import { InputLiveness, SILENCE_CEILING_MS, SILENCE_FLOOR_MS, silenceThresholdMs } from '../src/cluster/input-liveness';

const POLL_MS = 50;

/** A snapshot of one relay, 'r'. */
const one = (packetsIn: number) => ({ ids: ['r'], packetsIn: [packetsIn] });
/** A snapshot of relays 'a' and 'b'. */
const two = (a: number, b: number) => ({ ids: ['a', 'b'], packetsIn: [a, b] });

/** Feeds `rateHz` datagrams per second for `ms`, polling every 50 ms from `startMs`; returns the end time. */
function feed(liveness: InputLiveness, counter: { n: number }, startMs: number, ms: number, rateHz: number): number {
  let sent = 0;
  for (let t = startMs + POLL_MS; t <= startMs + ms; t += POLL_MS) {
    const due = Math.floor(((t - startMs) * rateHz) / 1000);
    counter.n += due - sent;
    sent = due;
    liveness.sample(t, one(counter.n));
  }
  return startMs + ms;
}

/** Polls a feed that sends nothing more until it is reported silent; returns how long that took. */
function silenceDetectedAfter(liveness: InputLiveness, counter: { n: number }, fromMs: number): number {
  for (let t = fromMs + POLL_MS; t < fromMs + 60_000; t += POLL_MS) {
    if (liveness.sample(t, one(counter.n)).live === 0) return t - fromMs;
  }
  throw new Error('never silent');
}

describe('InputLiveness', () => {
  it('a 10 kpps feed is silent after the floor (plus at most one poll)', () => {
    const liveness = new InputLiveness();
    const counter = { n: 0 };
    const end = feed(liveness, counter, 0, 2_000, 10_000);
    expect(liveness.sample(end, one(counter.n)).live).toBe(1);
    const after = silenceDetectedAfter(liveness, counter, end);
    expect(after).toBeGreaterThan(SILENCE_FLOOR_MS);
    expect(after).toBeLessThanOrEqual(SILENCE_FLOOR_MS + POLL_MS);
  });

  it('a 2 pps feed stays alive through its gaps for a minute, and is silent after about 4 intervals', () => {
    const liveness = new InputLiveness();
    const counter = { n: 0 };
    let alwaysLive = true;
    let t = 0;
    for (; t < 60_000; t += POLL_MS) {
      counter.n = Math.floor((t * 2) / 1000);
      const { live } = liveness.sample(t, one(counter.n));
      if (t > 1_000) alwaysLive &&= live === 1;
    }
    expect(alwaysLive).toBe(true);
    const after = silenceDetectedAfter(liveness, counter, t);
    expect(after).toBeGreaterThan(1_500);
    expect(after).toBeLessThanOrEqual(2_600);
  });

  it('a counter seen for the first time is alive if it has counted, not before it moves; a removed relay is forgotten', () => {
    const liveness = new InputLiveness();
    expect(liveness.sample(0, one(0))).toEqual({ live: 0, total: 1, silentForMs: undefined });
    expect(liveness.sample(50, one(10)).live).toBe(1);
    expect(liveness.sample(100, { ids: [], packetsIn: [] })).toEqual({ live: 0, total: 0, silentForMs: undefined });
    expect(liveness.sample(150, one(0)).live).toBe(0); // met anew, nothing received yet
  });

  it('a relay first sampled just after its first datagram of a 2 pps feed is alive at once', () => {
    // The engine added the relay and counted one datagram between two samples: waiting for the
    // second datagram would leave this node "not alive" for 500 ms while its peer counts the feed.
    const liveness = new InputLiveness();
    expect(liveness.sample(0, one(1)).live).toBe(1);
    expect(liveness.sample(450, one(1)).live).toBe(1);
    expect(liveness.sample(500, one(2)).live).toBe(1);
    // Nothing after that first datagram: silent once the first-interval threshold (4 s) has passed.
    const quiet = new InputLiveness();
    quiet.sample(0, one(1));
    expect(quiet.sample(4_050, one(1))).toEqual({ live: 0, total: 1, silentForMs: 4_050 });
  });

  it('reports the shortest silence among inputs that received and went silent (a first arrival: 4 s)', () => {
    const liveness = new InputLiveness();
    liveness.sample(0, two(0, 0));
    liveness.sample(50, two(100, 0));
    const summary = liveness.sample(6_000, two(100, 0));
    expect(summary).toEqual({ live: 0, total: 2, silentForMs: 5_950 }); // 'b' never received: not counted
  });

  it('the threshold: the floor, four intervals, the ceiling', () => {
    expect(silenceThresholdMs(0.1)).toBe(SILENCE_FLOOR_MS);
    expect(silenceThresholdMs(500)).toBe(2_000);
    expect(silenceThresholdMs(60_000)).toBe(SILENCE_CEILING_MS);
  });
});
