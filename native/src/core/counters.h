// Live counters of relays and outputs. Each has one writer (the owning worker), so an increment
// is a relaxed load + store (no read-modify-write, no lock); readers snapshot them on demand.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

#include "generated/contract.h"

namespace mcr {

inline constexpr size_t kCacheLineBytes = 64;

// A counter written by one thread and read by any. Not safe with two writers.
class Counter {
 public:
  void add(uint64_t amount) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
  }
  void raise_to(uint64_t candidate) noexcept {
    if (candidate > value_.load(std::memory_order_relaxed)) value_.store(candidate, std::memory_order_relaxed);
  }
  uint64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A time stamp (ns) written by one thread and read by any.
class Timestamp {
 public:
  void set(int64_t ns) noexcept { value_.store(ns, std::memory_order_relaxed); }
  int64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// A value computed elsewhere by the one writer (an analyzer's running total, a level such as
// jitter) and published whole; it may go down. Read by any thread.
class Gauge {
 public:
  void set(uint64_t value) noexcept { value_.store(value, std::memory_order_relaxed); }
  uint64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// Send failures by errno: a few slots claimed by the first errno values seen, then one slot for
// any other value (reported as errno 0). A relay rarely sees more than two or three distinct errors.
class ErrnoCounters {
 public:
  static constexpr size_t kSlots = 8;
  static constexpr int kOtherErrno = 0;

  void add(int err, uint64_t amount = 1) noexcept;
  uint64_t total() const noexcept;
  std::vector<std::pair<int, uint64_t>> snapshot() const;  // (errno, count), nonzero counts only

 private:
  std::array<std::atomic<int>, kSlots> codes_{};  // 0 = slot free; written once, before its count
  std::array<Counter, kSlots> counts_{};
  Counter other_;
};

// The counters themselves are the contract's (MCR_RELAY_COUNTERS / MCR_OUTPUT_COUNTERS, from
// generated/contract.h): a new counter is declared there and only incremented here in the core.
#define MCR_DECLARE_LIVE_COUNTER(member, name, Live) Live member;

struct alignas(kCacheLineBytes) RelayCounters {
  MCR_RELAY_COUNTERS(MCR_DECLARE_LIVE_COUNTER)
  Timestamp last_packet_unix_ns;
};

struct alignas(kCacheLineBytes) OutputCounters {
  MCR_OUTPUT_COUNTERS(MCR_DECLARE_LIVE_COUNTER)
  Timestamp last_packet_unix_ns;
};

// One input leg of a redundant relay (core/redundancy): written by the relay's worker only.
struct alignas(kCacheLineBytes) LegCounters {
  MCR_LEG_COUNTERS(MCR_DECLARE_LIVE_COUNTER)
  Timestamp last_packet_monotonic_ns;  // 0 = never received
};

#undef MCR_DECLARE_LIVE_COUNTER

// The count a snapshot reports for a live counter of either kind.
inline uint64_t count_of(const Counter& counter) noexcept {
  return counter.get();
}
inline uint64_t count_of(const Gauge& gauge) noexcept {
  return gauge.get();
}
inline uint64_t count_of(const ErrnoCounters& counters) noexcept {
  return counters.total();
}

}  // namespace mcr
