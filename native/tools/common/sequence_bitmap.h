// Sparse bitmap of the sequence numbers seen on one stream: exact duplicate detection over the
// whole run, in fixed-size chunks allocated only when the sequence enters a new chunk.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace mcr::tools {

class SequenceBitmap {
 public:
  // 32768 sequence numbers per chunk (4 KiB): a dense stream allocates once every 32768 packets.
  static constexpr uint64_t kBitsPerChunk = 32768;
  static constexpr uint64_t kWordsPerChunk = kBitsPerChunk / 64;
  // Bound on memory (65536 chunks = 256 MiB, 2^31 dense sequence numbers): a stream of random
  // sequence numbers cannot exhaust the machine. Beyond it, test_and_set reports `untracked`.
  static constexpr std::size_t kMaxChunks = 65536;

  using Chunk = std::array<uint64_t, kWordsPerChunk>;
  enum class Mark { first_time, already_set, untracked };

  Mark test_and_set(uint64_t sequence);
  bool test(uint64_t sequence) const;
  std::size_t chunk_count() const { return chunks_.size(); }

  // Chunk indexes in ascending order, with their bits (for the end-of-run gap scan).
  std::vector<std::pair<uint64_t, const Chunk*>> sorted_chunks() const;

 private:
  Chunk* chunk_for(uint64_t chunk_index, bool create);

  std::unordered_map<uint64_t, std::unique_ptr<Chunk>> chunks_;
  // Consecutive datagrams almost always land in the chunk of the previous one: skip the hash.
  uint64_t cached_index_ = 0;
  Chunk* cached_chunk_ = nullptr;
};

}  // namespace mcr::tools
