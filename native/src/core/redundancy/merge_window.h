// The dedup window of a merging relay: which datagram keys were forwarded in the last windowMs,
// and from which leg. Fixed size (kEntries x 16 bytes = 1 MiB per relay), allocated once, no
// allocation and no lock per datagram: the relay's worker is its only user. A lookup touches two
// cache lines (two buckets), fetched together. Time is passed in
// (CLOCK_MONOTONIC ns in the engine, any clock in tests).
#pragma once

#include <cstdint>
#include <memory>

namespace mcr {

class MergeWindow {
 public:
  // Lossless while rate x windowMs stays inside half the table (<= kEntries / 2 keys alive: 50 ms
  // at 650k datagrams/s, 1 s at 32k/s); past that, an entry may leave before its window ends and
  // its late copy is forwarded again. A key is looked for in 2 buckets of kBucketEntries.
  static constexpr unsigned kEntries = 1u << 16;
  static constexpr unsigned kBucketEntries = 4;  // 64 bytes: one cache line per bucket

  enum class Verdict { first, duplicate, too_late };

  struct Admission {
    Verdict verdict = Verdict::first;
    // A forwarded key left the table without its copy ever coming on the other leg: that leg's
    // index (the leg that alone brought it), else -1. Feeds onlyThisLeg.
    int single_leg_evicted = -1;
  };

  explicit MergeWindow(int64_t window_ns);

  // The first copy of `key` is recorded (forward it); a copy within window_ns of the first is a
  // duplicate; a copy of a key still in the table but older than that is too late (drop both).
  Admission admit(uint64_t key, unsigned leg, int64_t now_ns) noexcept;

  int64_t window_ns() const noexcept { return window_ns_; }
  void set_window_ns(int64_t window_ns) noexcept { window_ns_ = window_ns; }
  void clear() noexcept;  // forgets every key

 private:
  // arrival_ns carries the first copy's leg in bit 0 and "the other leg brought it too" in bit 1
  // (nanoseconds that fine are never needed); 0 = a free entry.
  struct Entry {
    uint64_t key = 0;
    int64_t arrival_ns = 0;
  };
  struct alignas(64) Bucket {
    Entry entries[kBucketEntries];
  };
  static constexpr int64_t kLegBit = 1;
  static constexpr int64_t kBothBit = 2;
  static constexpr int64_t kFlagBits = kLegBit | kBothBit;

  // One bucket as admit() sees it: how many entries are free or expired, and the oldest one.
  struct Room {
    unsigned free = 0;
    Entry* oldest = nullptr;
    int64_t oldest_arrival_ns = 0;
    void note(Entry& entry, int64_t arrival_ns, bool expired) noexcept;
  };

  int64_t window_ns_;
  std::unique_ptr<Bucket[]> buckets_;
};

}  // namespace mcr
