// Unit tests of per-stream sequence accounting: loss, duplicates, reordering, gaps, tail loss,
// start offsets, huge jumps and a large shuffled run checked against a plain reference.
#include "common/sequence_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace mcr::tools {
namespace {

SequenceSummary feed(std::initializer_list<uint64_t> sequences, std::optional<uint64_t> start = 0,
                     std::optional<uint64_t> expect = std::nullopt) {
  SequenceTracker tracker(start);
  for (const uint64_t s : sequences) tracker.record(s);
  return tracker.summarize(expect);
}

TEST(ToolsSequenceTracker, InOrderStreamHasNoLoss) {
  const auto summary = feed({0, 1, 2, 3, 4});
  EXPECT_EQ(summary.received, 5u);
  EXPECT_EQ(summary.lost, 0u);
  EXPECT_EQ(summary.duplicates, 0u);
  EXPECT_EQ(summary.reordered, 0u);
  EXPECT_EQ(summary.longest_gap, 0u);
  EXPECT_EQ(summary.lowest, 0u);
  EXPECT_EQ(summary.highest, 4u);
}

TEST(ToolsSequenceTracker, MissingNumbersAreLostAndTheLongestRunIsTheGap) {
  const auto summary = feed({0, 1, 2, 6, 7, 9});
  EXPECT_EQ(summary.lost, 4u);  // 3, 4, 5, 8
  EXPECT_EQ(summary.longest_gap, 3u);
}

TEST(ToolsSequenceTracker, LossBeforeTheFirstArrivalCountsFromStart) {
  EXPECT_EQ(feed({5, 6}).lost, 5u);
  EXPECT_EQ(feed({5, 6}).longest_gap, 5u);
  EXPECT_EQ(feed({105, 106}, 100).lost, 5u);
  EXPECT_EQ(feed({105, 106}, std::nullopt).lost, 0u);
}

TEST(ToolsSequenceTracker, ExactDuplicatesAreCountedAndNotLost) {
  const auto summary = feed({0, 1, 1, 2, 2, 2, 0});
  EXPECT_EQ(summary.received, 7u);
  EXPECT_EQ(summary.unique, 3u);
  EXPECT_EQ(summary.duplicates, 4u);
  EXPECT_EQ(summary.lost, 0u);
  EXPECT_EQ(summary.reordered, 0u);
}

TEST(ToolsSequenceTracker, LateArrivalsAreReorderedAndFillTheGap) {
  const auto summary = feed({0, 3, 1, 2, 4});
  EXPECT_EQ(summary.reordered, 2u);
  EXPECT_EQ(summary.lost, 0u);
  EXPECT_EQ(summary.longest_gap, 0u);
}

TEST(ToolsSequenceTracker, ExpectCountsALostTail) {
  const auto summary = feed({0, 1, 2, 3, 4}, 0, 10);
  EXPECT_EQ(summary.lost, 5u);
  EXPECT_EQ(summary.longest_gap, 5u);
  EXPECT_EQ(feed({100, 101}, 100, 5).lost, 3u);
  EXPECT_EQ(feed({7, 8}, std::nullopt, 5).lost, 3u);
}

TEST(ToolsSequenceTracker, ExpectSmallerThanReceivedAddsNothing) {
  EXPECT_EQ(feed({0, 1, 2, 3, 4}, 0, 3).lost, 0u);
}

TEST(ToolsSequenceTracker, NothingReceivedLosesEverythingExpected) {
  const SequenceTracker tracker(0);
  const auto summary = tracker.summarize(42);
  EXPECT_FALSE(summary.any);
  EXPECT_EQ(summary.lost, 42u);
  EXPECT_EQ(tracker.summarize(std::nullopt).lost, 0u);
}

TEST(ToolsSequenceTracker, HugeSequenceJumpIsCountedWithoutDenseMemory) {
  constexpr uint64_t kJump = 1'000'000'000'000ULL;
  const auto summary = feed({0, kJump, kJump + 1, kJump + 3});
  EXPECT_EQ(summary.lost, kJump);  // 1 .. kJump-1, and kJump+2
  EXPECT_EQ(summary.longest_gap, kJump - 1);
  EXPECT_EQ(summary.highest, kJump + 3);

  SequenceBitmap bitmap;
  bitmap.test_and_set(0);
  bitmap.test_and_set(kJump);
  bitmap.test_and_set(kJump + 1);
  EXPECT_EQ(bitmap.chunk_count(), 2u);
}

TEST(ToolsSequenceTracker, GapAcrossChunkBoundaryIsExact) {
  constexpr uint64_t kChunk = SequenceBitmap::kBitsPerChunk;
  SequenceTracker tracker(0);
  for (uint64_t s = 0; s < kChunk - 10; ++s) tracker.record(s);
  for (uint64_t s = kChunk + 20; s < 3 * kChunk; ++s) tracker.record(s);
  const auto summary = tracker.summarize(std::nullopt);
  EXPECT_EQ(summary.lost, 30u);
  EXPECT_EQ(summary.longest_gap, 30u);
}

// A large shuffled run with drops and duplicates, checked against a plain vector<bool> count.
TEST(ToolsSequenceTracker, LargeShuffledRunMatchesReference) {
  constexpr uint64_t kCount = 200'000;
  std::mt19937_64 random(12345);
  std::vector<uint64_t> arrivals;
  for (uint64_t s = 0; s < kCount; ++s) {
    if (random() % 100 == 0) continue;  // ~1 % lost
    arrivals.push_back(s);
    if (random() % 200 == 0) arrivals.push_back(s);  // ~0.5 % duplicated
  }
  for (std::size_t i = 0; i + 1 < arrivals.size(); i += 50) {
    const std::size_t later = std::min<std::size_t>(i + 1 + random() % 3, arrivals.size() - 1);
    std::swap(arrivals[i], arrivals[later]);  // a few datagrams overtake their predecessor
  }
  std::vector<bool> seen(kCount, false);
  uint64_t duplicates = 0;
  for (const uint64_t s : arrivals) {
    if (seen[s]) ++duplicates;
    seen[s] = true;
  }
  const uint64_t highest = *std::max_element(arrivals.begin(), arrivals.end());
  uint64_t lost = 0, run = 0, longest = 0;
  for (uint64_t s = 0; s <= highest; ++s) {
    run = seen[s] ? 0 : run + 1;
    lost += seen[s] ? 0 : 1;
    longest = std::max(longest, run);
  }

  SequenceTracker tracker(0);
  for (const uint64_t s : arrivals) tracker.record(s);
  const auto summary = tracker.summarize(std::nullopt);
  EXPECT_EQ(summary.received, arrivals.size());
  EXPECT_EQ(summary.duplicates, duplicates);
  EXPECT_EQ(summary.lost, lost);
  EXPECT_EQ(summary.longest_gap, longest);
  EXPECT_GT(summary.reordered, 0u);
  EXPECT_GT(lost, 1000u);
}

}  // namespace
}  // namespace mcr::tools
