// RTP sequence accounting (loss, reordering, duplicates, the wrap at 65535, restarts) and the
// RFC 3550 interarrival jitter against hand-computed values.
#include "core/analysis/rtp_analyzer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>

namespace mcr {
namespace {

constexpr uint32_t kSsrc = 0x1234;
constexpr uint8_t kDynamicType = 96;

void feed(RtpAnalyzer& analyzer, std::initializer_list<uint16_t> sequences) {
  for (const uint16_t sequence : sequences) analyzer.observe(kSsrc, sequence, 0, kDynamicType, 0);
}

TEST(RtpAnalyzer, AnInOrderStreamHasNoLossReorderingOrDuplicates) {
  RtpAnalyzer analyzer;
  feed(analyzer, {10, 11, 12, 13});
  EXPECT_EQ(analyzer.stats().lost, 0u);
  EXPECT_EQ(analyzer.stats().reordered, 0u);
  EXPECT_EQ(analyzer.stats().duplicates, 0u);
}

TEST(RtpAnalyzer, CountsTheSequenceNumbersSkipped) {
  RtpAnalyzer analyzer;
  feed(analyzer, {1, 2, 5, 6, 10});
  EXPECT_EQ(analyzer.stats().lost, 5u);  // 3, 4, 7, 8, 9
}

TEST(RtpAnalyzer, TheWrapAt65535IsNotALoss) {
  RtpAnalyzer analyzer;
  feed(analyzer, {65533, 65534, 65535, 0, 1});
  EXPECT_EQ(analyzer.stats().lost, 0u);
  feed(analyzer, {3});
  EXPECT_EQ(analyzer.stats().lost, 1u);
}

TEST(RtpAnalyzer, ALateDatagramIsReorderedAndNoLongerLost) {
  RtpAnalyzer analyzer;
  feed(analyzer, {1, 2, 4, 3, 5});
  EXPECT_EQ(analyzer.stats().reordered, 1u);
  EXPECT_EQ(analyzer.stats().lost, 0u);
  EXPECT_EQ(analyzer.stats().duplicates, 0u);
}

TEST(RtpAnalyzer, ReorderingAcrossTheWrap) {
  RtpAnalyzer analyzer;
  feed(analyzer, {65534, 0, 65535, 1});
  EXPECT_EQ(analyzer.stats().reordered, 1u);
  EXPECT_EQ(analyzer.stats().lost, 0u);
}

TEST(RtpAnalyzer, ACopyOfTheLatestOrAnOlderDatagramIsADuplicate) {
  RtpAnalyzer analyzer;
  feed(analyzer, {1, 2, 2, 3, 1});
  EXPECT_EQ(analyzer.stats().duplicates, 2u);
  EXPECT_EQ(analyzer.stats().reordered, 0u);
  EXPECT_EQ(analyzer.stats().lost, 0u);
}

TEST(RtpAnalyzer, ALateDatagramThatArrivesTwiceIsReorderedOnceThenADuplicate) {
  RtpAnalyzer analyzer;
  feed(analyzer, {1, 3, 2, 2});
  EXPECT_EQ(analyzer.stats().reordered, 1u);
  EXPECT_EQ(analyzer.stats().duplicates, 1u);
  EXPECT_EQ(analyzer.stats().lost, 0u);
}

TEST(RtpAnalyzer, AJumpBeyondTheDropoutIsARestartNotALoss) {
  RtpAnalyzer analyzer;
  feed(analyzer, {100, 101, 40000, 40001});
  EXPECT_EQ(analyzer.stats().lost, 0u);
}

TEST(RtpAnalyzer, ANewSsrcRestartsTheSequence) {
  RtpAnalyzer analyzer;
  feed(analyzer, {100, 101});
  analyzer.observe(kSsrc + 1, 7, 0, kDynamicType, 0);
  analyzer.observe(kSsrc + 1, 8, 0, kDynamicType, 0);
  EXPECT_EQ(analyzer.stats().lost, 0u);
  EXPECT_EQ(analyzer.stats().reordered, 0u);
}

TEST(RtpAnalyzer, AGapWiderThanTheWindowStillCountsEveryLoss) {
  RtpAnalyzer analyzer;
  feed(analyzer, {0, 2000, 500});  // 500 is beyond the 1024-number window behind 2000
  EXPECT_EQ(analyzer.stats().lost, 1999u);
  EXPECT_EQ(analyzer.stats().reordered, 1u);
}

TEST(RtpAnalyzer, ClockRatesFromTheRfc3551Table) {
  EXPECT_EQ(rtp_clock_rate(0), 8'000u);    // PCMU
  EXPECT_EQ(rtp_clock_rate(10), 44'100u);  // L16 stereo
  EXPECT_EQ(rtp_clock_rate(33), 90'000u);  // MP2T
  EXPECT_EQ(rtp_clock_rate(96), 90'000u);  // dynamic: the video clock, by assumption
}

// Hand-computed, RFC 3550 6.4.1 with a 90 kHz clock (1 ms = 90 units), datagrams 10 ms apart:
//   #2 arrives 1 ms late:  D = 90,  J = 0 + (90 - 0) / 16 = 5.625 units
//   #3 arrives on time:    D = -90, J = 5.625 + (90 - 5.625) / 16 = 10.8984375 units
//   = 10.8984375 / 90,000 s = 121.09375 us
TEST(RtpAnalyzer, JitterFollowsRfc3550) {
  RtpAnalyzer analyzer;
  analyzer.observe(kSsrc, 1, 0, kDynamicType, 0);
  analyzer.observe(kSsrc, 2, 900, kDynamicType, 11'000'000);
  EXPECT_NEAR(analyzer.stats().jitter_us, 62.5, 1e-9);  // 5.625 units
  analyzer.observe(kSsrc, 3, 1800, kDynamicType, 20'000'000);
  EXPECT_NEAR(analyzer.stats().jitter_us, 121.09375, 1e-9);
}

TEST(RtpAnalyzer, APerfectlyPacedStreamHasNoJitterAcrossTheTimestampWrap) {
  RtpAnalyzer analyzer;
  uint32_t timestamp = 0xFFFFFFFFu - 1800;
  for (uint16_t sequence = 0; sequence < 5; ++sequence) {
    analyzer.observe(kSsrc, sequence, timestamp, kDynamicType, int64_t{sequence} * 10'000'000);
    timestamp += 900;
  }
  EXPECT_NEAR(analyzer.stats().jitter_us, 0.0, 1e-9);
}

TEST(RtpAnalyzer, JitterUsesThePayloadTypesClock) {
  RtpAnalyzer analyzer;  // PCMU, 8 kHz: 20 ms = 160 units; #2 is 1 ms (8 units) late
  analyzer.observe(kSsrc, 1, 0, 0, 0);
  analyzer.observe(kSsrc, 2, 160, 0, 21'000'000);
  EXPECT_NEAR(analyzer.stats().jitter_us, 62.5, 1e-9);  // 8 / 16 = 0.5 units = 62.5 us
}

}  // namespace
}  // namespace mcr
