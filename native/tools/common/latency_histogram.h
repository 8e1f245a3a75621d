// Fixed log-linear histogram of one-way latencies in nanoseconds: recording is one array
// increment (no allocation), percentiles are exact to within one bucket (1/64 of the value).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace mcr::tools {

class LatencyHistogram {
 public:
  // 64 linear sub-buckets per power of two: a bucket is at most 1/64 (1.6 %) of its values wide.
  static constexpr unsigned kSubBucketBits = 6;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBucketBits;
  // Values below kSubBuckets get a bucket each; each of the remaining 64 - 6 powers gets 64.
  static constexpr std::size_t kBuckets = kSubBuckets + (64 - kSubBucketBits) * kSubBuckets;

  // Negative latencies (sender clock ahead of ours) are counted apart and recorded as 0.
  void record(int64_t latency_ns);
  void merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  uint64_t negative_count() const { return negative_; }
  int64_t max_ns() const { return max_; }
  // The value at percentile p (0 < p <= 100): the highest value of the bucket holding that rank,
  // never above the true maximum. 0 when nothing was recorded.
  int64_t percentile_ns(double p) const;

  static std::size_t bucket_index(uint64_t value);
  static uint64_t bucket_lowest(std::size_t index);
  static uint64_t bucket_width(std::size_t index);

 private:
  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  uint64_t negative_ = 0;
  int64_t max_ = 0;
};

}  // namespace mcr::tools
