// Unit tests of mcrgen's absolute send schedule: due counts, due times, exact --duration counts,
// and no overflow on long, fast runs.
#include "common/pacer.h"

#include <gtest/gtest.h>

#include <random>

namespace mcr::tools {
namespace {

TEST(ToolsPacer, FirstDatagramIsDueAtStart) {
  const Pacer pacer(1000);
  EXPECT_EQ(pacer.due_by(0), 1u);
  EXPECT_EQ(pacer.due_by(999'999), 1u);
  EXPECT_EQ(pacer.due_by(1'000'000), 2u);
  EXPECT_EQ(pacer.due_by(1'000'000'000), 1001u);
  EXPECT_EQ(pacer.due_by(-5), 0u);
}

TEST(ToolsPacer, SleepingUntilDueTimeMakesThatDatagramDue) {
  std::mt19937_64 random(3);
  for (const uint64_t rate : {1ULL, 3ULL, 7ULL, 20'000ULL, 299'993ULL, 100'000'000ULL}) {
    const Pacer pacer(rate);
    for (int i = 0; i < 1000; ++i) {
      const uint64_t index = random() % (rate * 3600);
      const int64_t due_at = pacer.due_at_ns(index);
      ASSERT_GT(pacer.due_by(due_at), index) << "rate " << rate << " index " << index;
      ASSERT_LE(pacer.due_by(due_at - 1), index) << "rate " << rate << " index " << index;
    }
  }
}

TEST(ToolsPacer, DurationGivesAnExactCount) {
  EXPECT_EQ(Pacer(300'000).count_within(5'000'000'000), 1'500'000u);
  EXPECT_EQ(Pacer(3).count_within(1'000'000'000), 3u);
  EXPECT_EQ(Pacer(3).count_within(1'000'000'001), 4u);
  EXPECT_EQ(Pacer(1000).count_within(1'500'000), 2u);  // due at 0 and 1 ms
  EXPECT_EQ(Pacer(1000).count_within(0), 0u);
}

TEST(ToolsPacer, LongFastRunDoesNotOverflowOrDrift) {
  const Pacer pacer(100'000'000);
  constexpr int64_t kOneDayNs = 86'400LL * 1'000'000'000LL;
  EXPECT_EQ(pacer.due_by(kOneDayNs), 8'640'000'000'000ULL + 1);
  EXPECT_EQ(pacer.due_at_ns(8'640'000'000'000ULL), kOneDayNs);
}

TEST(ToolsPacer, RateZeroIsUnlimited) {
  const Pacer pacer(0);
  EXPECT_EQ(pacer.due_by(0), Pacer::kUnlimited);
  EXPECT_EQ(pacer.count_within(1'000'000'000), Pacer::kUnlimited);
}

}  // namespace
}  // namespace mcr::tools
