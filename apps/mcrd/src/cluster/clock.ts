// Time as the HA code reads it, injected so tests drive it (with Jest's fake timers) instead of
// sleeping: the monotonic clock for fencing deadlines, the wall clock for gRPC call deadlines.
export interface Clock {
  /** Monotonic nanoseconds: fencing deadlines, comparable with the engine's forwardUntil. */
  nowNs(): bigint;
  /** Wall-clock milliseconds: gRPC deadlines are Date-based. */
  nowMs(): number;
}

export const systemClock: Clock = {
  nowNs: () => process.hrtime.bigint(),
  nowMs: () => Date.now(),
};
