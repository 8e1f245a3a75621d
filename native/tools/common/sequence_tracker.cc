// Sequence accounting: per-datagram bookkeeping is O(1); the gap scan runs once, at the report.
#include "common/sequence_tracker.h"

#include <algorithm>
#include <bit>

namespace mcr::tools {

SequenceTracker::Arrival SequenceTracker::record(uint64_t sequence) {
  switch (seen_.test_and_set(sequence)) {
    case SequenceBitmap::Mark::untracked:
      ++untracked_;
      return Arrival::untracked;
    case SequenceBitmap::Mark::already_set:
      ++received_;
      ++duplicates_;
      return Arrival::duplicate;
    case SequenceBitmap::Mark::first_time:
      break;
  }
  ++received_;
  ++unique_;
  if (!any_) {
    any_ = true;
    lowest_ = highest_ = sequence;
    return Arrival::in_order;
  }
  lowest_ = std::min(lowest_, sequence);
  if (sequence < highest_) {
    ++reordered_;
    return Arrival::reordered;
  }
  highest_ = sequence;
  return Arrival::in_order;
}

SequenceSummary SequenceTracker::summarize(std::optional<uint64_t> expect) const {
  SequenceSummary summary;
  summary.any = any_;
  summary.received = received_;
  summary.unique = unique_;
  summary.lowest = lowest_;
  summary.highest = highest_;
  summary.duplicates = duplicates_;
  summary.reordered = reordered_;
  summary.untracked = untracked_;
  const uint64_t expected = expect.value_or(0);
  if (!any_) {
    summary.lost = expected;
    summary.longest_gap = expected;
    return summary;
  }
  const uint64_t base = start_ ? std::min(*start_, lowest_) : lowest_;
  const uint64_t expected_start = start_.value_or(lowest_);
  uint64_t end = highest_;
  if (expected > 0) end = std::max(end, expected_start + (expected - 1));
  summary.lost = (end - base + 1) - unique_;
  summary.longest_gap = longest_missing_run(base, end);
  return summary;
}

// Walks the set bits in ascending order; a full word is one present run of 64.
uint64_t SequenceTracker::longest_missing_run(uint64_t base, uint64_t end) const {
  uint64_t longest = 0;
  uint64_t next = base;  // the number that would continue the current present run
  auto present = [&](uint64_t first, uint64_t count) {
    longest = std::max(longest, first - next);
    next = first + count;
  };
  for (const auto& [chunk_index, chunk] : seen_.sorted_chunks()) {
    const uint64_t chunk_first = chunk_index * SequenceBitmap::kBitsPerChunk;
    for (uint64_t w = 0; w < SequenceBitmap::kWordsPerChunk; ++w) {
      uint64_t word = (*chunk)[w];
      const uint64_t word_first = chunk_first + w * 64;
      if (word == ~uint64_t{0}) {
        present(word_first, 64);
        continue;
      }
      while (word != 0) {
        present(word_first + static_cast<uint64_t>(std::countr_zero(word)), 1);
        word &= word - 1;
      }
    }
  }
  if (next <= end) longest = std::max(longest, end - next + 1);
  return longest;
}

}  // namespace mcr::tools
