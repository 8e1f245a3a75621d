// Recognising RTP and MPEG-TS per datagram, and handing each to its analyzer.
#include "core/analysis/stream_analyzer.h"

#include <new>

namespace mcr {

namespace {

constexpr size_t kRtpFixedHeaderBytes = 12;
constexpr size_t kCsrcBytes = 4;
constexpr size_t kExtensionHeaderBytes = 4;
constexpr uint8_t kRtpVersion2 = 0x80;
constexpr uint8_t kVersionMask = 0xC0;
constexpr uint8_t kExtensionFlag = 0x10;
constexpr uint8_t kCsrcCountMask = 0x0F;
constexpr uint8_t kPayloadTypeMask = 0x7F;

uint8_t byte_at(const std::byte* bytes, size_t index) noexcept {
  return static_cast<uint8_t>(bytes[index]);
}

uint16_t read_be16(const std::byte* bytes) noexcept {
  return static_cast<uint16_t>((byte_at(bytes, 0) << 8) | byte_at(bytes, 1));
}

uint32_t read_be32(const std::byte* bytes) noexcept {
  return (static_cast<uint32_t>(byte_at(bytes, 0)) << 24) | (static_cast<uint32_t>(byte_at(bytes, 1)) << 16) |
         (static_cast<uint32_t>(byte_at(bytes, 2)) << 8) | byte_at(bytes, 3);
}

}  // namespace

bool parse_rtp_packet(const std::byte* bytes, size_t length, RtpPacket& packet) noexcept {
  if (length < kRtpFixedHeaderBytes || (byte_at(bytes, 0) & kVersionMask) != kRtpVersion2) return false;
  size_t header = kRtpFixedHeaderBytes + kCsrcBytes * (byte_at(bytes, 0) & kCsrcCountMask);
  if ((byte_at(bytes, 0) & kExtensionFlag) != 0) {
    if (length < header + kExtensionHeaderBytes) return false;
    header += kExtensionHeaderBytes + kCsrcBytes * read_be16(bytes + header + 2);  // length in 32-bit words
  }
  if (length < header) return false;
  packet.payload_type = byte_at(bytes, 1) & kPayloadTypeMask;
  packet.sequence = read_be16(bytes + 2);
  packet.timestamp = read_be32(bytes + 4);
  packet.ssrc = read_be32(bytes + 8);
  packet.payload = bytes + header;
  packet.payload_length = length - header;
  return true;
}

PayloadKind StreamAnalyzer::observe(const std::byte* bytes, size_t length, int64_t arrival_ns) noexcept {
  if (mode_ == AnalyzeMode::off) return PayloadKind::other;
  // Raw TS first: its sync byte 0x47 has version bits 01, so it is never taken for RTP v2.
  if (mode_ != AnalyzeMode::rtp && is_transport_stream(bytes, length)) {
    observe_ts(bytes, length);
    return PayloadKind::ts;
  }
  RtpPacket packet;
  if (!parse_rtp_packet(bytes, length, packet)) return PayloadKind::other;
  if (mode_ != AnalyzeMode::ts)
    rtp_.observe(packet.ssrc, packet.sequence, packet.timestamp, packet.payload_type, arrival_ns);
  if (mode_ != AnalyzeMode::rtp && is_transport_stream(packet.payload, packet.payload_length)) {
    observe_ts(packet.payload, packet.payload_length);
    return PayloadKind::ts_in_rtp;
  }
  return PayloadKind::rtp;
}

void StreamAnalyzer::observe_ts(const std::byte* bytes, size_t length) noexcept {
  if (!ts_) ts_.reset(new (std::nothrow) TsAnalyzer());  // once per leg; without memory, no TS stats
  if (ts_) ts_->observe(bytes, length);
}

}  // namespace mcr
