// Unit tests of the log-linear latency histogram: bucket arithmetic and percentiles against a
// sorted reference, within one bucket's width.
#include "common/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace mcr::tools {
namespace {

TEST(ToolsLatencyHistogram, BucketsTileTheValueRangeWithoutGaps) {
  constexpr auto kInt64Max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  for (std::size_t i = 0; i + 1 < LatencyHistogram::kBuckets; ++i) {
    const uint64_t lowest = LatencyHistogram::bucket_lowest(i);
    if (lowest > kInt64Max / 2) break;
    const uint64_t highest = lowest + LatencyHistogram::bucket_width(i) - 1;
    ASSERT_EQ(LatencyHistogram::bucket_index(lowest), i);
    ASSERT_EQ(LatencyHistogram::bucket_index(highest), i);
    ASSERT_EQ(LatencyHistogram::bucket_lowest(i + 1), highest + 1);
    // Exact below 64 ns; above, a bucket is at most 1/64 of the values it holds.
    const uint64_t width = LatencyHistogram::bucket_width(i);
    ASSERT_TRUE(lowest < LatencyHistogram::kSubBuckets ? width == 1 : width * LatencyHistogram::kSubBuckets <= lowest);
  }
  EXPECT_LT(LatencyHistogram::bucket_index(kInt64Max), LatencyHistogram::kBuckets);
}

TEST(ToolsLatencyHistogram, PercentilesMatchSortedReferenceWithinBucketWidth) {
  std::mt19937_64 random(7);
  std::lognormal_distribution<double> latency_us(3.0, 1.2);  // ~20 us median, long tail
  LatencyHistogram histogram;
  std::vector<int64_t> values;
  for (int i = 0; i < 100'000; ++i) {
    const auto ns = static_cast<int64_t>(latency_us(random) * 1000.0);
    values.push_back(ns);
    histogram.record(ns);
  }
  std::sort(values.begin(), values.end());
  for (const double p : {1.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    const int64_t reference = values[rank - 1];
    const auto width = static_cast<int64_t>(
        LatencyHistogram::bucket_width(LatencyHistogram::bucket_index(static_cast<uint64_t>(reference))));
    const int64_t reported = histogram.percentile_ns(p);
    EXPECT_GE(reported, reference) << "p" << p;
    EXPECT_LT(reported, reference + width) << "p" << p;
    EXPECT_LE(std::abs(reported - reference) * 64, std::max<int64_t>(reference, 64) * 2) << "p" << p;
  }
  EXPECT_EQ(histogram.max_ns(), values.back());
  EXPECT_EQ(histogram.percentile_ns(100), values.back());
  EXPECT_EQ(histogram.count(), values.size());
}

TEST(ToolsLatencyHistogram, NegativeLatencyIsCountedApartAsZero) {
  LatencyHistogram histogram;
  histogram.record(-500);
  histogram.record(-1);
  EXPECT_EQ(histogram.negative_count(), 2u);
  EXPECT_EQ(histogram.count(), 2u);
  EXPECT_EQ(histogram.percentile_ns(50), 0);
}

TEST(ToolsLatencyHistogram, EmptyHistogramReportsZero) {
  const LatencyHistogram histogram;
  EXPECT_EQ(histogram.percentile_ns(50), 0);
  EXPECT_EQ(histogram.percentile_ns(99), 0);
  EXPECT_EQ(histogram.max_ns(), 0);
}

TEST(ToolsLatencyHistogram, MergeCombinesCountsAndMaximum) {
  LatencyHistogram fast, slow;
  for (int i = 0; i < 99; ++i) fast.record(1000);
  slow.record(5'000'000);
  slow.record(-3);
  fast.merge(slow);
  EXPECT_EQ(fast.count(), 101u);
  EXPECT_EQ(fast.negative_count(), 1u);
  EXPECT_EQ(fast.max_ns(), 5'000'000);
  EXPECT_EQ(fast.percentile_ns(50), 1007);  // 1000 sits in the 8 ns wide bucket 1000..1007
  EXPECT_EQ(fast.percentile_ns(100), 5'000'000);
}

}  // namespace
}  // namespace mcr::tools
