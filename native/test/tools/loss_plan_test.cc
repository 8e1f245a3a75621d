// mcrgen's A/B loss patterns: the random losses of the two legs are disjoint by construction,
// near their rates, reproducible, grouped in bursts, and an outage drops its whole window.
#include "common/loss_plan.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace mcr::tools {
namespace {

constexpr int64_t kMs = 1'000'000;

TEST(ToolsLossPlan, TenPercentOnEachLegNeverHitsTheSameDatagram) {
  LegLoss loss;
  loss.rate = 0.1;
  const LossPlan a(loss, 1, LossPlan::Side::low);
  const LossPlan b(loss, 1, LossPlan::Side::high);
  uint64_t lost_a = 0, lost_b = 0, both = 0;
  for (uint64_t i = 0; i < 100'000; ++i) {
    const bool on_a = a.drops(i, 0);
    const bool on_b = b.drops(i, 0);
    lost_a += on_a;
    lost_b += on_b;
    both += on_a && on_b;
  }
  EXPECT_EQ(both, 0u);
  EXPECT_NEAR(static_cast<double>(lost_a), 10'000, 500);
  EXPECT_NEAR(static_cast<double>(lost_b), 10'000, 500);
}

TEST(ToolsLossPlan, TheSameSeedGivesTheSameLossesAndAnotherSeedOthers) {
  LegLoss loss;
  loss.rate = 0.3;
  const LossPlan first(loss, 5, LossPlan::Side::low);
  const LossPlan again(loss, 5, LossPlan::Side::low);
  const LossPlan other(loss, 6, LossPlan::Side::low);
  int same = 0, differ = 0;
  for (uint64_t i = 0; i < 1'000; ++i) {
    same += first.drops(i, 0) == again.drops(i, 0);
    differ += first.drops(i, 0) != other.drops(i, 0);
  }
  EXPECT_EQ(same, 1'000);
  EXPECT_GT(differ, 100);
}

TEST(ToolsLossPlan, BurstsDropRunsOfTheirLength) {
  LegLoss loss;
  loss.rate = 0.2;
  loss.burst = 8;
  const LossPlan plan(loss, 1, LossPlan::Side::low);
  for (uint64_t block = 0; block < 1'000; ++block) {
    const bool first = plan.drops(block * 8, 0);
    for (uint64_t i = 1; i < 8; ++i) ASSERT_EQ(plan.drops(block * 8 + i, 0), first) << "block " << block;
  }
}

TEST(ToolsLossPlan, AnOutageDropsExactlyItsWindow) {
  LegLoss loss;
  loss.outage_from_ns = 500 * kMs;
  loss.outage_ns = 1'000 * kMs;
  const LossPlan plan(loss, 1, LossPlan::Side::low);
  EXPECT_FALSE(plan.drops(0, 499 * kMs));
  EXPECT_TRUE(plan.drops(0, 500 * kMs));
  EXPECT_TRUE(plan.drops(0, 1'499 * kMs));
  EXPECT_FALSE(plan.drops(0, 1'500 * kMs));
}

}  // namespace
}  // namespace mcr::tools
