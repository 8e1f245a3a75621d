// The merge window with an explicit clock: first copy, duplicate, too late, expiry, and the
// per-leg "only this leg" report when an entry leaves without its copy.
#include "core/redundancy/merge_window.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "core/redundancy/datagram_key.h"

namespace mcr {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kStart = 1'000 * kMs;

uint64_t key(uint64_t n) {
  return payload_hash(reinterpret_cast<const std::byte*>(&n), sizeof(n));
}

TEST(MergeWindow, ForwardsTheFirstCopyAndSuppressesTheOtherLegsCopyWithinTheWindow) {
  MergeWindow window(50 * kMs);
  EXPECT_EQ(window.admit(key(1), 0, kStart).verdict, MergeWindow::Verdict::first);
  EXPECT_EQ(window.admit(key(1), 1, kStart + 49 * kMs).verdict, MergeWindow::Verdict::duplicate);
  EXPECT_EQ(window.admit(key(2), 1, kStart + 49 * kMs).verdict, MergeWindow::Verdict::first);
}

TEST(MergeWindow, SuppressesACopyRepeatedOnTheSameLeg) {
  MergeWindow window(50 * kMs);
  window.admit(key(7), 0, kStart);
  EXPECT_EQ(window.admit(key(7), 0, kStart + kMs).verdict, MergeWindow::Verdict::duplicate);
}

TEST(MergeWindow, CallsACopyPastTheWindowTooLate) {
  MergeWindow window(50 * kMs);
  window.admit(key(3), 0, kStart);
  EXPECT_EQ(window.admit(key(3), 1, kStart + 51 * kMs).verdict, MergeWindow::Verdict::too_late);
}

TEST(MergeWindow, ReportsTheLegThatAloneBroughtAKeyWhenItsEntryIsReused) {
  MergeWindow window(1 * kMs);
  // Enough keys, well past the window, that every entry is reused at least once.
  int single_leg[2] = {0, 0};
  uint64_t n = 0;
  for (int64_t t = 0; t < 4; ++t) {
    for (unsigned i = 0; i < MergeWindow::kEntries; ++i, ++n) {
      const unsigned leg = n % 2 == 0 ? 0 : 1;
      const auto admission = window.admit(key(n), leg, kStart + t * 10 * kMs);
      if (admission.single_leg_evicted >= 0) ++single_leg[admission.single_leg_evicted];
    }
  }
  EXPECT_GT(single_leg[0], 0);
  EXPECT_GT(single_leg[1], 0);
}

TEST(MergeWindow, DoesNotReportAKeyBothLegsBrought) {
  MergeWindow window(1 * kMs);
  int reported = 0;
  uint64_t n = 0;
  for (int64_t t = 0; t < 3; ++t) {
    for (unsigned i = 0; i < MergeWindow::kEntries / 4; ++i, ++n) {
      const int64_t now = kStart + t * 10 * kMs;
      reported += window.admit(key(n), 0, now).single_leg_evicted >= 0 ? 1 : 0;
      reported += window.admit(key(n), 1, now).single_leg_evicted >= 0 ? 1 : 0;
    }
  }
  EXPECT_EQ(reported, 0);
}

TEST(MergeWindow, HoldsAWindowOfThirtyTwoThousandKeysWithoutForgettingOne) {
  MergeWindow window(1'000 * kMs);
  constexpr unsigned kKeys = MergeWindow::kEntries / 2;
  for (unsigned n = 0; n < kKeys; ++n) ASSERT_EQ(window.admit(key(n), 0, kStart).verdict, MergeWindow::Verdict::first);
  unsigned duplicates = 0;
  for (unsigned n = 0; n < kKeys; ++n) {
    duplicates += window.admit(key(n), 1, kStart + 999 * kMs).verdict == MergeWindow::Verdict::duplicate ? 1 : 0;
  }
  EXPECT_EQ(duplicates, kKeys);
}

}  // namespace
}  // namespace mcr
