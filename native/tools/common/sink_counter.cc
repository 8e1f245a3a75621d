// Per-datagram accounting for mcrsink.
#include "common/sink_counter.h"

#include "common/payload.h"
#include "common/rtp_header.h"

namespace mcr::tools {

void SinkCounter::on_datagram(std::span<const std::byte> head, std::size_t length, int64_t arrival_ns) {
  if (totals_.received == 0) totals_.first_arrival_ns = arrival_ns;
  totals_.last_arrival_ns = arrival_ns;
  ++totals_.received;
  totals_.bytes += length;
  if (raw_) return;
  RtpFields rtp;
  if (rtp_ && !decode_rtp_header(head, rtp)) {
    ++totals_.non_mcr;
    return;
  }
  PayloadHeader header;
  if (decode_payload_header(rtp_ ? head.subspan(kRtpHeaderBytes) : head, header) != PayloadDecode::ok) {
    ++totals_.non_mcr;
    return;
  }
  StreamStats* stream = streams_.find_or_add(header.stream_id);
  if (stream == nullptr) {
    ++totals_.untracked;
    return;
  }
  stream->record(header.sequence, length, header.send_time_ns, arrival_ns);
  if (rtp_) stream->rtp.record(rtp, header.sequence, header.stream_id, arrival_ns);
}

}  // namespace mcr::tools
