// Crafted MPEG-TS packets and RTP headers for the stream-analysis tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mcr::test {

struct TsPacketSpec {
  uint16_t pid = 0x100;
  uint8_t counter = 0;
  bool payload = true;
  bool discontinuity = false;
};

inline std::vector<std::byte> ts_packet(const TsPacketSpec& spec) {
  std::vector<std::byte> packet(188, std::byte{0xFF});
  packet[0] = std::byte{0x47};
  packet[1] = std::byte(spec.pid >> 8);
  packet[2] = std::byte(spec.pid & 0xFF);
  const bool adaptation = spec.discontinuity || !spec.payload;
  packet[3] = std::byte((adaptation ? 0x20 : 0) | (spec.payload ? 0x10 : 0) | (spec.counter & 0x0F));
  if (adaptation) {
    packet[4] = std::byte{spec.payload ? uint8_t{1} : uint8_t{183}};
    packet[5] = std::byte{spec.discontinuity ? uint8_t{0x80} : uint8_t{0}};
  }
  return packet;
}

inline std::vector<std::byte> join(const std::vector<std::vector<std::byte>>& parts) {
  std::vector<std::byte> bytes;
  for (const auto& part : parts) bytes.insert(bytes.end(), part.begin(), part.end());
  return bytes;
}

inline std::vector<std::byte> rtp_header(uint16_t sequence, uint32_t timestamp = 0, uint8_t payload_type = 33) {
  std::vector<std::byte> header(12, std::byte{0});
  header[0] = std::byte{0x80};
  header[1] = std::byte{payload_type};
  header[2] = std::byte(sequence >> 8);
  header[3] = std::byte(sequence & 0xFF);
  for (int i = 0; i < 4; ++i) header[4 + i] = std::byte((timestamp >> (24 - 8 * i)) & 0xFF);
  header[11] = std::byte{7};  // SSRC 7
  return header;
}

}  // namespace mcr::test
