// Unit tests of mcrsink's per-datagram accounting and report, without sockets: streams,
// non-MCR datagrams, raw mode, latency and the JSON/text output.
#include "common/sink_counter.h"

#include <gtest/gtest.h>

#include <array>

#include "common/payload.h"
#include "common/sink_report.h"

namespace mcr::tools {
namespace {

constexpr int64_t kSendNs = 1'700'000'000'000'000'000;

void deliver(SinkCounter& counter, uint32_t stream, uint64_t seq, int64_t latency_ns, std::size_t length = 100) {
  std::array<std::byte, kPayloadHeaderBytes> head{};
  encode_payload_header({stream, seq, kSendNs}, head);
  counter.on_datagram(head, length, kSendNs + latency_ns);
}

TEST(ToolsSinkCounter, SeparatesStreamsAndTotalsThem) {
  SinkCounter counter(false, 0);
  for (uint64_t s = 0; s < 10; ++s) deliver(counter, 7, s, 20'000);
  deliver(counter, 9, 0, 40'000);
  deliver(counter, 9, 2, 40'000);
  deliver(counter, 9, 2, 40'000);
  const SinkReport report = build_sink_report(counter, std::nullopt, StopReason::idle);
  ASSERT_EQ(report.streams.size(), 2u);
  EXPECT_EQ(report.received, 13u);
  EXPECT_EQ(report.bytes, 1300u);
  EXPECT_EQ(report.lost, 1u);
  EXPECT_EQ(report.duplicates, 1u);
  EXPECT_EQ(report.streams[0].stream_id, 7u);
  EXPECT_EQ(report.streams[0].sequence.highest, 9u);
  EXPECT_EQ(report.streams[1].sequence.lost, 1u);
  EXPECT_EQ(report.latency.samples, 13u);
  EXPECT_NEAR(report.latency.p50_us, 20.0, 20.0 / 64);
  EXPECT_NEAR(report.latency.max_us, 40.0, 1e-9);
  EXPECT_NEAR(report.streams[1].latency.p50_us, 40.0, 40.0 / 64);
}

TEST(ToolsSinkCounter, ShortOrForeignDatagramsAreNonMcr) {
  SinkCounter counter(false, 0);
  std::array<std::byte, kPayloadHeaderBytes> head{};
  counter.on_datagram(std::span(head).first(10), 10, kSendNs);
  counter.on_datagram(head, 500, kSendNs);  // all zero: bad magic
  const SinkReport report = build_sink_report(counter, 5, StopReason::count);
  EXPECT_EQ(report.received, 2u);
  EXPECT_EQ(report.bytes, 510u);
  EXPECT_EQ(report.non_mcr, 2u);
  EXPECT_TRUE(report.streams.empty());
  EXPECT_EQ(report.lost, 5u);  // nothing identifiable of the 5 expected arrived
}

TEST(ToolsSinkCounter, RawModeCountsPacketsAndBytesOnly) {
  SinkCounter counter(true, 0);
  for (int i = 0; i < 4; ++i) counter.on_datagram({}, 0, kSendNs);
  const SinkReport report = build_sink_report(counter, 6, StopReason::count);
  EXPECT_EQ(report.received, 4u);
  EXPECT_EQ(report.bytes, 0u);
  EXPECT_EQ(report.non_mcr, 0u);
  EXPECT_EQ(report.lost, 2u);
  EXPECT_TRUE(report.streams.empty());
}

TEST(ToolsSinkCounter, LongestSilenceIsTheWidestArrivalSpacing) {
  SinkCounter counter(false, 0);
  std::array<std::byte, kPayloadHeaderBytes> head{};
  const int64_t arrivals_ms[] = {0, 1, 2, 50, 51};
  for (uint64_t s = 0; s < 5; ++s) {
    encode_payload_header({1, s, kSendNs}, head);
    counter.on_datagram(head, 24, kSendNs + arrivals_ms[s] * 1'000'000);
  }
  const SinkReport report = build_sink_report(counter, std::nullopt, StopReason::idle);
  EXPECT_NEAR(report.longest_silence_ms, 48.0, 1e-9);
  EXPECT_NEAR(report.elapsed_s, 0.051, 1e-9);
}

TEST(ToolsSinkCounter, KernelDropsKeepTheLatestCumulativeValue) {
  SinkCounter counter(false, 0);
  counter.on_kernel_drops(3);
  counter.on_kernel_drops(7);
  counter.on_kernel_drops(5);  // an older message of the same batch
  EXPECT_EQ(counter.totals().kernel_drops, 7u);
}

TEST(ToolsSinkReport, JsonHasTotalsFirstThenStreams) {
  SinkCounter counter(false, 0);
  deliver(counter, 42, 0, 1000);
  deliver(counter, 42, 1, 1000);
  const std::string json = format_sink_json(build_sink_report(counter, 4, StopReason::count));
  EXPECT_EQ(json.rfind(R"({"received":2,"bytes":200,"lost":2,"duplicates":0,)", 0), 0u) << json;
  EXPECT_NE(json.find(R"("stop_reason":"count")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("streams":[{"stream_id":42,"received":2,)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("first_seq":0,"last_seq":1,"lost":2)"), std::string::npos) << json;
  EXPECT_EQ(json.back(), '\n');
  const std::string text = format_sink_text(build_sink_report(counter, 4, StopReason::count));
  EXPECT_NE(text.find("lost 2"), std::string::npos) << text;
  EXPECT_NE(text.find("stream 42"), std::string::npos) << text;
}

}  // namespace
}  // namespace mcr::tools
