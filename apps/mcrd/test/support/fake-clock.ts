// The HA clock on Jest's fake timers: monotonic and wall-clock time both follow the faked Date,
// so jest.advanceTimersByTimeAsync moves timers, deadlines and fencing together and nothing sleeps.
import type { Clock } from '../../src/cluster/clock';

export const fakeTimersClock: Clock = {
  nowNs: () => BigInt(Date.now()) * 1_000_000n,
  nowMs: () => Date.now(),
};

/** Fake timers starting at a round time, so expected deadlines read plainly in tests. */
export function useFakeClock(startMs = 1_000_000): void {
  jest.useFakeTimers({ now: startMs });
}
