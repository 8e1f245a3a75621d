// Clock readings in nanoseconds: CLOCK_MONOTONIC for pacing and timeouts, CLOCK_REALTIME for the
// send timestamp in the payload (comparable across hosts whose clocks are synchronised).
#pragma once

#include <time.h>

#include <cstdint>

namespace mcr::tools {

inline constexpr int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr int64_t kNanosPerMilli = 1'000'000;

inline int64_t timespec_to_ns(const timespec& ts) {
  return static_cast<int64_t>(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec;
}

inline timespec ns_to_timespec(int64_t ns) {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(ns / kNanosPerSecond);
  ts.tv_nsec = static_cast<long>(ns % kNanosPerSecond);
  return ts;
}

// Both are vDSO calls on Linux: no system call, cheap enough once per batch.
inline int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return timespec_to_ns(ts);
}

inline int64_t realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return timespec_to_ns(ts);
}

}  // namespace mcr::tools
