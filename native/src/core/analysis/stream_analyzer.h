// What one input leg carries, analysed per received datagram: RTP (sequence and jitter, see
// rtp_analyzer.h) and MPEG-TS continuity (ts_analyzer.h), raw in UDP or inside RTP. Pure, no
// I/O; one instance per leg, owned by the worker that owns the relay (no locks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/analysis/rtp_analyzer.h"
#include "core/analysis/ts_analyzer.h"

namespace mcr {

// auto_detect: RTP and MPEG-TS, recognised per datagram; rtp: the RTP header only; ts: TS
// packets only (raw, or as the payload of RTP); off: nothing is looked at.
enum class AnalyzeMode { auto_detect, rtp, ts, off };

// Whether a mode looks at RTP timing (jitter), so that arrival times per datagram matter.
constexpr bool measures_jitter(AnalyzeMode mode) noexcept {
  return mode == AnalyzeMode::auto_detect || mode == AnalyzeMode::rtp;
}

// What a datagram was recognised as (for tests and the cost bench).
enum class PayloadKind { rtp, ts, ts_in_rtp, other };

// The bytes of an RTP datagram after its header (RFC 3550 5.1, 5.3.1): the fixed 12 bytes, the
// CSRC list and the header extension; padding is left in. Also the header fields analysed.
struct RtpPacket {
  uint32_t ssrc = 0;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint8_t payload_type = 0;
  const std::byte* payload = nullptr;
  size_t payload_length = 0;
};

// The RTP view of a datagram: version 2 and a header that fits, else false.
bool parse_rtp_packet(const std::byte* bytes, size_t length, RtpPacket& packet) noexcept;

class StreamAnalyzer {
 public:
  explicit StreamAnalyzer(AnalyzeMode mode) : mode_(mode) {}

  // One received datagram with its arrival time (CLOCK_MONOTONIC or the receive timestamp).
  PayloadKind observe(const std::byte* bytes, size_t length, int64_t arrival_ns) noexcept;

  const RtpStats& rtp() const noexcept { return rtp_.stats(); }
  uint64_t ts_continuity_errors() const noexcept { return ts_ ? ts_->continuity_errors() : 0; }
  // The bytes this leg's analysis holds: the TS table only once the leg has carried TS.
  size_t memory_bytes() const noexcept { return sizeof(*this) + (ts_ ? sizeof(TsAnalyzer) : 0); }

 private:
  void observe_ts(const std::byte* bytes, size_t length) noexcept;

  AnalyzeMode mode_;
  RtpAnalyzer rtp_;
  std::unique_ptr<TsAnalyzer> ts_;
};

}  // namespace mcr
