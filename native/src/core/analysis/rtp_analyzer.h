// RTP receive statistics for one input leg: lost, reordered and duplicate datagrams from the
// 16-bit sequence number, and the RFC 3550 (6.4.1, A.8) interarrival jitter from RTP timestamps
// and arrival times. Pure, no I/O; one instance per leg, owned by the worker (no locks).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace mcr {

struct RtpStats {
  uint64_t lost = 0;        // sequence numbers skipped and not (yet) received late
  uint64_t reordered = 0;   // datagrams that arrived after a higher sequence number
  uint64_t duplicates = 0;  // datagrams whose sequence number was already received
  double jitter_us = 0;     // RFC 3550 interarrival jitter, in microseconds
};

// The RTP clock rate of a payload type: the static types of RFC 3551 (table 4 and 5), and
// 90 kHz for dynamic (96-127) and unassigned types, the video clock that MPEG-TS over RTP
// (RFC 2250, PT 33) and the common video payload formats use.
uint32_t rtp_clock_rate(uint8_t payload_type) noexcept;

class RtpAnalyzer {
 public:
  // Bounds: a sequence jump larger than kMaxJump (either way) is a restart of the source
  // (RFC 3550 A.1's MAX_DROPOUT), not 60,000 lost datagrams; kWindow sequence numbers behind
  // the highest one are remembered, so a late datagram is told apart from a duplicate.
  static constexpr int32_t kMaxJump = 3000;
  static constexpr uint32_t kWindow = 1024;

  // One received datagram: SSRC, sequence number, RTP timestamp, payload type, arrival time.
  void observe(uint32_t ssrc, uint16_t sequence, uint32_t timestamp, uint8_t payload_type, int64_t arrival_ns) noexcept;

  const RtpStats& stats() const noexcept { return stats_; }

 private:
  void restart(uint32_t ssrc, uint16_t sequence) noexcept;
  void advance(uint64_t extended) noexcept;
  void accept_late(uint64_t extended) noexcept;
  void update_jitter(uint32_t timestamp, uint8_t payload_type, int64_t arrival_ns) noexcept;
  bool received(uint64_t extended) const noexcept;
  void mark_received(uint64_t extended) noexcept;

  RtpStats stats_;
  bool started_ = false;
  uint32_t ssrc_ = 0;
  uint64_t first_ = 0;                             // extended sequence number of the first datagram since the (re)start
  uint64_t highest_ = 0;                           // highest extended sequence number received
  std::array<uint64_t, kWindow / 64> received_{};  // bit per sequence number, highest_-kWindow+1..highest_
  bool has_transit_ = false;
  uint32_t last_timestamp_ = 0;
  int64_t last_arrival_ns_ = 0;
  double jitter_units_ = 0;  // in RTP clock units, as RFC 3550 defines J
};

}  // namespace mcr
