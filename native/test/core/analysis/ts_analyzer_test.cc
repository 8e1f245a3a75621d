// MPEG-TS continuity: per-PID counters, the wrap at 15, the discontinuity indicator, the one
// legal duplicate, null packets and adaptation-only packets.
#include "core/analysis/ts_analyzer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "ts_test_packets.h"

namespace mcr {
namespace {

using test::join;
using test::ts_packet;
using test::TsPacketSpec;

uint64_t errors_after(const std::vector<TsPacketSpec>& specs) {
  TsAnalyzer analyzer;
  for (const auto& spec : specs) {
    const auto packet = ts_packet(spec);
    analyzer.observe(packet.data(), packet.size());
  }
  return analyzer.continuity_errors();
}

TEST(TsAnalyzer, RecognisesWholeSyncedPackets) {
  const auto two = join({ts_packet({}), ts_packet({})});
  EXPECT_TRUE(is_transport_stream(two.data(), two.size()));
  EXPECT_FALSE(is_transport_stream(two.data(), two.size() - 1));
  auto unsynced = two;
  unsynced[188] = std::byte{0x46};
  EXPECT_FALSE(is_transport_stream(unsynced.data(), unsynced.size()));
  EXPECT_FALSE(is_transport_stream(two.data(), 0));
}

TEST(TsAnalyzer, ACounterThatGoesUpByOneAndWrapsIsNoError) {
  std::vector<TsPacketSpec> specs;
  for (int i = 0; i < 40; ++i) specs.push_back({.counter = static_cast<uint8_t>(i & 0x0F)});
  EXPECT_EQ(errors_after(specs), 0u);
}

TEST(TsAnalyzer, ASkippedCounterIsAnError) {
  EXPECT_EQ(errors_after({{.counter = 1}, {.counter = 2}, {.counter = 4}, {.counter = 5}}), 1u);
}

TEST(TsAnalyzer, EachPidHasItsOwnCounter) {
  EXPECT_EQ(errors_after({{.pid = 0x100, .counter = 1},
                          {.pid = 0x200, .counter = 9},
                          {.pid = 0x100, .counter = 2},
                          {.pid = 0x200, .counter = 10}}),
            0u);
  EXPECT_EQ(errors_after({{.pid = 0x100, .counter = 1}, {.pid = 0x200, .counter = 9}, {.pid = 0x100, .counter = 3}}),
            1u);
}

TEST(TsAnalyzer, TheDiscontinuityIndicatorAllowsAJump) {
  EXPECT_EQ(errors_after({{.counter = 1}, {.counter = 9, .discontinuity = true}, {.counter = 10}}), 0u);
}

TEST(TsAnalyzer, OneRepeatIsLegalASecondIsNot) {
  EXPECT_EQ(errors_after({{.counter = 1}, {.counter = 2}, {.counter = 2}, {.counter = 3}}), 0u);
  EXPECT_EQ(errors_after({{.counter = 1}, {.counter = 2}, {.counter = 2}, {.counter = 2}}), 1u);
}

TEST(TsAnalyzer, NullPacketsAreNotChecked) {
  EXPECT_EQ(errors_after({{.pid = 0x1FFF, .counter = 3}, {.pid = 0x1FFF, .counter = 3}, {.pid = 0x1FFF, .counter = 9}}),
            0u);
}

TEST(TsAnalyzer, AdaptationOnlyPacketsDoNotIncrementTheCounter) {
  EXPECT_EQ(errors_after({{.counter = 1}, {.counter = 1, .payload = false}, {.counter = 2}}), 0u);
}

TEST(TsAnalyzer, AllPacketsOfADatagramAreChecked) {
  TsAnalyzer analyzer;
  const auto datagram =
      join({ts_packet({.counter = 0}), ts_packet({.counter = 1}), ts_packet({.counter = 5}), ts_packet({.counter = 6}),
            ts_packet({.counter = 8}), ts_packet({.counter = 9}), ts_packet({.counter = 10})});
  analyzer.observe(datagram.data(), datagram.size());
  EXPECT_EQ(analyzer.continuity_errors(), 2u);
}

}  // namespace
}  // namespace mcr
