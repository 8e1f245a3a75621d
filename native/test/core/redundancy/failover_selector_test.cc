// Failover timing on a fake clock: the switch after lossMs of silence, staying on the backup
// without revertMs, reverting after revertMs of a live primary, and no flapping on short gaps.
#include "core/redundancy/failover_selector.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace mcr {
namespace {

constexpr int64_t kMs = 1'000'000;

// Both legs deliver a datagram every millisecond from `from` to `to` (exclusive), unless muted.
struct Feed {
  FailoverSelector& selector;
  int forwarded[2] = {0, 0};
  int64_t first_forwarded_on_1 = -1;

  void run(int64_t from, int64_t to, bool leg0, bool leg1) {
    for (int64_t t = from; t < to; t += kMs) {
      for (unsigned leg = 0; leg < 2; ++leg) {
        if ((leg == 0 && !leg0) || (leg == 1 && !leg1)) continue;
        if (!selector.admit(leg, t)) continue;
        ++forwarded[leg];
        if (leg == 1 && first_forwarded_on_1 < 0) first_forwarded_on_1 = t;
      }
    }
  }
};

TEST(FailoverSelector, ForwardsOnlyThePrimaryWhileItIsAlive) {
  FailoverSelector selector(100 * kMs, 0, 0);
  Feed feed{selector};
  feed.run(0, 1'000 * kMs, true, true);
  EXPECT_EQ(feed.forwarded[0], 1'000);
  EXPECT_EQ(feed.forwarded[1], 0);
  EXPECT_EQ(selector.active(), 0u);
}

TEST(FailoverSelector, SwitchesToTheOtherLegAfterLossMsOfSilence) {
  FailoverSelector selector(100 * kMs, 0, 0);
  Feed feed{selector};
  feed.run(0, 500 * kMs, true, true);
  feed.run(500 * kMs, 1'000 * kMs, false, true);  // the primary's last datagram was at 499 ms
  EXPECT_EQ(selector.active(), 1u);
  EXPECT_EQ(feed.first_forwarded_on_1, 599 * kMs);  // 100 ms after the last primary datagram
}

TEST(FailoverSelector, StaysOnTheBackupWhenRevertIsOff) {
  FailoverSelector selector(100 * kMs, 0, 0);
  Feed feed{selector};
  feed.run(0, 100 * kMs, true, true);
  feed.run(100 * kMs, 300 * kMs, false, true);
  feed.run(300 * kMs, 5'000 * kMs, true, true);
  EXPECT_EQ(selector.active(), 1u);
}

TEST(FailoverSelector, RevertsAfterThePrimaryHasBeenAliveRevertMs) {
  FailoverSelector selector(100 * kMs, 1'000 * kMs, 0);
  Feed feed{selector};
  feed.run(0, 100 * kMs, true, true);
  feed.run(100 * kMs, 300 * kMs, false, true);
  ASSERT_EQ(selector.active(), 1u);
  feed.run(300 * kMs, 1'299 * kMs, true, true);  // alive since 300 ms: not long enough yet
  EXPECT_EQ(selector.active(), 1u);
  feed.run(1'299 * kMs, 1'301 * kMs, true, true);
  EXPECT_EQ(selector.active(), 0u);
}

TEST(FailoverSelector, AShortGapBelowLossMsSwitchesNothing) {
  FailoverSelector selector(100 * kMs, 0, 0);
  Feed feed{selector};
  feed.run(0, 100 * kMs, true, true);
  feed.run(100 * kMs, 199 * kMs, false, true);
  feed.run(199 * kMs, 400 * kMs, true, true);
  EXPECT_EQ(selector.active(), 0u);
  EXPECT_EQ(feed.forwarded[1], 0);
}

TEST(FailoverSelector, FallsBackToThePrimaryWhenTheBackupDiesToo) {
  FailoverSelector selector(100 * kMs, 0, 0);
  Feed feed{selector};
  feed.run(0, 100 * kMs, true, true);
  feed.run(100 * kMs, 300 * kMs, false, true);
  ASSERT_EQ(selector.active(), 1u);
  feed.run(300 * kMs, 600 * kMs, true, false);
  EXPECT_EQ(selector.active(), 0u);
}

}  // namespace
}  // namespace mcr
