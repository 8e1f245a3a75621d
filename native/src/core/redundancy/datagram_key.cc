// RTP header parsing, payload hashing and RTP sequence extension for the merge key.
#include "core/redundancy/datagram_key.h"

#include <cstring>

namespace mcr {

namespace {

constexpr size_t kRtpHeaderBytes = 12;
constexpr uint8_t kRtpVersion = 2;
constexpr uint64_t kSequenceCycle = 1u << 16;
constexpr uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t kSecrets[4] = {0xa0761d6478bd642fULL, 0xe7037ed1a0b428dbULL, 0x8ebc6af09c88c6e3ULL,
                                  0x589965cc75374cc3ULL};

uint32_t read_be32(const std::byte* bytes) noexcept {
  return (static_cast<uint32_t>(bytes[0]) << 24) | (static_cast<uint32_t>(bytes[1]) << 16) |
         (static_cast<uint32_t>(bytes[2]) << 8) | static_cast<uint32_t>(bytes[3]);
}

uint16_t read_be16(const std::byte* bytes) noexcept {
  return static_cast<uint16_t>((static_cast<unsigned>(bytes[0]) << 8) | static_cast<unsigned>(bytes[1]));
}

uint64_t load_word(const std::byte* bytes) noexcept {
  uint64_t word = 0;
  std::memcpy(&word, bytes, sizeof(word));
  return word;
}

uint64_t mix(uint64_t value) noexcept {
  value ^= value >> 33;
  value *= 0xFF51AFD7ED558CCDULL;
  value ^= value >> 33;
  value *= 0xC4CEB9FE1A85EC53ULL;
  value ^= value >> 33;
  return value;
}

// wyhash's folded multiply: one 64x64->128-bit multiply mixes 16 bytes.
__extension__ using Wide = unsigned __int128;

uint64_t fold(uint64_t a, uint64_t b) noexcept {
  const Wide product = static_cast<Wide>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

}  // namespace

std::optional<RtpHeader> parse_rtp(const std::byte* payload, size_t length) noexcept {
  if (length < kRtpHeaderBytes) return std::nullopt;
  const auto first = static_cast<uint8_t>(payload[0]);
  if ((first >> 6) != kRtpVersion) return std::nullopt;
  RtpHeader header;
  header.payload_type = static_cast<uint8_t>(payload[1]) & 0x7f;
  header.sequence = read_be16(payload + 2);
  header.timestamp = read_be32(payload + 4);
  header.ssrc = read_be32(payload + 8);
  return header;
}

// Four independent lanes take 64 bytes per round, so their multiplies overlap instead of waiting
// on each other: a 1,316-byte payload is 20 rounds and a short tail.
uint64_t payload_hash(const std::byte* payload, size_t length) noexcept {
  uint64_t lanes[4] = {length ^ kSecrets[0], kSecrets[1], kSecrets[2], kSecrets[3]};
  size_t offset = 0;
  for (; offset + 64 <= length; offset += 64) {
    for (int lane = 0; lane < 4; ++lane) {
      const std::byte* block = payload + offset + 16 * lane;
      lanes[lane] = fold(load_word(block) ^ kSecrets[lane], load_word(block + 8) ^ lanes[lane]);
    }
  }
  uint64_t hash = lanes[0] ^ lanes[1] ^ lanes[2] ^ lanes[3];
  for (; offset + 8 <= length; offset += 8) hash = fold(load_word(payload + offset) ^ kSecrets[1], hash ^ kMultiplier);
  if (offset < length) {
    uint64_t tail = 0;
    std::memcpy(&tail, payload + offset, length - offset);
    hash = fold(tail ^ kSecrets[2], hash ^ kMultiplier);
  }
  return mix(hash ^ length);
}

uint64_t SequenceExtender::extend(uint32_t ssrc, uint16_t sequence, uint64_t tick) noexcept {
  Source* slot = nullptr;
  Source* oldest = &sources_[0];
  for (Source& source : sources_) {
    if (source.used && source.ssrc == ssrc) {
      slot = &source;
      break;
    }
    if (!source.used || (oldest->used && source.last_tick < oldest->last_tick)) oldest = &source;
  }
  if (slot == nullptr) {
    *oldest = Source{ssrc, true, kSequenceCycle + sequence, tick};  // one cycle up: room to go back
    return oldest->highest;
  }
  slot->last_tick = tick;
  // The candidate in the highest's cycle, or the neighbouring cycle when that is nearer.
  const uint64_t cycle = slot->highest & ~(kSequenceCycle - 1);
  uint64_t extended = cycle | sequence;
  if (extended + kSequenceCycle / 2 < slot->highest) {
    extended += kSequenceCycle;
  } else if (extended > slot->highest + kSequenceCycle / 2 && extended >= kSequenceCycle) {
    extended -= kSequenceCycle;
  }
  if (extended > slot->highest) slot->highest = extended;
  return extended;
}

uint64_t DatagramKeyer::key_of(const std::byte* payload, size_t length) noexcept {
  if (key_ == RedundancyKey::rtp) {
    if (const auto rtp = parse_rtp(payload, length)) {
      const uint64_t extended = sequences_.extend(rtp->ssrc, rtp->sequence, ++tick_);
      return mix((static_cast<uint64_t>(rtp->ssrc) << 32) ^ extended);
    }
  }
  return payload_hash(payload, length);
}

}  // namespace mcr
