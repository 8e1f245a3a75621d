// mcrsink --rtp: per-stream checks of the RTP header that mcrgen --rtp sends in front of the MCR
// payload: the RTP sequence number and SSRC must match the MCR sequence (mod 2^16) and stream
// id, and the RFC 3550 interarrival jitter (A.8) is kept. RTP loss, duplicates and reordering
// are the stream's sequence accounting, which counts the same datagrams.
#pragma once

#include <cstdint>
#include <cstdlib>

#include "common/rtp_header.h"

namespace mcr::tools {

struct RtpCheck {
  uint64_t packets = 0;
  uint64_t mismatches = 0;  // RTP sequence or SSRC not what the MCR header says
  double jitter_ticks = 0;  // RFC 3550 interarrival jitter, in 90 kHz timestamp units

  void record(const RtpFields& rtp, uint64_t mcr_sequence, uint32_t stream_id, int64_t arrival_ns) {
    ++packets;
    if (rtp.sequence != static_cast<uint16_t>(mcr_sequence) || rtp.ssrc != stream_id) ++mismatches;
    // Transit time in timestamp units; only differences of it matter, so the clock offset and the
    // 2^32 wrap cancel out (the difference is taken as a signed 32-bit value).
    const uint32_t transit = rtp_timestamp(arrival_ns) - rtp.timestamp;
    if (has_transit_) {
      const auto difference = static_cast<int32_t>(transit - last_transit_);
      jitter_ticks += (std::abs(static_cast<double>(difference)) - jitter_ticks) / 16.0;
    }
    has_transit_ = true;
    last_transit_ = transit;
  }

  double jitter_us() const { return jitter_ticks * 1e6 / kRtpClockHz; }

 private:
  bool has_transit_ = false;
  uint32_t last_transit_ = 0;
};

}  // namespace mcr::tools
