// Sparse sequence bitmap: chunk lookup with a one-entry cache, set/test, sorted walk.
#include "common/sequence_bitmap.h"

#include <algorithm>

namespace mcr::tools {

SequenceBitmap::Chunk* SequenceBitmap::chunk_for(uint64_t chunk_index, bool create) {
  if (cached_chunk_ != nullptr && cached_index_ == chunk_index) return cached_chunk_;
  auto found = chunks_.find(chunk_index);
  if (found == chunks_.end()) {
    if (!create || chunks_.size() >= kMaxChunks) return nullptr;
    found = chunks_.emplace(chunk_index, std::make_unique<Chunk>()).first;
    found->second->fill(0);
  }
  cached_index_ = chunk_index;
  cached_chunk_ = found->second.get();
  return cached_chunk_;
}

SequenceBitmap::Mark SequenceBitmap::test_and_set(uint64_t sequence) {
  Chunk* chunk = chunk_for(sequence / kBitsPerChunk, true);
  if (chunk == nullptr) return Mark::untracked;
  const uint64_t bit = sequence % kBitsPerChunk;
  uint64_t& word = (*chunk)[bit / 64];
  const uint64_t mask = uint64_t{1} << (bit % 64);
  if ((word & mask) != 0) return Mark::already_set;
  word |= mask;
  return Mark::first_time;
}

bool SequenceBitmap::test(uint64_t sequence) const {
  auto found = chunks_.find(sequence / kBitsPerChunk);
  if (found == chunks_.end()) return false;
  const uint64_t bit = sequence % kBitsPerChunk;
  return ((*found->second)[bit / 64] >> (bit % 64) & 1) != 0;
}

std::vector<std::pair<uint64_t, const SequenceBitmap::Chunk*>> SequenceBitmap::sorted_chunks() const {
  std::vector<std::pair<uint64_t, const Chunk*>> sorted;
  sorted.reserve(chunks_.size());
  for (const auto& [index, chunk] : chunks_) sorted.emplace_back(index, chunk.get());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return sorted;
}

}  // namespace mcr::tools
