// Clock readings and their conversions to and from timespec.
#include "net/clock.h"

#include <gtest/gtest.h>

#include <ctime>

namespace mcr {
namespace {

TEST(Clock, ConvertsBetweenNanosecondsAndTimespec) {
  const int64_t ns = 3 * kNanosecondsPerSecond + 250 * kNanosecondsPerMillisecond + 7;
  const timespec time = ns_to_timespec(ns);
  EXPECT_EQ(time.tv_sec, 3);
  EXPECT_EQ(time.tv_nsec, 250'000'007);
  EXPECT_EQ(timespec_to_ns(time), 3'250'000'007);
}

TEST(Clock, MonotonicNeverGoesBack) {
  int64_t previous = monotonic_now_ns();
  for (int i = 0; i < 1000; ++i) {
    const int64_t now = monotonic_now_ns();
    ASSERT_GE(now, previous);
    previous = now;
  }
}

TEST(Clock, RealtimeIsTheWallClock) {
  const int64_t wall_seconds = static_cast<int64_t>(std::time(nullptr));
  EXPECT_NEAR(static_cast<double>(realtime_now_ns() / kNanosecondsPerSecond), static_cast<double>(wall_seconds), 1.0);
}

}  // namespace
}  // namespace mcr
