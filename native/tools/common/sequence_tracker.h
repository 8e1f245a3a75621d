// Per-stream sequence accounting for mcrsink: loss, exact duplicates, reordering and the longest
// run of missing sequence numbers, from the sequence numbers in the MCR payload header.
#pragma once

#include <cstdint>
#include <optional>

#include "common/sequence_bitmap.h"

namespace mcr::tools {

struct SequenceSummary {
  bool any = false;          // at least one datagram was recorded
  uint64_t received = 0;     // datagrams recorded, duplicates included
  uint64_t unique = 0;       // distinct sequence numbers
  uint64_t lowest = 0;       // lowest sequence number seen
  uint64_t highest = 0;      // highest sequence number seen
  uint64_t lost = 0;         // missing numbers from the base to max(highest, base + expect - 1)
  uint64_t duplicates = 0;   // datagrams whose sequence number had already arrived
  uint64_t reordered = 0;    // first arrivals of a number lower than one already seen
  uint64_t longest_gap = 0;  // longest run of consecutive missing sequence numbers
  uint64_t untracked = 0;    // datagrams beyond the bitmap's memory bound (not accounted)
};

class SequenceTracker {
 public:
  enum class Arrival { in_order, reordered, duplicate, untracked };

  // start: the first sequence number the sender used (mcrgen --start-seq, 0 by default); numbers
  // missing between it and the highest seen are lost. nullopt counts from the lowest number seen,
  // for a sink joined to a stream that was already running.
  explicit SequenceTracker(std::optional<uint64_t> start) : start_(start) {}

  Arrival record(uint64_t sequence);

  // expect: datagrams the sender sent from the base, so that a lost tail counts as lost too.
  SequenceSummary summarize(std::optional<uint64_t> expect) const;

 private:
  uint64_t longest_missing_run(uint64_t base, uint64_t end) const;

  std::optional<uint64_t> start_;
  SequenceBitmap seen_;
  bool any_ = false;
  uint64_t received_ = 0;
  uint64_t unique_ = 0;
  uint64_t lowest_ = 0;
  uint64_t highest_ = 0;
  uint64_t duplicates_ = 0;
  uint64_t reordered_ = 0;
  uint64_t untracked_ = 0;
};

}  // namespace mcr::tools
