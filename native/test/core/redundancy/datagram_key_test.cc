// Keys: RTP headers parsed, sequence numbers extended across wraps and reordering, payload
// hashes equal for equal bytes, non-RTP traffic falling back to the payload hash.
#include "core/redundancy/datagram_key.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <set>
#include <vector>

namespace mcr {
namespace {

std::vector<std::byte> rtp(uint32_t ssrc, uint16_t sequence, size_t payload_bytes = 20) {
  std::vector<std::byte> packet(12 + payload_bytes, std::byte{0});
  packet[0] = std::byte{0x80};
  packet[1] = std::byte{33};
  packet[2] = std::byte(sequence >> 8);
  packet[3] = std::byte(sequence & 0xff);
  for (int i = 0; i < 4; ++i) packet[8 + i] = std::byte((ssrc >> (24 - 8 * i)) & 0xff);
  return packet;
}

TEST(DatagramKey, ParsesTheFixedRtpHeader) {
  const auto packet = rtp(0xCAFEBABE, 4242);
  const auto header = parse_rtp(packet.data(), packet.size());
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->ssrc, 0xCAFEBABEu);
  EXPECT_EQ(header->sequence, 4242);
  EXPECT_EQ(header->payload_type, 33);
  EXPECT_FALSE(parse_rtp(packet.data(), 11).has_value());
  std::vector<std::byte> not_rtp(packet);
  not_rtp[0] = std::byte{0x47};  // an MPEG-TS sync byte: version 1
  EXPECT_FALSE(parse_rtp(not_rtp.data(), not_rtp.size()).has_value());
}

TEST(DatagramKey, ExtendsSequenceNumbersAcrossTheWrapAndBackwards) {
  SequenceExtender extender;
  const uint64_t before_wrap = extender.extend(1, 65535, 1);
  const uint64_t after_wrap = extender.extend(1, 0, 2);
  EXPECT_EQ(after_wrap, before_wrap + 1);
  EXPECT_EQ(extender.extend(1, 65534, 3), before_wrap - 1);  // a late one from before the wrap
  EXPECT_EQ(extender.extend(1, 1, 4), before_wrap + 2);
  EXPECT_EQ(extender.extend(2, 0, 5), 65536u);  // another SSRC starts its own count, one cycle up
  EXPECT_EQ(extender.extend(1, 2, 6), before_wrap + 3);
}

TEST(DatagramKey, GivesEverySequenceOfTwoCyclesItsOwnRtpKey) {
  DatagramKeyer keyer(RedundancyKey::rtp);
  std::set<uint64_t> keys;
  for (uint32_t n = 0; n < 2 * 65536; ++n) {
    const auto packet = rtp(7, static_cast<uint16_t>(n));
    keys.insert(keyer.key_of(packet.data(), packet.size()));
  }
  EXPECT_EQ(keys.size(), 2u * 65536u);
}

TEST(DatagramKey, KeysRtpByHeaderNotByPayload) {
  DatagramKeyer keyer(RedundancyKey::rtp);
  auto a = rtp(9, 100);
  auto b = rtp(9, 100);
  b.back() = std::byte{1};  // a different payload under the same header is the same datagram
  EXPECT_EQ(keyer.key_of(a.data(), a.size()), keyer.key_of(b.data(), b.size()));
}

TEST(DatagramKey, FallsBackToThePayloadHashForNonRtp) {
  DatagramKeyer rtp_keyer(RedundancyKey::rtp);
  DatagramKeyer payload_keyer(RedundancyKey::payload);
  const std::array<std::byte, 5> text{std::byte{'h'}, std::byte{'e'}, std::byte{'l'}, std::byte{'l'}, std::byte{'o'}};
  EXPECT_EQ(rtp_keyer.key_of(text.data(), text.size()), payload_hash(text.data(), text.size()));
  EXPECT_EQ(payload_keyer.key_of(text.data(), text.size()), payload_hash(text.data(), text.size()));
  const auto packet = rtp(9, 100);
  EXPECT_EQ(payload_keyer.key_of(packet.data(), packet.size()), payload_hash(packet.data(), packet.size()));
}

TEST(DatagramKey, HashesEqualPayloadsEquallyAndOneChangedByteDifferently) {
  std::vector<std::byte> a(1316, std::byte{0x47});
  std::vector<std::byte> b(a);
  EXPECT_EQ(payload_hash(a.data(), a.size()), payload_hash(b.data(), b.size()));
  b[1315] = std::byte{0x48};
  EXPECT_NE(payload_hash(a.data(), a.size()), payload_hash(b.data(), b.size()));
  EXPECT_NE(payload_hash(a.data(), 1315), payload_hash(a.data(), 1316));
}

}  // namespace
}  // namespace mcr
