// Unit tests of the MCR payload header codec: wire layout, round trip, bad magic, short input.
#include "common/payload.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace mcr::tools {
namespace {

TEST(ToolsPayload, RoundTripKeepsEveryField) {
  std::array<std::byte, 64> datagram{};
  const PayloadHeader sent{0xdeadbeef, 0x0102030405060708ULL, -1234567890123LL};
  encode_payload_header(sent, datagram);
  PayloadHeader received;
  ASSERT_EQ(decode_payload_header(datagram, received), PayloadDecode::ok);
  EXPECT_EQ(received.stream_id, sent.stream_id);
  EXPECT_EQ(received.sequence, sent.sequence);
  EXPECT_EQ(received.send_time_ns, sent.send_time_ns);
}

TEST(ToolsPayload, WireLayoutIsLittleEndianWithMcr1Magic) {
  std::array<std::byte, kPayloadHeaderBytes> datagram{};
  encode_payload_header({0x11223344, 0x05, 0x0a}, datagram);
  EXPECT_EQ(datagram[0], std::byte{'M'});
  EXPECT_EQ(datagram[1], std::byte{'C'});
  EXPECT_EQ(datagram[2], std::byte{'R'});
  EXPECT_EQ(datagram[3], std::byte{'1'});
  EXPECT_EQ(datagram[4], std::byte{0x44});
  EXPECT_EQ(datagram[7], std::byte{0x11});
  EXPECT_EQ(datagram[8], std::byte{0x05});
  EXPECT_EQ(datagram[15], std::byte{0x00});
  EXPECT_EQ(datagram[16], std::byte{0x0a});
}

TEST(ToolsPayload, BadMagicIsRejected) {
  std::array<std::byte, kPayloadHeaderBytes> datagram{};
  encode_payload_header({1, 2, 3}, datagram);
  datagram[3] = std::byte{'2'};
  PayloadHeader header;
  EXPECT_EQ(decode_payload_header(datagram, header), PayloadDecode::bad_magic);
}

TEST(ToolsPayload, ShorterThanHeaderIsRejected) {
  std::array<std::byte, kPayloadHeaderBytes> datagram{};
  encode_payload_header({1, 2, 3}, datagram);
  PayloadHeader header;
  EXPECT_EQ(decode_payload_header(std::span(datagram).first(kPayloadHeaderBytes - 1), header),
            PayloadDecode::too_short);
  EXPECT_EQ(decode_payload_header({}, header), PayloadDecode::too_short);
}

TEST(ToolsPayload, FillerIsTheByteOffsetPattern) {
  std::vector<std::byte> datagram(300);
  fill_payload_filler(datagram);
  EXPECT_EQ(datagram[0], std::byte{0});
  EXPECT_EQ(datagram[255], std::byte{255});
  EXPECT_EQ(datagram[256], std::byte{0});
  EXPECT_EQ(datagram[299], std::byte{43});
}

}  // namespace
}  // namespace mcr::tools
