// The two clocks the data plane reads: CLOCK_MONOTONIC for the fencing deadline, CLOCK_REALTIME
// for last-packet times. Both are vDSO calls; workers read them once per batch, never per packet.
#pragma once

#include <time.h>

#include <cstdint>

namespace mcr {

inline constexpr int64_t kNanosecondsPerSecond = 1'000'000'000;

inline int64_t read_clock_ns(clockid_t clock) noexcept {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<int64_t>(now.tv_sec) * kNanosecondsPerSecond + now.tv_nsec;
}

inline int64_t monotonic_now_ns() noexcept { return read_clock_ns(CLOCK_MONOTONIC); }
inline int64_t realtime_now_ns() noexcept { return read_clock_ns(CLOCK_REALTIME); }

}  // namespace mcr
