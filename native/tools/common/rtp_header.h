// The fixed 12-byte RTP header (RFC 3550) that mcrgen --rtp puts in front of its payload and
// mcrsink --rtp reads back: version 2, no padding, extension or CSRCs, marker 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace mcr::tools {

inline constexpr std::size_t kRtpHeaderBytes = 12;
inline constexpr uint8_t kRtpPayloadTypeDynamic = 96;
inline constexpr uint32_t kRtpClockHz = 90'000;  // the video clock (MPEG-TS over RTP uses it too)

struct RtpFields {
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  uint8_t payload_type = kRtpPayloadTypeDynamic;
};

inline void encode_rtp_header(const RtpFields& rtp, std::span<std::byte> out) {
  std::byte* p = out.data();
  p[0] = std::byte{0x80};
  p[1] = static_cast<std::byte>(rtp.payload_type & 0x7f);
  p[2] = static_cast<std::byte>(rtp.sequence >> 8);
  p[3] = static_cast<std::byte>(rtp.sequence & 0xff);
  for (int i = 0; i < 4; ++i) {
    p[4 + i] = static_cast<std::byte>((rtp.timestamp >> (24 - 8 * i)) & 0xff);
    p[8 + i] = static_cast<std::byte>((rtp.ssrc >> (24 - 8 * i)) & 0xff);
  }
}

// False unless `in` starts with a version-2 RTP header.
inline bool decode_rtp_header(std::span<const std::byte> in, RtpFields& out) {
  if (in.size() < kRtpHeaderBytes || (static_cast<uint8_t>(in[0]) >> 6) != 2) return false;
  const auto byte = [&](std::size_t i) { return static_cast<uint32_t>(in[i]); };
  out.payload_type = static_cast<uint8_t>(byte(1) & 0x7f);
  out.sequence = static_cast<uint16_t>((byte(2) << 8) | byte(3));
  out.timestamp = (byte(4) << 24) | (byte(5) << 16) | (byte(6) << 8) | byte(7);
  out.ssrc = (byte(8) << 24) | (byte(9) << 16) | (byte(10) << 8) | byte(11);
  return true;
}

// The RTP timestamp of a wall-clock time: the 90 kHz clock, modulo 2^32.
inline uint32_t rtp_timestamp(int64_t unix_ns) {
  const uint64_t microseconds = static_cast<uint64_t>(unix_ns) / 1000;  // x 9 / 100 = 90 kHz, no overflow
  return static_cast<uint32_t>(microseconds * 9 / 100);
}

}  // namespace mcr::tools
