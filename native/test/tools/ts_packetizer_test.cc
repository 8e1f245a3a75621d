// mcrgen --ts without sockets: the synthetic multiplex is well-formed TS, its continuity counters
// count as ISO/IEC 13818-1 says (checked here by walking the packets, not by the analyzer under
// test elsewhere), injected errors and duplicates land where they are promised, and the engine's
// analyzer counts exactly what the packetizer predicts.
#include "common/ts_packetizer.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <vector>

#include "common/gen_options.h"
#include "common/payload.h"
#include "common/sink_counter.h"
#include "common/sink_report.h"
#include "core/analysis/ts_analyzer.h"

namespace mcr::tools {
namespace {

constexpr int64_t kSendNs = 1'700'000'000'000'000'000;

struct Packet {
  uint16_t pid;
  bool payload;
  uint8_t counter;
};

Packet read_packet(std::span<const std::byte> datagram, unsigned slot) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(datagram[slot * kTsPacketBytes + i]); };
  return Packet{static_cast<uint16_t>(((byte(1) & 0x1F) << 8) | byte(2)), (byte(3) & 0x10) != 0,
                static_cast<uint8_t>(byte(3) & 0x0F)};
}

std::vector<std::byte> datagram_of(const TsPacketizer& packetizer, uint64_t index) {
  std::vector<std::byte> datagram(packetizer.packets() * kTsPacketBytes);
  packetizer.prepare(datagram);
  packetizer.stamp(datagram, index, kSendNs);
  return datagram;
}

// Counts counter steps other than +1 between consecutive payload packets of a PID, ignoring
// null packets and an immediate repeat: the standard's rule written out plainly.
uint64_t counter_jumps(const TsPacketizer& packetizer, uint64_t datagrams) {
  std::map<uint16_t, uint8_t> last;
  std::map<uint16_t, bool> repeated;
  uint64_t jumps = 0;
  for (uint64_t index = 0; index < datagrams; ++index) {
    const std::vector<std::byte> datagram = datagram_of(packetizer, index);
    for (unsigned slot = 0; slot < packetizer.packets(); ++slot) {
      const Packet packet = read_packet(datagram, slot);
      if (packet.pid == kTsNullPid || !packet.payload) continue;
      const auto found = last.find(packet.pid);
      const bool repeat = found != last.end() && found->second == packet.counter && !repeated[packet.pid];
      if (found != last.end() && !repeat && packet.counter != ((found->second + 1) & 0x0F)) ++jumps;
      repeated[packet.pid] = repeat;
      last[packet.pid] = packet.counter;
    }
  }
  return jumps;
}

TEST(ToolsTsPacketizer, SevenPacketsFollowTheDocumentedLayout) {
  const TsPacketizer packetizer(kTsPacketsPerDatagram, {});
  const std::vector<std::byte> datagram = datagram_of(packetizer, 0);
  const std::array<uint16_t, 7> pids{kTsVideoPid, kTsAudioPid, kTsVideoPid, kTsAudioPid,
                                     kTsVideoPid, kTsVideoPid, kTsNullPid};
  for (unsigned slot = 0; slot < 7; ++slot) {
    EXPECT_EQ(datagram[slot * kTsPacketBytes], std::byte{0x47}) << slot;
    EXPECT_EQ(read_packet(datagram, slot).pid, pids[slot]) << slot;
  }
  EXPECT_TRUE(is_transport_stream(datagram.data(), datagram.size()));
  // Slot 5: adaptation field only (183 bytes, PCR flag), counter of the video packet before it.
  EXPECT_FALSE(read_packet(datagram, 5).payload);
  EXPECT_EQ(datagram[5 * kTsPacketBytes + 4], std::byte{183});
  EXPECT_EQ(datagram[5 * kTsPacketBytes + 5], std::byte{0x10});
  EXPECT_EQ(read_packet(datagram, 5).counter, read_packet(datagram, 4).counter);
}

TEST(ToolsTsPacketizer, CountersRunOnAcrossDatagramsWithoutErrors) {
  for (unsigned packets = 1; packets <= 9; ++packets) {
    const TsPacketizer packetizer(packets, {});
    EXPECT_EQ(counter_jumps(packetizer, 40), 0u) << packets << " packets";
    EXPECT_EQ(packetizer.continuity_errors_in(40), 0u);
  }
}

TEST(ToolsTsPacketizer, InjectedErrorsAreOnePerPeriodAndTheAnalyzerAgrees) {
  for (const uint64_t every : {1, 2, 7, 16}) {
    const TsPacketizer packetizer(kTsPacketsPerDatagram, {every, 0});
    constexpr uint64_t kDatagrams = 100;
    const uint64_t expected = every == 1 ? kDatagrams - 1 : kDatagrams / every;
    EXPECT_EQ(packetizer.continuity_errors_in(kDatagrams), expected) << every;
    EXPECT_EQ(counter_jumps(packetizer, kDatagrams), expected) << every;
    TsAnalyzer analyzer;
    for (uint64_t index = 0; index < kDatagrams; ++index) {
      const std::vector<std::byte> datagram = datagram_of(packetizer, index);
      analyzer.observe(datagram.data(), datagram.size());
    }
    EXPECT_EQ(analyzer.continuity_errors(), expected) << every;
  }
}

TEST(ToolsTsPacketizer, DuplicatesRepeatTheLastAudioPacketByteForByte) {
  const TsPacketizer packetizer(kTsPacketsPerDatagram, {0, 3});
  const std::vector<std::byte> plain = datagram_of(packetizer, 0);
  EXPECT_EQ(read_packet(plain, 6).pid, kTsNullPid);
  const std::vector<std::byte> repeated = datagram_of(packetizer, 2);  // the 3rd datagram
  EXPECT_TRUE(std::equal(repeated.begin() + 6 * kTsPacketBytes, repeated.end(), repeated.begin() + 3 * kTsPacketBytes));
  TsAnalyzer analyzer;
  for (uint64_t index = 0; index < 30; ++index) {
    const std::vector<std::byte> datagram = datagram_of(packetizer, index);
    analyzer.observe(datagram.data(), datagram.size());
  }
  EXPECT_EQ(analyzer.continuity_errors(), 0u);
  EXPECT_EQ(counter_jumps(packetizer, 30), 0u);
}

TEST(ToolsTsPacketizer, TheSameIndexGivesTheSameBytesOnEveryBuffer) {
  const TsPacketizer packetizer(kTsPacketsPerDatagram, {5, 4});
  std::vector<std::byte> reused(packetizer.packets() * kTsPacketBytes);
  packetizer.prepare(reused);
  packetizer.stamp(reused, 3, kSendNs);  // a duplicate datagram first, then a plain one
  packetizer.stamp(reused, 9, kSendNs);
  EXPECT_EQ(reused, datagram_of(packetizer, 9));
}

TEST(ToolsTsPacketizer, GenOptionsSizeTheDatagramInWholePackets) {
  const std::vector<const char*> ts = {"--group", "239.1.1.1", "--port", "5000", "--ts"};
  const GenOptions plain = parse_gen_options(static_cast<int>(ts.size()), ts.data());
  EXPECT_EQ(plain.size, 1316u);
  EXPECT_EQ(plain.ts_packets(), 7u);
  EXPECT_EQ(plain.header_offset(), 4u);
  std::vector<const char*> rtp = ts;
  rtp.insert(rtp.end(), {"--rtp", "--size", "388"});
  const GenOptions in_rtp = parse_gen_options(static_cast<int>(rtp.size()), rtp.data());
  EXPECT_EQ(in_rtp.ts_packets(), 2u);
  EXPECT_EQ(in_rtp.header_offset(), 16u);
}

TEST(ToolsTsPacketizer, SinkCountsContinuityErrorsPerStream) {
  const TsPacketizer packetizer(kTsPacketsPerDatagram, {4, 0});
  SinkCounter counter(false, 0, false, true);
  for (uint64_t index = 0; index < 20; ++index) {
    std::vector<std::byte> datagram = datagram_of(packetizer, index);
    encode_payload_header({7, index, kSendNs}, std::span(datagram).subspan(kTsHeaderBytes));
    counter.on_datagram(datagram, datagram.size(), kSendNs);
  }
  std::vector<std::byte> foreign(1316, std::byte{0x47});
  foreign[188] = std::byte{0};  // not all packets start with the sync byte
  counter.on_datagram(foreign, foreign.size(), kSendNs);
  const SinkReport report = build_sink_report(counter, 20, StopReason::idle);
  EXPECT_EQ(report.lost, 0u);
  EXPECT_EQ(report.non_mcr, 1u);
  EXPECT_EQ(report.ts_totals.continuity_errors, 5u);
  EXPECT_NE(format_sink_json(report).find("\"ts\":{\"continuity_errors\":5}"), std::string::npos);
}

}  // namespace
}  // namespace mcr::tools
