// Per-datagram accounting for mcrsink.
#include "common/sink_counter.h"

#include "common/payload.h"
#include "common/rtp_header.h"
#include "common/ts_packetizer.h"

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
  if (ts_ &&
      !is_transport_stream(head.data() + (rtp_ ? kRtpHeaderBytes : 0), head.size() - (rtp_ ? kRtpHeaderBytes : 0))) {
    ++totals_.non_mcr;
    return;
  }
  PayloadHeader header;
  if (decode_payload_header(head.subspan(header_offset()), header) != PayloadDecode::ok) {
    ++totals_.non_mcr;
    return;
  }
  StreamStats* stream = streams_.find_or_add(header.stream_id);
  if (stream == nullptr) {
    ++totals_.untracked;
    return;
  }
  stream->record(header.sequence, length, header.send_time_ns, arrival_ns);
  if (rtp_) stream->rtp.record(rtp, header.sequence, header.stream_id);
  if (rtp_ || ts_) analyze(*stream, head, arrival_ns);
}

// The engine's analysis: RTP alone, TS alone, or both (TS inside RTP).
void SinkCounter::analyze(StreamStats& stream, std::span<const std::byte> head, int64_t arrival_ns) const {
  if (!stream.analysis) {
    const AnalyzeMode mode = rtp_ && ts_ ? AnalyzeMode::auto_detect : rtp_ ? AnalyzeMode::rtp : AnalyzeMode::ts;
    stream.analysis = std::make_unique<StreamAnalyzer>(mode);
  }
  stream.analysis->observe(head.data(), head.size(), arrival_ns);
}

std::size_t SinkCounter::header_offset() const {
  return (rtp_ ? kRtpHeaderBytes : 0) + (ts_ ? kTsHeaderBytes : 0);
}

}  // namespace mcr::tools
