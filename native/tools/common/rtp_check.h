// mcrsink --rtp: the per-stream check that only a sender of MCR datagrams makes possible: the
// RTP sequence number and SSRC must match the MCR sequence (mod 2^16) and stream id. The RTP
// loss, duplicates, reordering and jitter come from the engine's own analyzer (stream_table.h).
#pragma once

#include <cstdint>

#include "common/rtp_header.h"

namespace mcr::tools {

struct RtpCheck {
  uint64_t packets = 0;
  uint64_t mismatches = 0;  // RTP sequence or SSRC not what the MCR header says

  void record(const RtpFields& rtp, uint64_t mcr_sequence, uint32_t stream_id) {
    ++packets;
    if (rtp.sequence != static_cast<uint16_t>(mcr_sequence) || rtp.ssrc != stream_id) ++mismatches;
  }
};

}  // namespace mcr::tools
