// Recognising RTP, raw TS, TS inside RTP and neither, per datagram; each analyze mode looks
// only at what it names.
#include "core/analysis/stream_analyzer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "ts_test_packets.h"

namespace mcr {
namespace {

using test::join;
using test::rtp_header;
using test::ts_packet;

// Seven TS packets of PID 0x100 with counters first..first+6, as in RFC 2250 datagrams.
std::vector<std::byte> seven_ts_packets(uint8_t first) {
  std::vector<std::vector<std::byte>> packets;
  for (uint8_t i = 0; i < 7; ++i) packets.push_back(ts_packet({.counter = static_cast<uint8_t>((first + i) & 0x0F)}));
  return join(packets);
}

std::vector<std::byte> rtp_with_payload(uint16_t sequence, const std::vector<std::byte>& payload) {
  return join({rtp_header(sequence), payload});
}

TEST(StreamAnalyzer, TellsRtpRawTsTsInRtpAndOtherApart) {
  StreamAnalyzer analyzer(AnalyzeMode::auto_detect);
  const auto raw_ts = seven_ts_packets(0);
  const auto ts_in_rtp = rtp_with_payload(1, seven_ts_packets(7));
  const auto plain_rtp = rtp_with_payload(2, std::vector<std::byte>(100, std::byte{0x11}));
  const std::vector<std::byte> other(100, std::byte{0x11});
  EXPECT_EQ(analyzer.observe(raw_ts.data(), raw_ts.size(), 0), PayloadKind::ts);
  EXPECT_EQ(analyzer.observe(ts_in_rtp.data(), ts_in_rtp.size(), 0), PayloadKind::ts_in_rtp);
  EXPECT_EQ(analyzer.observe(plain_rtp.data(), plain_rtp.size(), 0), PayloadKind::rtp);
  EXPECT_EQ(analyzer.observe(other.data(), other.size(), 0), PayloadKind::other);
  EXPECT_EQ(analyzer.ts_continuity_errors(), 0u);
}

TEST(StreamAnalyzer, TsInRtpCountsBothRtpLossAndContinuityErrors) {
  StreamAnalyzer analyzer(AnalyzeMode::auto_detect);
  const auto first = rtp_with_payload(1, seven_ts_packets(0));
  const auto third = rtp_with_payload(3, seven_ts_packets(14));  // datagram 2 (counters 7-13) lost
  analyzer.observe(first.data(), first.size(), 0);
  analyzer.observe(third.data(), third.size(), 0);
  EXPECT_EQ(analyzer.rtp().lost, 1u);
  EXPECT_EQ(analyzer.ts_continuity_errors(), 1u);
}

TEST(StreamAnalyzer, SkipsCsrcsAndTheHeaderExtension) {
  auto header = rtp_header(5);
  header[0] = std::byte{0x80 | 0x10 | 0x02};  // extension, two CSRCs
  std::vector<std::byte> csrcs(8, std::byte{0});
  const std::vector<std::byte> extension = {std::byte{0xBE}, std::byte{0xDE}, std::byte{0}, std::byte{1},
                                            std::byte{0},    std::byte{0},    std::byte{0}, std::byte{0}};
  const auto payload = seven_ts_packets(0);
  const auto datagram = join({header, csrcs, extension, payload});
  RtpPacket packet;
  ASSERT_TRUE(parse_rtp_packet(datagram.data(), datagram.size(), packet));
  EXPECT_EQ(packet.payload_length, payload.size());
  EXPECT_EQ(packet.sequence, 5);
  StreamAnalyzer analyzer(AnalyzeMode::auto_detect);
  EXPECT_EQ(analyzer.observe(datagram.data(), datagram.size(), 0), PayloadKind::ts_in_rtp);
}

TEST(StreamAnalyzer, RejectsAHeaderLongerThanTheDatagram) {
  auto header = rtp_header(5);
  header[0] = std::byte{0x8F};  // 15 CSRCs, 60 bytes more than there are
  RtpPacket packet;
  EXPECT_FALSE(parse_rtp_packet(header.data(), header.size(), packet));
}

TEST(StreamAnalyzer, EachModeLooksOnlyAtWhatItNames) {
  const auto first = rtp_with_payload(1, seven_ts_packets(0));
  const auto third = rtp_with_payload(3, seven_ts_packets(14));
  StreamAnalyzer rtp_only(AnalyzeMode::rtp);
  StreamAnalyzer ts_only(AnalyzeMode::ts);
  StreamAnalyzer off(AnalyzeMode::off);
  for (StreamAnalyzer* analyzer : {&rtp_only, &ts_only, &off}) {
    analyzer->observe(first.data(), first.size(), 0);
    analyzer->observe(third.data(), third.size(), 0);
  }
  EXPECT_EQ(rtp_only.rtp().lost, 1u);
  EXPECT_EQ(rtp_only.ts_continuity_errors(), 0u);
  EXPECT_EQ(ts_only.rtp().lost, 0u);
  EXPECT_EQ(ts_only.ts_continuity_errors(), 1u);
  EXPECT_EQ(off.rtp().lost, 0u);
  EXPECT_EQ(off.ts_continuity_errors(), 0u);
}

TEST(StreamAnalyzer, TheTsTableIsAllocatedOnlyOnceTheLegCarriesTs) {
  StreamAnalyzer analyzer(AnalyzeMode::auto_detect);
  const auto plain_rtp = rtp_with_payload(1, std::vector<std::byte>(100, std::byte{0x11}));
  analyzer.observe(plain_rtp.data(), plain_rtp.size(), 0);
  const size_t without_ts = analyzer.memory_bytes();
  const auto raw_ts = seven_ts_packets(0);
  analyzer.observe(raw_ts.data(), raw_ts.size(), 0);
  EXPECT_EQ(analyzer.memory_bytes(), without_ts + sizeof(TsAnalyzer));
  EXPECT_GE(sizeof(TsAnalyzer), TsAnalyzer::kPids);
}

}  // namespace
}  // namespace mcr
