// How a datagram is recognised on both legs of a redundant relay: a 64-bit key from its RTP
// SSRC and extended sequence number (RFC 3550), or from a hash of its payload. Pure, no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/relay_spec.h"

namespace mcr {

struct RtpHeader {
  uint32_t ssrc = 0;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint8_t payload_type = 0;
};

// The fixed RTP header when the payload starts with one (12+ bytes, version 2), else nullopt.
std::optional<RtpHeader> parse_rtp(const std::byte* payload, size_t length) noexcept;

// A 64-bit hash of the bytes, 8 at a time (multiply-xorshift); not cryptographic: equal payloads
// on both legs give equal hashes, and two different payloads inside one window collide with
// probability ~ entries / 2^64.
uint64_t payload_hash(const std::byte* payload, size_t length) noexcept;

// Extends 16-bit RTP sequence numbers to 48 bits per SSRC (the value nearest the highest seen,
// as RFC 3550 A.1 does), so a window longer than one sequence cycle (65536 datagrams) never
// mistakes a new datagram for an old one. Tracks kMaxSources SSRCs; a new one replaces the
// least recently seen.
class SequenceExtender {
 public:
  static constexpr size_t kMaxSources = 8;

  uint64_t extend(uint32_t ssrc, uint16_t sequence, uint64_t tick) noexcept;

 private:
  struct Source {
    uint32_t ssrc = 0;
    bool used = false;
    uint64_t highest = 0;    // extended sequence number
    uint64_t last_tick = 0;  // for the least-recently-seen replacement
  };
  std::array<Source, kMaxSources> sources_{};
};

// key_of(): the datagram's identity for the merge window. With RedundancyKey::rtp a payload that
// is not RTP falls back to its payload hash, so mixed or non-RTP traffic still merges.
class DatagramKeyer {
 public:
  explicit DatagramKeyer(RedundancyKey key) : key_(key) {}

  uint64_t key_of(const std::byte* payload, size_t length) noexcept;

 private:
  RedundancyKey key_;
  SequenceExtender sequences_;
  uint64_t tick_ = 0;
};

}  // namespace mcr
