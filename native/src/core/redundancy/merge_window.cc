// A fixed table of buckets: a key lives in one of two buckets chosen by two parts of its hash;
// a new key goes to the bucket with more room (free or expired entries: "two choices" keep the
// buckets evenly filled) and takes its oldest entry.
#include "core/redundancy/merge_window.h"

#include <algorithm>

namespace mcr {

namespace {
constexpr unsigned kBuckets = MergeWindow::kEntries / MergeWindow::kBucketEntries;
}  // namespace

MergeWindow::MergeWindow(int64_t window_ns) : window_ns_(window_ns), buckets_(new Bucket[kBuckets]()) {}

MergeWindow::Admission MergeWindow::admit(uint64_t key, unsigned leg, int64_t now_ns) noexcept {
  // Keys arrive hashed (DatagramKeyer), so both halves index the buckets evenly.
  const unsigned first = static_cast<unsigned>(key) % kBuckets;
  unsigned second = static_cast<unsigned>(key >> 32) % kBuckets;
  if (second == first) second = first ^ 1u;
  Bucket* const buckets[2] = {&buckets_[first], &buckets_[second]};
  __builtin_prefetch(buckets[1]);  // both misses overlap instead of following each other
  Room rooms[2] = {};
  for (unsigned side = 0; side < 2; ++side) {
    Entry* bucket = buckets[side]->entries;
    for (unsigned slot = 0; slot < kBucketEntries; ++slot) {
      Entry& entry = bucket[slot];
      const int64_t arrival_ns = entry.arrival_ns & ~kFlagBits;
      if (entry.arrival_ns != 0 && entry.key == key) {
        if (now_ns - arrival_ns > window_ns_) return {Verdict::too_late, -1};
        if ((entry.arrival_ns & kLegBit) != static_cast<int64_t>(leg)) entry.arrival_ns |= kBothBit;
        return {Verdict::duplicate, -1};
      }
      rooms[side].note(entry, arrival_ns, now_ns - arrival_ns > window_ns_);
    }
  }
  Entry* victim = rooms[1].free > rooms[0].free ? rooms[1].oldest : rooms[0].oldest;
  Admission admission;
  if (victim->arrival_ns != 0 && (victim->arrival_ns & kBothBit) == 0) {
    admission.single_leg_evicted = static_cast<int>(victim->arrival_ns & kLegBit);
  }
  victim->key = key;
  victim->arrival_ns = (now_ns & ~kFlagBits) | static_cast<int64_t>(leg & 1u);
  if (victim->arrival_ns == 0) victim->arrival_ns = kFlagBits + 1;  // a clock at 0 must not read as free
  return admission;
}

void MergeWindow::clear() noexcept {
  std::fill(buckets_.get(), buckets_.get() + kBuckets, Bucket{});
}

// A free entry reads as arrival 0, so it is the oldest; expired entries are older than live ones.
void MergeWindow::Room::note(Entry& entry, int64_t arrival_ns, bool expired) noexcept {
  if (entry.arrival_ns == 0 || expired) ++free;
  if (oldest == nullptr || arrival_ns < oldest_arrival_ns) {
    oldest = &entry;
    oldest_arrival_ns = arrival_ns;
  }
}

}  // namespace mcr
