// mcrsink --rtp without sockets: RTP-framed MCR datagrams are decoded, a wrong RTP sequence or
// SSRC is counted, the RFC 3550 jitter follows the arrival spacing, non-RTP datagrams are foreign.
#include <gtest/gtest.h>

#include <array>

#include "common/payload.h"
#include "common/rtp_header.h"
#include "common/sink_counter.h"
#include "common/sink_report.h"

namespace mcr::tools {
namespace {

constexpr int64_t kStartNs = 1'700'000'000'000'000'000;
constexpr int64_t kSpacingNs = 1'000'000;  // one datagram a millisecond

void deliver_rtp(SinkCounter& counter, uint64_t seq, int64_t arrival_delay_ns, uint16_t rtp_seq, uint32_t ssrc = 7) {
  std::array<std::byte, kRtpHeaderBytes + kPayloadHeaderBytes> head{};
  const int64_t send_ns = kStartNs + static_cast<int64_t>(seq) * kSpacingNs;
  encode_rtp_header({rtp_seq, rtp_timestamp(send_ns), ssrc}, head);
  encode_payload_header({7, seq, send_ns}, std::span(head).subspan(kRtpHeaderBytes));
  counter.on_datagram(head, 200, send_ns + arrival_delay_ns);
}

TEST(ToolsRtp, EncodesAndDecodesTheFixedHeader) {
  std::array<std::byte, kRtpHeaderBytes> header{};
  encode_rtp_header({65535, 0xDEADBEEF, 0x01020304}, header);
  RtpFields fields;
  ASSERT_TRUE(decode_rtp_header(header, fields));
  EXPECT_EQ(fields.sequence, 65535);
  EXPECT_EQ(fields.timestamp, 0xDEADBEEFu);
  EXPECT_EQ(fields.ssrc, 0x01020304u);
  EXPECT_EQ(fields.payload_type, kRtpPayloadTypeDynamic);
  header[0] = std::byte{0x47};
  EXPECT_FALSE(decode_rtp_header(header, fields));
}

TEST(ToolsRtp, SteadyArrivalsHaveNoJitterAndEveryDatagramCounts) {
  SinkCounter counter(false, 0, true);
  for (uint64_t seq = 0; seq < 100; ++seq) deliver_rtp(counter, seq, 50'000, static_cast<uint16_t>(seq));
  const SinkReport report = build_sink_report(counter, 100, StopReason::idle);
  EXPECT_EQ(report.lost, 0u);
  EXPECT_EQ(report.rtp_totals.packets, 100u);
  EXPECT_EQ(report.rtp_totals.sequence_mismatches, 0u);
  EXPECT_LT(report.rtp_totals.jitter_us, 12.0);  // below one 90 kHz tick (11.1 us): rounding only
}

TEST(ToolsRtp, AlternatingDelaysShowAsJitter) {
  SinkCounter counter(false, 0, true);
  for (uint64_t seq = 0; seq < 200; ++seq) {
    deliver_rtp(counter, seq, seq % 2 == 0 ? 0 : 1'000'000, static_cast<uint16_t>(seq));  // 0 or 1 ms late
  }
  const SinkReport report = build_sink_report(counter, 200, StopReason::idle);
  EXPECT_NEAR(report.rtp_totals.jitter_us, 1'000.0, 30.0);  // J converges to |D| = 1 ms
}

TEST(ToolsRtp, CountsARtpSequenceOrSsrcThatDisagreesWithThePayload) {
  SinkCounter counter(false, 0, true);
  deliver_rtp(counter, 0, 0, 0);
  deliver_rtp(counter, 1, 0, 5);
  deliver_rtp(counter, 2, 0, 2, 99);
  EXPECT_EQ(build_sink_report(counter, 3, StopReason::idle).rtp_totals.sequence_mismatches, 2u);
}

TEST(ToolsRtp, APlainMcrDatagramIsForeignToAnRtpSink) {
  SinkCounter counter(false, 0, true);
  std::array<std::byte, kPayloadHeaderBytes> head{};
  encode_payload_header({7, 0, kStartNs}, head);
  counter.on_datagram(head, 100, kStartNs);
  EXPECT_EQ(counter.totals().non_mcr, 1u);
}

}  // namespace
}  // namespace mcr::tools
