// Log-linear latency histogram: bucket arithmetic and percentile walk.
#include "common/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace mcr::tools {

std::size_t LatencyHistogram::bucket_index(uint64_t value) {
  if (value < kSubBuckets) return static_cast<std::size_t>(value);
  const unsigned top_bit = 63u - static_cast<unsigned>(std::countl_zero(value));
  const unsigned shift = top_bit - kSubBucketBits;
  const uint64_t sub_bucket = (value >> shift) - kSubBuckets;
  return static_cast<std::size_t>(kSubBuckets + uint64_t{shift} * kSubBuckets + sub_bucket);
}

uint64_t LatencyHistogram::bucket_lowest(std::size_t index) {
  if (index < kSubBuckets) return index;
  const uint64_t shift = (index - kSubBuckets) / kSubBuckets;
  const uint64_t mantissa = (index - kSubBuckets) % kSubBuckets + kSubBuckets;
  return mantissa << shift;
}

uint64_t LatencyHistogram::bucket_width(std::size_t index) {
  if (index < kSubBuckets) return 1;
  return uint64_t{1} << ((index - kSubBuckets) / kSubBuckets);
}

void LatencyHistogram::record(int64_t latency_ns) {
  if (latency_ns < 0) {
    ++negative_;
    latency_ns = 0;
  }
  ++buckets_[bucket_index(static_cast<uint64_t>(latency_ns))];
  ++count_;
  max_ = std::max(max_, latency_ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  negative_ += other.negative_;
  max_ = std::max(max_, other.max_);
}

int64_t LatencyHistogram::percentile_ns(double p) const {
  if (count_ == 0) return 0;
  const double clamped = std::clamp(p, 0.0, 100.0);
  auto rank = static_cast<uint64_t>(std::ceil(clamped / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      const uint64_t highest = bucket_lowest(i) + bucket_width(i) - 1;
      return std::min(static_cast<int64_t>(highest), max_);
    }
  }
  return max_;
}

}  // namespace mcr::tools
