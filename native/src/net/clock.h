// The two clocks MCR reads, in nanoseconds: CLOCK_MONOTONIC for deadlines, pacing and timeouts,
// CLOCK_REALTIME for packet times (comparable across hosts whose clocks are synchronised).
#pragma once

#include <time.h>

#include <cstdint>

namespace mcr {

inline constexpr int64_t kNanosecondsPerSecond = 1'000'000'000;
inline constexpr int64_t kNanosecondsPerMillisecond = 1'000'000;

inline int64_t timespec_to_ns(const timespec& time) noexcept {
  return static_cast<int64_t>(time.tv_sec) * kNanosecondsPerSecond + time.tv_nsec;
}

inline timespec ns_to_timespec(int64_t ns) noexcept {
  timespec time{};
  time.tv_sec = static_cast<time_t>(ns / kNanosecondsPerSecond);
  time.tv_nsec = static_cast<long>(ns % kNanosecondsPerSecond);
  return time;
}

// A vDSO call on Linux, no system call: cheap enough once per batch, still not once per packet.
inline int64_t read_clock_ns(clockid_t clock) noexcept {
  timespec now{};
  clock_gettime(clock, &now);
  return timespec_to_ns(now);
}

inline int64_t monotonic_now_ns() noexcept {
  return read_clock_ns(CLOCK_MONOTONIC);
}
inline int64_t realtime_now_ns() noexcept {
  return read_clock_ns(CLOCK_REALTIME);
}

}  // namespace mcr
